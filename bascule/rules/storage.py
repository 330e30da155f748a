"""Storage: volume encryption, public read, versioning, TLS."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

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

VOLUME = "openstack:blockstorage/volume:Volume"
SWIFT = "openstack:objectstorage/container:Container"
STORAGE_ACCOUNT = "azure-native:storage:StorageAccount"
BLOB_CONTAINER = "azure-native:storage:BlobContainer"
BLOB_SERVICE = "azure-native:storage:BlobServiceProperties"
VAULT = "azure-native:keyvault:Vault"


# --------------------------------------------------------------------------- PRT-003


def _check_volume(view: ResourceView, params: Mapping[str, Any]) -> Iterator[str]:
    if view.type != VOLUME:
        return
    vtype = view.props.get("volumeType")
    if p.is_unknown(vtype):
        return
    allowed = [str(x) for x in p.as_seq(params["encryptedVolumeTypes"])]
    if not isinstance(vtype, str) or not vtype:
        yield (
            "volumeType is not set (the default type is not encrypted); "
            f"use one of {p.fmt_list(allowed)}"
        )
    elif vtype not in allowed:
        yield f"volumeType '{vtype}' is not an encrypted volume type {p.fmt_list(allowed)}"


PRT_003 = Rule(
    id="PRT-003",
    slug="volume-encryption",
    pack="protection",
    severity=Severity.HIGH,
    enforcement=Enforcement.MANDATORY,
    description="Every OpenStack block volume uses an encrypted (LUKS) volume type.",
    remediation=(
        "Set `volumeType` to an encrypted type (encrypted-luks) on every "
        "openstack.blockstorage.Volume, including boot volumes."
    ),
    secnumcloud=("10.1",),
    hds=("hds-security",),
    params={
        "encryptedVolumeTypes": Param(
            p.str_list_schema(), ["encrypted-luks"], "Cinder volume types encrypted at rest."
        )
    },
    resource_check=_check_volume,
    applies_to=(VOLUME,),
    checkov_id="CKV_BSC_2",
    rationale=(
        "A Cinder volume on a volume type without encryption is stored in clear on the provider's "
        "storage backend (SecNumCloud 10.1 a: per-volume encryption for block access)."
    ),
)


# --------------------------------------------------------------------------- PRT-005


def _check_public(view: ResourceView, params: Mapping[str, Any]) -> Iterator[str]:
    props = view.props
    if view.type == SWIFT:
        acl = props.get("containerRead")
        if isinstance(acl, str) and not p.is_unknown(acl):
            entries = [e.strip() for e in acl.split(",")]
            public = [e for e in entries if e.startswith(".r:")]
            if public:
                yield f"containerRead '{acl}' grants public read by referrer ({', '.join(public)})"
    elif view.type == STORAGE_ACCOUNT:
        if p.to_bool(props.get("allowBlobPublicAccess")) is True:
            yield "allowBlobPublicAccess is true, must be false"
        yield from _public_network(props.get("publicNetworkAccess"), "publicNetworkAccess")
    elif view.type == VAULT:
        yield from _public_network(
            p.get(props, "properties.publicNetworkAccess"), "properties.publicNetworkAccess"
        )
    elif view.type == BLOB_CONTAINER:
        access = props.get("publicAccess")
        if isinstance(access, str) and not p.is_unknown(access) and access.lower() != "none":
            yield f"publicAccess is '{access}', must be 'None'"


def _public_network(value: Any, path: str) -> Iterator[str]:
    if p.is_unknown(value):
        return
    if not isinstance(value, str) or value.lower() != "disabled":
        shown = "not set (defaults to Enabled)" if value is None else f"'{value}'"
        yield f"{path} is {shown}, must be 'Disabled'"


PRT_005 = Rule(
    id="PRT-005",
    slug="storage-no-public-read",
    pack="protection",
    severity=Severity.CRITICAL,
    enforcement=Enforcement.MANDATORY,
    description=(
        "No storage (Swift container, storage account, blob container, key vault) is "
        "readable or reachable from the public network."
    ),
    remediation=(
        "Swift: remove `.r:` referrer entries from `containerRead` (grant project/user ACLs). "
        "Azure: set `allowBlobPublicAccess: false` and `publicNetworkAccess: Disabled` on "
        "StorageAccount, `properties.publicNetworkAccess: Disabled` on keyvault.Vault, "
        "`publicAccess: None` on BlobContainer; reach them through private endpoints."
    ),
    secnumcloud=("9.7", "19.2"),
    hds=("hds-security",),
    resource_check=_check_public,
    applies_to=(SWIFT, STORAGE_ACCOUNT, VAULT, BLOB_CONTAINER),
    checkov_id="CKV_BSC_1",
    rationale=(
        "A public-read container, blob or key vault reachable from the internet exposes health "
        "data to anyone (SecNumCloud 9.7: resources protected against unauthorised access; 13.2 "
        "network partitioning)."
    ),
)


# --------------------------------------------------------------------------- PRT-006


def _account_names(res: StackResource) -> set[str]:
    names = {res.name}
    for key in ("accountName", "name"):
        value = res.props.get(key)
        if isinstance(value, str) and value and not p.is_unknown(value):
            names.add(value.lower())
    return {n.lower() for n in names}


def _service_account(res: StackResource) -> str | None:
    value = res.props.get("accountName")
    if isinstance(value, str) and value and not p.is_unknown(value):
        return value.lower()
    match = re.search(r"/storageAccounts/([^/]+)", str(res.props.get("id") or ""), re.I)
    return match.group(1).lower() if match else None


def _check_versioning(
    resources: Sequence[StackResource], params: Mapping[str, Any]
) -> Iterator[Finding]:
    classes = [str(c) for c in p.as_seq(params["protectedClassifications"])]
    services = [r for r in resources if r.type == BLOB_SERVICE]
    for res in resources:
        if not p.has_class(res.props, classes):
            continue
        cls = p.classification_of(res.props)
        if res.type == SWIFT:
            versioned = p.swift_versioned(res.props)
            if versioned is False:
                yield Finding(
                    f"container '{res.name}' of classification '{cls}' has neither "
                    "versioning nor versioningLegacy",
                    res.urn,
                )
        elif res.type == STORAGE_ACCOUNT:
            immutable = p.get(res.props, "immutableStorageWithVersioning.enabled")
            if p.to_bool(immutable) is True:
                continue
            names = _account_names(res)
            matched = [
                s for s in services if _service_account(s) in names or res.urn in s.dependencies
            ]
            values = [s.props.get("isVersioningEnabled") for s in matched]
            if any(p.is_unknown(v) for v in values):
                continue
            if not any(p.to_bool(v) is True for v in values):
                shown = (
                    "has no BlobServiceProperties"
                    if not matched
                    else f"has BlobServiceProperties isVersioningEnabled {p.show(values[0])}"
                )
                yield Finding(
                    f"storage account '{res.name}' of classification '{cls}' {shown}; "
                    "blob versioning (or immutable storage) is required",
                    res.urn,
                )


PRT_006 = Rule(
    id="PRT-006",
    slug="raw-data-versioning",
    pack="protection",
    severity=Severity.HIGH,
    enforcement=Enforcement.MANDATORY,
    description=(
        "Health datasets and pseudonymisation keys storage keeps previous versions "
        "(Swift versioning, Azure blob versioning or immutable storage)."
    ),
    remediation=(
        "Swift: set `versioning: true` on the container (or the legacy `versioningLegacy` "
        "with an archive container). Azure: add a storage.BlobServiceProperties with "
        "`isVersioningEnabled: true` for the account (or "
        "`immutableStorageWithVersioning.enabled: true` on the account)."
    ),
    secnumcloud=("12.5",),
    hds=("hds-security",),
    params={
        "protectedClassifications": Param(
            p.str_list_schema(),
            list(p.HEALTH_CLASSES),
            "Classifications whose storage must be versioned or immutable.",
        )
    },
    stack_check=_check_versioning,
    applies_to=(BLOB_SERVICE, SWIFT, STORAGE_ACCOUNT),
    rationale=(
        "Raw extracts and pseudonymisation tables cannot be regenerated: an overwrite or a "
        "deletion must be recoverable from a previous version (SecNumCloud 12.5 backups)."
    ),
)


# --------------------------------------------------------------------------- PRT-007

TLS_OK = ("tls1_2", "tls1_3")


def _check_tls(view: ResourceView, params: Mapping[str, Any]) -> Iterator[str]:
    if view.type != STORAGE_ACCOUNT:
        return
    tls = view.props.get("minimumTlsVersion")
    if not p.is_unknown(tls) and (not isinstance(tls, str) or tls.lower() not in TLS_OK):
        shown = "not set (defaults to TLS1_0)" if tls is None else f"'{tls}'"
        yield f"minimumTlsVersion is {shown}, must be TLS1_2 or higher"
    https = view.props.get("enableHttpsTrafficOnly")
    if p.to_bool(https) is False:
        yield "enableHttpsTrafficOnly is false, must be true"


PRT_007 = Rule(
    id="PRT-007",
    slug="tls-minimum",
    pack="protection",
    severity=Severity.HIGH,
    enforcement=Enforcement.MANDATORY,
    description="Storage accounts accept only HTTPS with TLS 1.2 or higher.",
    remediation=(
        "Set `minimumTlsVersion: TLS1_2` and `enableHttpsTrafficOnly: true` on every "
        "storage.StorageAccount."
    ),
    secnumcloud=("10.2",),
    hds=("hds-security",),
    resource_check=_check_tls,
    applies_to=(STORAGE_ACCOUNT,),
    rationale=(
        "SecNumCloud 10.2 requires encrypted flows following ANSSI's TLS guide, which rules out "
        "SSL and TLS below 1.2."
    ),
)


RULES = (
    PRT_003,
    PRT_005,
    PRT_006,
    PRT_007,
)
