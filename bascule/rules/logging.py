"""Audit logging: retention (a minimum and a maximum), integrity (WORM), and log sources.

The audit trail of an estate is every store classified `audit-logs` (tags or metadata), plus
the Log Analytics workspaces of the Azure estate. Its integrity is a write-once store where
the provider has one: an OVHcloud bucket with object lock in COMPLIANCE mode, an Azure blob
container under a locked immutability policy, a Log Analytics workspace (records have no
update API; only the GDPR purge API removes them, and bascule refuses immediate purge:
https://learn.microsoft.com/en-us/rest/api/loganalytics/workspace-purge/purge, read
2026-11). Swift has no object lock: a trail held only on Swift is versioned, not WORM.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
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
from bascule.rules.check import Params, Resources, findings
from bascule.rules.types import BLOB_CONTAINER, OVH_BUCKETS, SCW_BUCKETS, SWIFT, WORKSPACE, aliased

IMMUTABILITY = "azure-native:storage:BlobContainerImmutabilityPolicy"
SCW_LOCKS = aliased(
    "object/bucketLockConfiguration:BucketLockConfiguration", "objectBucketLockConfiguration"
)
AUDIT = "audit-logs"
# Providers whose object storage has object lock (PRT-017 demands it there).
WORM_PACKAGES = ("ovh", "scaleway")
# The retention limits: SecNumCloud 12.6 c keeps security events six months at least; CNIL's
# recommendation on logging measures (October 2021) bounds them to six months to one year,
# up to three years where internal control justifies it (https://www.cnil.fr/fr/la-cnil-
# publie-une-recommandation-relative-aux-mesures-de-journalisation, as quoted by its press
# coverage, read 2026-11): the default maximum is that three-year ceiling.
RETENTION = {
    "minRetentionDays": Param(p.int_schema(1), 180, "Minimum audit-log retention in days."),
    "maxRetentionDays": Param(
        p.int_schema(0),
        1095,
        "Maximum audit-log retention in days (personal data is kept no longer than needed; "
        "0: no maximum).",
    ),
}


def iso_days(value: Any) -> int | None:
    """Days of an ISO 8601 period (`P30D`, `P1Y`, `P6M`, `P2Y6M`), or of a number."""
    number = p.to_int(value)
    if number is not None:
        return number
    if not isinstance(value, str):
        return None
    match = re.fullmatch(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?", value.strip().upper())
    if not match or not any(match.groups()):
        return None
    years, months, weeks, days = (int(g) if g else 0 for g in match.groups())
    return years * 365 + months * 30 + weeks * 7 + days


def _bounds(days: int | None, what: str, params: Params) -> Iterator[str]:
    minimum = p.to_int(params["minRetentionDays"]) or 0
    maximum = p.to_int(params["maxRetentionDays"]) or 0
    if days is None:
        yield f"{what} is not set, must be >= {minimum}"
    elif days < minimum:
        yield f"{what} {days} is below the minimum of {minimum} days"
    elif maximum and days > maximum:
        yield f"{what} {days} is above the maximum of {maximum} days (keep logs no longer)"


def _lock_days(props: Mapping[str, Any]) -> tuple[str | None, int | None]:
    """(mode, days) of an OVHcloud bucket's object lock (either bucket resource shape)."""
    for lock in p.iter_mappings(props.get("objectLock")):
        if "retentionDays" in lock or "mode" in lock:
            return lock.get("mode"), p.to_int(lock.get("retentionDays"))
        for rule in p.iter_mappings(lock.get("rule")):
            return rule.get("mode"), iso_days(rule.get("period"))
    return None, None


def audit_class(props: Mapping[str, Any]) -> bool:
    return p.classification_of(props) == AUDIT


# --------------------------------------------------------------------------- PRT-011


def _workspace_retention(view: ResourceView, params: Params) -> Iterator[str]:
    value = view.props.get("retentionInDays")
    if p.is_unknown(value):
        return
    if value is None:
        minimum = p.to_int(params["minRetentionDays"]) or 0
        yield f"retentionInDays is not set (defaults to 30), must be >= {minimum}"
    else:
        yield from _bounds(p.to_int(value), "retentionInDays", params)


