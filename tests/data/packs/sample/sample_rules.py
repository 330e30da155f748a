"""Sample rules for the policy/report tests (independent of the real catalog)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from bascule.rules.base import (
    Enforcement,
    Finding,
    Param,
    ResourceView,
    Rule,
    Severity,
    StackResource,
)
from bascule.rules.props import is_unknown


def _location(view: ResourceView, params: Mapping[str, Any]) -> Iterator[str]:
    if not view.type.startswith("azure-native:") and view.type != "pulumi:providers:azure-native":
        return
    location = view.props.get("location")
    if is_unknown(location):
        return  # a preview value: decided at update time, as bascule's own rules do
    if isinstance(location, str) and location not in params["allowed"]:
        yield f"location '{location}' is not allowed"
    if view.provider is not None and view.provider.props.get("location") == "eastus":
        yield f"provider {view.provider.name} is in eastus"


def _forbidden_deps(
    resources: Sequence[StackResource], params: Mapping[str, Any]
) -> Iterator[Finding]:
    forbidden = {r.urn for r in resources if r.type == "test:index:Forbidden"}
    for r in resources:
        for dep in r.dependencies:
            if dep in forbidden:
                yield Finding(f"depends on forbidden {dep.rsplit('::', 1)[-1]}", r.urn)
    if len(resources) > params["maxResources"]:
        yield Finding(f"{len(resources)} resources exceed {params['maxResources']}")


def _clear_password(view: ResourceView, params: Mapping[str, Any]) -> Iterator[str]:
    password = view.props.get("adminPassword")
    if isinstance(password, str) and password != "[secret]":
        yield "adminPassword is not a secret"


TST_001 = Rule(
    id="TST-001",
    slug="location-allowed",
    pack="sovereignty",
    severity=Severity.CRITICAL,
    enforcement=Enforcement.MANDATORY,
    description="Azure resources are in an allowed location.",
    remediation="Move the resource to francecentral.",
    secnumcloud=("19.2",),
    hds=("hosting-eea",),
    params={
        "allowed": Param(
            {"type": "array", "items": {"type": "string"}}, ["francecentral"], "Allowed."
        )
    },
    resource_check=_location,
    applies_to=("azure-native",),
)

TST_002 = Rule(
    id="TST-002",
    slug="no-forbidden-dependency",
    pack="sovereignty",
    severity=Severity.HIGH,
    enforcement=Enforcement.MANDATORY,
    description="No resource depends on a forbidden resource.",
    remediation="Remove the dependency.",
    secnumcloud=("9.7", "19.6"),
    params={"maxResources": Param({"type": "integer", "minimum": 1}, 100, "Max resources.")},
    stack_check=_forbidden_deps,
    applies_to=("*",),
)

TST_003 = Rule(
    id="TST-003",
    slug="password-secret",
    pack="sovereignty",
    severity=Severity.LOW,
    enforcement=Enforcement.ADVISORY,
    description="Passwords are secrets.",
    remediation="Wrap the password in pulumi.Output.secret.",
    secnumcloud=("10.1",),
    resource_check=_clear_password,
    applies_to=("*",),
)

SAMPLE_RULES = (TST_001, TST_002, TST_003)
