"""The synth's shortcuts through the `pulumi` runtime under mocks: same snapshot, less time and
memory. Each is taken only on the tested `pulumi` (`versions.TESTED`) and undone on exit; on
any other version the synth runs the SDK's own code. Tests hold each shortcut to the SDK's own
behaviour and the prod snapshot to byte equality with and without them.

Each function imports the pulumi names it uses: importing this module loads no SDK (start-up
time: a synth served from the cache loads no pulumi), and a private name missing from another
version fails only where it is used, behind the version check."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bascule.sdk import versions


def internals_usable() -> bool:
    return versions.internals_usable("pulumi")


def install_mocks(mocks: Any, monitor: Any, project: str, stack: str, root: Path) -> None:
    """`set_mocks` for a program run by `run_in_stack` (which creates the root Stack itself:
    `set_mocks` would create one when there is none)."""
    from pulumi.runtime import settings
    from pulumi.runtime.mocks import set_mocks

    settings.ROOT.set(object())  # type: ignore[arg-type]
    set_mocks(mocks, project=project, stack=stack, preview=False, monitor=monitor)
    settings.ROOT.set(None)
    settings.SETTINGS.outputs = set()
    settings.SETTINGS.root_directory = str(root)


@contextmanager
def sdk_shortcuts() -> Iterator[None]:
    if not internals_usable():
        yield
        return
    with no_source_positions(), lean_outputs(), acyclic_unknown_checks():
        yield


async def run_in_stack(func: Callable[[], None]) -> None:
    """`pulumi.runtime.run_in_stack(func)`; on the tested SDK with a faster wait for the
    outstanding work (the SDK's is quadratic: minutes for a few thousand resources)."""
    if internals_usable():
        await fast_run_in_stack(func)
        return
    from pulumi.runtime import run_in_stack as sdk_run_in_stack

    await sdk_run_in_stack(func)


async def fast_run_in_stack(func: Callable[[], None]) -> None:
    """The SDK's `run_in_stack`, but its `wait_for_rpcs` (a loop on
    `asyncio.wait(FIRST_COMPLETED)` over every pending output) replaced by gathering the
    whole pending set each round: linear in practice (rounds = dependency depth). The mock
    monitor's shutdown signal, which it skips, is a no-op."""
    from pulumi.runtime import settings
    from pulumi.runtime.stack import Stack

    await settings._load_monitor_feature_support()
    error: BaseException | None = None
    try:
        stack = Stack()
        try:
            func()
            program = stack._take_async_program()
            if program is not None:
                stack._add_program_outputs(await program())
        finally:
            stack._finish()
    except BaseException as exc:  # re-raised once the outstanding work has settled
        error = exc
    try:
        await _drain(settings)
    finally:
        await settings._shutdown_callbacks()
    if error is not None:
        raise error


async def _drain(settings: Any) -> None:
    """Wait for every outstanding RPC and output task, re-raising the first failure."""
    rpc_manager = settings.SETTINGS.rpc_manager
    while True:
        while rpc_manager.rpcs:
            await asyncio.sleep(0)
            await rpc_manager.rpcs.pop()
        if rpc_manager.unhandled_exception is not None:
            raise rpc_manager.unhandled_exception.with_traceback(rpc_manager.exception_traceback)
        while True:
            with settings.SETTINGS.lock:
                pending = list(settings.SETTINGS.outputs)
                settings.SETTINGS.outputs.clear()
            if not pending:
                break
            await asyncio.gather(*pending)
        if not rpc_manager.rpcs:
            break


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

    def resolve(
        res: Any,
        data: Any,
        value: Any,
        is_known: bool,
        is_secret: bool,
        deps: Any,
        failed: Exception | None,
    ) -> None:
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
