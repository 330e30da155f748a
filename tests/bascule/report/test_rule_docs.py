"""docs/rules/<ID>.md: one page per rule, generated from its metadata and fixtures, in sync."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bascule.report.rule_docs import Example, page_path, pick_examples, rule_page
from bascule.rules.base import Rule
from bascule.rules.catalog import ALL_RULES, rule_by_id

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data" / "rules"
IDS = [rule.id for rule in ALL_RULES]


def _resources(path: Path) -> list[dict]:
    return list(json.loads(path.read_text())["deployment"]["resources"])


def render(rule: Rule) -> str:
    folder = DATA / rule.id
    failing, passing = pick_examples(
        rule,
        _resources(folder / "fail.json"),
        _resources(folder / "pass.json"),
        json.loads((folder / "expected.json").read_text()),
    )
    return rule_page(rule, failing, passing)


@pytest.mark.parametrize("rule", ALL_RULES, ids=IDS)
def test_page_is_in_sync_with_the_rule(rule: Rule) -> None:
    # To refresh: make docs
    page = ROOT / page_path(rule.id)
    assert page.is_file(), f"{page_path(rule.id)} is missing: run make docs"
    assert page.read_text(encoding="utf-8") == render(rule)


def test_no_page_without_a_rule() -> None:
    assert sorted(p.stem for p in (ROOT / "docs" / "rules").glob("*.md")) == sorted(IDS)


def test_page_shows_the_fixture_examples_and_the_metadata() -> None:
    rule = rule_by_id("SOV-001")
    page = render(rule)
    assert page.startswith("# SOV-001: azure-location-allowed\n")
    assert "| SecNumCloud 3.2 | 19.2 (" in page
    assert rule.remediation in page and rule.rationale in page
    expected = json.loads((DATA / "SOV-001" / "expected.json").read_text())
    assert f"- {expected[0]['message']}" in page
    assert page.count("```json") == 2  # a failing and a passing example


def test_secrets_in_an_example_are_masked() -> None:
    secret = {
        "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
        "ciphertext": "v1:AAAA",
    }
    resource = {
        "urn": "urn:pulumi:s::p::pulumi:providers:openstack::os",
        "type": "pulumi:providers:openstack",
        "inputs": {"password": secret, "region": "GRA"},
    }
    rule = rule_by_id("SOV-002")
    bad, good = pick_examples(rule, [resource], [], [{"urn": resource["urn"], "message": "m"}])
    assert bad == Example(
        "pulumi:providers:openstack", "os", {"password": "[secret]", "region": "GRA"}, ("m",)
    )
    assert good is None
    assert "v1:AAAA" not in rule_page(rule, bad, good)


def refresh() -> None:
    """Rewrite every rule's page (and drop pages of rules that no longer exist)."""
    docs = ROOT / "docs" / "rules"
    docs.mkdir(parents=True, exist_ok=True)
    for stale in docs.glob("*.md"):
        if stale.stem not in IDS:
            stale.unlink()
    for rule in ALL_RULES:
        (ROOT / page_path(rule.id)).write_text(render(rule), encoding="utf-8")
