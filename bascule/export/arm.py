"""The source estate (azure-native) as an ARM template, for checkov's `arm` framework."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bascule.export.common import Export, is_bookkeeping, unmapped
from bascule.export.mapping import (
    ARM_ADDRESSING,
    ARM_NAME_SEGMENTS,
    ARM_RENAMES,
    ARM_TOP_LEVEL,
    ARM_TYPES,
)
from bascule.snapshot.model import UNKNOWN, SecretValue, Snapshot
from bascule.synth.mocks import azure_physical_name

TEMPLATE_SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"


def _arm_value(value: Any) -> Any:
    if isinstance(value, SecretValue):
        return "[secret]"
    if value == UNKNOWN:
        return None
    if isinstance(value, Mapping):
        return {str(k): _arm_value(v) for k, v in value.items() if not is_bookkeeping(k)}
    if isinstance(value, list | tuple):
        return [_arm_value(v) for v in value]
    return value


def arm_name(type_: str, name: str, inputs: Mapping[str, Any]) -> tuple[str, set[str]]:
    """The ARM name (`vnet/subnet`, `account/default/container`) and the inputs it used."""
    segments = ARM_NAME_SEGMENTS.get(type_)
    if segments is None:
        physical = azure_physical_name(type_, name, inputs)
        own = next((k for k in inputs if k.endswith("Name") and inputs[k] == physical), None)
        return physical, {own} if own else set()
    parts: list[str] = []
    used: set[str] = set()
    for i, (key, absent) in enumerate(segments):
        value = inputs.get(key)
        if isinstance(value, str) and value:
            parts.append(value)
            used.add(key)
        elif absent is not None:
            parts.append(absent)
        else:
            parts.append(name if i == len(segments) - 1 else UNKNOWN)
    return "/".join(parts), used


def arm_resource(type_: str, name: str, inputs: Mapping[str, Any]) -> dict[str, Any]:
    arm_type, api_version = ARM_TYPES[type_]
    physical, used = arm_name(type_, name, inputs)
    resource: dict[str, Any] = {"type": arm_type, "apiVersion": api_version, "name": physical}
    properties: dict[str, Any] = {}
    for key, value in inputs.items():
        if key in ARM_ADDRESSING or key in used or is_bookkeeping(key):
            continue
        if key in ARM_TOP_LEVEL:
            resource[key] = _arm_value(value)
        elif key == "properties" and isinstance(value, Mapping):
            properties.update(_arm_value(value))  # already enveloped (Key Vault, keys)
        else:
            properties[ARM_RENAMES.get(key, key)] = _arm_value(value)
    resource["properties"] = properties
    return resource


def to_arm(snapshot: Snapshot) -> Export:
    resources: list[dict[str, Any]] = []
    urns: dict[str, str] = {}
    for resource in snapshot.resources:
        if resource.type not in ARM_TYPES or not resource.custom:
            continue
        arm = arm_resource(resource.type, resource.name, resource.inputs)
        # checkov names ARM resources `<type>.<name>`; keep them unique per export.
        key = f"{arm['type']}.{arm['name']}"
        if key in urns:
            arm["name"] = f"{arm['name']}-{len(urns)}"
            key = f"{arm['type']}.{arm['name']}"
        urns[key] = resource.urn
        resources.append(arm)
    document = {
        "$schema": TEMPLATE_SCHEMA,
        "contentVersion": "1.0.0.0",
        "parameters": {},
        "resources": resources,
    }
    return Export(document, urns, unmapped(snapshot, ARM_TYPES, arm=True))