def _swift_retention(view: ResourceView, params: Params) -> Iterator[str]:
    metadata = p.tag_map(view.props.get("metadata"))
    if metadata is None or metadata.get("classification") != AUDIT:
        return
    raw = metadata.get("retention-days")
    yield from _bounds(p.to_int(raw), "metadata 'retention-days'", params)
    if p.swift_versioned(view.props) is False:
        yield "audit-logs container has no versioning (logs could be overwritten)"


def _ovh_retention(view: ResourceView, params: Params) -> Iterator[str]:
    props = view.props
    if not audit_class(props) or p.is_unknown(props.get("objectLock")):
        return
    _, days = _lock_days(props)
    yield from _bounds(days, "objectLock retention", params)


def _scw_retention(view: ResourceView, params: Params) -> Iterator[str]:
    props = view.props
    if audit_class(props) and p.s3_versioned(props) is False:
        yield "audit-logs bucket has no versioning (versioning.enabled is not true)"


_check_retention = p.by_type(
    (WORKSPACE, _workspace_retention),
    (SWIFT, _swift_retention),
    (OVH_BUCKETS, _ovh_retention),
    (SCW_BUCKETS, _scw_retention),
)


PRT_011 = Rule(
    id="PRT-011",
    slug="audit-log-retention",
    severity=Severity.HIGH,
    enforcement=Enforcement.MANDATORY,
    description=(
        "Audit logs are kept at least the minimum retention and no longer than the maximum, "
        "and cannot be overwritten."
    ),
    remediation=(
        "Azure: set `retentionInDays` between 180 and the maximum on operationalinsights."
        "Workspace. OpenStack: metadata `retention-days` in the same range and `versioning` "
        "on the audit-logs container. OVHcloud: the audit bucket's object lock period in the "
        "same range. Scaleway: `versioning.enabled: true` on the audit-logs bucket."
    ),
    secnumcloud=("12.6", "12.7", "19.5"),
    hds=("hds-security",),
    params=dict(RETENTION),
    resource_check=_check_retention,
    applies_to=(WORKSPACE, SWIFT, *OVH_BUCKETS, *SCW_BUCKETS),
    rationale=(
        "SecNumCloud 12.6 c keeps security events at least six months and 12.7 protects them "
        "from tampering; the HDS audit trail must survive as long. Logs are personal data too: "
        "19.5 and the CNIL's recommendation bound how long they are kept."
    ),
)


# --------------------------------------------------------------------------- PRT-017


def _container_policies(resources: Resources) -> dict[str, list[StackResource]]:
    by_container: dict[str, list[StackResource]] = {}
    for res in resources:
        if res.type == IMMUTABILITY:
            name = res.props.get("containerName")
            if isinstance(name, str):
                by_container.setdefault(name.lower(), []).append(res)
    return by_container


def _azure_worm(
    res: StackResource, policies: Mapping[str, list[StackResource]], minimum: int
) -> Iterator[str]:
    if p.to_bool(p.get(res.props, "immutableStorageWithVersioning.enabled")) is True:
        return
    name = str(res.props.get("containerName") or res.name).lower()
    held = policies.get(name, [])
    if any(p.is_unknown(h.props.get("state")) for h in held):
        return
    locked = [h for h in held if str(h.props.get("state") or "").lower() == "locked"]
    if not locked:
        state = "no immutability policy" if not held else "an unlocked immutability policy"
        yield f"audit-logs container '{res.name}' has {state}: its logs can be deleted"
        return
    days = min(p.to_int(h.props.get("immutabilityPeriodSinceCreationInDays")) or 0 for h in locked)
    if days < minimum:
        yield f"audit-logs container '{res.name}' is immutable {days} days, below {minimum}"


def _ovh_worm(res: StackResource, minimum: int) -> Iterator[str]:
    if p.is_unknown(res.props.get("objectLock")):
        return
    mode, days = _lock_days(res.props)
    if mode is None:
        yield f"audit-logs bucket '{res.name}' has no object lock: its logs can be deleted"
    elif str(mode).upper() != "COMPLIANCE":
        yield (
            f"audit-logs bucket '{res.name}' locks objects in {mode} mode, which privileged users "
            "can bypass; must be COMPLIANCE"
        )
    elif days is not None and days < minimum:
        yield f"audit-logs bucket '{res.name}' locks objects {days} days, below {minimum}"


