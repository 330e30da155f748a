"""SecNumCloud qualification of the target offer, judged on a date, from the offer registry.

Three rules over the target estate's explicit providers (`bascule/registry/offers.yaml`):
- SOV-010 (mandatory): each provider resolves, by identity endpoint and region, to an offer
  qualified on the check date; otherwise the finding names what it resolved to and why it
  fails (not qualified, in qualification, visa ended or not started, status unknown, not in
  the registry). An in-progress offer passes only under a suppression (a derogation).
- SOV-011 (advisory): the visa of the offer in use ends within `expiryWindowDays`, or the
  registry itself was reviewed more than `registryMaxAgeDays` before the check date.
- SOV-012 (mandatory): resources with health-data classifications sit on an HDS-certified
  offer.
The check date is the `checkDate` parameter: empty means today (as inside `pulumi preview`);
`bascule policy --today` fills it. The logic is pure over (registry, provider, date); the
Rule wrappers only fetch the registry in use.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from bascule.registry.model import Offer, Registry, Standing, status_on
from bascule.registry.resolve import Resolution, Target, describe_offer, qualified_alternatives
from bascule.registry.resolve import resolve as resolve_target
from bascule.rules import props as p
from bascule.rules.base import (
    Enforcement,
    Finding,
    Param,
    ResourceView,
    Rule,
    Severity,
    StackResource,
)
from bascule.rules.check import Params, Resources

OPENSTACK = "pulumi:providers:openstack"
OVH = "pulumi:providers:ovh"
SCALEWAY = "pulumi:providers:scaleway"
OUTSCALE = (
    "pulumi:providers:outscale"  # e.g. `pulumi package add terraform-provider outscale/outscale`
)
PROVIDER_TYPES = (OPENSTACK, OVH, SCALEWAY, OUTSCALE)
PACKAGES = ("openstack", "ovh", "scaleway", "outscale")

CHECK_DATE = Param(
    {"type": "string", "pattern": r"^(\d{4}-\d{2}-\d{2})?$"},
    "",
    "Date the visas are judged on (YYYY-MM-DD); empty: today. `bascule policy --today` "
    "sets it for the offline run.",
)


@dataclass(frozen=True)
class Unreadable:
    """The provider's configuration does not say where it goes. `reason` None: a preview
    unknown, decided on the update; otherwise the finding's text (cannot verify)."""

    reason: str | None


def default_registry() -> Registry:
    """The registry in use. Imported on first use: the registry's YAML and schema libraries
    are needed only where a qualification rule runs (the sovereignty pack)."""
    from bascule.registry.load import default_registry as load

    return load()


# -- reading a provider --------------------------------------------------------------------


# What a secret reads as in the offline runner, which never holds the plaintext (inside
# `pulumi preview` a rule sees the secret's value itself).
SECRET_PLACEHOLDER = "[secret]"


def _value(props: Mapping[str, Any], key: str, env: str) -> str | Unreadable:
    value = props.get(key)
    if p.is_unknown(value):
        return Unreadable(None)
    if p.is_secret(value) or value == SECRET_PLACEHOLDER:
        return Unreadable(f"cannot verify which offer it belongs to: {key} is a secret")
    if not isinstance(value, str) or not value.strip():
        return Unreadable(
            f"cannot verify which offer it belongs to: {key} is not set (taken from {env})"
        )
    return value.strip()


def _openstack(props: Mapping[str, Any]) -> Target | Unreadable:
    url = _value(props, "authUrl", "OS_AUTH_URL")
    if isinstance(url, Unreadable):
        return url
    host = (urlsplit(url).hostname or "").lower()
    if not host:
        return Unreadable(f"cannot verify which offer it is: authUrl '{url}' names no host")
    region = props.get("region")
    if p.is_unknown(region):
        return Unreadable(None)
    if isinstance(region, str) and region.strip():
        return Target(
            "openstack", host, region.strip(), f"authUrl host '{host}' in region '{region.strip()}'"
        )
    return Target("openstack", host, None, f"authUrl host '{host}' (region not set)")


def _ovh(props: Mapping[str, Any]) -> Target | Unreadable:
    endpoint = _value(props, "endpoint", "OVH_ENDPOINT")
    if isinstance(endpoint, Unreadable):
        return endpoint
    identity = (urlsplit(endpoint).hostname or "") if "://" in endpoint else endpoint
    return Target("ovh", identity.lower(), None, f"endpoint '{endpoint}'")


SCALEWAY_API = "api.scaleway.com"  # the provider's `apiUrl` default (Terraform `api_url`)


