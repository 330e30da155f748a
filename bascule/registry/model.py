"""The registry as plain frozen values, and an offer's SecNumCloud standing on a date.

Pure: no I/O. `load.py` builds these from `offers.yaml`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

ANY = "any"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Source:
    id: str
    url: str
    title: str
    checked: dt.date
    access: str  # "primary" | "secondary" (read through copies)
    note: str = ""


@dataclass(frozen=True)
class Fact:
    """One fact of an offer: a value, whether a primary source confirms it, and its sources."""

    value: str | tuple[str, ...]
    verified: bool
    sources: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class Qualification:
    """The offer's SecNumCloud status as the sources give it (not judged on a date)."""

    status: str  # "qualified" | "in-progress" | "none" | "unknown"
    verified: bool
    sources: tuple[str, ...]
    version: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    decision: str = ""
    stage: str = ""  # in-progress: "J0".."J3"
    since: dt.date | None = None
    note: str = ""


@dataclass(frozen=True)
class Endpoint:
    kind: str  # "identity" | "api" | "s3"
    pattern: str  # a host, "*.domain", or "unknown"
    verified: bool
    sources: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class Match:
    """Which provider configurations belong to the offer: the provider package, its identity
    (Keystone host, OVH endpoint; exact or `*.domain`) and its regions (None: any)."""

    package: str
    identities: tuple[str, ...] = ()
    regions: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Offer:
    id: str
    provider: str
    name: str
    service: tuple[str, ...]  # its service models (IaaS, PaaS, CaaS, SaaS), from offers.yaml
    openstack: Fact
    secnumcloud: Qualification
    hds: Fact
    regions: Fact  # value: a tuple of names, "any" or "unknown"
    endpoints: tuple[Endpoint, ...] = ()
    matches: tuple[Match, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.provider} {self.name}"

    @property
    def region_names(self) -> tuple[str, ...]:
        return self.regions.value if isinstance(self.regions.value, tuple) else ()

    def visa_text(self) -> str:
        """`valid 2026-07-31 to 2029-07-31` (or the in-progress stage, or the status)."""
        q = self.secnumcloud
        if q.status == "qualified" and q.start and q.end:
            return f"valid {q.start.isoformat()} to {q.end.isoformat()}"
        if q.status == "in-progress" and q.since:
            return f"in qualification, stage {q.stage} since {q.since.isoformat()}"
        return "not qualified" if q.status == "none" else "status unknown"


@dataclass(frozen=True)
class Registry:
    reviewed: dt.date
    sources: Mapping[str, Source]
    offers: tuple[Offer, ...]
    origin: str = ""  # the file it was read from
    by_id: Mapping[str, Offer] = field(default_factory=dict)

    def age_days(self, on: dt.date) -> int:
        return (on - self.reviewed).days


class Standing(StrEnum):
    """An offer's SecNumCloud standing on a given date."""

    QUALIFIED = "qualified"
    EXPIRING = "expiring"  # qualified, and the visa ends within the window
    EXPIRED = "expired"
    NOT_YET = "not-yet-valid"  # the visa starts after the date
    IN_PROGRESS = "in-progress"
    NONE = "none"
    UNKNOWN = "unknown"


QUALIFIED_STANDINGS = (Standing.QUALIFIED, Standing.EXPIRING)


@dataclass(frozen=True)
class OfferStatus:
    standing: Standing
    days_left: int | None = None  # qualified or expiring: days until the visa's last day


def status_on(offer: Offer, on: dt.date, window_days: int) -> OfferStatus:
    """The offer's standing on `on`: a visa is valid from its start to its end, both included;
    it is `expiring` when it ends within `window_days` of `on`."""
    q = offer.secnumcloud
    if q.status == "in-progress":
        return OfferStatus(Standing.IN_PROGRESS)
    if q.status == "none":
        return OfferStatus(Standing.NONE)
    if q.status != "qualified" or q.start is None or q.end is None:
        return OfferStatus(Standing.UNKNOWN)
    if on < q.start:
        return OfferStatus(Standing.NOT_YET)
    if on > q.end:
        return OfferStatus(Standing.EXPIRED)
    left = (q.end - on).days
    return OfferStatus(Standing.EXPIRING if left <= window_days else Standing.QUALIFIED, left)
