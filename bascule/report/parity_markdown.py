"""Parity as a pull-request comment (GitHub-flavoured Markdown)."""

from __future__ import annotations

from bascule.parity.model import GapKind, ParityReport
from bascule.report.parity_common import fields_text, wave_readiness


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def render_parity_markdown(report: ParityReport) -> str:
    summary = report.summary()
    verdict = "blocked" if report.failed else "ready"
    lines = [
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
    if report.gaps:
        lines += [
            "| Object | Kind | Wave | Fields (source → target) | Accepted reason |",
            "|---|---|---:|---|---|",
        ]
        order = {GapKind.MISSING: 0, GapKind.WEAKER: 1, GapKind.EXTRA: 2, GapKind.STRONGER: 3}
        for gap in sorted(report.gaps, key=lambda g: (order[g.kind], g.object)):
            fields = fields_text(gap).replace(" -> ", " → ")
            wave = "" if gap.wave is None else str(gap.wave)
            renamed = f" (source `{_cell(gap.source_name)}`)" if gap.source_name else ""
            lines.append(
                f"| `{_cell(gap.object)}`{renamed} | {gap.kind} | {wave} | {_cell(fields)} | "
                f"{_cell(gap.accepted_reason or '')} |"
            )
        lines.append("")
    waves = list(wave_readiness(report))
    if waves:
        lines += [
            "<details><summary>Readiness per wave</summary>",
            "",
            "| Wave | Objects | Blocking | Accepted | Status |",
            "|---:|---:|---:|---:|---|",
            *(
                f"| {w.wave} | {w.objects} | {w.blocking} | {w.accepted} | "
                f"{'ready' if w.ready else 'blocked'} |"
                for w in waves
            ),
            "",
            "</details>",
            "",
        ]
    return "\n".join(lines)