def _scaleway(props: Mapping[str, Any]) -> Target | Unreadable:
    region, zone, api = props.get("region"), props.get("zone"), props.get("apiUrl")
    if p.is_unknown(region) or p.is_unknown(zone) or p.is_unknown(api):
        return Unreadable(None)
    if p.is_secret(api):
        return Unreadable("cannot verify which offer it belongs to: apiUrl is a secret")
    if isinstance(region, str) and region.strip():
        name = region.strip()
    elif isinstance(zone, str) and zone.strip():
        name = zone.strip().rsplit("-", 1)[0] if zone.strip()[-1:].isdigit() else zone.strip()
    else:
        return Unreadable(
            "cannot verify which offer it belongs to: region and zone are not set (taken from "
            "SCW_DEFAULT_REGION/SCW_DEFAULT_ZONE)"
        )
    if isinstance(api, str) and api.strip():
        text = api.strip()
        host = ((urlsplit(text).hostname or "") if "://" in text else text).lower()
        return Target("scaleway", host, name, f"apiUrl host '{host}' in region '{name}'")
    what = f"API '{SCALEWAY_API}' (the provider's default apiUrl) in region '{name}'"
    return Target("scaleway", SCALEWAY_API, name, what)


def _outscale(props: Mapping[str, Any]) -> Target | Unreadable:
    region = _value(props, "region", "OSC_REGION")
    if isinstance(region, Unreadable):
        return region
    return Target("outscale", None, region, f"region '{region}'")


READERS = {OPENSTACK: _openstack, OVH: _ovh, SCALEWAY: _scaleway, OUTSCALE: _outscale}


def read_target(type_token: str, props: Mapping[str, Any]) -> Target | Unreadable | None:
    """The Target of a provider resource; None when bascule cannot resolve that provider kind."""
    reader = READERS.get(type_token)
    return reader(props) if reader is not None else None


def check_date(params: Params) -> dt.date | str:
    """The date to judge on, or the text of a finding when `checkDate` is not a date."""
    text = params.get("checkDate") or ""
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(str(text))
    except ValueError:
        return f"checkDate {text!r} is not a YYYY-MM-DD date: cannot judge the visa"


# -- SOV-010: qualified on the check date --------------------------------------------------


def _alternatives(registry: Registry, offer: Offer | None, target: Target, on: dt.date) -> str:
    provider = offer.provider if offer is not None else None
    if provider is None:
        return ""
    found = qualified_alternatives(registry, provider, target.package, on, 0)
    found = tuple(o for o in found if o is not offer)
    kind = "qualified OpenStack-based offer" if target.package == "openstack" else "qualified offer"
    if not found:
        return f"; the registry lists no other {kind} of {provider} for this provider type"
    plural = "s are" if len(found) > 1 else " is"
    return f"; {provider}'s {kind}{plural} " + "; ".join(describe_offer(o) for o in found)


def _not_in_registry(registry: Registry, resolution: Resolution) -> str:
    target = resolution.target
    text = (
        f"{target.what} is not in the offer registry (reviewed "
        f"{registry.reviewed.isoformat()}): its SecNumCloud qualification cannot be established"
    )
    for near in resolution.near:
        regions = ", ".join(near.region_names) or "unknown"
        text += f"; that host belongs to {near.label}, whose regions are [{regions}]"
    return text


def qualification_messages(registry: Registry, target: Target, on: dt.date) -> list[str]:
    """SOV-010's findings for one provider target on date `on` (empty: qualified)."""
    resolution = resolve_target(registry, target)
    if not resolution.offers:
        return [_not_in_registry(registry, resolution)]
    if len(resolution.offers) > 1:
        labels = ", ".join(o.label for o in resolution.offers)
        return [
            f"cannot verify the offer: {target.what} matches several offers of the registry "
            f"({labels})"
        ]
    offer = resolution.offers[0]
    q = offer.secnumcloud
    head = f"{target.what} is {offer.label}"
    standing = status_on(offer, on, 0).standing
    if standing in (Standing.QUALIFIED, Standing.EXPIRING):
        return []
    if standing is Standing.NONE:
        why = "which is not a SecNumCloud-qualified offer"
    elif standing is Standing.IN_PROGRESS:
        why = (
            f"which is in SecNumCloud qualification (stage {q.stage} since "
            f"{q.since.isoformat() if q.since else 'unknown'}), not qualified: a derogation "
            "(a suppression with a reason and an expiry) is needed to use it"
        )
    elif standing is Standing.EXPIRED:
        why = (
            f"whose SecNumCloud visa (ANSSI decision {q.decision}) ended on "
            f"{q.end.isoformat() if q.end else '?'}, before {on.isoformat()}"
        )
    elif standing is Standing.NOT_YET:
        why = (
            f"whose SecNumCloud visa (ANSSI decision {q.decision}) starts on "
            f"{q.start.isoformat() if q.start else '?'}, after {on.isoformat()}"
        )
    else:
        head = f"cannot verify the qualification: {head}"
        why = "whose SecNumCloud status is unknown in the offer registry"
    return [f"{head}, {why}" + _alternatives(registry, offer, target, on)]


