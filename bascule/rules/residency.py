"""Data residency: Azure locations (source) and OpenStack/OVH regions (target)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from bascule.rules import props as p
from bascule.rules.base import Enforcement, Param, ResourceView, Rule, Severity

AZURE_PACKAGES = ("azure-native", "azure")


def _check_location(view: ResourceView, params: Mapping[str, Any]) -> Iterator[str]:
    if p.package_of(view.type) not in AZURE_PACKAGES:
        return
    location = view.props.get("location")
    if location is None or p.is_unknown(location) or not isinstance(location, str):
        return
    allowed = [str(a) for a in p.as_seq(params["allowedLocations"])]
    if p.norm(location) not in {p.norm(a) for a in allowed}:
        what = "provider location" if p.is_provider(view.type) else "location"
        yield f"{what} '{location}' is not in the allowed locations {p.fmt_list(allowed)}"


SOV_001 = Rule(
    id="SOV-001",
    slug="azure-location-allowed",
    pack="sovereignty",
    severity=Severity.CRITICAL,
    enforcement=Enforcement.MANDATORY,
    description=(
        "Every Azure resource and azure-native provider with a location is located in an "
        "allowed (French) region."
    ),
    remediation=(
        "Set `location` to francecentral (or francesouth) on the resource, its resource group "
        "and the azure-native provider (`azure-native:location` in the stack config); move "
        "anything deployed elsewhere."
    ),
    secnumcloud=("19.2",),
    hds=("hosting-eea",),
    params={
        "allowedLocations": Param(
            p.str_list_schema(),
            ["francecentral", "francesouth"],
            "Allowed Azure locations (compared case-insensitively, spaces ignored).",
        )
    },
    resource_check=_check_location,
    applies_to=AZURE_PACKAGES,
    rationale=(
        "SecNumCloud 19.2 requires the tenant's data to be stored and processed in the EU, and HDS"
        " requires health data to stay in the EEA. During the migration the Azure source estate "
        "still holds the SNDS copy: a resource or provider outside the French regions would move "
        "health data out of the agreed jurisdiction before the target even exists."
    ),
)

TARGET_PACKAGES = ("openstack", "ovh")


def _check_region(view: ResourceView, params: Mapping[str, Any]) -> Iterator[str]:
    if p.package_of(view.type) not in TARGET_PACKAGES:
        return
    region = view.props.get("region")
    allowed = [str(a) for a in p.as_seq(params["allowedRegions"])]
    if view.type == "pulumi:providers:openstack" and (region is None or region == ""):
        yield (
            "provider region is not set (taken from OS_REGION_NAME, cannot be verified); "
            f"allowed regions are {p.fmt_list(allowed)}"
        )
        return
    if region is None or p.is_unknown(region) or not isinstance(region, str) or not region:
        return
    if p.norm(region) not in {p.norm(a) for a in allowed}:
        what = "provider region" if p.is_provider(view.type) else "region"
        yield f"{what} '{region}' is not in the allowed regions {p.fmt_list(allowed)}"


SOV_002 = Rule(
    id="SOV-002",
    slug="target-region-allowed",
    pack="sovereignty",
    severity=Severity.CRITICAL,
    enforcement=Enforcement.MANDATORY,
    description=(
        "Every OpenStack provider sets an allowed SecNumCloud region, and every OpenStack/OVH "
        "resource that sets a region uses an allowed one."
    ),
    remediation=(
        "Set `region` to EU-WEST-PAR (the qualified region) on the openstack provider "
        "(`openstack:region` in the stack config), on resources that override it and on "
        "`ovh.okms.Okms`."
    ),
    secnumcloud=("19.2",),
    hds=("hosting-eea",),
    params={
        "allowedRegions": Param(
            p.str_list_schema(),
            ["EU-WEST-PAR"],
            "Allowed target regions (case-insensitive).",
        )
    },
    resource_check=_check_region,
    applies_to=TARGET_PACKAGES,
    checkov_id="CKV_BSC_4",
    rationale=(
        "The target is only SecNumCloud-qualified in the regions the visa names; a resource or "
        "provider pointing to another region of the same provider runs on an unqualified, possibly"
        " non-EU, infrastructure (SecNumCloud 19.2, HDS EEA hosting)."
    ),
)


RULES = (
    SOV_001,
    SOV_002,
)
