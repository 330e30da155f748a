"""On any other SDK version than the tested one, bascule takes none of its shortcuts through the
SDKs' internals and gets the same results through their public paths."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pulumi.runtime import rpc
from pulumi.runtime.proto import analyzer_pb2_grpc
from pulumi_policy.proxy import (
    UNKNOWN_ARRAY_VALUE,
    UNKNOWN_BOOLEAN_VALUE,
    UNKNOWN_NUMBER_VALUE,
    UNKNOWN_OBJECT_VALUE,
    UNKNOWN_STRING_VALUE,
    UnknownValueError,
    unknown_checking_proxy,
)

import bascule.sdk.synth as sdk_synth
from bascule.policy.analyzer import AnalyzerProcess
from bascule.policy.inprocess import InProcessAnalyzer
from bascule.policy.runner import PolicySession
from bascule.sdk import policy as sdk_policy
from bascule.sdk import versions
from bascule.snapshot.model import Snapshot
from bascule.snapshot.write import snapshot_json
from bascule.synth.run import synthesize

ROOT = Path(__file__).resolve().parents[3]
TODAY = dt.date(2026, 6, 1)
OTHER = "9.99.0"


@pytest.fixture
def other_sdk(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if another pulumi and pulumi-policy were installed."""
    monkeypatch.setattr(versions, "installed", lambda distribution: OTHER)


@pytest.fixture(scope="module")
def dev_snapshot() -> Snapshot:
    return synthesize(ROOT, "dev", parallel=False)


def _pins(text: str) -> dict[str, str]:
    return dict(re.findall(r"^(pulumi|pulumi-policy)==([\w.]+)", text, re.MULTILINE))


def test_the_tested_versions_are_installed_locked_and_pinned_by_the_packs() -> None:
    assert versions.TESTED == {"pulumi": "3.272.0", "pulumi-policy": "1.21.0"}
    assert {d: versions.installed(d) for d in versions.TESTED} == versions.TESTED
    assert _pins((ROOT / "requirements.lock").read_text()) == versions.TESTED
    for pack in ("sovereignty", "protection", "migration"):
        assert _pins((ROOT / "policies" / pack / "requirements.txt").read_text()) == versions.TESTED
    assert versions.installed("no-such-distribution-here") == ""


def test_the_gates_open_on_the_tested_versions_only(other_sdk: None) -> None:
    assert not sdk_synth.internals_usable()
    assert not sdk_policy.in_process_usable()


def test_no_synth_shortcut_on_another_sdk(other_sdk: None) -> None:
    before = (rpc.transfer_properties, rpc.contains_unknowns)
    with sdk_synth.sdk_shortcuts():
        assert (rpc.transfer_properties, rpc.contains_unknowns) == before


def test_the_synth_on_another_sdk_gives_the_same_snapshot(
    dev_snapshot: Snapshot, other_sdk: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def not_taken(func: Any) -> None:
        raise AssertionError("the tested SDK's shortcut ran")

    monkeypatch.setattr(sdk_synth, "fast_run_in_stack", not_taken)
    plain = synthesize(ROOT, "dev", parallel=False)
    assert snapshot_json(plain) == snapshot_json(dev_snapshot)
    assert len(plain.resources) == 211  # dev: interconnect, transfer identities, spoke peerings


PROPS: dict[str, Any] = {
    "name": "vault-1",
    "size": 3.0,
    "enabled": UNKNOWN_BOOLEAN_VALUE,
    "address": UNKNOWN_STRING_VALUE,
    "rules": [{"port": UNKNOWN_NUMBER_VALUE, "cidr": "10.0.0.0/8"}, UNKNOWN_OBJECT_VALUE],
    "tags": {"owner": "hdh", "nested": {"deeper": [UNKNOWN_ARRAY_VALUE, [1.0, None]]}},
    "empty": {},
    "none": None,
}


def test_unwrapping_proxies_by_the_public_interface_gives_the_same_values() -> None:
    proxied = unknown_checking_proxy(PROPS)
    with pytest.raises(UnknownValueError) as unknown:
        proxied["address"]
    assert unknown.value.message == "string value at .address can't be known during preview"
    fast = sdk_policy.unwrap_proxies(proxied)
    public = sdk_policy._unwrap_public(proxied)
    assert fast == public == PROPS
    assert type(public) is dict and type(public["rules"]) is list
    assert type(public["rules"][0]) is dict


def test_plain_values_come_back_as_they_are(other_sdk: None) -> None:
    assert sdk_policy.unwrap_proxies(PROPS) is PROPS
    assert sdk_policy.unwrap_proxies(("a", UNKNOWN_STRING_VALUE)) == ("a", UNKNOWN_STRING_VALUE)
    assert sdk_policy.unwrap_proxies(unknown_checking_proxy(PROPS)) == PROPS


def test_policy_on_another_sdk_runs_each_pack_in_its_process_with_the_same_results(
    dev_snapshot: Snapshot, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with PolicySession(project="bascule", stack="dev", in_process=True) as session:
        assert all(isinstance(p, InProcessAnalyzer) for p in session.processes.values())
        tested = session.run(dev_snapshot, today=TODAY)
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(versions, "installed", lambda distribution: OTHER)
    with PolicySession(project="bascule", stack="dev", in_process=True) as session:
        assert all(isinstance(p, AnalyzerProcess) for p in session.processes.values())
        other = session.run(dev_snapshot, today=TODAY)
    assert capsys.readouterr().err == (
        f"policy: pulumi-policy {OTHER} is not the version bascule's in-process runs were "
        "tested with (1.21.0): each pack runs in its own analyzer process\n"
    )
    assert replace(other, source="") == replace(tested, source="")
    assert len(tested.violations) > 0


def test_the_servicer_capture_is_undone() -> None:
    before = analyzer_pb2_grpc.add_AnalyzerServicer_to_server
    with pytest.raises(sdk_policy.Captured) as captured, sdk_policy.captured_servicer():
        analyzer_pb2_grpc.add_AnalyzerServicer_to_server("servicer", "server")  # type: ignore[arg-type]
    assert captured.value.servicer == "servicer"
    assert analyzer_pb2_grpc.add_AnalyzerServicer_to_server is before