def _check_qualified(view: ResourceView, params: Params) -> Iterator[str]:
    target = read_target(view.type, view.props)
    if target is None:
        return
    if isinstance(target, Unreadable):
        if target.reason:
            yield target.reason
        return
    on = check_date(params)
    if isinstance(on, str):
        yield on
        return
    yield from qualification_messages(default_registry(), target, on)


SOV_010 = Rule(
    id="SOV-010",
    slug="target-offer-qualified",
    severity=Severity.CRITICAL,
    enforcement=Enforcement.MANDATORY,
    description=(
        "Every target provider resolves, by its identity endpoint and region, to an offer of "
        "the registry that holds a valid SecNumCloud visa on the check date."
    ),
    remediation=(
        "Point the provider at a qualified offer (`bascule providers` lists them with their "
        "regions and visas), for example OVHcloud SNC Cloud Platform; while a provider "
        "completes its qualification, record a derogation as a suppression with a reason and "
        "an expiry. If the offer is qualified but missing, add it to the registry with sources."
    ),
    rationale=(
        "SecNumCloud is a qualification of one offer, granted by ANSSI for a limited period: "
        "an endpoint or region outside the qualified offer, or an offer whose visa has ended, "
        "gives none of the guarantees of chapter 19 (data stored and administered in the EU, "
        "protection from non-EU law). The rule judges the offer each provider resolves to on "
        "the check date, from the dated and sourced offer registry."
    ),
    secnumcloud=("19.2", "19.6"),
    hds=("hosting-eea", "third-country-access"),
    params={"checkDate": CHECK_DATE},
    resource_check=_check_qualified,
    applies_to=PROVIDER_TYPES,
)


# -- SOV-011: visa ending soon, registry gone stale -----------------------------------------


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def advisory_messages(
    registry: Registry, target: Target, on: dt.date, window_days: int, max_age_days: int
) -> list[str]:
    """SOV-011's findings for one provider target on date `on`."""
    found: list[str] = []
    resolution = resolve_target(registry, target)
    if len(resolution.offers) == 1:
        offer = resolution.offers[0]
        status = status_on(offer, on, window_days)
        q = offer.secnumcloud
        if status.standing is Standing.EXPIRING and q.end is not None:
            found.append(
                f"{target.what} is {offer.label}, whose SecNumCloud visa (ANSSI decision "
                f"{q.decision}) ends on {q.end.isoformat()}, {_days(status.days_left or 0)} "
                f"after {on.isoformat()} (window {window_days} days): obtain the renewal "
                "decision or plan the move"
            )
    age = registry.age_days(on)
    if age > max_age_days:
        found.append(
            f"the offer registry was last reviewed on {registry.reviewed.isoformat()}, {age} "
            f"days before {on.isoformat()} (limit {max_age_days}): re-check its visas against "
            "ANSSI's catalogue before trusting this result"
        )
    return found


def _check_advisories(view: ResourceView, params: Params) -> Iterator[str]:
    target = read_target(view.type, view.props)
    if target is None or isinstance(target, Unreadable):
        return  # SOV-010 reports what cannot be read
    on = check_date(params)
    if isinstance(on, str):
        return
    window = p.to_int(params["expiryWindowDays"]) or 0
    max_age = p.to_int(params["registryMaxAgeDays"]) or 0
    yield from advisory_messages(default_registry(), target, on, window, max_age)


