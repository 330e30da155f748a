"""What both exports share: the exported document with its URN attribution, the Pulumi
bookkeeping keys they leave out, and the resources they could not map (named, never dropped
silently: checkov does not see them)."""

from __future__ import annotations

from collections.abc import Container, Mapping
from dataclasses import dataclass, field
from typing import Any

from bascule.export.mapping import ARM_PACKAGES
from bascule.snapshot.model import Snapshot


@dataclass
class Export:
    """An exported document and, per scanner resource address, the Pulumi URN it came from;
    `dropped` names, per type, the resources this export should hold but cannot map."""

    document: dict[str, Any]
    urns: dict[str, str] = field(default_factory=dict)
    dropped: dict[str, tuple[str, ...]] = field(default_factory=dict)


def is_bookkeeping(key: object) -> bool:
    """Pulumi's own keys in a state (`__defaults`, `__createBeforeDelete`, `__meta`...), never
    a Terraform attribute or an ARM property."""
    return isinstance(key, str) and key.startswith("__")


def unmapped(
    snapshot: Snapshot, mapped: Container[str], *, arm: bool
) -> dict[str, tuple[str, ...]]:
    """Cloud resources of the export's side (azure packages for ARM, every other package for
    Terraform) whose type it has no mapping for; the stack, components and providers are
    not cloud resources."""
    dropped: dict[str, list[str]] = {}
    for resource in snapshot.resources:
        if not resource.custom or resource.is_provider or resource.package == "pulumi":
            continue
        if (resource.package in ARM_PACKAGES) == arm and resource.type not in mapped:
            dropped.setdefault(resource.type, []).append(resource.urn)
    return {t: tuple(urns) for t, urns in sorted(dropped.items())}


def dropped_line(dropped: Mapping[str, tuple[str, ...]]) -> str:
    """`azure-native:storage:Blob (2), openstack:images/image:Image (1)`."""
    return ", ".join(f"{t} ({len(urns)})" for t, urns in sorted(dropped.items()))