def _scw_locks(resources: Resources) -> dict[str, list[StackResource]]:
    found: dict[str, list[StackResource]] = {}
    for res in resources:
        key = p.regional_key(res.props.get("bucket")) if res.type in SCW_LOCKS else None
        if key:
            found.setdefault(key, []).append(res)
    return found


def _retention(lock: StackResource) -> tuple[Any, int | None]:
    """(mode, days) of a Scaleway lock configuration's default retention."""
    for rule in p.iter_mappings(lock.props.get("rule")):
        for retention in p.iter_mappings(rule.get("defaultRetention")):
            days, years = p.to_int(retention.get("days")), p.to_int(retention.get("years"))
            total = days if days is not None else (years * 365 if years is not None else None)
            return retention.get("mode"), total
    return None, None


def _scw_worm(
    res: StackResource, locks: Mapping[str, list[StackResource]], minimum: int
) -> Iterator[str]:
    enabled = res.props.get("objectLockEnabled")
    if p.is_unknown(enabled):
        return
    if p.to_bool(enabled) is not True:
        yield (
            f"audit-logs bucket '{res.name}' has objectLockEnabled {p.show(enabled)}: its logs "
            "can be deleted"
        )
        return
    held = [
        lock
        for key in {p.regional_key(res.props.get("name")), res.name.lower()} - {None}
        for lock in locks.get(str(key), [])
    ]
    if not held:
        yield (
            f"audit-logs bucket '{res.name}' has no BucketLockConfiguration: its objects get no "
            "default retention"
        )
    for lock in held:
        mode, days = _retention(lock)
        if p.is_unknown(mode):
            continue
        if str(mode or "").upper() != "COMPLIANCE":
            yield (
                f"audit-logs bucket '{res.name}' locks objects in {p.show(mode)} mode, which "
                "privileged users can bypass; must be COMPLIANCE"
            )
        elif days is not None and days < minimum:
            yield f"audit-logs bucket '{res.name}' locks objects {days} days, below {minimum}"


def _check_worm(resources: Resources, params: Params) -> Iterator[Finding]:
    minimum = p.to_int(params["minRetentionDays"]) or 0
    policies = _container_policies(resources)
    scw_locks = _scw_locks(resources)
    for res in resources:
        if res.type == WORKSPACE:
            purge = p.get(res.props, "features.immediatePurgeDataOn30Days")
            if p.to_bool(purge) is True:
                yield Finding(
                    f"workspace '{res.name}' has features.immediatePurgeDataOn30Days: its logs "
                    "are purged after 30 days",
                    res.urn,
                )
        elif res.type == BLOB_CONTAINER and audit_class({"tags": res.props.get("metadata")}):
            yield from findings(_azure_worm(res, policies, minimum), res.urn)
        elif res.type in OVH_BUCKETS and audit_class(res.props):
            yield from findings(_ovh_worm(res, minimum), res.urn)
        elif res.type in SCW_BUCKETS and audit_class(res.props):
            yield from findings(_scw_worm(res, scw_locks, minimum), res.urn)
    yield from _swift_only_on_worm_provider(resources)


def _swift_only_on_worm_provider(resources: Resources) -> Iterator[Finding]:
    """An estate on OVHcloud (which has object lock) keeps its trail on Swift only."""
    for estate in sorted({p.estate_of(r.urn) for r in resources}):
        mine = [r for r in resources if p.estate_of(r.urn) == estate]
        on_ovh = any(p.package_of(r.type) == "ovh" for r in mine)
        worm = any(r.type in OVH_BUCKETS and audit_class(r.props) for r in mine)
        if not on_ovh or worm:
            continue
        for res in mine:
            if res.type == SWIFT and audit_class(res.props):
                yield Finding(
                    f"audit-logs container '{res.name}' is Swift, which has no object lock, in an "
                    "estate on OVHcloud, which has: keep the trail in an object-locked bucket",
                    res.urn,
                )