SOV_011 = Rule(
    id="SOV-011",
    slug="target-offer-visa-current",
    severity=Severity.MEDIUM,
    enforcement=Enforcement.ADVISORY,
    description=(
        "The SecNumCloud visa of the target offer does not end within the warning window, and "
        "the offer registry was reviewed recently enough to be trusted."
    ),
    remediation=(
        "Ask the provider for ANSSI's renewal decision and record it in the registry (a new "
        "visa with its source), or plan the move to another qualified offer; review "
        "bascule/registry/offers.yaml against ANSSI's catalogue and update `reviewed`."
    ),
    rationale=(
        "A visa that ends during the migration, or a registry nobody has re-read against "
        "ANSSI's catalogue, silently turns a qualified target into an unqualified one; the "
        "warning leaves time to obtain the renewal decision or to plan a move."
    ),
    secnumcloud=("19.2", "19.6"),
    hds=("hosting-eea",),
    params={
        "checkDate": CHECK_DATE,
        "expiryWindowDays": Param(
            p.int_schema(0), 180, "Warn when the visa ends within this many days."
        ),
        "registryMaxAgeDays": Param(
            p.int_schema(1), 90, "Warn when the registry's review date is older than this."
        ),
    },
    resource_check=_check_advisories,
    applies_to=PROVIDER_TYPES,
)


# -- SOV-012: health data on an HDS-certified offer -----------------------------------------


def _names(members: Sequence[StackResource]) -> str:
    names = [m.name for m in members[:3]]
    more = f", and {len(members) - 3} more" if len(members) > 3 else ""
    return ", ".join(names) + more


def hds_message(
    registry: Registry,
    provider_name: str,
    target: Target | Unreadable,
    members: Sequence[StackResource],
) -> str | None:
    """SOV-012's finding for the health-classified resources on one provider (None: HDS)."""
    many = len(members) > 1
    held = (
        f"{len(members)} resources with health-data classifications ({_names(members)})"
        if many
        else f"1 resource with a health-data classification ({_names(members)})"
    )
    are, use = ("are", "use") if many else ("is", "uses")
    if isinstance(target, Unreadable):
        return (
            f"cannot verify the HDS certification: {held} {use} provider '{provider_name}', "
            f"whose offer cannot be established ({target.reason})"
        )
    resolution = resolve_target(registry, target)
    if len(resolution.offers) != 1:
        why = "is not in the offer registry" if not resolution.offers else "matches several offers"
        return (
            f"cannot verify the HDS certification: {held} {use} provider '{provider_name}': "
            f"{target.what} {why}"
        )
    offer = resolution.offers[0]
    status = offer.hds.value
    if status == "certified":
        return None
    if status == "not-certified":
        return f"{held} {are} hosted on {offer.label}, which is not HDS-certified"
    return (
        f"cannot verify the HDS certification: {held} {are} hosted on {offer.label}, whose HDS "
        "certification is unknown in the offer registry"
    )


def _check_hds(resources: Resources, params: Params) -> Iterator[Finding]:
    classes = set(p.str_values(params["healthClassifications"]))
    groups: dict[str, tuple[Any, list[StackResource]]] = {}
    for r in resources:
        if p.is_provider(r.type) or p.package_of(r.type) not in PACKAGES:
            continue
        if p.classification_of(r.props) not in classes:
            continue
        if r.provider is None:
            yield Finding(
                f"cannot verify the HDS certification: holds {p.classification_of(r.props)} "
                "data through a default provider, whose offer cannot be established",
                r.urn,
            )
            continue
        groups.setdefault(r.provider.urn, (r.provider, []))[1].append(r)
    registry = default_registry()
    for urn, (provider, members) in sorted(groups.items()):
        target = read_target(provider.type, provider.props)
        if target is None:
            target = Unreadable(f"bascule cannot resolve providers of type '{provider.type}'")
        elif isinstance(target, Unreadable) and target.reason is None:
            continue  # a preview unknown: decided on the update
        message = hds_message(registry, provider.name, target, members)
        if message:
            yield Finding(message, urn)


SOV_012 = Rule(
    id="SOV-012",
    slug="health-data-on-hds-offer",
    severity=Severity.CRITICAL,
    enforcement=Enforcement.MANDATORY,
    description=(
        "Target resources classified as health data are hosted on an offer whose HDS "
        "certification the registry confirms."
    ),
    remediation=(
        "Host health data only on an HDS-certified offer: check the provider's HDS "
        "certificate scope, record it in the registry with its source, or move the data; "
        "while the certificate is being confirmed, record a derogation (suppression) on the "
        "provider's URN with a reason and an expiry."
    ),
    rationale=(
        "Hosting personal health data for others requires an HDS-certified host (French "
        "public health code, article L.1111-8); a SecNumCloud visa does not imply it, and the "
        "certificate must cover the offer that actually holds the data."
    ),
    secnumcloud=("19.2",),
    hds=("hosting-eea", "hds-security"),
    params={
        "healthClassifications": p.health_classes_param(
            "Classifications (tag or metadata `classification`) that mark health data."
        )
    },
    stack_check=_check_hds,
    applies_to=PACKAGES,
)

RULES = (SOV_010, SOV_011, SOV_012)
