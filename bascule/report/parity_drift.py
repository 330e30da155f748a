"""Drift reports (`bascule drift OLD NEW`): text, Markdown, JSON and HTML, one section per
estate, every change with its old and new values."""

from __future__ import annotations

import html
import json
from collections import Counter
from collections.abc import Callable

from bascule.parity.drift import ESTATE_TITLES, DriftReport, EstateDrift, word
from bascule.parity.model import Gap
from bascule.report.parity_common import show
from bascule.report.parity_html_style import page

HEADER = ("object", "change", "old -> new")
COUNTS = (
    "objects",
    "removed",
    "weakened",
    "added",
    "strengthened",
    "changed",
    "accepted",
    "blocking",
)


def _detail(gap: Gap) -> str:
    text = "; ".join(
        f"{name}: {show(d.source)} -> {show(d.target)}" for name, d in gap.fields.items()
    ) or {"removed": "only in OLD", "added": "only in NEW"}.get(word(gap), "renamed")
    if gap.source_name:
        text += f" (was {gap.source_name}" + (
            f", paired by {gap.paired_by})" if gap.paired_by else ")"
        )
    if gap.accepted_reason:
        text += f" (accepted: {gap.accepted_reason})"
    return text


def _status(gap: Gap) -> str:
    return "accepted" if gap.accepted_reason is not None else word(gap)


def _title(estate: EstateDrift, capital: bool = False) -> str:
    title = f"{ESTATE_TITLES[estate.estate]}, read by {estate.reading}"
    return title[:1].upper() + title[1:] if capital else title


def _unchanged(estate: EstateDrift) -> str:
    changed = {g.object for g in estate.gaps}
    counts = Counter(str(p.capability) for p in estate.pairs if p.key not in changed)
    return ", ".join(f"{n} {c}" for c, n in counts.items())


def render_drift_text(report: DriftReport) -> str:
    lines = [f"drift: {report.old_label} -> {report.new_label}"]
    for estate in report.estates:
        lines.append(f"{_title(estate)}:")
        rows = [(g.object, _status(g), _detail(g)) for g in estate.gaps]
        if rows:
            widths = [max(len(r[i]) for r in [HEADER, *rows]) for i in range(2)]
            for row in [HEADER, *rows]:
                lines.append(
                    "  "
                    + "  ".join(c.ljust(w) for c, w in zip(row[:2], widths, strict=True))
                    + "  "
                    + row[2]
                )
        else:
            lines.append("  no change")
        if unchanged := _unchanged(estate):
            lines.append(f"  unchanged: {unchanged}")
    lines.append(report.summary_line())
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    escaped = html.escape(text, quote=False)
    return escaped.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def render_drift_markdown(report: DriftReport) -> str:
    s = report.summary()
    verdict = "failed" if report.failed else "passed"
    lines = [
        f"## Drift: {verdict} (--fail-on {report.fail_on})",
        "",
        f"`{_cell(report.old_label)}` → `{_cell(report.new_label)}`",
        "",
        "| Objects | Removed | Weakened | Added | Strengthened | Changed | Accepted | Blocking |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
        "| " + " | ".join(str(s[k]) for k in COUNTS) + " |",
        "",
    ]
    for estate in report.estates:
        lines += [f"### {_cell(_title(estate, capital=True))}", ""]
        if not estate.gaps:
            lines += ["No change.", ""]
            continue
        lines += ["| Object | Change | Old → new |", "|---|---|---|"]
        lines += [
            f"| `{_cell(g.object)}` | {_status(g)} | {_cell(_detail(g).replace(' -> ', ' → '))} |"
            for g in estate.gaps
        ]
        lines.append("")
    return "\n".join(lines)


def render_drift_json(report: DriftReport) -> str:
    return json.dumps(report.to_dict(), indent=2) + "\n"


def render_drift_html(report: DriftReport) -> str:
    """One self-contained page (inline CSS, no script, nothing fetched)."""
    esc = html.escape
    cards = "".join(
        f'<div class="card"><b>{value}</b>{esc(label)}</div>'
        for label, value in report.summary().items()
    )
    sections = []
    for estate in report.estates:
        rows = "".join(
            f"<tr><td>{esc(g.object)}</td><td>{esc(_status(g))}</td>"
            f"<td>{esc(_detail(g)).replace(' -&gt; ', ' &rarr; ')}</td></tr>"
            for g in estate.gaps
        )
        body = (
            "<table><thead><tr><th>object</th><th>change</th><th>old &rarr; new</th></tr>"
            f"</thead><tbody>{rows}</tbody></table>"
            if rows
            else '<p class="note">No change.</p>'
        )
        unchanged = _unchanged(estate)
        note = f'<p class="note">Unchanged: {esc(unchanged)}.</p>' if unchanged else ""
        sections.append(
            f"<section><h2>{esc(_title(estate, capital=True))}</h2>{body}{note}</section>"
        )
    verdict = "blocked" if report.failed else "ready"
    outcome = "Failed" if report.failed else "Passed"
    title = f"bascule drift: {report.old_label} to {report.new_label}"
    return page(
        title,
        f"""<header><h1>Drift: {esc(report.old_label)} &rarr; {esc(report.new_label)}</h1>
<div class="verdict {verdict}">{outcome} (--fail-on {esc(report.fail_on)})</div></header>
<div class="cards">{cards}</div>
<main>{"".join(sections)}</main>
""",
    )


DRIFT_RENDERERS: dict[str, Callable[[DriftReport], str]] = {
    "text": render_drift_text,
    "markdown": render_drift_markdown,
    "html": render_drift_html,
    "json": render_drift_json,
}


def render_drift(report: DriftReport, fmt: str) -> str:
    try:
        return DRIFT_RENDERERS[fmt](report)
    except KeyError:
        raise ValueError(
            f"unknown format {fmt!r}, expected one of {', '.join(DRIFT_RENDERERS)}"
        ) from None