PRT_017 = Rule(
    id="PRT-017",
    slug="audit-log-immutable",
    severity=Severity.HIGH,
    enforcement=Enforcement.MANDATORY,
    description=(
        "The audit trail is write-once where the provider offers it: OVHcloud buckets under "
        "COMPLIANCE object lock, Azure containers under a locked immutability policy, Log "
        "Analytics without immediate purge."
    ),
    remediation=(
        "OVHcloud: keep the audit-logs bucket with `objectLock` status enabled, mode COMPLIANCE "
        "and a period of at least the minimum retention (and not on Swift alone). Azure: put a "
        "BlobContainerImmutabilityPolicy in state Locked with "
        "`immutabilityPeriodSinceCreationInDays` >= the minimum on audit-logs containers (or "
        "`immutableStorageWithVersioning`); never set `features.immediatePurgeDataOn30Days`. "
        "Scaleway: create the audit-logs bucket with `objectLockEnabled: true` and a "
        "BucketLockConfiguration whose `rule.defaultRetention` is COMPLIANCE for at least the "
        "minimum."
    ),
    secnumcloud=("12.7",),
    hds=("hds-security",),
    params={"minRetentionDays": RETENTION["minRetentionDays"]},
    stack_check=_check_worm,
    applies_to=(
        WORKSPACE,
        SWIFT,
        *OVH_BUCKETS,
        BLOB_CONTAINER,
        IMMUTABILITY,
        "ovh",
        *SCW_BUCKETS,
        *SCW_LOCKS,
    ),
    rationale=(
        "SecNumCloud 12.7 a protects logged events against attacks on their integrity and "
        "availability: an administrator who can delete the trail can hide what they did. "
        "Write-once storage removes that power from every tenant account, the administrator's "
        "included."
    ),
)


# --------------------------------------------------------------------------- PRT-018


def _check_not_worm(resources: Resources, params: Params) -> Iterator[Finding]:
    for estate in sorted({p.estate_of(r.urn) for r in resources}):
        mine = [r for r in resources if p.estate_of(r.urn) == estate]
        worm = [
            r
            for r in mine
            if (r.type in (*OVH_BUCKETS, *SCW_BUCKETS) and audit_class(r.props))
            or r.type == WORKSPACE
            or (r.type == BLOB_CONTAINER and audit_class({"tags": r.props.get("metadata")}))
        ]
        if worm or any(p.package_of(r.type) in WORM_PACKAGES for r in mine):
            continue  # a WORM store is there (PRT-017 judges it), or PRT-017 asks for one
        for res in mine:
            if res.type == SWIFT and audit_class(res.props):
                yield Finding(
                    f"audit-logs container '{res.name}' is the estate's only audit store and "
                    "Swift has no object lock: a project administrator can delete its versions; "
                    "ship a copy to a write-once store",
                    res.urn,
                )


PRT_018 = Rule(
    id="PRT-018",
    slug="audit-log-worm-unavailable",
    severity=Severity.MEDIUM,
    enforcement=Enforcement.ADVISORY,
    description=(
        "An estate whose provider offers no write-once storage (plain OpenStack Swift) says "
        "so: its audit trail is versioned, not immutable."
    ),
    remediation=(
        "Ship the audit trail to a write-once store the tenant's administrators cannot alter "
        "(an object-locked bucket of a qualified provider, or the provider's own log service), "
        "or record the compensating measure and suppress this advisory with its reason."
    ),
    secnumcloud=("12.7",),
    hds=("hds-security",),
    stack_check=_check_not_worm,
    applies_to=(SWIFT, WORKSPACE, *OVH_BUCKETS, BLOB_CONTAINER, *WORM_PACKAGES),
    rationale=(
        "PRT-017 can only demand write-once storage where the provider has it. Where it does "
        "not, the integrity of the trail rests on versioning and access control: a reviewer "
        "must know, and decide on a compensating measure (SecNumCloud 12.7)."
    ),
)


RULES = (PRT_011, PRT_017, PRT_018)
