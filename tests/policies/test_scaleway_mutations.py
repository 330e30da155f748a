"""The prod mutation test's Scaleway twin: the synthesized `scaleway` stack (the prod estate
with its target on Scaleway fr-par) through every pack, with its recorded derogation: clean
as built but for what only Scaleway's evidence can show, and each rule that covers Scaleway
types catches its mutation on exactly the broken resource.

Each such rule declares its mutation in tests/data/rules/<ID>/scaleway-mutation.json (the
format of prod-mutation.json, tests/policies/mutations.py). `reported` is the URN, or the
URNs, the rule must flag (default: the first edited URN). The mutations are applied together
in one export; one marked `alone` gets a run of its own, and names in `alsoTrips` the rules
it trips by design (breaking one end of the interconnect also makes the two ends differ,
MIG-013).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mutations import Doc, edit_export

from bascule.policy.result import PolicyRun
from bascule.policy.runner import DEFAULT_PACKS, PolicySession
from bascule.rules.base import Rule
from bascule.rules.catalog import ALL_RULES
from bascule.snapshot.load import load_snapshot
from bascule.snapshot.model import Snapshot
from bascule.snapshot.write import snapshot_json
from bascule.synth import synthesize

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 1)
RULES_DATA = ROOT / "tests" / "data" / "rules"
STACK_CONFIG = [ROOT / "policies" / "config" / "scaleway.json"]
SPEC = "scaleway-mutation.json"
# Rules whose kinds include Scaleway types but that no edit of the scaleway export can trip,
# and why (anything else that covers Scaleway must declare a mutation).
NO_MUTATION = {
    "SOV-011": "Scaleway Cloud has no visa to end; the registry's age is not in the export",
    "PRT-018": "Scaleway has object lock: a Scaleway estate is never excused from PRT-017",
}
# What clean scaleway reports, by design: the advisory of every block volume and sbs root
# (no encryption setting to read), nothing else.
MANUAL = "prt-023-block-encryption-evidence-manual"


def covers_scaleway(rule: Rule) -> bool:
    return any(kind != "*" and kind.startswith("scaleway") for kind in rule.applies_to) or any(
        kind == "pulumi:providers:scaleway" for kind in rule.applies_to
    )


def spec(rule_id: str) -> Doc:
    return json.loads((RULES_DATA / rule_id / SPEC).read_text())


def reported(rule_id: str, touched: list[str]) -> list[str]:
    wanted = spec(rule_id).get("reported") or touched[0]
    return sorted([wanted] if isinstance(wanted, str) else wanted)


MUTATED = [rule for rule in ALL_RULES if (RULES_DATA / rule.id / SPEC).exists()]


@pytest.fixture(scope="module")
def scaleway_snapshot() -> Snapshot:
    return synthesize(ROOT, "scaleway")


@pytest.fixture(scope="module")
def session() -> Iterator[PolicySession]:
    with PolicySession(DEFAULT_PACKS, project="bascule", stack="scaleway", in_process=True) as s:
        yield s


@pytest.fixture(scope="module")
def clean(scaleway_snapshot: Snapshot, session: PolicySession) -> PolicyRun:
    return session.run(scaleway_snapshot, config_files=STACK_CONFIG, today=TODAY)


def _run(
    snapshot: Snapshot, session: PolicySession, rules: list[Rule], folder: Path
) -> tuple[PolicyRun, dict[str, list[str]]]:
    doc = json.loads(snapshot_json(snapshot))
    broken = {}
    for rule in rules:
        touched = [edit_export(doc, edit) for edit in spec(rule.id)["edits"]]
        broken[rule.id] = reported(rule.id, touched)
    path = folder / "scaleway-mutated.json"
    path.write_text(json.dumps(doc))
    return session.run(load_snapshot(path), config_files=STACK_CONFIG, today=TODAY), broken


@pytest.fixture(scope="module")
def mutated(
    scaleway_snapshot: Snapshot, session: PolicySession, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[PolicyRun, list[str]]]:
    """Rule id -> (the run its mutation was in, the URNs it must flag)."""
    together = [rule for rule in MUTATED if not spec(rule.id).get("alone")]
    batches = [together] + [[rule] for rule in MUTATED if spec(rule.id).get("alone")]
    out = {}
    for index, batch in enumerate(batches):
        folder = tmp_path_factory.mktemp(f"scaleway-mutations-{index}")
        run, broken = _run(scaleway_snapshot, session, batch, folder)
        out.update({rule.id: (run, broken[rule.id]) for rule in batch})
    return out


def test_every_rule_that_covers_scaleway_declares_a_mutation() -> None:
    covering = {rule.id for rule in ALL_RULES if covers_scaleway(rule)}
    assert {rule.id for rule in MUTATED} == covering - set(NO_MUTATION)
    assert set(NO_MUTATION) <= covering
    for rule in MUTATED:
        doc = spec(rule.id)
        assert set(doc) <= {"description", "reported", "edits", "alone", "alsoTrips"}
        assert doc["edits"] and (doc.get("alone") or not doc.get("alsoTrips"))
        assert doc["description"], rule.id


def test_unmutated_scaleway_is_clean_with_its_derogation(
    clean: PolicyRun, scaleway_snapshot: Snapshot
) -> None:
    assert clean.resources_analyzed == len(scaleway_snapshot) > 3000
    assert clean.mandatory == () and not clean.failed
    assert {v.policy for v in clean.advisory} == {MANUAL}
    volumes = [r for r in scaleway_snapshot if r.type == "scaleway:block/volume:Volume"]
    roots = [
        r
        for r in scaleway_snapshot
        if r.type == "scaleway:instance/server:Server"
        and (r.inputs.get("rootVolume") or {}).get("volumeType") == "sbs_volume"
    ]
    assert len(clean.advisory) == len(volumes) + len(roots) > 321
    # The derogation: SOV-010 on the Scaleway provider (in qualification), shown and active.
    statuses = sorted((s.suppression.policy, s.status) for s in clean.suppressions)
    assert ("sov-010-target-offer-qualified", "active") in statuses
    derogated = [
        s.violation.urn.rsplit("::", 1)[-1]
        for s in clean.suppressed
        if s.violation.policy == "sov-010-target-offer-qualified"
    ]
    assert derogated == ["target-scaleway"]


def test_the_derogation_expires(scaleway_snapshot: Snapshot, session: PolicySession) -> None:
    run = session.run(scaleway_snapshot, config_files=STACK_CONFIG, today=dt.date(2027, 7, 1))
    found = sorted((v.rule_id, v.urn.rsplit("::", 1)[-1]) for v in run.mandatory)
    # The accepted risk on Scaleway's project-wide IAM (expires 2027-03-31) is back too: the
    # transfer applications of waves 2 and 3 can write the project's unfenced buckets.
    unfenced = ["cohorte-constances", "hdh-audit", "nomenclatures", "open-indicators"]
    unfenced += ["project-extracts"]
    assert found == [
        *[("MIG-015", f"{bucket}-bucket") for bucket in sorted(unfenced) for _ in (2, 3)],
        ("SOV-010", "target-scaleway"),
    ]


@pytest.mark.parametrize("rule", MUTATED, ids=[r.id for r in MUTATED])
def test_mutation_caught_on_its_urn(
    rule: Any, clean: PolicyRun, mutated: dict[str, tuple[PolicyRun, list[str]]]
) -> None:
    run, broken = mutated[rule.id]
    baseline = {v.urn for v in clean.violations if v.policy == rule.policy_name}
    urns = sorted({v.urn for v in run.violations if v.policy == rule.policy_name} - baseline)
    assert urns == broken
    levels = {v.level for v in run.violations if v.policy == rule.policy_name}
    assert levels == {str(rule.enforcement)}


def test_mutations_trip_no_other_resource(
    clean: PolicyRun, mutated: dict[str, tuple[PolicyRun, list[str]]]
) -> None:
    baseline = {(v.policy, v.urn) for v in clean.violations}
    runs: dict[int, tuple[PolicyRun, set[str], set[str]]] = {}
    for rule_id, (run, urns) in mutated.items():
        held = runs.setdefault(id(run), (run, set(), set()))
        held[1].update(urns)
        held[2].update(spec(rule_id).get("alsoTrips", []))
    for run, broken, also in runs.values():
        extra = {(v.rule_id, v.urn) for v in run.violations if (v.policy, v.urn) not in baseline}
        assert {urn for rule_id, urn in extra if rule_id not in also} <= broken
        assert {rule_id for rule_id, urn in extra if urn not in broken} <= also
        assert run.failed
