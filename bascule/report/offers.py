"""The target offers a run resolved (bascule.registry.uses.OfferReport), for the matrix and
the JSON report: which registry offer and visa stand behind SecNumCloud 19.x."""

from __future__ import annotations

from typing import Any

from bascule.registry.uses import OfferReport, OfferUse


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _standing(use: OfferUse) -> str:
    if use.days_left is not None:
        return f"{use.standing} ({use.days_left} days left)"
    return use.standing


def registry_line(report: OfferReport) -> str:
    text = (
        f"Offer registry `{report.registry.origin or 'registry'}` reviewed "
        f"{report.registry.reviewed.isoformat()}, {report.age_days} days before the check date "
        f"{report.on.isoformat()}"
    )
    if report.stale:
        text += f": **older than {report.max_age_days} days, re-check the visas**"
    return text + "."


def offers_table(report: OfferReport) -> list[str]:
    """Markdown lines: one row per target provider."""
    lines = [
        "## Target offers (SecNumCloud 19.2, 19.6)",
        "",
        registry_line(report),
        "",
        "| Provider | Configured | Offer | Standing | Visa | ANSSI decision | HDS | Unverified |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for use in report.uses:
        offer = use.offer
        visa = offer.visa_text() if offer else "-"
        decision = (offer.secnumcloud.decision or "-") if offer else "-"
        hds = str(offer.hds.value) if offer else "-"
        label = offer.label if offer else "-"
        unverified = ", ".join(use.unverified()) or "-"
        lines.append(
            f"| {_cell(use.provider_name)} | {_cell(use.what)} | {_cell(label)} | "
            f"{_cell(_standing(use))} | {_cell(visa)} | {decision} | {hds} | {_cell(unverified)} |"
        )
    if not report.uses:
        lines.append(
            "| - | no OpenStack, OVH, Scaleway or OUTSCALE provider | - | - | - | - | - | - |"
        )
    lines.append("")
    return lines


def offers_dict(report: OfferReport) -> dict[str, Any]:
    return {
        "registry": {
            "file": report.registry.origin,
            "reviewed": report.registry.reviewed.isoformat(),
            "ageDays": report.age_days,
            "stale": report.stale,
        },
        "checkDate": report.on.isoformat(),
        "providers": [
            {
                "urn": use.provider_urn,
                "configured": use.what,
                "offer": use.offer.id if use.offer else None,
                "standing": use.standing,
                "daysLeft": use.days_left,
                "visa": use.offer.visa_text() if use.offer else None,
                "decision": (use.offer.secnumcloud.decision or None) if use.offer else None,
                "hds": use.offer.hds.value if use.offer else None,
                "unverified": use.unverified(),
            }
            for use in report.uses
        ],
    }


def offer_lines(report: OfferReport) -> list[str]:
    """Plain lines for the text report: each provider's offer and standing, the registry age."""
    lines = [f"Target offers (judged on {report.on.isoformat()}):"]
    if not report.uses:
        lines.append("  - no OpenStack, OVH, Scaleway or OUTSCALE provider to resolve")
    for use in report.uses:
        if use.offer is None:
            lines.append(f"  - {use.provider_name}: {use.what}: {use.standing}")
            continue
        detail = f"{_standing(use)}, {use.offer.visa_text()}, HDS {use.offer.hds.value}"
        unverified = use.unverified()
        if unverified:
            detail += f"; unverified: {', '.join(unverified)}"
        lines.append(f"  - {use.provider_name}: {use.offer.label}: {detail}")
    lines.append("  " + registry_line(report).replace("`", "").replace("**", ""))
    return lines
