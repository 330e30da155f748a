"""Pairing: by name, and the one gateway / audit trail of each estate by role across stacks."""

from __future__ import annotations

from pathlib import Path

from bascule.parity.diff import pair_objects, parity
from bascule.parity.model import CanonicalObject, Capability
from bascule.snapshot.load import load_snapshot
from bascule.snapshot.model import Snapshot

DATA = Path(__file__).resolve().parents[2] / "data" / "parity"
C = Capability


def test_dev_against_prod_compares_one_gateway_and_one_audit_trail(
    prod_snapshot: Snapshot,
) -> None:
    dev = load_snapshot(DATA / "baseline.json")
    report = parity(dev, prod_snapshot)
    singletons = [
        (str(p.capability), p.name, p.source.name if p.source else None,
         p.target.name if p.target else None)
        for p in report.pairs
        if p.capability in (C.GATEWAY, C.LOGGING)
    ]  # fmt: skip
    # Not `hdh-dev-gateway missing` plus `hdh-gateway extra`: one comparison.
    assert singletons == [
        ("gateway", "hdh-gateway", "hdh-dev-gateway", "hdh-gateway"),
        ("logging", "audit-logs", "audit-logs", "audit-logs"),
    ]
    gaps = {g.object: g.to_dict() for g in report.gaps if g.capability in (C.GATEWAY, C.LOGGING)}
    assert gaps == {
        "gateway/hdh-gateway": {
            "kind": "stronger",
            "object": "gateway/hdh-gateway",
            "capability": "gateway",
            "name": "hdh-gateway",
            "fields": {"vcpu": {"source": 2, "target": 8}, "ramGb": {"source": 8, "target": 32}},
            "wave": None,
            "blocking": False,
            "sourceName": "hdh-dev-gateway",
        },
        "logging/audit-logs": {
            "kind": "stronger",
            "object": "logging/audit-logs",
            "capability": "logging",
            "name": "audit-logs",
            "fields": {"retentionDays": {"source": 365, "target": 730}},
            "wave": None,
            "blocking": False,
        },
    }


def objects(*items: CanonicalObject) -> dict[str, CanonicalObject]:
    return {o.key: o for o in items}


def gateway(name: str) -> CanonicalObject:
    return CanonicalObject(C.GATEWAY, name, {"vcpu": 2})


def test_two_gateways_on_one_side_are_not_guessed_at() -> None:
    # Which of two target gateways replaces the source one is not a role question: by name only.
    pairs = pair_objects(objects(gateway("gw")), objects(gateway("gw-a"), gateway("gw-b")))
    assert [(p.name, p.source is not None, p.target is not None) for p in pairs] == [
        ("gw", True, False),
        ("gw-a", False, True),
        ("gw-b", False, True),
    ]


def test_same_name_pairs_by_name_and_role_pairing_ignores_order() -> None:
    same = pair_objects(objects(gateway("gw")), objects(gateway("gw")))
    assert [(p.name, p.renamed) for p in same] == [("gw", None)]
    zone_a = CanonicalObject(C.ZONE, "a", {})
    zone_b = CanonicalObject(C.ZONE, "b", {})
    forward = pair_objects(objects(zone_a, gateway("x")), objects(gateway("y"), zone_b))
    backward = pair_objects(objects(gateway("x"), zone_a), objects(zone_b, gateway("y")))
    assert forward == backward
    # Zones are not singletons: `a` and `b` stay a missing and an extra.
    assert [(str(p.capability), p.name, p.renamed) for p in forward] == [
        ("zone", "a", None),
        ("zone", "b", None),
        ("gateway", "y", "x"),
    ]
