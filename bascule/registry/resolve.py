"""Resolution: a target provider's identity and region -> the registry's offer.

Pure. The caller reads the provider's configuration (`bascule.rules.qualification` does it for
Pulumi provider resources) into a `Target`; `resolve` finds the offers whose `match` entries
cover it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bascule.registry.model import (
    QUALIFIED_STANDINGS,
    Match,
    Offer,
    Registry,
    status_on,
)


@dataclass(frozen=True)
class Target:
    """What a provider says about where it goes."""

    package: str  # "openstack", "ovh", "scaleway"...
    identity: str | None  # Keystone host or OVH endpoint, lower case; None if the kind has none
    region: str | None
    what: str  # how messages name it: "authUrl host 'x' in region 'y'"


@dataclass(frozen=True)
class Resolution:
    target: Target
    offers: tuple[Offer, ...]  # every offer whose match covers the target (one, normally)
    near: tuple[Offer, ...] = ()  # offers whose identity matched but not the region


def norm_region(value: str) -> str:
    return "".join(ch for ch in value.lower() if ch not in " -_")


def host_matches(pattern: str, host: str) -> bool:
    """`auth.cloud.ovh.net` matches itself; `*.cloud.snc.ovh.net` matches any host under it
    (not the bare domain)."""
    pattern, host = pattern.lower(), host.lower()
    if pattern.startswith("*."):
        return host.endswith(pattern[1:]) and len(host) > len(pattern) - 1
    return host == pattern


def _identity_ok(match: Match, target: Target) -> bool:
    if not match.identities:
        return True
    return target.identity is not None and any(
        host_matches(pattern, target.identity) for pattern in match.identities
    )


def _region_ok(match: Match, target: Target) -> bool:
    if match.regions is None:
        return True
    if target.region is None:
        return False
    return norm_region(target.region) in {norm_region(r) for r in match.regions}


def resolve(registry: Registry, target: Target) -> Resolution:
    offers: list[Offer] = []
    near: list[Offer] = []
    for offer in registry.offers:
        for match in offer.matches:
            if match.package != target.package or not _identity_ok(match, target):
                continue
            if _region_ok(match, target):
                offers.append(offer)
                break
            if match.identities and offer not in near:
                near.append(offer)
    return Resolution(target, tuple(offers), tuple(o for o in near if o not in offers))


def qualified_alternatives(
    registry: Registry, provider: str, package: str, on: dt.date, window_days: int
) -> tuple[Offer, ...]:
    """The provider's offers qualified on `on` that a provider of `package` can resolve to."""
    return tuple(
        offer
        for offer in registry.offers
        if offer.provider == provider
        and any(m.package == package for m in offer.matches)
        and status_on(offer, on, window_days).standing in QUALIFIED_STANDINGS
    )


def describe_offer(offer: Offer) -> str:
    """`SNC Cloud Platform (eu-west-rbx-snc, eu-west-sbg-snc, valid 2026-07-31 to 2029-07-31)`."""
    parts = [*offer.region_names, offer.visa_text()]
    return f"{offer.name} ({', '.join(parts)})"
