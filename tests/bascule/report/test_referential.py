"""The SecNumCloud 3.2 requirements data file, the rules' citations and the README count."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bascule.report.common import section_key
from bascule.report.referential import coverage, coverage_markdown, parse_referential, referential
from bascule.rules.catalog import ALL_RULES

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "bascule" / "report" / "secnumcloud-3.2.json"


def test_every_requirement_once_in_order_with_scope_and_evidence() -> None:
    ref = referential()
    ids = [r.id for r in ref.requirements]
    assert len(ids) == 92 == len(set(ids))
    assert ids == sorted(ids, key=section_key)
    assert {r.chapter for r in ref.requirements} == set(ref.chapters)
    assert ref.chapters.keys() == {str(n) for n in range(5, 20)}
    for req in ref.requirements:
        assert re.fullmatch(r"\d{1,2}\.\d{1,2}", req.id)
        assert req.scope in ("tenant", "shared", "provider"), req.id
        assert req.title and req.evidence.endswith("."), req.id
    assert ref == parse_referential(json.loads(DATA.read_text()))


def test_rules_cite_only_requirements_that_apply_to_a_tenant() -> None:
    by_id = referential().by_id()
    for rule in ALL_RULES:
        for section in rule.secnumcloud:
            assert section in by_id, f"{rule.id} cites {section}, not a 3.2 requirement"
            assert by_id[section].applies_to_tenant, f"{rule.id} cites provider-only {section}"


def test_tenant_scope_means_a_rule_checks_part_of_it() -> None:
    # "tenant": the stack can show it, so some rule must; "shared" ones may still be manual.
    cited = {s for rule in ALL_RULES for s in rule.secnumcloud}
    tenant = {r.id for r in referential().requirements if r.scope == "tenant"}
    assert tenant <= cited, f"tenant requirements no rule checks: {sorted(tenant - cited)}"


def test_coverage_counts_per_chapter() -> None:
    rows = coverage(referential(), [rule.secnumcloud for rule in ALL_RULES])
    total = sum(c.applicable for c in rows)
    assert total == sum(1 for r in referential().requirements if r.applies_to_tenant)
    assert all(0 <= c.automated <= c.applicable for c in rows)
    table = coverage_markdown(referential(), [rule.secnumcloud for rule in ALL_RULES])
    assert table.splitlines()[-1].startswith("| **All (92 requirements)** |")
