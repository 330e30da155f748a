"""Shortcuts through the Pulumi SDK for a synth under mocks: same snapshot, less time and
memory. Each patch is undone on exit and left out if the SDK's internals change shape; tests
hold each one to the SDK's own behaviour and the prod snapshot to byte equality."""

from __future__ import annotations

import asyncio
import functools
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def sdk_shortcuts() -> Iterator[None]:
    with no_source_positions(), lean_outputs(), acyclic_unknown_checks():
        yield


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Each registration leaves a dozen futures and tasks alive until the program ends, so
    the collector's full passes walk an ever larger heap and find little to free: a third of
    the synth time on prod. What they would free is kept small by `acyclic_unknown_checks`."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def acyclic_unknown_checks() -> Iterator[None]:
    """The SDK's `contains_unknowns` defines a recursive closure at each call: a reference
    cycle (function, cell, annotations, a set) that only the cyclic collector frees. It runs
    a dozen times per resource, so with the collector paused that garbage was a sixth of the
    synth's peak memory. The same walk as a plain function leaves nothing behind."""
    from pulumi.runtime import known_types, rpc

    def walk(val: Any, seen_ids: set[int]) -> bool:
        if known_types.is_unknown(val):
            return True
        if id(val) in seen_ids:
            return False
        seen_ids.add(id(val))
        if isinstance(val, dict):
            return any(walk(val[k], seen_ids) for k in val)
        if isinstance(val, list):
            return any(walk(x, seen_ids) for x in val)
        return False

    def contains_unknowns(val: Any) -> bool:
        return walk(val, set())

    original = getattr(rpc, "contains_unknowns", None)
    if original is None:
        yield
        return
    rpc.contains_unknowns = contains_unknowns
    try:
        yield
    finally:
        rpc.contains_unknowns = original


@contextmanager
def lean_outputs() -> Iterator[None]:
    """Each property of each resource gets an Output the program may read. The SDK builds it
    from four futures and a task that joins them (`Output.__init__`); here it is one future
    resolved with the joined `_OutputData`, the SDK's own shape for it (`Output._from_data`).
    Same values, same failures, same tracking; a fifth of the objects that keep the synth's
    memory at its peak. Left alone if the SDK's internals ever change shape."""
    import pulumi.output
    from pulumi.runtime import rpc

    output_data = getattr(pulumi.output, "_OutputData", None)
    from_data = getattr(pulumi.output.Output, "_from_data", None)
    if output_data is None or from_data is None:
        yield
        return

    def resolve(res: Any, data: Any, value: Any, is_known: bool, is_secret: bool,
                deps: Any, failed: Exception | None) -> None:  # fmt: skip
        if failed is not None:
            data.set_exception(failed)
            return
        resources = set(deps) if deps else set()
        resources.add(res)
        data.set_result(output_data(resources, value, is_known, is_secret))

    def transfer_properties(res: Any, props: Any, custom: bool) -> dict[str, Any]:
        resolvers: dict[str, Any] = {}
        loop = asyncio.get_event_loop()
        for name in props:
            if name == "urn" or (name == "id" and custom):
                continue  # as the SDK: these two are resolved elsewhere
            data = loop.create_future()
            resolvers[name] = functools.partial(resolve, res, data)
            res.__dict__[name] = from_data(data)
        return resolvers

    original = rpc.transfer_properties
    rpc.transfer_properties = transfer_properties
    try:
        yield
    finally:
        rpc.transfer_properties = original


@contextmanager
def no_source_positions() -> Iterator[None]:
    """The SDK walks the Python stack at every registration to send source positions to the
    engine (for `pulumi` error messages); a snapshot has no use for them, and the walk is
    about an eighth of the synth time."""
    from pulumi.runtime import resource as runtime_resource
    from pulumi.runtime.proto import source_pb2

    original = runtime_resource._get_stack_trace
    runtime_resource._get_stack_trace = source_pb2.StackTrace  # type: ignore[assignment]
    try:
        yield
    finally:
        runtime_resource._get_stack_trace = original  # type: ignore[assignment]
