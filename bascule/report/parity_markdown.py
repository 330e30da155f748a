"""Parity as a pull-request comment (GitHub-flavoured Markdown)."""

from __future__ import annotations

import html

from bascule.parity.model import ROLE, GapKind, ParityReport, WaveReadiness
from bascule.report.parity_common import fields_text


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _text(text: str) -> str:
    """A cell of plain text: as `_cell`, and no HTML (GitHub renders tags in tables)."""
    return _cell(html.escape(text, quote=False))


def _wave_row(w: WaveReadiness) -> str:
    plan = w.plan
    name = _text(plan.name or "") if plan else ""
    if not w.plan_known:
        status = "unknown (no `waves` output)"
    else:
        status = _text(plan.status or "unknown") if plan else "not in the plan"
    cutover = plan.cutover_date or "" if plan else ""
    verdict = w.verdict
    if w.platform_blocking and not w.blocking:
        verdict += " (platform)"
    return (
        f"| {w.wave} | {name} | {status} | {cutover} | {len(w.objects)} | {len(w.blocking)} | "
        f"{len(w.accepted)} | {verdict} |"
    )


def _summary_lines(report: ParityReport) -> list[str]:
    summary = report.summary()
    verdict = "blocked" if report.failed else "ready"
    return [
        f"## Parity: {verdict}",
        "",
        f"`{_cell(report.source_label)}` → `{_cell(report.target_label)}`"
        + (f", waves up to {report.wave_limit}" if report.wave_limit is not None else ""),
        "",
        "| Objects | Missing | Weaker | Extra | Stronger | Accepted | Blocking |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        "| "
        + " | ".join(
            str(summary[k])
            for k in ("objects", "missing", "weaker", "extra", "stronger", "accepted", "blocking")
        )
        + " |",
        "",
    ]


def _gap_lines(report: ParityReport) -> list[str]:
    if not report.gaps:
        return []
    lines = [
        "| Object | Kind | Wave | Fields (source → target) | Accepted reason |",
        "|---|---|---:|---|---|",
    ]
    order = {GapKind.MISSING: 0, GapKind.WEAKER: 1, GapKind.EXTRA: 2, GapKind.STRONGER: 3}
    for gap in sorted(report.gaps, key=lambda g: (order[g.kind], g.object)):
        fields = fields_text(gap).replace(" -> ", " → ")
        wave = "" if gap.wave is None else str(gap.wave)
        by = gap.paired_by if gap.paired_by and gap.paired_by != ROLE else None
        renamed = (
            f" (source `{_cell(gap.source_name)}`" + (f", paired by {_text(by)})" if by else ")")
            if gap.source_name
            else ""
        )
        lines.append(
            f"| `{_cell(gap.object)}`{renamed} | {gap.kind} | {wave} | {_text(fields)} | "
            f"{_text(gap.accepted_reason or '')} |"
        )
    return [*lines, ""]


def _details_lines(report: ParityReport) -> list[str]:
    """The readiness per wave and the smaller-but-at-parity values, folded."""
    lines: list[str] = []
    waves = report.readiness()
    if waves:
        lines += [
            "<details><summary>Readiness per wave</summary>",
            "",
            "| Wave | Name | Status | Cutover | Objects | Blocking | Accepted | Readiness |",
            "|---:|---|---|---|---:|---:|---:|---|",
            *(_wave_row(w) for w in waves),
            "",
            "</details>",
            "",
        ]
    if report.allowances:
        lines += [
            f"<details><summary>Smaller on the target, judged at parity "
            f"({len(report.allowances)})</summary>",
            "",
            "| Object | Field | Source → target | Why at parity |",
            "|---|---|---|---|",
            *(
                f"| `{_cell(a.object)}` | {_cell(a.field)} | {a.source} → {a.target} | "
                f"{_text(a.reason)} |"
                for a in report.allowances
            ),
            "",
            "</details>",
            "",
        ]
    return lines


def render_parity_markdown(report: ParityReport) -> str:
    return "\n".join([*_summary_lines(report), *_gap_lines(report), *_details_lines(report)])
