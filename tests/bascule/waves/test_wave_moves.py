"""Wave moves between two plans: the lifecycle's transitions, and every refusal named."""

from __future__ import annotations

from typing import Any

import pytest

from bascule.errors import BadInputError
from bascule.snapshot.model import Resource, Snapshot
from bascule.waves.plan import moves, plan_entries


def _plan(*statuses: str) -> list[dict[str, Any]]:
    return [{"id": i, "name": f"w{i}", "status": s} for i, s in enumerate(statuses, 1)]


def _lines(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[str]:
    return [m.line() for m in moves(old, new)]


def test_each_lifecycle_step_is_legal() -> None:
    old = _plan("planned", "replicating", "parallel", "cutover", "cutover", "rolled-back")
    new = _plan(
        "replicating", "parallel", "cutover", "decommissioned", "rolled-back", "replicating"
    )
    assert _lines(old, new) == [
        "wave 1 w1: planned -> replicating  ok: a lifecycle move",
        "wave 2 w2: replicating -> parallel  ok: a lifecycle move",
        "wave 3 w3: parallel -> cutover  ok: a lifecycle move; needs a CNIL sign-off",
        "wave 4 w4: cutover -> decommissioned  ok: a lifecycle move; needs a CNIL sign-off",
        "wave 5 w5: cutover -> rolled-back  ok: a lifecycle move",
        "wave 6 w6: rolled-back -> replicating  ok: a lifecycle move",
    ]


def test_jumps_and_dead_ends_are_refused() -> None:
    old = _plan("planned", "decommissioned", "parallel", "rolled-back")
    new = _plan("cutover", "replicating", "replicating", "parallel")
    assert _lines(old, new) == [
        "wave 1 w1: planned -> cutover  REFUSED: skips steps; the lifecycle goes planned -> "
        "replicating -> parallel -> cutover",
        "wave 2 w2: decommissioned -> replicating  REFUSED: there is no way from decommissioned "
        "to replicating",
        "wave 3 w3: parallel -> replicating  REFUSED: skips steps; the lifecycle goes parallel -> "
        "cutover -> rolled-back -> replicating",
        "wave 4 w4: rolled-back -> parallel  REFUSED: skips steps; the lifecycle goes rolled-back "
        "-> replicating -> parallel",
    ]
    assert [m.legal for m in moves(old, new)] == [False] * 4


def test_waves_enter_planned_and_leave_decommissioned() -> None:
    old = _plan("decommissioned", "cutover")
    new = [
        {"id": 3, "name": "late", "status": "replicating"},
        {"id": 4, "name": "new", "status": "planned"},
    ]
    assert _lines(old, new) == [
        "wave 1 w1: decommissioned -> (removed)  ok: done",
        "wave 2 w2: cutover -> (removed)  REFUSED: only a decommissioned wave leaves the plan",
        "wave 3 late: (new) -> replicating  REFUSED: a new wave starts planned",
        "wave 4 new: (new) -> planned  ok: a new wave",
    ]


def _snapshot(outputs: dict[str, Any]) -> Snapshot:
    root = Resource("urn:pulumi:prod::bascule::pulumi:pulumi:Stack::bascule-prod",
                    "pulumi:pulumi:Stack", False, outputs=outputs)  # fmt: skip
    return Snapshot((root,), source="old.json", kind="export")


def test_plan_entries_read_floats_and_sort() -> None:
    snapshot = _snapshot(
        {"waves": [{"id": 2.0, "status": "cutover"}, {"id": 1, "status": "planned"}]}
    )
    assert [(e["id"], e["status"]) for e in plan_entries(snapshot, "old.json")] == [
        (1, "planned"),
        (2, "cutover"),
    ]


@pytest.mark.parametrize(
    ("outputs", "message"),
    [
        ({}, "old.json: the stack exports no `waves` output (the wave plan)"),
        ({"waves": ["x"]}, "old.json: waves[0] is not a mapping"),
        ({"waves": [{"id": "one"}]}, "old.json: waves[0].id is 'one', not a wave number"),
        (
            {"waves": [{"id": 1, "status": "migrating"}]},
            "old.json: waves[0] (wave 1) has status 'migrating', not one of planned, "
            "replicating, parallel, cutover, decommissioned, rolled-back",
        ),
    ],
)
def test_plan_entries_bad_input(outputs: dict[str, Any], message: str) -> None:
    with pytest.raises(BadInputError) as caught:
        plan_entries(_snapshot(outputs), "old.json")
    assert caught.value.message == message
    assert caught.value.exit_code == 2
