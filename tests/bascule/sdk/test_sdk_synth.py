"""The synth's shortcuts through the SDK behave as the SDK's own code and change nothing in a
snapshot."""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pulumi.output import Unknown
from pulumi.runtime import rpc

import bascule.synth.run as synth_run
from bascule.sdk import synth as shortcuts
from bascule.snapshot.model import Snapshot
from bascule.snapshot.write import snapshot_json

ROOT = Path(__file__).resolve().parents[3]


class _Resource:
    """Stands for a Resource: transfer_properties only sets attributes on it."""


def _sdk_transfer() -> Callable[..., dict[str, Any]]:
    return rpc.transfer_properties


def _lean_transfer() -> Callable[..., dict[str, Any]]:
    with shortcuts.lean_outputs():
        return rpc.transfer_properties


async def _observe(transfer: Callable[..., dict[str, Any]], failed: Exception | None) -> Any:
    resource, dependency = _Resource(), _Resource()
    resolvers = transfer(resource, {"urn": None, "id": None, "name": None, "tags": None}, True)
    assert sorted(resolvers) == ["name", "tags"]  # urn and id are resolved elsewhere
    resolvers["name"]("vault-1", True, False, {dependency}, failed)
    resolvers["tags"]({"a": "b"}, False, True, set(), failed)
    name, tags = resource.__dict__["name"], resource.__dict__["tags"]
    if failed is not None:
        for output in (name, tags):
            with pytest.raises(type(failed), match=str(failed)):
                await output.future()
        return "failed"
    return (
        await name.future(),
        await name.is_known(),
        await name.is_secret(),
        await name.resources() == {resource, dependency},
        await tags.future(with_unknowns=True),
        await tags.is_known(),
        await tags.is_secret(),
        await tags.resources() == {resource},
    )


def _run(coroutine: Any) -> Any:
    # Not asyncio.run: it would unset the thread's loop, which Pulumi mocks in later tests use.
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(coroutine)
    finally:
        loop.close()


@pytest.mark.parametrize("failed", [None, RuntimeError("register failed")])
def test_lean_outputs_resolve_and_fail_as_the_sdk_outputs(failed: Exception | None) -> None:
    sdk = _run(_observe(_sdk_transfer(), failed))
    lean = _run(_observe(_lean_transfer(), failed))
    assert lean == sdk
    if failed is None:
        assert lean == ("vault-1", True, False, True, {"a": "b"}, False, True, True)


def _cyclic(kind: str) -> Any:
    value: Any = [] if kind == "list" else {}
    if kind == "list":
        value.append(value)
    else:
        value["self"] = value
    return value


_SHARED: list[Any] = [1, 2]
UNKNOWN_CASES = [
    None,
    "vault-1",
    Unknown(),
    [1, "a", None],
    [1, [2, [3, Unknown()]]],
    {"a": {"b": [{"c": 1}]}},
    {"a": {"b": [{"c": Unknown()}]}},
    {"first": _SHARED, "again": _SHARED},
    {"known": _SHARED, "later": [_SHARED, Unknown()]},
    _cyclic("list"),
    _cyclic("dict"),
    [_cyclic("dict"), Unknown()],
    ("tuples", "are", "not", "walked", Unknown()),
]


@pytest.mark.parametrize("value", UNKNOWN_CASES)
def test_unknown_checks_answer_as_the_sdk(value: Any) -> None:
    sdk = rpc.contains_unknowns(value)
    with shortcuts.acyclic_unknown_checks():
        assert rpc.contains_unknowns is not sdk
        assert rpc.contains_unknowns(value) is sdk


def test_unknown_checks_leave_no_cycles_for_the_collector() -> None:
    value = {"a": [1, {"b": "c"}], "d": Unknown()}

    def garbage_after(calls: int) -> int:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            gc.collect()
            for _ in range(calls):
                rpc.contains_unknowns(value)
            return gc.collect()
        finally:
            if was_enabled:
                gc.enable()

    assert garbage_after(100) >= 100  # the SDK's closure: one cycle per call
    with shortcuts.acyclic_unknown_checks():
        assert garbage_after(100) == 0


@pytest.mark.parametrize(
    ("shortcut", "attribute"),
    [
        (shortcuts.lean_outputs, "transfer_properties"),
        (shortcuts.acyclic_unknown_checks, "contains_unknowns"),
    ],
)
def test_the_sdk_is_left_as_it_was(shortcut: Callable[[], Any], attribute: str) -> None:
    before = getattr(rpc, attribute)
    with shortcut():
        assert getattr(rpc, attribute) is not before
    assert getattr(rpc, attribute) is before


def test_prod_is_the_same_snapshot_without_them(
    prod_snapshot: Snapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(synth_run, "sdk_shortcuts", contextlib.nullcontext)
    plain = synth_run.synthesize(ROOT, "prod", parallel=False)
    assert snapshot_json(plain) == snapshot_json(prod_snapshot)
