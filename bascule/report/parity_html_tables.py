"""The parity page's object tables: one row per pair, each with an anchor, cells marked by
verdict (▼ weaker, ▲ stronger, ≈ smaller but judged at parity)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from bascule.parity.mapping import FIELDS
from bascule.parity.model import Allowance, Capability, Gap, GapKind, Pair, ParityReport
from bascule.report.parity_common import show, status

TITLES = {
    Capability.NETWORK: "Networks",
    Capability.ZONE: "Network zones",
    Capability.DATASET: "Datasets",
    Capability.KEY: "Keys",
    Capability.ENCLAVE: "Enclaves",
    Capability.SERVER: "Servers",
    Capability.GATEWAY: "Access gateway",
    Capability.LOGGING: "Audit logging",
    Capability.INTERCONNECT: "Interconnect (IPsec)",
}
MARKS = {GapKind.WEAKER: "\u25bc", GapKind.STRONGER: "\u25b2"}
ALLOWED_MARK = "\u2248"


def anchor(key: str) -> str:
    """The row id of object `capability/name`: ASCII letters, digits and `-` kept, any other
    character written `_<hex>_`, so distinct names never share an id and links need no
    escaping."""
    capability, _, name = key.partition("/")
    safe = "".join(
        c if c.isascii() and (c.isalnum() or c == "-") else f"_{ord(c):x}_" for c in name
    )
    return f"o-{capability}-{safe}"


def badge(label: str) -> str:
    return f'<span class="badge b-{escape(label)}">{escape(label)}</span>'


@dataclass(frozen=True)
class Lookups:
    gaps: Mapping[str, Gap]
    allowed: Mapping[str, Mapping[str, Allowance]]  # object -> field -> allowance


def lookups(report: ParityReport) -> Lookups:
    allowed: dict[str, dict[str, Allowance]] = {}
    for allowance in report.allowances:
        allowed.setdefault(allowance.object, {})[allowance.field] = allowance
    return Lookups({g.object: g for g in report.gaps}, allowed)


def columns(capability: Capability, pairs: Sequence[Pair]) -> list[str]:
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


def object_table(look: Lookups, capability: Capability, pairs: Sequence[Pair], ident: str) -> str:
    fields = columns(capability, pairs)
    head = "".join(f"<th>{escape(f)}</th>" for f in fields)
    rows = "".join(_row(look, pair, fields) for pair in pairs)
    return (
        f'<h3 id="{ident}">{TITLES[capability]} ({len(pairs)})</h3>'
        f"<table><thead><tr><th>name</th><th>status</th>{head}<th>note</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def _row(look: Lookups, pair: Pair, fields: Sequence[str]) -> str:
    gap = look.gaps.get(pair.key)
    allowed = look.allowed.get(pair.key, {})
    if gap is None:
        classes = "at-parity"
    else:
        classes = f"gap g-{gap.kind}" + (" blocking" if gap.blocking else "")
    cells = "".join(_cell(pair, name, gap, allowed.get(name)) for name in fields)
    name = escape(pair.name)
    if pair.renamed:
        name += f'<small class="renamed">source: {escape(pair.renamed)} (matched by role)</small>'
    return (
        f'<tr id="{anchor(pair.key)}" class="{classes}"><td>{name}</td>'
        f"<td>{badge(status(pair, gap))}</td>{cells}<td>{_note(pair, gap, allowed)}</td></tr>"
    )


def _cell(pair: Pair, name: str, gap: Gap | None, allowance: Allowance | None) -> str:
    source = pair.source.fields.get(name) if pair.source else None
    target = pair.target.fields.get(name) if pair.target else None
    if pair.source is None or pair.target is None or source == target:
        # One side only, or equal: the value itself, not "x -> -".
        text = escape(show(target if pair.source is None else source))
    else:
        text = f"{escape(show(source))} &rarr; {escape(show(target))}"
    diff = gap.fields.get(name) if gap is not None else None
    if diff is not None:
        kind = diff.verdict
        return (
            f'<td class="{kind}" title="{kind} on the target">'
            f'<span class="mark">{MARKS[kind]}</span>{text}</td>'
        )
    if allowance is not None:
        return (
            f'<td class="allowed" title="smaller, at parity: {escape(allowance.reason)}">'
            f'<span class="mark">{ALLOWED_MARK}</span>{text}</td>'
        )
    return f"<td>{text}</td>"


def _note(pair: Pair, gap: Gap | None, allowed: Mapping[str, Allowance]) -> str:
    notes = []
    if pair.target is None:
        notes.append("absent on the target")
    elif pair.source is None:
        notes.append("on the target only")
    if gap is not None and gap.accepted_reason:
        notes.append(f"accepted: {escape(gap.accepted_reason)}")
    for reason in dict.fromkeys(a.reason for a in allowed.values()):
        notes.append(f"at parity by {escape(reason)}")
    return "; ".join(notes)
