"""The README table of every rule."""

from __future__ import annotations

from collections.abc import Sequence

from bascule.report.common import section_key
from bascule.report.rule_docs import page_path
from bascule.rules.base import Rule


def rules_table_markdown(rules: Sequence[Rule]) -> str:
    lines = [
        "| Rule | Policy | Pack | Severity | Default level | SecNumCloud | HDS | checkov |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for rule in rules:
        sections = ", ".join(sorted(rule.secnumcloud, key=section_key))
        lines.append(
            f"| [{rule.id}]({page_path(rule.id)}) | `{rule.policy_name}` | {rule.pack} | "
            f"{rule.severity} | {rule.enforcement} | {sections} | {', '.join(rule.hds)} | "
            f"{rule.checkov_id or '-'} |"
        )
    return "\n".join(lines) + "\n"
