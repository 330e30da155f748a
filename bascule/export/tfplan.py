"""The target estate (OpenStack/OVH) as a `terraform show -json` plan, for checkov."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bascule.export.common import Export, is_bookkeeping, unmapped
from bascule.export.mapping import TF_PROVIDERS, TF_TYPES, tf_attribute
from bascule.snapshot.model import UNKNOWN, SecretValue, Snapshot

__all__ = ["Export", "tf_values", "to_tfplan"]

PLAN_FORMAT = "1.2"
TERRAFORM_VERSION = "1.9.8"


def tf_values(props: Mapping[str, Any]) -> dict[str, Any]:
    """Terraform attributes; Pulumi's bookkeeping keys (`__defaults`...) left out at any depth."""
    return {tf_attribute(k): _tf_value(v) for k, v in props.items() if not is_bookkeeping(k)}


def _tf_value(value: Any) -> Any:
    if isinstance(value, SecretValue):
        return "[secret]"  # the plaintext is never held; presence is what checks look at
    if value == UNKNOWN:
        return None
    if isinstance(value, Mapping):
        return {
            tf_attribute(str(k)): _tf_value(v) for k, v in value.items() if not is_bookkeeping(k)
        }
    if isinstance(value, list | tuple):
        return [_tf_value(v) for v in value]
    return value


def _address_name(name: str) -> str:
    """A Terraform resource name: letters, digits, `_` and `-`, not starting with a digit."""
    cleaned = re.sub(r"[^A-Za-z0-9_-]", "_", name)
    return cleaned if cleaned[:1].isalpha() or cleaned[:1] == "_" else f"r_{cleaned}"


def to_tfplan(snapshot: Snapshot) -> Export:
    planned: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    urns: dict[str, str] = {}
    for resource in snapshot.resources:
        tf_type = TF_TYPES.get(resource.type)
        if tf_type is None or not resource.custom:
            continue
        name = _address_name(resource.name)
        address = f"{tf_type}.{name}"
        if address in urns:  # same logical name twice: keep both, distinctly
            name = _address_name(f"{resource.name}_{len(urns)}")
            address = f"{tf_type}.{name}"
        urns[address] = resource.urn
        provider = TF_PROVIDERS[resource.package]
        values = tf_values(resource.inputs)
        planned.append(
            {
                "address": address,
                "mode": "managed",
                "type": tf_type,
                "name": name,
                "provider_name": provider,
                "schema_version": 0,
                "values": values,
                "sensitive_values": {},
            }
        )
        changes.append(
            {
                "address": address,
                "mode": "managed",
                "type": tf_type,
                "name": name,
                "provider_name": provider,
                "change": {
                    "actions": ["create"],
                    "before": None,
                    "after": values,
                    "after_unknown": {},
                    "before_sensitive": False,
                    "after_sensitive": {},
                },
            }
        )
    document = {
        "format_version": PLAN_FORMAT,
        "terraform_version": TERRAFORM_VERSION,
        "planned_values": {"root_module": {"resources": planned}},
        "resource_changes": changes,
        "configuration": {"root_module": {}},
    }
    return Export(document, urns, unmapped(snapshot, TF_TYPES, arm=False))
