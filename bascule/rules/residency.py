"""Data residency: Azure locations (source) and OpenStack/OVH regions (target).

Residency is read wherever a resource states it, at any depth: `location`, `locations[]
.locationName`, `secondaryLocation` (Azure); `region`, `regionName`, `regions`,
`nodes[].region`, `backupRegions`, replication destinations (OpenStack/OVHcloud); `region` and
`zone` (Scaleway, whose zones are `<region>-<n>`). A provider (explicit, or the engine's
`default_<version>` one built from the stack config, which has the same type) that states
none cannot be verified: the environment decides at run time. The target providers'
packages and region providers come from bascule/providers; Scaleway's region and zone are
judged here whether or not bascule/providers lists it yet.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator, Mapping
from functools import lru_cache
from typing import Any

from bascule.providers import region_providers, scaleway, target_packages
from bascule.rules import props as p
from bascule.rules.base import Enforcement, Param, ResourceView, Rule, Severity
from bascule.rules.check import Params

AZURE_PACKAGES = ("azure-native", "azure")
# Scaleway places a resource by region (`fr-par`) or zone (`fr-par-1`): its provider states
# both (SCW_DEFAULT_REGION / SCW_DEFAULT_ZONE decide otherwise).
SCALEWAY = scaleway.FACTS.packages[0]
SCALEWAY_PROVIDER = scaleway.FACTS.provider_type
SCALEWAY_ENV = {"region": "SCW_DEFAULT_REGION", "zone": "SCW_DEFAULT_ZONE"}
TARGET_PACKAGES = target_packages()
# Providers whose region must be stated (OVHcloud's provider has none: its resources do;
# Scaleway's states a region and a zone, judged by _check_scaleway).
REGION_PROVIDERS = tuple(r for r in region_providers() if r != SCALEWAY_PROVIDER)
LOCATION_PROVIDERS = ("pulumi:providers:azure-native", "pulumi:providers:azure")


@lru_cache(maxsize=4096)
def _names(key: str, marker: str) -> bool:
    """The key has the word `marker` (or its plural): `location`, `secondaryLocation`,
    `locationName`, `backupRegions`, `region_name`; not `publicIPAllocationMethod`."""
    if marker not in key.lower():
        return False
    words = re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+", key)
    return any(w.lower() in (marker, marker + "s") for w in words)


def _stated(value: Any, path: str, marker: str) -> Iterator[tuple[str, Any]]:
    """(path, value) of every string (or list of strings) under a key naming `marker`."""
    if isinstance(value, Mapping):
        for k, item in value.items():
            key = str(k)
            container = isinstance(item, Mapping) or p.is_seq(item)
            if not _names(key, marker):
                if container:
                    yield from _stated(item, f"{path}.{key}" if path else key, marker)
                continue
            here = f"{path}.{key}" if path else key
            if not container:
                yield here, item
            elif p.is_seq(item) and all(not isinstance(i, Mapping) for i in item):
                for index, entry in enumerate(item):
                    yield f"{here}[{index}]", entry
            else:
                yield from _stated(item, here, marker)
    elif p.is_seq(value):
        for index, item in enumerate(value):
            if isinstance(item, Mapping) or p.is_seq(item):
                yield from _stated(item, f"{path}[{index}]", marker)


def _judge(view: ResourceView, marker: str, allowed: list[str], what: str) -> Iterator[str]:
    norms = {p.norm(a) for a in allowed}
    for path, value in _stated(view.props, "", marker):
        if value is None or value == "" or p.is_unknown(value):
            continue
        label = f"provider {what}" if p.is_provider(view.type) else what
        if p.is_secret(value) or not isinstance(value, str):
            yield f"cannot verify the {label} at {path}: the value is {p.show(value)}"
        elif p.norm(value) not in norms:
            field = "" if path == marker else f" ({path})"
            yield f"{label} '{value}'{field} is not in the allowed {what}s {p.fmt_list(allowed)}"


def _placed(
    view: ResourceView,
    what: str,
    allowed: list[str],
    env: str | None,
    markers: tuple[str, ...] = (),
) -> Generator[str, None, bool]:
    """The `what` (location, region, zone) stated under keys naming `what` (and `markers`),
    against `allowed`. `env`: the view is a provider, which must set `what` itself, or `env`
    decides at run time: cannot verify, and nothing else is judged (returns False)."""
    if env is not None and view.props.get(what) in (None, ""):
        yield (
            f"cannot verify the {what}: the provider sets no {what} ({env} decides at run time); "
            f"allowed {what}s are {p.fmt_list(allowed)}"
        )
        return False
    for marker in (what, *markers):
        yield from _judge(view, marker, allowed, what)
    return True


# --------------------------------------------------------------------------- SOV-001


def _check_location(view: ResourceView, params: Params) -> Iterator[str]:
    if p.package_of(view.type) not in AZURE_PACKAGES:
        return
    allowed = [str(a) for a in p.as_seq(params["allowedLocations"])]
    env = "ARM_LOCATION or each resource" if view.type in LOCATION_PROVIDERS else None
    stated = yield from _placed(view, "location", allowed, env)
    extended = view.props.get("extendedLocation")
    if stated and isinstance(extended, Mapping) and p.has_value(extended.get("name")):
        name = extended.get("name")
        yield f"extendedLocation '{name!s}' places the resource in an Azure Edge Zone"


SOV_001 = Rule(
    id="SOV-001",
    slug="azure-location-allowed",
    severity=Severity.CRITICAL,
    enforcement=Enforcement.MANDATORY,
    description=(
        "Every Azure resource and provider states only allowed (French) locations, in every "
        "field that places data."
    ),
    remediation=(
        "Set `location` to francecentral (or francesouth) on the resource, its resource group "
        "and the azure-native provider (`azure-native:location` in the stack config, also for "
        "the default provider); put replicas and secondary locations there too; drop "
        "`extendedLocation`."
    ),
    secnumcloud=("19.2",),
    hds=("hosting-eea",),
    params={
        "allowedLocations": Param.str_list(
            ["francecentral", "francesouth"],
            "Allowed Azure locations (compared case-insensitively, spaces ignored).",
        )
    },
    resource_check=_check_location,
    applies_to=AZURE_PACKAGES,
    rationale=(
        "SecNumCloud 19.2 requires the tenant's data to be stored and processed in the EU, and "
        "HDS requires health data to stay in the EEA. During the migration the Azure source "
        "estate still holds the SNDS copy: a resource, a replica or a provider outside the "
        "French regions would move health data out of the agreed jurisdiction, and a provider "
        "that states no location leaves the choice to whoever runs it."
    ),
)


# --------------------------------------------------------------------------- SOV-002


def _check_region(view: ResourceView, params: Params) -> Iterator[str]:
    package = p.package_of(view.type)
    if package not in TARGET_PACKAGES:
        return
    if package == SCALEWAY:
        yield from _check_scaleway(view, params)
        return
    allowed = [str(a) for a in p.as_seq(params["allowedRegions"])]
    env = "OS_REGION_NAME or clouds.yaml" if view.type in REGION_PROVIDERS else None
    yield from _placed(view, "region", allowed, env)


def _check_scaleway(view: ResourceView, params: Params) -> Iterator[str]:
    """Scaleway regions and zones: each checked against its own list (a zone is never
    allowed for its name's prefix alone: `fr-par-9` is not `fr-par-1`)."""
    lists = {
        "region": [str(a) for a in p.as_seq(params["allowedScalewayRegions"])],
        "zone": [str(a) for a in p.as_seq(params["allowedScalewayZones"])],
    }
    for what, allowed in lists.items():
        env = SCALEWAY_ENV[what] if view.type == SCALEWAY_PROVIDER else None
        # IPAM sources name their subnet's zone `zonal`
        yield from _placed(view, what, allowed, env, ("zonal",) if what == "zone" else ())


SOV_002 = Rule(
    id="SOV-002",
    slug="target-region-allowed",
    severity=Severity.CRITICAL,
    enforcement=Enforcement.MANDATORY,
    description=(
        "Every OpenStack provider states an allowed SecNumCloud region, every Scaleway provider "
        "an allowed region and zone, and every OpenStack, OVHcloud or Scaleway resource states "
        "only allowed regions and zones, in every field that places data."
    ),
    remediation=(
        "Set `region` to a region of the qualified offer (OVHcloud SNC Cloud Platform: "
        "eu-west-rbx-snc or eu-west-sbg-snc; `bascule providers` lists them) on the openstack "
        "provider (`openstack:region` in the stack config, also for the default provider), on "
        "resources that override it, on `ovh.okms.Okms`, and in `regionName`, `nodes[].region`, "
        "`backupRegions` and replication destinations of OVHcloud services. Scaleway: "
        "`region: fr-par` and `zone: fr-par-1` (or -2, -3) on the scaleway provider "
        "(`scaleway:region`/`scaleway:zone` in the stack config, also for the default "
        "provider) and on every resource that overrides them."
    ),
    secnumcloud=("19.2",),
    hds=("hosting-eea",),
    params={
        "allowedRegions": Param.str_list(
            ["eu-west-rbx-snc", "eu-west-sbg-snc"],
            "Allowed target regions (case-insensitive; default: the regions of OVHcloud SNC "
            "Cloud Platform, the qualified offer the bundled stacks use).",
        ),
        "allowedScalewayRegions": Param.str_list(
            ["fr-par"],
            "Allowed Scaleway regions (case-insensitive; default: Paris, the region of the "
            "Health Data Hub's Scaleway target).",
        ),
        "allowedScalewayZones": Param.str_list(
            ["fr-par-1", "fr-par-2", "fr-par-3"],
            "Allowed Scaleway zones (case-insensitive; default: the zones of fr-par).",
        ),
    },
    resource_check=_check_region,
    applies_to=TARGET_PACKAGES,
    rationale=(
        "The target is only SecNumCloud-qualified in the regions its visa names; a resource, "
        "a database node, a backup or a replica in another region of the same provider runs "
        "on an unqualified, possibly non-EU, infrastructure (SecNumCloud 19.2, HDS EEA "
        "hosting). A provider with no region is placed by the operator's environment; a "
        "Scaleway zone belongs to one region, so a zone of Amsterdam or Warsaw places the "
        "resource there whatever the region says."
    ),
    checkov_id="CKV_BSC_4",
)


RULES = (SOV_001, SOV_002)
