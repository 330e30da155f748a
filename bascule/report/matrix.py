"""Markdown compliance matrix: every SecNumCloud 3.2 requirement that applies to an IaaS
tenant (bascule/report/secnumcloud-3.2.json), with the rules that automate it and their
result, or MANUAL; the evidence a reviewer collects for each; then the HDS points."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from bascule.files import shown_path
from bascule.policy.result import PolicyRun, RuleInfo
from bascule.report.common import HDS_TITLES, section_key
from bascule.report.offers import offers_table
from bascule.report.referential import Referential, referential
from bascule.rules.base import MANUAL_EVIDENCE_TAG


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _status(infos: Sequence[RuleInfo], run: PolicyRun) -> tuple[int, str]:
    policies = {i.policy for i in infos}
    manual = {i.policy for i in infos if MANUAL_EVIDENCE_TAG in i.tags}
    active = [i for i in infos if i.level != "disabled"]
    violations = [v for v in run.violations if v.policy in policies]
    violating = len({v.urn for v in violations})
    if not active:
        return violating, "MANUAL" if not infos else "disabled"
    if any(v.level == "mandatory" for v in violations):
        return violating, "FAIL"
    if any(v.policy not in manual for v in violations):
        return violating, "WARN"
    if violations:  # only what a manual-evidence rule cannot verify: never a pass
        return violating, "MANUAL"
    unchecked = {i.policy for i in run.nothing_to_check}
    if all(i.policy in unchecked for i in active):
        return violating, "NO RESOURCE"
    return violating, "PASS"


def _checked(infos: Sequence[RuleInfo], run: PolicyRun) -> int:
    """Distinct resources of the kinds the section's rules examine."""
    if not infos:
        return 0
    if any(i.policy not in run.checked for i in infos):  # a foreign pack's rule: all of them
        return run.resources_analyzed
    return len(frozenset().union(*(run.checked[i.policy] for i in infos)))


def _table(
    title: str,
    keys: Sequence[str],
    titles: Mapping[str, str],
    rules_of: Callable[[str], list[RuleInfo]],
    run: PolicyRun,
) -> list[str]:
    lines = [
        f"## {title}",
        "",
        "| Section | Requirement | Rules | Resources checked | Violating | Suppressed | Status |",
        "|---|---|---|---:|---:|---:|---|",
    ]
    for key in keys:
        infos = rules_of(key)
        violating, status = _status(infos, run)
        policies = {i.policy for i in infos}
        suppressed = len(
            {s.violation.urn for s in run.suppressed if s.violation.policy in policies}
        )
        rules = ", ".join(i.rule_id for i in sorted(infos, key=lambda i: i.rule_id)) or "-"
        lines.append(
            f"| {_cell(key)} | {_cell(titles.get(key, ''))} | {rules} | "
            f"{_checked(infos, run)} | {violating} | {suppressed} | {status} |"
        )
    lines.append("")
    return lines


def _manual(run: PolicyRun) -> list[str]:
    """One MANUAL row per manual-evidence rule that listed resources: what the program
    cannot show, which the reviewer evidences from the provider."""
    rows = []
    for info in sorted(run.rules_info, key=lambda i: i.rule_id):
        if MANUAL_EVIDENCE_TAG not in info.tags or info.level == "disabled":
            continue
        urns = {v.urn for v in run.violations if v.policy == info.policy}
        if urns:
            sections = ", ".join(info.secnumcloud)
            rows.append(
                f"| {sections} | {info.rule_id} | {len(urns)} | MANUAL | "
                f"{_cell(info.description)} {_cell(info.remediation)} |"
            )
    if not rows:
        return []
    return [
        "## Manual evidence (what the provider's API cannot show)",
        "",
        "| Section | Rule | Resources | Status | What to collect |",
        "|---|---|---:|---|---|",
        *rows,
        "",
    ]


def _evidence(ref: Referential) -> list[str]:
    lines = [
        "## Evidence a reviewer collects",
        "",
        "| Section | Scope | Evidence |",
        "|---|---|---|",
    ]
    for req in sorted(ref.requirements, key=lambda r: section_key(r.id)):
        if req.applies_to_tenant:
            lines.append(f"| {req.id} | {req.scope} | {_cell(req.evidence)} |")
    return [*lines, ""]


def render_matrix(run: PolicyRun, ref: Referential | None = None) -> str:
    ref = ref or referential()
    infos = list(run.rules_info)
    applicable = {r.id: r.title for r in ref.requirements if r.applies_to_tenant}
    titles = {r.id: r.title for r in ref.requirements}
    sections = sorted(set(applicable) | {s for i in infos for s in i.secnumcloud}, key=section_key)
    automated = {s for i in infos for s in i.secnumcloud} & set(applicable)
    provider_only = len(ref.requirements) - len(applicable)
    hds = sorted(set(HDS_TITLES) | {h for i in infos for h in i.hds})
    lines = [
        "# bascule compliance matrix",
        "",
        f"Source: `{shown_path(run.source) if run.source else 'snapshot'}`. {run.summary_line()}",
        "",
        f"Rules automate {len(automated)} of the {len(applicable)} SecNumCloud {ref.version} "
        f"requirements that apply to an IaaS tenant; the {len(applicable) - len(automated)} "
        f"others are MANUAL. {provider_only} more are the provider's alone: its qualification "
        "certificate and scope are their evidence.",
        "",
    ]
    lines += _table(
        f"SecNumCloud {ref.version}",
        sections,
        titles,
        lambda s: [i for i in infos if s in i.secnumcloud],
        run,
    )
    lines += _manual(run)
    lines += _evidence(ref)
    lines += _table("HDS", hds, HDS_TITLES, lambda h: [i for i in infos if h in i.hds], run)
    if run.offers is not None:
        lines += offers_table(run.offers)
    lines += _not_read(run)
    return "\n".join(lines)


def _not_read(run: PolicyRun) -> list[str]:
    """The kinds no rule reads: no row above speaks for them, PASS included."""
    if not run.not_read:
        return []
    lines = [
        "## Kinds no rule reads",
        "",
        "No rule above examines these resources (only the location, tag and all-kinds rules "
        "saw them): their evidence is the reviewer's.",
        "",
        "| Kind | Resources |",
        "|---|---|",
    ]
    lines += [f"| `{kind}` | {len(urns)} |" for kind, urns in run.not_read.items()]
    return [*lines, ""]
