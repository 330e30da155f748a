"""Synthesize with both cores: one process per estate, merged into the single-run snapshot.

Each run has `BASCULE_SYNTH_ESTATE` set; a program that honours it (see
`components/estates.py`) declares one estate. The parent decrypts the config once and hands it
to the child over a pipe: never through argv, the environment or a file. The child's snapshot
comes back in an unlinked temporary file, with secrets in their secret form as in any
snapshot. A program that ignores the request gives two full snapshots, and the merge still
equals a single run.

Progress has its own pipe, apart from the child's stderr (which carries the program's own
messages): whole lines of one decimal count each, written by one writer at a time and never
decreasing (`ProgressPipe`). The parent ignores a line that is not a count rather than stop
reading: whatever the child says afterwards still arrives.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from bascule.errors import BadInputError, InternalError
from bascule.snapshot.load import parse_snapshot_text
from bascule.snapshot.model import ROOT_STACK_TYPE, Resource, Snapshot
from bascule.synth.config import Project
from bascule.synth.order import dependency_order

# The protocol with the program: its side is components/estates.py.
SYNTH_ESTATE_ENV = "BASCULE_SYNTH_ESTATE"
SHARDS = ("source", "target")
PARALLEL_ENV = "BASCULE_SYNTH_PARALLEL"
PROGRESS_EVERY = 25  # resources between two progress lines of a child


def parallel_enabled() -> bool:
    """On by default where there are two cores to use; BASCULE_SYNTH_PARALLEL=0 turns it off."""
    if os.environ.get(PARALLEL_ENV, "").strip() == "0":
        return False
    return len(os.sched_getaffinity(0)) >= 2 if hasattr(os, "sched_getaffinity") else False


def synthesize_in_parallel(
    project: Project,
    stack: str,
    config: dict[str, str],
    secret_keys: list[str],
    run_here: Callable[[Callable[[int], None] | None], Snapshot],
    on_resource: Callable[[int], None] | None = None,
) -> Snapshot:
    """The first estate in a child process while `run_here` builds the last one in this one
    (a child's start-up costs about a second: one is enough for two cores)."""
    request = {
        "projectDir": str(project.directory),
        "stack": stack,
        "config": config,
        "secretKeys": secret_keys,
    }
    counter = _Counter(on_resource)
    *elsewhere, here = SHARDS
    children = [_Child(shard, request, counter) for shard in elsewhere]
    try:
        with _requested_estate(here):
            results: list[Snapshot | BaseException] = [run_here(counter.here)]
    except Exception as exc:  # reported after the children's: the order a single run fails in
        results = [exc]
    except BaseException:  # interrupted: stop the children, say nothing of their fate
        for child in children:
            child.stop()
        raise
    results = [child.result() for child in children] + results
    failures = [r for r in results if isinstance(r, BaseException)]
    if failures:
        raise failures[0]
    merged = merge_snapshots([r for r in results if isinstance(r, Snapshot)])
    return replace(
        merged,
        source=f"{project.directory}:{stack}",
        kind="synth",
        project=project.name,
        stack=stack,
        manifest={},
    )


class _Counter:
    """One resource count over every process, for the terminal's live counter. Each
    process's count only goes up (updates from several threads may arrive out of order), so
    their sum never goes back either. Every process registers the root stack first, and the
    merged snapshot holds it once: it is counted once, so the count never passes the number
    of resources written."""

    def __init__(self, show: Callable[[int], None] | None) -> None:
        self._show = show
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()
        self.here = None if show is None else self._here

    @property
    def wanted(self) -> bool:
        return self._show is not None

    def _here(self, count: int) -> None:
        self.update("", count)

    def update(self, shard: str, count: int) -> None:
        if self._show is None:
            return
        with self._lock:
            if count <= self._counts.get(shard, 0):
                return
            self._counts[shard] = count
            self._show(sum(self._counts.values()) - (len(self._counts) - 1))


class ProgressPipe:
    """The child's side of the progress protocol: `report(count)` from any thread writes
    `<count>\n` in one write(2) (a whole line: pipes keep writes under PIPE_BUF in one
    piece), under a lock, and only counts past the last one sent, every PROGRESS_EVERY."""

    def __init__(self, fd: int, every: int = PROGRESS_EVERY) -> None:
        self._fd: int | None = fd
        self._every = every
        self._sent = 0
        self._lock = threading.Lock()

    def report(self, count: int) -> None:
        with self._lock:
            if self._fd is None or count < self._sent + self._every:
                return
            try:
                os.write(self._fd, f"{count}\n".encode())
            except OSError:  # the parent went away: nobody to tell
                self._fd = None
                return
            self._sent = count


@contextmanager
def _requested_estate(shard: str) -> Iterator[None]:
    previous = os.environ.get(SYNTH_ESTATE_ENV)
    os.environ[SYNTH_ESTATE_ENV] = shard
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(SYNTH_ESTATE_ENV, None)
        else:
            os.environ[SYNTH_ESTATE_ENV] = previous


SHARD_COMMAND = (sys.executable, "-m", "bascule.synth.shard")


class _Child:
    """`python -m bascule.synth.shard` for one estate: the request on stdin, the snapshot
    into an unlinked temporary file, its messages on stderr and its progress on a pipe of
    its own (each read as it comes, by its own thread)."""

    def __init__(
        self,
        shard: str,
        request: dict[str, Any],
        counter: _Counter,
        command: Sequence[str] = SHARD_COMMAND,
    ) -> None:
        self.shard = shard
        self._counter = counter
        self._output = tempfile.TemporaryFile()  # noqa: SIM115 (closed by result())
        self._messages: list[str] = []
        progress_in, progress_out = os.pipe()
        try:
            self._process = subprocess.Popen(
                list(command),
                stdin=subprocess.PIPE,
                stdout=self._output,
                stderr=subprocess.PIPE,
                pass_fds=(progress_out,),
                env={**os.environ, SYNTH_ESTATE_ENV: shard},
            )
        finally:
            os.close(progress_out)  # the child holds it now: EOF when it exits
        self._readers = [
            threading.Thread(target=self._read_messages, daemon=True),
            threading.Thread(target=self._read_progress, args=(progress_in,), daemon=True),
        ]
        for reader in self._readers:
            reader.start()
        assert self._process.stdin is not None
        wanted = {"progressFd": progress_out} if counter.wanted else {}
        try:
            self._process.stdin.write(json.dumps({**request, **wanted}).encode())
            self._process.stdin.close()
        except BrokenPipeError:  # it died at start-up: result() reports how
            pass

    def _read_messages(self) -> None:
        assert self._process.stderr is not None
        for raw in self._process.stderr:
            self._messages.append(raw.decode(errors="replace").rstrip("\n"))

    def _read_progress(self, fd: int) -> None:
        with open(fd, "rb") as pipe:
            for raw in pipe:
                text = raw.strip()
                if text.isdigit():  # anything else is not the protocol: skipped, never fatal
                    self._counter.update(self.shard, int(text))

    def _join_readers(self) -> None:
        for reader in self._readers:
            reader.join()

    def kill(self) -> None:
        self._process.kill()

    def stop(self) -> None:
        """Kill and reap it, discarding its output and messages."""
        with self._output:
            self.kill()
            self._process.wait()
            self._join_readers()

    def result(self) -> Snapshot | BaseException:
        with self._output:
            return self._result()

    def _result(self) -> Snapshot | BaseException:

        code = self._process.wait()
        self._join_readers()
        messages = self._messages
        last = next((line for line in reversed(messages) if line.strip()), "")
        # What the program itself printed stays visible, as in a single-process synth.
        for line in messages if code == 0 else messages[:-1]:
            print(line, file=sys.stderr)
        if code == BadInputError.exit_code:
            return BadInputError(last)
        if code != 0:
            return InternalError(f"synth of the {self.shard} estate failed (exit {code}): {last}")
        self._output.seek(0)
        text = self._output.read().decode()
        try:
            return parse_snapshot_text(text, f"synth:{self.shard}")
        except BadInputError as exc:
            return InternalError(f"synth of the {self.shard} estate returned a bad snapshot: {exc}")


def merge_snapshots(snapshots: Sequence[Snapshot]) -> Snapshot:
    """One snapshot from per-estate runs: resources by URN, the stack's outputs joined, in
    the order a single run gives. Two runs disagreeing on a resource is a bug: exit 3."""
    first = snapshots[0]
    merged: dict[str, Resource] = {}
    for snapshot in snapshots:
        for resource in snapshot.resources:
            seen = merged.get(resource.urn)
            if seen is None or seen == resource:
                merged[resource.urn] = resource
            elif resource.type == ROOT_STACK_TYPE:
                merged[resource.urn] = replace(
                    seen, outputs=_join_outputs(resource.urn, seen.outputs, resource.outputs)
                )
            else:
                raise InternalError(f"parallel synth runs disagree on {resource.urn}")
    return replace(first, resources=tuple(merged[urn] for urn in dependency_order(merged)))


def _join_outputs(urn: str, left: Any, right: Any) -> dict[str, Any]:
    joined = dict(left)
    for key, value in right.items():
        if key in joined and joined[key] != value:
            raise InternalError(f"parallel synth runs disagree on output {key!r} of {urn}")
        joined[key] = value
    return dict(sorted(joined.items()))  # as the recording monitor keeps them
