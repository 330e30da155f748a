"""Audit logging: retention of logs."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from bascule.rules import props as p
from bascule.rules.base import Enforcement, Param, ResourceView, Rule, Severity

WORKSPACE = "azure-native:operationalinsights:Workspace"
SWIFT = "openstack:objectstorage/container:Container"


def _check_retention(view: ResourceView, params: Mapping[str, Any]) -> Iterator[str]:
    minimum = p.to_int(params["minRetentionDays"]) or 0
    props = view.props
    if view.type == WORKSPACE:
        value = props.get("retentionInDays")
        if p.is_unknown(value):
            return
        days = p.to_int(value)
        if days is None:
            yield f"retentionInDays is not set (defaults to 30), must be >= {minimum}"
        elif days < minimum:
            yield f"retentionInDays {days} is below the minimum of {minimum} days"
    elif view.type == SWIFT:
        metadata = p.tag_map(props.get("metadata"))
        if metadata is None or metadata.get("classification") != "audit-logs":
            return
        raw = metadata.get("retention-days")
        if p.is_unknown(raw):
            return
        days = p.to_int(raw)
        if days is None:
            yield f"metadata 'retention-days' is not set, must be >= {minimum}"
        elif days < minimum:
            yield f"metadata 'retention-days' {days} is below the minimum of {minimum} days"
        if p.swift_versioned(props) is False:
            yield "audit-logs container has no versioning (logs could be overwritten)"


PRT_011 = Rule(
    id="PRT-011",
    slug="audit-log-retention",
    pack="protection",
    severity=Severity.HIGH,
    enforcement=Enforcement.MANDATORY,
    description="Audit logs are kept at least the minimum retention and cannot be overwritten.",
    remediation=(
        "Azure: set `retentionInDays` >= 180 on operationalinsights.Workspace. OpenStack: "
        "set metadata `retention-days` >= 180 and `versioning` on the audit-logs container."
    ),
    secnumcloud=("12.6", "12.7"),
    hds=("hds-security",),
    params={
        "minRetentionDays": Param(p.int_schema(1), 180, "Minimum audit-log retention in days.")
    },
    resource_check=_check_retention,
    applies_to=(WORKSPACE, SWIFT),
    rationale=(
        "SecNumCloud 12.6 c keeps security events at least six months and 12.7 protects them from "
        "tampering; the HDS audit trail must survive as long."
    ),
)


RULES = (PRT_011,)
