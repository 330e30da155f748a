"""Garbage-collector tuning for the synth: the SDK leaves a dozen futures and tasks alive per
registration until the program ends (a million on prod), so the cyclic collector's passes
walk an ever larger heap and free little. Not an SDK internal, but tuned for the SDK's
object graph, hence here with the shortcuts it goes with."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """No collector passes while the program runs: a third of the synth time on prod. What
    they would free is kept small by the synth's `acyclic_unknown_checks`."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def garbage_kept() -> Iterator[None]:
    """For a command that synthesizes once and soon exits: the synth's leftover cycles are
    frozen out of the collector's sight rather than traversed, which costs seconds and gives
    back no memory the process would reuse."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def collector_off() -> None:
    """For a process that synthesizes once and exits (a parallel synth's shard)."""
    gc.disable()
