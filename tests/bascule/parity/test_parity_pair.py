"""Parity on the committed snapshot pair (tests/data/parity): the known drifts, exactly."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bascule.parity.diff import AcceptedGap, ParityOptions, Tolerance, parity
from bascule.parity.model import ParityReport
from bascule.snapshot.load import load_snapshot
from bascule.snapshot.model import Snapshot

DATA = Path(__file__).resolve().parents[2] / "data" / "parity"


@pytest.fixture(scope="module")
def baseline() -> Snapshot:
    return load_snapshot(DATA / "baseline.json")


@pytest.fixture(scope="module")
def drifted() -> Snapshot:
    return load_snapshot(DATA / "drifted.json")


def gaps(report: ParityReport) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (str(g.kind), g.object, {k: (d.source, d.target) for k, d in g.fields.items()})
        for g in report.gaps
    ]


def allowances(report: ParityReport) -> list[tuple[str, str, Any, Any, str]]:
    return [(a.object, a.field, a.source, a.target, a.reason) for a in report.allowances]


STRONGER_KEYS = [
    ("stronger", f"key/{name}", {"strengthBits": (128, 256)})
    for name in ("datasets-cmk", "disks-cmk", "pseudo-keys")
]


def test_drifted_pair_exact_gaps(baseline: Snapshot, drifted: Snapshot) -> None:
    report = parity(baseline, drifted)
    assert gaps(report) == [
        ("stronger", "dataset/open-nomenclatures", {"versioning": (False, True)}),
        ("extra", "dataset/scratch", {}),
        ("weaker", "dataset/snds-extract", {"versioning": (True, False)}),
        *STRONGER_KEYS,
        (
            "weaker",
            "enclave/proj-001",
            {
                "ingress": (
                    frozenset({"gateway tcp/22"}),
                    frozenset({"gateway tcp/22", "gateway tcp/8080"}),
                )
            },
        ),
        ("weaker", "enclave/proj-002", {"vcpu": (16, 8), "ramGb": (110, 32)}),
        ("missing", "enclave/proj-003", {}),
    ]
    assert [g.object for g in report.blocking] == [
        "dataset/snds-extract",
        "enclave/proj-001",
        "enclave/proj-002",
        "enclave/proj-003",
    ]
    assert report.failed
    assert report.summary() == {
        "objects": 16,
        "missing": 1,
        "extra": 1,
        "weaker": 3,
        "stronger": 4,
        "accepted": 0,
        "blocking": 4,
    }


def test_same_estates_are_at_parity(baseline: Snapshot) -> None:
    report = parity(baseline, baseline)
    assert not report.failed
    assert gaps(report) == [
        ("stronger", "dataset/open-nomenclatures", {"versioning": (False, True)}),
        *STRONGER_KEYS,
    ]


def test_wave_limit_keeps_zones_keys_and_logging(baseline: Snapshot, drifted: Snapshot) -> None:
    # Every dev enclave and dataset is in wave 1: wave 0 leaves the platform objects only.
    report = parity(baseline, drifted, ParityOptions(wave=0))
    assert {p.capability for p in report.pairs} == {"zone", "key", "gateway", "logging"}
    assert not report.failed


def test_tolerance_and_flavour_rounding(baseline: Snapshot, drifted: Snapshot) -> None:
    loose = ParityOptions(
        tolerances={"vcpu": Tolerance(absolute=8), "ramGb": Tolerance(relative=0.8)}
    )
    report = parity(baseline, drifted, loose)
    assert "enclave/proj-002" not in {g.object for g in report.gaps}
    # At parity, yet smaller: each such value is listed with what made it "ok".
    rounding = (
        "gateway/hdh-dev-gateway", "ramGb", 8, 4,
        "flavour rounding: on Azure, snc.2c4g rounds up to Standard_D2s_v5, the source's size",
    )  # fmt: skip
    assert allowances(report) == [
        ("enclave/proj-002", "vcpu", 16, 8, "tolerance vcpu=8"),
        ("enclave/proj-002", "ramGb", 110, 32, "tolerance ramGb=80%"),
        rounding,
    ]
    assert allowances(parity(baseline, drifted)) == [rounding]
    assert report.to_dict()["allowances"][0] == {
        "object": "enclave/proj-002",
        "field": "vcpu",
        "source": 16,
        "target": 8,
        "reason": "tolerance vcpu=8",
    }
    # Strict: the dev target flavours are smaller than the Azure sizes Azure rounded up to.
    strict = parity(baseline, baseline, ParityOptions(flavour_rounding=False))
    assert [
        (g.object, {k: (d.source, d.target) for k, d in g.fields.items()})
        for g in strict.gaps
        if g.capability in ("enclave", "gateway")
    ] == [
        ("enclave/proj-002", {"vcpu": (16, 8), "ramGb": (110, 64)}),
        ("gateway/hdh-dev-gateway", {"ramGb": (8, 4)}),
    ]
    assert allowances(strict) == []  # nothing rounded, no tolerance: nothing to note


def test_accepted_gap_is_shown_but_not_blocking(baseline: Snapshot, drifted: Snapshot) -> None:
    accepted = (
        AcceptedGap("enclave/proj-003", "project closed, archive kept on the source until 2027"),
        AcceptedGap("enclave/proj-002", "GPU quota: smaller flavour agreed", ("vcpu",)),
    )
    report = parity(baseline, drifted, ParityOptions(accepted=accepted))
    by_object = {g.object: g for g in report.gaps}
    assert by_object["enclave/proj-003"].accepted_reason == accepted[0].reason
    assert not by_object["enclave/proj-003"].blocking
    # Accepting vcpu only does not cover the RAM that is missing too.
    assert by_object["enclave/proj-002"].accepted_reason is None
    assert [g.object for g in report.blocking] == [
        "dataset/snds-extract",
        "enclave/proj-001",
        "enclave/proj-002",
    ]


def test_rotation_lost_on_the_target_is_weaker(baseline: Snapshot) -> None:
    policy = {
        "lifetimeActions": [{"action": {"type": "Rotate"}, "trigger": {"timeAfterCreate": "P90D"}}]
    }

    def rotate(resource: Any) -> Any:
        if not resource.urn.endswith("azure-native:keyvault:Key::datasets-cmk-key"):
            return resource
        properties = {**resource.inputs["properties"], "rotationPolicy": policy}
        return replace(resource, inputs={**resource.inputs, "properties": properties}, outputs={})

    source = replace(baseline, resources=tuple(map(rotate, baseline.resources)))
    gap = next(g for g in parity(source, baseline).gaps if g.object == "key/datasets-cmk")
    assert (gap.kind, {k: (d.source, d.target) for k, d in gap.fields.items()}) == (
        "weaker",
        {"strengthBits": (128, 256), "rotationDays": (90, None)},
    )
