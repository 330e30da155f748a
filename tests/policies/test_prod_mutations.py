"""The synthesized prod stack through every pack: clean as built, and each rule catches its
mutation (one broken resource per rule) on exactly the broken resource's URN.

Each rule's fixture folder declares its mutation (tests/data/rules/<ID>/prod-mutation.json,
see docs/adding-a-rule.md): edits made on the `pulumi stack export` JSON, as a reviewer would
hand-edit an export, then loaded back. `set` and `drop` change inputs and outputs both, so
resource rules (inputs) and stack rules (outputs) see the same broken resource; `add` appends
a resource; `provider` re-points a resource at another provider reference. `reported` is the
URN the rule must flag (default: the first edited URN).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from mutations import Doc, edit_export

from bascule.policy.result import PolicyRun
from bascule.policy.runner import DEFAULT_PACKS, PolicySession
from bascule.rules.catalog import ALL_RULES
from bascule.snapshot.load import load_snapshot
from bascule.snapshot.model import Snapshot
from bascule.snapshot.write import snapshot_json

TODAY = dt.date(2026, 11, 24)
RULES_DATA = Path(__file__).resolve().parents[1] / "data" / "rules"
# prod as it is checked: with its recorded derogations (bascule check prod applies the file).
STACK_CONFIG = [Path(__file__).resolve().parents[2] / "policies" / "config" / "prod.json"]
# What clean prod reports, by design: one advisory. Its target (SNC Cloud Platform, plain
# OpenStack) has no write-once storage, so the audit trail is a versioned Swift container.
BASELINE = {
    (
        "prt-018-audit-log-worm-unavailable",
        "urn:pulumi:prod::bascule::bascule:target:Estate$bascule:target:AuditLog$"
        "openstack:objectstorage/container:Container::hdh-audit-container",
        "advisory",
    )
}


def mutation(rule_id: str) -> Doc:
    return json.loads((RULES_DATA / rule_id / "prod-mutation.json").read_text())


def mutate(doc: Doc, rule_id: str) -> str:
    """Break `doc` as the rule's prod-mutation.json says; the URN the rule must report."""
    spec = mutation(rule_id)
    touched = [edit_export(doc, edit) for edit in spec["edits"]]
    return str(spec.get("reported") or touched[0])


@pytest.fixture(scope="module")
def session() -> Iterator[PolicySession]:
    with PolicySession(DEFAULT_PACKS, project="bascule", stack="prod") as s:
        yield s


@pytest.fixture(scope="module")
def mutated(
    prod_snapshot: Snapshot, session: PolicySession, tmp_path_factory: pytest.TempPathFactory
) -> tuple[PolicyRun, dict[str, str]]:
    doc = json.loads(snapshot_json(prod_snapshot))
    broken = {rule.id: mutate(doc, rule.id) for rule in ALL_RULES}
    path = tmp_path_factory.mktemp("mutations") / "prod-mutated.json"
    path.write_text(json.dumps(doc))
    return session.run(load_snapshot(path), config_files=STACK_CONFIG, today=TODAY), broken


def test_every_rule_declares_a_mutation() -> None:
    for rule in ALL_RULES:
        spec = mutation(rule.id)
        assert set(spec) <= {"description", "reported", "edits"} and spec["edits"], rule.id
        assert spec["description"], rule.id


def test_unmutated_prod_is_clean(prod_snapshot: Snapshot, session: PolicySession) -> None:
    run = session.run(prod_snapshot, config_files=STACK_CONFIG, today=TODAY)
    assert run.resources_analyzed == len(prod_snapshot) > 4000
    assert {(v.policy, v.urn, v.level) for v in run.violations} == BASELINE
    assert len(run.violations) == len(BASELINE) and not run.failed


@pytest.mark.parametrize("rule", ALL_RULES, ids=[r.id for r in ALL_RULES])
def test_mutation_caught_on_its_urn(rule: Any, mutated: tuple[PolicyRun, dict[str, str]]) -> None:
    run, broken = mutated
    baseline = {urn for policy, urn, _ in BASELINE if policy == rule.policy_name}
    urns = sorted({v.urn for v in run.violations if v.policy == rule.policy_name} - baseline)
    assert urns == [broken[rule.id]]
    levels = {v.level for v in run.violations if v.policy == rule.policy_name}
    assert levels == {str(rule.enforcement)}


def test_mutations_trip_no_other_resource(mutated: tuple[PolicyRun, dict[str, str]]) -> None:
    run, broken = mutated
    assert {v.urn for v in run.violations} <= set(broken.values()) | {u for _, u, _ in BASELINE}
    assert run.failed


def test_in_process_path_equals_the_grpc_path(
    prod_snapshot: Snapshot,
    mutated: tuple[PolicyRun, dict[str, str]],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    grpc_run, _ = mutated
    doc = json.loads(snapshot_json(prod_snapshot))
    for rule in ALL_RULES:
        mutate(doc, rule.id)
    path = tmp_path_factory.mktemp("in-process") / "prod-mutated.json"
    path.write_text(json.dumps(doc))
    with PolicySession(DEFAULT_PACKS, project="bascule", stack="prod", in_process=True) as local:
        local_run = local.run(load_snapshot(path), config_files=STACK_CONFIG, today=TODAY)
    # The whole run, field by field (only the snapshot's file name differs).
    assert replace(local_run, source="") == replace(grpc_run, source="")
    assert len(local_run.violations) >= len(ALL_RULES)
