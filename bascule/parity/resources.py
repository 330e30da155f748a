"""Estates bascule did not build, read by resource type (pure: snapshot in, objects out).

The Health Data Hub's Azure estate was built by other tools over years; a target tenancy may
be too. Such an estate has no `bascule:azure:Estate` component: its resources are found by
package (`vocabulary.packages_of`) and read as objects by type, one provider reader each
(`resources_azure.py`, `resources_openstack.py`): every VM or instance is a `server`, every
virtual network a `network`, every subnet a `zone`, every blob container, Swift container or
S3 bucket a `dataset` (a storage account with no container is one too), every key a `key`,
every log workspace or audit-labelled container a `logging` object.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from bascule.parity import vocabulary as v
from bascule.parity.inventory import (
    Estate,
    labels_of,
    resource_id,
)
from bascule.parity.model import CanonicalObject, Capability
from bascule.snapshot.model import UNKNOWN, Resource, Snapshot


def typed_estate(snapshot: Snapshot, estate: str) -> Estate:
    """The estate's cloud resources (by package), before its zones are known."""
    packages = v.packages_of(estate)
    members = tuple(
        r for r in snapshot.resources if r.custom and not r.is_provider and r.package in packages
    )
    return Estate(estate, members, {}, {})


def has_resources(snapshot: Snapshot, estate: str) -> bool:
    packages = v.packages_of(estate)
    return any(r.custom and not r.is_provider and r.package in packages for r in snapshot)


def not_compared(estate: Estate) -> list[tuple[str, str, int]]:
    """(estate, type, count) of every resource type no capability reads, sorted by type."""
    read = v.read_types(estate.name)
    counts = Counter(r.type for r in estate.resources if r.type not in read)
    return [(estate.name, kind, counts[kind]) for kind in sorted(counts)]


def types(estate: Estate, part: v.Part) -> list[Resource]:
    return estate.of_type(*v.types_of(estate.name, part))


def name_of(resource: Resource) -> str:
    """The name the provider knows it by (`vmName`, `keyName`, `name`...), else the URN's."""
    for key in v.name_fields(resource.type):
        for values in (resource.inputs, resource.outputs):
            value = values.get(key)
            if isinstance(value, str) and value.strip() and value != UNKNOWN:
                return value.strip()
    return resource.name


def by_id(resources: Iterable[Resource]) -> dict[str, Resource]:
    """Resources by provider id, lower-cased (Azure resource ids are case-insensitive)."""
    return {rid.lower(): r for r in resources if (rid := resource_id(r))}


def ref_id(value: Any) -> str:
    """An `{"id": ...}` reference or a bare id, lower-cased; "" when absent."""
    if isinstance(value, Mapping):
        value = value.get("id")
    return str(value).strip().lower() if isinstance(value, str) and value != UNKNOWN else ""


def last_segment(ref: str) -> str:
    return ref.rstrip("/").rsplit("/", 1)[-1]


def unique(items: Sequence[tuple[str, str]]) -> list[str]:
    """Each (name, qualifier) as its name, or `qualifier/name` where two share the name (a
    subnet `default` in two networks), then numbered: no object may hide another."""
    counts = Counter(name for name, _ in items)
    names = [name if counts[name] == 1 else f"{q}/{name}" for name, q in items]
    again = Counter(names)
    seen: Counter[str] = Counter()
    out = []
    for name in names:
        seen[name] += 1
        out.append(name if again[name] == 1 else f"{name}#{seen[name]}")
    return out


def is_audit(labels: Mapping[str, str]) -> bool:
    return any(
        str(labels.get(key, "")).strip().lower() in v.AUDIT_LABEL_VALUES
        for key in v.AUDIT_LABEL_KEYS
    )


def make(
    capability: Capability,
    name: str,
    fields: Mapping[str, Any],
    resources: Sequence[Resource],
    labels: Mapping[str, str] | None = None,
) -> CanonicalObject:
    """An object read from `resources` (the first is the one it is named after)."""
    urns = tuple(dict.fromkeys(r.urn for r in resources))
    own = dict(labels if labels is not None else labels_of(resources[0]) if resources else {})
    wave_label = str(own.get("wave", ""))
    waved = capability in (Capability.SERVER, Capability.DATASET) and wave_label.isdigit()
    return CanonicalObject(
        capability, name, dict(fields), int(wave_label) if waved else None, urns, own
    )
