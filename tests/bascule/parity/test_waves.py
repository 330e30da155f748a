"""The wave plan travels in the stack's `waves` output; bad entries are one line, exit 2."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bascule.errors import BadInputError
from bascule.parity.diff import ParityOptions, parity
from bascule.parity.model import WavePlan
from bascule.parity.waves import first_plan, wave_plan
from bascule.snapshot.load import load_snapshot
from bascule.snapshot.model import ROOT_STACK_TYPE, Resource, Snapshot

DATA = Path(__file__).resolve().parents[2] / "data" / "parity"
BAD_ID = "dev.json: output waves[0].id: expected a wave number (0 or more), got "


def snapshot_with(outputs: dict[str, Any], source: str = "dev.json") -> Snapshot:
    root = Resource("urn:pulumi:dev::bascule::pulumi:pulumi:Stack::bascule-dev", ROOT_STACK_TYPE,
                    custom=False, outputs=outputs)  # fmt: skip
    return Snapshot((root,), source, "export", "bascule", "dev")


def test_the_bundled_stacks_export_their_plan(prod_snapshot: Snapshot) -> None:
    assert wave_plan(load_snapshot(DATA / "baseline.json")) == (
        WavePlan(1, "pilot", "migrating"),
        WavePlan(2, "bulk", "planned"),
    )
    assert wave_plan(prod_snapshot) == (
        WavePlan(1, "pilot", "cutover", "2026-10-05"),
        WavePlan(2, "early-adopters", "parallel", "2027-01-18"),
        WavePlan(3, "bulk", "replicating", "2027-04-12"),
        WavePlan(4, "gpu-and-long-tail", "planned", "2027-07-05"),
    )


def test_read_sorted_any_status_and_json_floats() -> None:
    waves = [
        {"id": 2.0, "name": "bulk", "status": "replicating", "cutoverDate": None},
        {"id": 1, "name": "pilot", "status": "rolled-back", "cutoverDate": "2027-02-28"},
    ]
    assert wave_plan(snapshot_with({"waves": waves})) == (
        WavePlan(1, "pilot", "rolled-back", "2027-02-28"),
        WavePlan(2, "bulk", "replicating"),
    )


def test_an_export_without_the_output_has_no_plan() -> None:
    old, new = snapshot_with({}), snapshot_with({"waves": [{"id": 1}]}, "new.json")
    assert wave_plan(old) is None
    assert wave_plan(snapshot_with({"waves": []})) == ()
    assert first_plan(old, new) == (WavePlan(1),)
    assert first_plan(new, old) == (WavePlan(1),)
    assert first_plan(old, old) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"id": 1}, "dev.json: output waves is not a list"),
        ([3], "dev.json: output waves[0]: not an object"),
        (
            [{"id": "1"}],
            "dev.json: output waves[0].id: expected a wave number (0 or more), got '1'",
        ),
        ([{"id": -3}], "dev.json: output waves[0].id: expected a wave number (0 or more), got -3"),
        (
            [{"id": True}],
            "dev.json: output waves[0].id: expected a wave number (0 or more), got True",
        ),
        (
            [{"id": 1.5}],
            "dev.json: output waves[0].id: expected a wave number (0 or more), got 1.5",
        ),
        ([{"id": 1, "name": 7}], "dev.json: output waves[0].name: expected text, got 7"),
        (
            [{"id": 1, "status": ["x"]}],
            "dev.json: output waves[0].status: expected text, got ['x']",
        ),
        (
            [{"id": 1, "cutoverDate": "05/10/2026"}],
            "dev.json: output waves[0].cutoverDate: expected an ISO date (YYYY-MM-DD), "
            "got '05/10/2026'",
        ),
        (
            [{"id": 1, "cutoverDate": "2026-02-30"}],
            "dev.json: output waves[0].cutoverDate: expected an ISO date (YYYY-MM-DD), "
            "got '2026-02-30'",
        ),
        (
            [{"id": 1}, {"id": 1}],
            "dev.json: output waves[1].id: wave 1 is declared twice",
        ),
    ],
)
def test_bad_entries(value: Any, message: str) -> None:
    with pytest.raises(BadInputError) as err:
        wave_plan(snapshot_with({"waves": value}))
    assert err.value.message == message
    assert err.value.exit_code == 2


def test_readiness_joins_the_plan_and_the_objects() -> None:
    baseline = load_snapshot(DATA / "baseline.json")
    drifted = load_snapshot(DATA / "drifted.json")
    report = parity(baseline, drifted, ParityOptions(plan=wave_plan(drifted)))
    assert [w.to_dict() for w in report.readiness()] == [
        {
            "id": 1, "name": "pilot", "status": "migrating", "cutoverDate": None, "inPlan": True,
            "objects": 7,
            "blocking": ["dataset/snds-extract", "enclave/proj-001", "enclave/proj-002",
                         "enclave/proj-003"],
            "accepted": [], "platformBlocking": [], "verdict": "blocked",
        },
        # Declared, no object in it yet: "empty", never "ready" by default.
        {
            "id": 2, "name": "bulk", "status": "planned", "cutoverDate": None, "inPlan": True,
            "objects": 0, "blocking": [], "accepted": [], "platformBlocking": [],
            "verdict": "empty",
        },
    ]  # fmt: skip
    # --wave 1: wave 2 is out of the report, plan or not.
    limited = parity(baseline, drifted, ParityOptions(wave=1, plan=wave_plan(drifted)))
    assert [w.wave for w in limited.readiness()] == [1]


def test_a_wave_on_objects_but_not_in_the_plan_is_shown_as_such() -> None:
    baseline = load_snapshot(DATA / "baseline.json")
    report = parity(baseline, baseline, ParityOptions(plan=(WavePlan(2, "bulk", "planned"),)))
    first = report.readiness()[0]
    assert (first.wave, first.plan, first.plan_known, first.verdict) == (1, None, True, "ready")
    assert first.to_dict()["inPlan"] is False
