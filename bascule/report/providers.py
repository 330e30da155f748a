"""`bascule providers`: the offer registry with each offer's standing on a date, for
procurement and security reviewers (text, Markdown, JSON). Pure: strings out."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from bascule.registry.model import Fact, Offer, Registry, status_on

COLUMNS = ("offer", "service", "openstack", "standing", "visa", "decision", "hds", "regions")
TITLES = {
    "offer": "Offer",
    "service": "Service",
    "openstack": "OpenStack",
    "standing": "SecNumCloud on {on}",
    "visa": "Visa",
    "decision": "ANSSI decision",
    "hds": "HDS",
    "regions": "Regions",
}


def _fact(fact: Fact) -> str:
    value = ", ".join(fact.value) if isinstance(fact.value, tuple) else str(fact.value)
    return value if fact.verified else f"{value} (unverified)"


def _standing(offer: Offer, on: dt.date, window: int) -> str:
    status = status_on(offer, on, window)
    text = str(status.standing)
    if status.days_left is not None:
        text += f" ({status.days_left} days left)"
    return text if offer.secnumcloud.verified else f"{text} (unverified)"


def _visa(offer: Offer) -> str:
    q = offer.secnumcloud
    if q.start and q.end:
        return f"{q.start.isoformat()} to {q.end.isoformat()}"
    if q.since:
        return f"{q.stage} since {q.since.isoformat()}"
    return "-"


def rows(registry: Registry, on: dt.date, window: int) -> list[dict[str, str]]:
    return [
        {
            "offer": offer.label,
            "service": "/".join(offer.service),
            "openstack": _fact(offer.openstack),
            "standing": _standing(offer, on, window),
            "visa": _visa(offer),
            "decision": offer.secnumcloud.decision or "-",
            "hds": _fact(offer.hds),
            "regions": _fact(offer.regions),
        }
        for offer in registry.offers
    ]


def _header(registry: Registry, on: dt.date, max_age: int) -> list[str]:
    age = registry.age_days(on)
    lines = [
        f"Offer registry {registry.origin}, reviewed {registry.reviewed.isoformat()}; "
        f"standing on {on.isoformat()}."
    ]
    if age > max_age:
        lines.append(
            f"WARNING: the registry was reviewed {age} days before {on.isoformat()} (more than "
            f"{max_age}): re-check the visas against ANSSI's catalogue."
        )
    return lines


def render_text(registry: Registry, on: dt.date, window: int, max_age: int) -> str:
    table = rows(registry, on, window)
    titles = {k: v.format(on=on.isoformat()) for k, v in TITLES.items()}
    widths = {c: max(len(titles[c]), *(len(r[c]) for r in table)) for c in COLUMNS}
    lines = [*_header(registry, on, max_age), ""]
    lines.append("  ".join(titles[c].ljust(widths[c]) for c in COLUMNS).rstrip())
    lines.extend("  ".join(r[c].ljust(widths[c]) for c in COLUMNS).rstrip() for r in table)
    lines += ["", "Sources: `bascule providers --format markdown` (every fact, its URL and date)."]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown(registry: Registry, on: dt.date, window: int, max_age: int) -> str:
    titles = [TITLES[c].format(on=on.isoformat()) for c in COLUMNS]
    lines = ["# SecNumCloud offer registry", "", *_header(registry, on, max_age), ""]
    lines += ["| " + " | ".join(titles) + " |", "|" + "---|" * len(COLUMNS)]
    for row in rows(registry, on, window):
        lines.append("| " + " | ".join(_md(row[c]) for c in COLUMNS) + " |")
    lines += ["", "## Notes and sources per offer", ""]
    for offer in registry.offers:
        lines.append(f"- **{_md(offer.label)}** (`{offer.id}`)")
        for name, fact in (
            ("SecNumCloud", offer.secnumcloud),
            ("HDS", offer.hds),
            ("OpenStack", offer.openstack),
            ("regions", offer.regions),
        ):
            note = f": {fact.note}" if fact.note else ""
            lines.append(f"  - {name}: {', '.join(fact.sources)}{_md(note)}")
        for endpoint in offer.endpoints:
            state = "verified" if endpoint.verified else "unverified"
            note = f": {endpoint.note}" if endpoint.note else ""
            lines.append(
                f"  - {endpoint.kind} endpoint `{endpoint.pattern}` ({state}; "
                f"{', '.join(endpoint.sources)}){_md(note)}"
            )
    lines += ["", "## Sources", ""]
    for source in registry.sources.values():
        lines.append(
            f"- `{source.id}`: [{_md(source.title)}]({source.url}), {source.access}, checked "
            f"{source.checked.isoformat()}" + (f". {_md(source.note)}" if source.note else "")
        )
    return "\n".join(lines) + "\n"


def _fact_dict(fact: Fact, key: str) -> dict[str, Any]:
    value = list(fact.value) if isinstance(fact.value, tuple) else fact.value
    return {key: value, "verified": fact.verified, "sources": list(fact.sources), "note": fact.note}


def offer_dict(offer: Offer, on: dt.date, window: int) -> dict[str, Any]:
    q = offer.secnumcloud
    status = status_on(offer, on, window)
    return {
        "id": offer.id,
        "provider": offer.provider,
        "name": offer.name,
        "service": list(offer.service),
        "openstack": _fact_dict(offer.openstack, "value"),
        "secnumcloud": {
            "status": q.status,
            "standing": str(status.standing),
            "daysLeft": status.days_left,
            "version": q.version or None,
            "start": q.start.isoformat() if q.start else None,
            "end": q.end.isoformat() if q.end else None,
            "decision": q.decision or None,
            "stage": q.stage or None,
            "since": q.since.isoformat() if q.since else None,
            "verified": q.verified,
            "sources": list(q.sources),
            "note": q.note,
        },
        "hds": _fact_dict(offer.hds, "status"),
        "regions": _fact_dict(offer.regions, "values"),
        "endpoints": [
            {
                "kind": e.kind,
                "pattern": e.pattern,
                "verified": e.verified,
                "sources": list(e.sources),
                "note": e.note,
            }
            for e in offer.endpoints
        ],
        "match": [
            {
                "package": m.package,
                "identities": list(m.identities),
                "regions": list(m.regions) if m.regions is not None else None,
            }
            for m in offer.matches
        ],
    }


def render_json(registry: Registry, on: dt.date, window: int, max_age: int) -> str:
    age = registry.age_days(on)
    doc = {
        "registry": {
            "file": registry.origin,
            "reviewed": registry.reviewed.isoformat(),
            "ageDays": age,
            "stale": age > max_age,
            "maxAgeDays": max_age,
        },
        "checkDate": on.isoformat(),
        "windowDays": window,
        "offers": [offer_dict(o, on, window) for o in registry.offers],
        "sources": {
            s.id: {
                "url": s.url,
                "title": s.title,
                "checked": s.checked.isoformat(),
                "access": s.access,
                "note": s.note,
            }
            for s in registry.sources.values()
        },
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json}
