"""The synth's lean Outputs (one future per property) behave as the SDK's own and change
nothing in a snapshot."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pulumi.runtime import rpc

import bascule.synth.run as synth_run
from bascule.snapshot.model import Snapshot
from bascule.snapshot.write import snapshot_json

ROOT = Path(__file__).resolve().parents[3]


class _Resource:
    """Stands for a Resource: transfer_properties only sets attributes on it."""


def _sdk_transfer() -> Callable[..., dict[str, Any]]:
    return rpc.transfer_properties


def _lean_transfer() -> Callable[..., dict[str, Any]]:
    with synth_run._lean_outputs():
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


def test_the_sdk_is_left_as_it_was() -> None:
    before = rpc.transfer_properties
    with synth_run._lean_outputs():
        assert rpc.transfer_properties is not before
    assert rpc.transfer_properties is before


def test_prod_is_the_same_snapshot_without_them(
    prod_snapshot: Snapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(synth_run, "_lean_outputs", contextlib.nullcontext)
    plain = synth_run.synthesize(ROOT, "prod", parallel=False)
    assert snapshot_json(plain) == snapshot_json(prod_snapshot)
