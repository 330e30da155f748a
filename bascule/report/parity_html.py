"""Parity as one self-contained HTML page for architects (inline CSS, no script, no fetch).

Organised by migration wave: the blocking gaps first (each a link to its row), then every
wave with its status, cutover date, verdict and why, its objects grouped under it, then the
shared platform every wave relies on. Filters (all / gaps / blocking) and anchors are plain
HTML and CSS, so the page works from a mail attachment or a CI artefact at 321 enclaves.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from bascule.parity.model import (
    WAVED,
    Capability,
    Gap,
    GapKind,
    Pair,
    ParityReport,
    WaveReadiness,
)
from bascule.report.parity_common import fields_text, ordered_pairs
from bascule.report.parity_html_provenance import provenance_block
from bascule.report.parity_html_style import page, status_look
from bascule.report.parity_html_tables import (
    ALLOWED_MARK,
    MARKS,
    Lookups,
    anchor,
    badge,
    lookups,
    object_table,
)

LINKS_PER_SENTENCE = 12  # a blocked wave names this many gaps, then "and N more"
ALLOWANCES_OPEN = 20  # the allowance list starts unfolded up to this many objects


def render_parity_html(report: ParityReport) -> str:
    waves = report.readiness()
    look = lookups(report)
    pairs = ordered_pairs(report)
    sections = [_wave_section(look, w, [p for p in pairs if p.wave == w.wave]) for w in waves]
    sections.append(
        _platform_section(look, report, [p for p in pairs if p.capability not in WAVED])
    )
    unwaved = [p for p in pairs if p.capability in WAVED and p.wave is None]
    if unwaved:
        sections.append(_unwaved_section(look, unwaved))
    title = f"bascule parity: {report.source_label} to {report.target_label}"
    return page(
        title,
        f"""{_header(report)}
{_nav(report, waves, bool(unwaved))}
{_cards(report)}
{_blocking_section(report)}
{_allowance_section(report)}
{_plan_section(report, waves)}
{_filters()}
<main>
{"".join(sections)}
</main>
{_legend()}
""",
    )


def _header(report: ParityReport) -> str:
    verdict = "blocked" if report.failed else "ready"
    limit = f", waves up to {report.wave_limit}" if report.wave_limit is not None else ""
    return (
        "<header><h1>Parity: source Azure estate &rarr; target SecNumCloud estate</h1>"
        f'<div class="sub">{escape(report.source_label)} &rarr; '
        f"{escape(report.target_label)}{escape(limit)}</div>"
        f'<div class="sub">target provider: {escape(_providers(report))}</div>'
        f'<div class="verdict {verdict}">{verdict.capitalize()} for cutover</div>'
        f"{provenance_block(report.provenance)}</header>"
    )


def _providers(report: ParityReport) -> str:
    return ", ".join(report.target_providers) or "unknown (no target provider resource)"


def _nav(report: ParityReport, waves: Sequence[WaveReadiness], unwaved: bool) -> str:
    links = [f'<a href="#blocking">Blocking gaps ({len(report.blocking)})</a>']
    if report.allowances:
        links.append(f'<a href="#allowances">Smaller, at parity ({_allowed_objects(report)})</a>')
    links.append('<a href="#waves">Waves</a>')
    links += [f'<a href="#wave-{w.wave}">{escape(_wave_title(w))}</a>' for w in waves]
    links.append('<a href="#platform">Shared platform</a>')
    if unwaved:
        links.append('<a href="#unwaved">In no wave</a>')
    links.append('<a href="#legend">Legend</a>')
    return f'<nav class="toc">{"".join(links)}</nav>'


def _cards(report: ParityReport) -> str:
    cards = "".join(
        f'<div class="card"><b>{value}</b>{escape(label)}</div>'
        for label, value in report.summary().items()
    )
    return f'<div class="cards">{cards}</div>'


def _where(gap: Gap) -> str:
    return "shared platform" if gap.capability not in WAVED else f"wave {gap.wave}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _detail(gap: Gap) -> str:
    if gap.fields:
        return fields_text(gap).replace(" -> ", " \u2192 ")
    return "absent on the target" if gap.kind == "missing" else "on the target only"


def _blocking_order(gap: Gap) -> tuple[int, int, str]:
    """The shared platform first (it blocks every wave), then by wave, then by object."""
    return (0 if gap.capability not in WAVED else 1, gap.wave or 0, gap.object)


def _blocking_section(report: ParityReport) -> str:
    gaps = sorted(report.blocking, key=_blocking_order)
    if not gaps:
        body = '<p class="note">None: every object is at parity, or its gap is accepted.</p>'
    else:
        items = "".join(
            f'<li><a href="#{anchor(g.object)}">{escape(g.object)}</a> {badge(str(g.kind))} '
            f"<span>{escape(_where(g))}</span>: {escape(_detail(g))}</li>"
            for g in gaps
        )
        body = f'<ol class="blocking">{items}</ol>'
    return f'<section id="blocking"><h2>Blocking gaps ({len(gaps)})</h2>{body}</section>'


def _allowed_objects(report: ParityReport) -> int:
    return len({a.object for a in report.allowances})


def _allowance_section(report: ParityReport) -> str:
    if not report.allowances:
        return ""
    by_object: dict[str, list[str]] = {}
    reasons: dict[str, list[str]] = {}
    for a in report.allowances:
        by_object.setdefault(a.object, []).append(f"{a.field} {a.source} \u2192 {a.target}")
        reasons.setdefault(a.object, [])
        if a.reason not in reasons[a.object]:
            reasons[a.object].append(a.reason)
    rows = "".join(
        f'<tr><td><a href="#{anchor(obj)}">{escape(obj)}</a></td>'
        f"<td>{escape('; '.join(values))}</td><td>{escape('; '.join(reasons[obj]))}</td></tr>"
        for obj, values in by_object.items()
    )
    count = len(by_object)
    state = " open" if count <= ALLOWANCES_OPEN else ""
    return (
        f'<section id="allowances"><h2>Smaller on the target, judged at parity ({count})</h2>'
        f'<p class="note">Marked {ALLOWED_MARK} in the tables. Flavour rounding counts a '
        "target flavour at parity when Azure would have chosen the source's VM size for it "
        "(<code>--no-flavour-rounding</code> compares exactly); a <code>--tolerance</code> "
        f"allows a margin.</p><details{state}><summary>{_plural(count, 'object')}</summary>"
        "<table><thead><tr><th>object</th><th>source &rarr; target</th><th>why at parity</th>"
        f"</tr></thead><tbody>{rows}</tbody></table></details></section>"
    )


def _wave_title(w: WaveReadiness) -> str:
    name = w.plan.name if w.plan is not None else None
    return f"Wave {w.wave} \u00b7 {name}" if name else f"Wave {w.wave}"


def _status_text(w: WaveReadiness) -> str:
    if not w.plan_known:
        return "status unknown"
    if w.plan is None:
        return "not in the plan"
    return w.plan.status or "status unknown"


def _chip(w: WaveReadiness) -> str:
    look = status_look(w.plan.status if w.plan else None)
    return f'<span class="chip s-{look}">{escape(_status_text(w))}</span>'


def _date(w: WaveReadiness) -> str:
    if w.plan is None:
        return "cutover date unknown"
    return f"cutover {w.plan.cutover_date}" if w.plan.cutover_date else "no cutover date set"


def _verdict_badge(w: WaveReadiness) -> str:
    return f'<span class="badge v-{w.verdict}">{w.verdict.capitalize()}</span>'


def _plan_section(report: ParityReport, waves: Sequence[WaveReadiness]) -> str:
    rows = "".join(
        f'<tr><td><a href="#wave-{w.wave}">{w.wave}</a></td>'
        f"<td>{escape(w.plan.name or '') if w.plan else ''}</td><td>{_chip(w)}</td>"
        f"<td>{escape(_date(w))}</td><td>{len(w.objects)}</td><td>{len(w.blocking)}</td>"
        f"<td>{len(w.platform_blocking)}</td><td>{len(w.accepted)}</td>"
        f"<td>{_verdict_badge(w)}</td></tr>"
        for w in waves
    )
    note = (
        '<p class="note">Neither input has the stack output <code>waves</code>: wave names, '
        "statuses and cutover dates are unknown, only wave numbers are known.</p>"
        if report.plan is None
        else ""
    )
    return (
        f'<section id="waves"><h2>Waves ({len(waves)})</h2>{note}'
        "<table><thead><tr><th>wave</th><th>name</th><th>status</th><th>cutover</th>"
        "<th>objects</th><th>blocking gaps</th><th>platform blocking gaps</th>"
        "<th>accepted gaps</th><th>readiness</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></section>"
    )


def _filters() -> str:
    choices = (
        ("show-all", "all objects"),
        ("show-gaps", "gaps only"),
        ("show-blocking", "blocking gaps only"),
    )
    inputs = "".join(
        f'<input class="show" type="radio" name="show" id="{ident}"'
        f'{" checked" if ident == "show-all" else ""} aria-label="show {text}">'
        for ident, text in choices
    )
    labels = "".join(f'<label for="{ident}">{text}</label>' for ident, text in choices)
    return f'{inputs}<div class="filters">Show: {labels}</div>'


def _links(keys: Sequence[str]) -> str:
    shown = ", ".join(f'<a href="#{anchor(k)}">{escape(k)}</a>' for k in keys[:LINKS_PER_SENTENCE])
    rest = len(keys) - LINKS_PER_SENTENCE
    return shown + (f" and {rest} more" if rest > 0 else "")


def _why(w: WaveReadiness) -> str:
    """Why the wave is ready, blocked or empty, naming (and linking) what blocks it."""
    if w.verdict == "empty":
        return "No enclave or dataset is in this wave: nothing to compare yet."
    if w.verdict == "ready":
        accepted = (
            f"; {_plural(len(w.accepted), 'accepted gap')}, reasons in the note column"
            if w.accepted
            else ""
        )
        objects = _plural(len(w.objects), "object")
        return f"Ready: no blocking gap among its {objects}{accepted}."
    parts = []
    if w.blocking:
        gaps = _plural(len(w.blocking), "blocking gap")
        parts.append(f"{gaps} in this wave: {_links(w.blocking)}")
    if w.platform_blocking:
        gaps = _plural(len(w.platform_blocking), "blocking gap")
        parts.append(
            f"{gaps} on the shared platform every wave uses: {_links(w.platform_blocking)}"
        )
    return "Blocked by " + "; and ".join(parts) + "."


def _grouped(look: Lookups, pairs: Sequence[Pair], prefix: str) -> str:
    return "".join(
        object_table(look, capability, group, f"{prefix}-{capability}")
        for capability in Capability
        if (group := [p for p in pairs if p.capability is capability])
    )


def _wave_section(look: Lookups, w: WaveReadiness, pairs: Sequence[Pair]) -> str:
    look_class = status_look(w.plan.status if w.plan else None)
    return (
        f'<section id="wave-{w.wave}" class="wave s-{look_class}">'
        f'<h2>{escape(_wave_title(w))} {_chip(w)}<span class="date">{escape(_date(w))}</span> '
        f'{_verdict_badge(w)}</h2><p class="why">{_why(w)}</p>'
        f"{_grouped(look, pairs, f'wave-{w.wave}')}</section>"
    )


def _platform_section(look: Lookups, report: ParityReport, pairs: Sequence[Pair]) -> str:
    blocking = [p.key for p in pairs if p.key in look.gaps and look.gaps[p.key].blocking]
    why = (
        f"Blocks every wave: {_links(blocking)}."
        if blocking
        else "No blocking gap: no wave is held back by the platform."
    )
    return (
        '<section id="platform" class="wave platform"><h2>Shared platform (every wave)</h2>'
        f'<p class="why">{why}</p>{_grouped(look, pairs, "platform")}</section>'
    )


def _unwaved_section(look: Lookups, pairs: Sequence[Pair]) -> str:
    return (
        '<section id="unwaved" class="wave s-other"><h2>In no wave</h2>'
        '<p class="why">These enclaves, servers and datasets carry no <code>wave</code> tag: '
        "no wave counts them, the overall verdict does.</p>"
        f"{_grouped(look, pairs, 'unwaved')}</section>"
    )


def _legend() -> str:
    marks = (
        f'<span><b class="mark">{MARKS[GapKind.WEAKER]}</b>weaker on the target (blocks)</span>'
        f'<span><b class="mark">{MARKS[GapKind.STRONGER]}</b>stronger on the target</span>'
        f'<span><b class="mark">{ALLOWED_MARK}</b>smaller, judged at parity</span>'
    )
    looks = "".join(
        f'<span class="chip s-{look}">{status}</span> '
        for status, look in (
            ("planned", "planned"),
            ("migrating", "active"),
            ("cutover", "done"),
            ("rolled-back", "rollback"),
            ("decommissioned", "retired"),
            ("other", "other"),
        )
    )
    return (
        f'<section id="legend"><h2>Legend</h2><p class="legend">{marks}</p>'
        f'<p class="legend">Wave status: {looks}</p></section>'
    )
