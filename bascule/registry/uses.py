"""Which registry offers a snapshot's target providers use, for reports (the compliance
matrix cites the offer and visa behind SecNumCloud 19.x). Pure over the given values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bascule.registry.model import Offer, Registry, status_on
from bascule.registry.resolve import resolve
from bascule.rules.qualification import Unreadable, read_target

DEFAULT_WINDOW_DAYS = 180
DEFAULT_MAX_AGE_DAYS = 90


@dataclass(frozen=True)
class OfferUse:
    provider_urn: str
    provider_name: str
    what: str  # "authUrl host 'x' in region 'y'", or why it cannot be read
    offer: Offer | None  # None: not in the registry, unreadable or ambiguous
    standing: str  # Standing value, or "not in the registry" / "cannot verify"
    days_left: int | None = None

    def unverified(self) -> list[str]:
        """The facts behind this use that no primary source confirms."""
        if self.offer is None:
            return []
        o = self.offer
        found = [
            e.kind + " endpoint" for e in o.endpoints if e.kind == "identity" and not e.verified
        ]
        found += [
            name
            for name, fact in (("OpenStack", o.openstack), ("HDS", o.hds), ("regions", o.regions))
            if not fact.verified
        ]
        if not o.secnumcloud.verified:
            found.append("SecNumCloud status")
        return found


@dataclass(frozen=True)
class OfferReport:
    registry: Registry
    on: dt.date
    uses: tuple[OfferUse, ...]
    max_age_days: int = DEFAULT_MAX_AGE_DAYS

    @property
    def age_days(self) -> int:
        return self.registry.age_days(self.on)

    @property
    def stale(self) -> bool:
        return self.age_days > self.max_age_days


def offer_uses(
    providers: Iterable[tuple[str, str, str, Mapping[str, Any]]],
    registry: Registry,
    on: dt.date,
    window_days: int = DEFAULT_WINDOW_DAYS,
) -> tuple[OfferUse, ...]:
    """One OfferUse per (urn, name, type, inputs) provider bascule can resolve."""
    uses = []
    for urn, name, type_token, props in providers:
        target = read_target(type_token, props)
        if target is None:
            continue
        if isinstance(target, Unreadable):
            uses.append(
                OfferUse(urn, name, target.reason or "not known yet", None, "cannot verify")
            )
            continue
        resolution = resolve(registry, target)
        if len(resolution.offers) != 1:
            label = "not in the registry" if not resolution.offers else "cannot verify"
            uses.append(OfferUse(urn, name, target.what, None, label))
            continue
        offer = resolution.offers[0]
        status = status_on(offer, on, window_days)
        uses.append(OfferUse(urn, name, target.what, offer, str(status.standing), status.days_left))
    return tuple(uses)
