"""The documentation page of one rule (`docs/rules/<ID>.md`), from its metadata and fixtures.

Pure: the caller reads the rule's fixture files (tests/data/rules/<ID>/) and passes them in;
`tests/test_rule_docs.py` keeps the committed pages equal to what this renders (`make docs`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bascule.report.common import HDS_TITLES, section_key
from bascule.report.referential import referential
from bascule.rules.base import Rule
from bascule.rules.props import SECRET_SIG_KEY

DOCS_DIR = "docs/rules"


def page_path(rule_id: str) -> str:
    """Where the page lives, relative to the project root (SARIF helpUri points here)."""
    return f"{DOCS_DIR}/{rule_id}.md"


@dataclass(frozen=True)
class Example:
    """One resource of a fixture, with what the rule says about it."""

    type: str
    name: str
    properties: Mapping[str, Any]  # as the page shows them, secrets masked
    messages: tuple[str, ...] = ()  # the fixture's expected findings; () for a passing one


def _masked(value: Any) -> Any:
    if isinstance(value, Mapping):
        if SECRET_SIG_KEY in value:
            return "[secret]"
        return {str(k): _masked(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_masked(v) for v in value]
    return value


def _props(resource: Mapping[str, Any], rule: Rule) -> Mapping[str, Any]:
    if rule.kind == "stack":
        return resource.get("outputs") or resource.get("inputs") or {}
    return resource.get("inputs") or {}


def pick_examples(
    rule: Rule,
    failing: Sequence[Mapping[str, Any]],
    passing: Sequence[Mapping[str, Any]],
    expected: Sequence[Mapping[str, Any]],
) -> tuple[Example, Example | None]:
    """The first resource the failing fixture's expected findings name (with its messages)
    and its counterpart in the passing fixture (same type, same name if there is one)."""
    by_urn = {str(r["urn"]): r for r in failing}
    flagged = next(r for r in failing if any(e.get("urn") == r["urn"] for e in expected))
    messages = tuple(str(e["message"]) for e in expected if e.get("urn") == flagged["urn"])
    name = str(flagged["urn"]).rsplit("::", 1)[-1]
    bad = Example(
        str(flagged["type"]), name, _masked(_props(by_urn[flagged["urn"]], rule)), messages
    )
    same_type = [r for r in passing if r["type"] == flagged["type"]]
    counterpart = next(
        (r for r in same_type if str(r["urn"]).rsplit("::", 1)[-1] == name),
        same_type[0] if same_type else None,
    )
    if counterpart is None:
        return bad, None
    good_name = str(counterpart["urn"]).rsplit("::", 1)[-1]
    good = Example(str(counterpart["type"]), good_name, _masked(_props(counterpart, rule)))
    return bad, good


def _sections(rule: Rule) -> str:
    titles = {r.id: r.title for r in referential().requirements}
    keys = sorted(rule.secnumcloud, key=section_key)
    return ", ".join(f"{s} ({titles[s]})" if s in titles else s for s in keys)


def _hds(rule: Rule) -> str:
    return ", ".join(f"{h} ({HDS_TITLES[h]})" if h in HDS_TITLES else h for h in rule.hds)


def _example(title: str, example: Example, kind: str) -> list[str]:
    side = "outputs" if kind == "stack" else "inputs"
    lines = [
        f"## {title}",
        "",
        f"`{example.type}` named `{example.name}` ({side}):",
        "",
        "```json",
        json.dumps(example.properties, indent=2, sort_keys=True),
        "```",
        "",
    ]
    if example.messages:
        lines += ["Reported:", ""] + [f"- {m}" for m in example.messages] + [""]
    return lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _params(rule: Rule) -> list[str]:
    if not rule.params:
        return []
    lines = ["## Parameters", "", "| name | default | description |", "|---|---|---|"]
    for name, param in rule.params.items():
        default = _cell(json.dumps(param.default))
        lines.append(f"| `{name}` | `{default}` | {_cell(param.description)} |")
    return [*lines, ""]


def rule_page(rule: Rule, failing: Example, passing: Example | None) -> str:
    """The Markdown page of one rule."""
    lines = [
        f"# {rule.id}: {rule.slug}",
        "",
        f"<!-- Generated from bascule/rules and tests/data/rules/{rule.id}/ by `make docs`. -->",
        "",
        "| | |",
        "|---|---|",
        f"| Policy | `{rule.policy_name}` |",
        f"| Pack | {rule.pack} |",
        f"| Kind | {rule.kind} rule |",
        f"| Severity | {rule.severity} |",
        f"| Default level | {rule.enforcement} |",
        f"| SecNumCloud 3.2 | {_sections(rule)} |",
        f"| HDS | {_hds(rule)} |",
        f"| Examines | {', '.join(f'`{k}`' for k in rule.applies_to)} |",
        f"| checkov | {f'`{rule.checkov_id}`' if rule.checkov_id else 'no check'} |",
        "",
        "## What it checks",
        "",
        rule.description,
        "",
        "## Why",
        "",
        rule.rationale,
        "",
        "## How to fix",
        "",
        rule.remediation,
        "",
        *_params(rule),
        *_example("Failing example", failing, rule.kind),
    ]
    if passing is not None:
        lines += _example("Passing example", passing, rule.kind)
    return "\n".join(lines).rstrip("\n") + "\n"
