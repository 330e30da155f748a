"""Every rule with a checkov id, through checkov itself: its own fixtures give, on the
resources the Terraform-plan export carries, exactly the findings the pure rule gives with
its default parameters (checkov passes none).

The checks come from the rule metadata (policies/checkov/bascule_checks.py registers one per
`checkov_id`), so a new rule needs no checkov fixture of its own.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest

from bascule.checkov.run import findings
from bascule.export.mapping import TF_TYPES
from bascule.policy.result import PolicyRun
from bascule.rules.base import ResourceView, Rule
from bascule.rules.catalog import ALL_RULES
from bascule.snapshot.load import load_snapshot
from bascule.snapshot.model import UNKNOWN, Resource, Snapshot

DATA = Path(__file__).resolve().parents[2] / "data" / "rules"
TODAY = dt.date(2026, 11, 24)
CHECKED = [rule for rule in ALL_RULES if rule.checkov_id]


pytestmark = pytest.mark.usefixtures("checkov_installed")


def _renamed(resource: Resource, tag: str) -> Resource:
    head, name = resource.urn.rsplit("::", 1)
    return replace(resource, urn=f"{head}::{tag}-{name}")


@pytest.fixture(scope="module")
def merged() -> Snapshot:
    """Every rule's pass and fail fixtures in one snapshot (names prefixed to keep URNs
    unique), as far as the Terraform-plan export carries them: the custom checks are Terraform
    checks (no ARM run). Resources holding a preview unknown are left out: plan JSON has no
    value for an unknown, so checkov cannot tell it from an unset one."""
    resources: list[Resource] = []
    for rule in ALL_RULES:
        for fixture in ("pass", "fail"):
            snapshot = load_snapshot(DATA / rule.id / f"{fixture}.json")
            resources += [
                _renamed(r, f"{rule.id}-{fixture}")
                for r in snapshot.resources
                if r.type in TF_TYPES and UNKNOWN not in json.dumps(r.inputs, default=str)
            ]
    return Snapshot(tuple(resources), "fixtures", "export", "bascule", "dev")


@pytest.fixture(scope="module")
def checkov_run(merged: Snapshot) -> PolicyRun:
    return findings(merged, today=TODAY)


def _rule_findings(rule: Rule, snapshot: Snapshot) -> list[tuple[str, str]]:
    """The oracle: the pure rule on the same resources, as checkov's message joins them."""
    by_urn: dict[str, list[str]] = {}
    for resource in snapshot.resources:
        view = ResourceView(resource.type, resource.inputs, resource.urn, resource.name)
        for message in rule.check_resource(view):
            by_urn.setdefault(resource.urn, []).append(message)
    prefix = f"bascule {rule.id}: {rule.description}: "
    return sorted((urn, prefix + "; ".join(messages)) for urn, messages in by_urn.items())


@pytest.mark.parametrize("rule", CHECKED, ids=[r.id for r in CHECKED])
def test_checkov_check_equals_the_rule_on_every_fixture(
    rule: Rule, merged: Snapshot, checkov_run: PolicyRun
) -> None:
    expected = _rule_findings(rule, merged)
    own = [urn for urn, _ in expected if f"::{rule.id}-fail-" in urn]
    assert own, f"{rule.id}: its fail fixture flags no Terraform-mapped resource"
    found = sorted(
        (v.urn, v.message) for v in checkov_run.violations if v.policy == rule.checkov_id
    )
    assert found == expected


def test_every_checkov_rule_is_reported_under_its_own_check(checkov_run: PolicyRun) -> None:
    assert {i.policy for i in checkov_run.rules_info} >= {r.checkov_id for r in CHECKED}
