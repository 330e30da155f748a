"""Parity as one self-contained HTML page for architects (inline CSS, no script, no fetch)."""

from __future__ import annotations

from html import escape

from bascule.parity.mapping import FIELDS
from bascule.parity.model import Capability, Pair, ParityReport
from bascule.report.parity_common import (
    gap_index,
    ordered_pairs,
    show,
    status,
    wave_readiness,
)

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem;color:#1f2933;
background:#f7f9fb}
h1{margin:0 0 .2rem;font-size:1.6rem}h2{margin-top:2rem;font-size:1.2rem}
.sub{color:#52606d;margin-bottom:1.5rem}
.verdict{display:inline-block;padding:.5rem 1.2rem;border-radius:.4rem;font-size:1.3rem;
font-weight:700;color:#fff}.ready{background:#2f9e44}.blocked{background:#c92a2a}
.cards{display:flex;gap:1rem;flex-wrap:wrap;margin:1rem 0}
.card{background:#fff;border:1px solid #d9e2ec;border-radius:.4rem;padding:.6rem 1rem;
min-width:6rem}.card b{display:block;font-size:1.4rem}
table{border-collapse:collapse;background:#fff;width:100%;margin:.5rem 0;font-size:.9rem}
th,td{border:1px solid #d9e2ec;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#e4ecf4}td.diff{background:#fff3bf}
.badge{border-radius:.3rem;padding:.05rem .45rem;color:#fff;font-size:.8rem;font-weight:600}
.ok{background:#2f9e44}.missing,.weaker{background:#c92a2a}.extra{background:#1c7ed6}
.stronger{background:#5c940d}.accepted{background:#e67700}
"""


TITLES = {
    Capability.ZONE: "Network zones",
    Capability.DATASET: "Datasets",
    Capability.KEY: "Keys",
    Capability.ENCLAVE: "Enclaves",
    Capability.GATEWAY: "Access gateway",
    Capability.LOGGING: "Audit logging",
}


def _badge(text: str) -> str:
    return f'<span class="badge {escape(text)}">{escape(text)}</span>'


def _wave_badge(ready: bool) -> str:
    return (
        '<span class="badge ok">Ready</span>'
        if ready
        else ('<span class="badge missing">Blocked</span>')
    )


def _columns(capability: Capability, pairs: list[Pair]) -> list[str]:
    """The mapping's fields in its order, then any other field an object carries (so a
    field the mapping does not know yet is shown, not dropped)."""
    known = list(FIELDS[capability])
    present = {
        name
        for pair in pairs
        for side in (pair.source, pair.target)
        if side
        for name in side.fields
    }
    return known + sorted(present - set(known))


def _capability_table(report: ParityReport, capability: Capability, pairs: list[Pair]) -> str:
    gaps = gap_index(report)
    fields = _columns(capability, pairs)
    head = "".join(f"<th>{escape(f)}</th>" for f in fields)
    rows = []
    for pair in pairs:
        gap = gaps.get(f"{pair.capability}/{pair.name}")
        cells = []
        for name in fields:
            source = pair.source.fields.get(name) if pair.source else None
            target = pair.target.fields.get(name) if pair.target else None
            differs = gap is not None and name in gap.fields
            if pair.source is None or pair.target is None or source == target:
                # One side only, or equal: the value itself, not "x -> -".
                text = escape(show(target if pair.source is None else source))
            else:
                text = f"{escape(show(source))} &rarr; {escape(show(target))}"
            cells.append(f'<td class="diff">{text}</td>' if differs else f"<td>{text}</td>")
        note = escape(gap.accepted_reason) if gap and gap.accepted_reason else ""
        wave = "" if pair.wave is None else str(pair.wave)
        rows.append(
            f"<tr><td>{escape(pair.name)}</td><td>{wave}</td><td>{_badge(status(pair, gap))}"
            f"</td>{''.join(cells)}<td>{note}</td></tr>"
        )
    return (
        f"<h2>{TITLES[capability]} ({len(pairs)})</h2>"
        f"<table><tr><th>name</th><th>wave</th><th>status</th>{head}<th>accepted reason</th>"
        f"</tr>{''.join(rows)}</table>"
    )


def render_parity_html(report: ParityReport) -> str:
    summary = report.summary()
    verdict = "blocked" if report.failed else "ready"
    cards = "".join(
        f'<div class="card"><b>{value}</b>{escape(label)}</div>' for label, value in summary.items()
    )
    waves = "".join(
        f"<tr><td>{w.wave}</td><td>{w.objects}</td><td>{w.blocking}</td><td>{w.accepted}</td>"
        f"<td>{_wave_badge(w.ready)}</td></tr>"
        for w in wave_readiness(report)
    )
    sections = []
    for capability in Capability:
        pairs = [p for p in ordered_pairs(report) if p.capability is capability]
        if pairs:
            sections.append(_capability_table(report, capability, pairs))
    limit = f", waves up to {report.wave_limit}" if report.wave_limit is not None else ""
    labels = f"{escape(report.source_label)} &rarr; {escape(report.target_label)}{escape(limit)}"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>bascule parity: {escape(report.source_label)} to {escape(report.target_label)}</title>
<style>{CSS}</style></head><body>
<h1>Parity: source Azure estate &rarr; target SecNumCloud estate</h1>
<div class="sub">{labels}</div>
<div class="verdict {verdict}">{verdict.capitalize()} for cutover</div>
<div class="cards">{cards}</div>
<h2>Readiness per wave</h2>
<table><tr><th>wave</th><th>objects</th><th>blocking gaps</th><th>accepted gaps</th>
<th>status</th></tr>{waves}</table>
{"".join(sections)}
</body></html>
"""
