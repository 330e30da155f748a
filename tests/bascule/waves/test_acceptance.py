"""Each wave's acceptance tests on the MIG-018 passing fixture (cut from the synthesized dev
stack: wave 1 replicating with its transfer identities, wave 2 planned, no interconnect)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from bascule.parity.model import Capability, Gap, GapKind
from bascule.policy.result import Violation
from bascule.snapshot.load import load_snapshot
from bascule.waves.acceptance import Inputs, accept_wave
from bascule.waves.evidence import Evidence
from bascule.waves.plan import plan_entries

FIXTURE = Path(__file__).resolve().parents[2] / "data" / "rules" / "MIG-018" / "pass.json"
TODAY = dt.date(2026, 11, 24)
CRED = (
    "urn:pulumi:dev::bascule::bascule:target:Estate$bascule:target:TransferIdentity$openstack:"
    "identity/applicationCredential:ApplicationCredential::hdh-dev-wave1-datasets-transfer"
)


def _inputs(**changes: object) -> Inputs:
    base = Inputs(load_snapshot(FIXTURE), (), (), {}, TODAY)
    return replace(base, **changes)  # type: ignore[arg-type]


def _cases(entry: dict[str, object], inputs: Inputs) -> list[tuple[str, str, str]]:
    return [(c.name, c.status, c.message) for c in accept_wave(entry, inputs).cases]


def _entries() -> list[dict[str, object]]:
    return [dict(e) for e in plan_entries(load_snapshot(FIXTURE), "fixture")]


def test_replicating_wave_without_an_interconnect_is_not_accepted() -> None:
    wave1 = _entries()[0]
    result = accept_wave(wave1, _inputs())
    assert (result.id, result.name, result.status, result.failed) == (
        1,
        "pilot",
        "replicating",
        True,
    )
    assert _cases(wave1, _inputs()) == [
        ("parity", "passed", "no blocking gap on the wave's objects"),
        ("policy", "passed", "no mandatory violation on the wave's resources"),
        (
            "transfer-identities",
            "passed",
            "2 read-only source and 2 write-only target identities, scoped",
        ),
        ("interconnect", "failed", "replicating: the stack declares no interconnect"),
        ("sign-offs", "passed", "as replicating requires (recorded: none)"),
        ("transfer-evidence", "skipped", "replicating: not required yet"),
        ("rollback-path", "passed", "replicating: the source is still authoritative"),
    ]


def test_planned_wave_needs_no_tunnel_and_no_identity() -> None:
    wave2 = _entries()[1]
    assert accept_wave(wave2, _inputs()).failed is False
    cases = {name: (status, msg) for name, status, msg in _cases(wave2, _inputs())}
    assert cases["transfer-identities"] == ("passed", "none, as planned requires")
    assert cases["interconnect"] == ("skipped", "planned: no data moves, no tunnel needed")


def test_gaps_violations_and_scoping_fail_their_tests() -> None:
    wave1 = _entries()[0]
    gap = Gap(GapKind.WEAKER, Capability.DATASET, "snds-extract", wave=1)
    other = Gap(GapKind.WEAKER, Capability.DATASET, "later", wave=2)
    scoped = Violation("mig-015-transfer-target-write-scoped", "MIG-015", "migration", CRED,
                       "mandatory", "high", "accessRules[3].method is 'DELETE': ...")  # fmt: skip
    stack = Violation("mig-019-cutover-signed-off", "MIG-019", "migration", "", "mandatory",
                      "critical", "wave 1 is cutover without a CNIL sign-off")  # fmt: skip
    cases = _cases(wave1, _inputs(gaps=(gap, other), violations=(scoped, stack)))
    assert cases[0] == ("parity", "failed", "1 blocking gap(s): dataset/snds-extract")
    assert cases[1] == ("policy", "failed", "2 mandatory violation(s) (MIG-015, MIG-019)")
    assert cases[2] == ("transfer-identities", "failed", "not scoped: MIG-015")


def test_cutover_needs_cnil_sign_off_and_the_verified_manifest() -> None:
    wave1 = {**_entries()[0], "status": "cutover", "cutoverDate": "2026-11-02"}
    cases = {name: (status, msg) for name, status, msg in _cases(wave1, _inputs())}
    assert cases["sign-offs"] == ("failed", "wave 1 is cutover without a CNIL sign-off")
    assert cases["transfer-evidence"] == (
        "failed",
        "cutover: no transfer verification manifest cited (transferEvidence)",
    )
    assert cases["transfer-identities"] == (
        "failed",
        "cutover: no transfer identity should exist, found hdh-dev-wave1-datasets-transfer, "
        "hdh-dev-wave1-datasets-transfer, hdh-dev-wave1-pseudonymisation-keys-transfer and 1 more",
    )
    signed = {
        **wave1,
        "signOffs": [{"authority": "CNIL", "reference": "DR-2026-118", "date": "2026-10-28"}],
    }
    good = Evidence("out/transfer/dev-wave1/verification/manifest.json", "ab" * 32)
    bad = Evidence("m.json", "cd" * 32, ("it verifies wave 2, not wave 1",))
    cases = {n: (s, m) for n, s, m in _cases(signed, _inputs(evidence={1: good}))}
    assert cases["sign-offs"] == ("passed", "as cutover requires (recorded: CNIL)")
    assert cases["transfer-evidence"] == (
        "passed",
        f"manifest: out/transfer/dev-wave1/verification/manifest.json sha256 {'ab' * 32}",
    )
    assert cases["rollback-path"][0] == "passed"
    assert cases["rollback-path"][1].startswith("3 source account(s) kept")
    cases = {n: (s, m) for n, s, m in _cases(signed, _inputs(evidence={1: bad}))}
    assert cases["transfer-evidence"] == ("failed", "it verifies wave 2, not wave 1")


def test_decommissioned_has_no_way_back() -> None:
    wave = {**_entries()[1], "status": "decommissioned"}
    cases = {name: (status, msg) for name, status, msg in _cases(wave, _inputs())}
    assert cases["rollback-path"] == (
        "skipped",
        "decommissioned: the source is gone (no way back)",
    )
