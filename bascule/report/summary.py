"""Per-estate summary of a snapshot (pure logic; rendering lives in `bascule.cli.render`)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bascule.files import shown_path
from bascule.providers import target_packages
from bascule.snapshot.model import ROOT_STACK_TYPE, Resource, Snapshot

ESTATES = {"source": "bascule:azure:Estate", "target": "bascule:target:Estate"}
SOURCE_PACKAGES = ("azure-native",)
TARGET_PACKAGES = target_packages()
ENCLAVE_TYPES = ("bascule:azure:Enclave", "bascule:target:Enclave")
DATASET_TYPES = (
    "bascule:azure:DatasetStorage",
    "bascule:target:DatasetStorage",
    "bascule:target:ObjectStorage",
)
KEY_TYPES = (
    "azure-native:keyvault:Key",
    "openstack:keymanager/secretV1:SecretV1",
    "openstack:keymanager/containerV1:ContainerV1",
    "ovh:Okms/serviceKey:ServiceKey",
    "ovh:okms/serviceKey:ServiceKey",
)


@dataclass(frozen=True)
class EstateSummary:
    name: str
    resources: int
    by_type: Mapping[str, int]
    enclaves: tuple[str, ...] = ()
    datasets: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()
    zones: tuple[str, ...] = ()
    from_outputs: bool = False  # names came from the program's exported inventory

    def to_json(self) -> dict[str, Any]:
        return {
            "resources": self.resources,
            "byType": dict(sorted(self.by_type.items())),
            "enclaves": list(self.enclaves),
            "datasets": list(self.datasets),
            "keys": list(self.keys),
            "zones": list(self.zones),
        }


@dataclass(frozen=True)
class Summary:
    project: str
    stack: str
    source: str
    total: int
    estates: Mapping[str, EstateSummary] = field(default_factory=dict)

    @property
    def outside(self) -> int:
        """Resources in no estate (the stack itself, the estate components, strays): with
        the estates' counts, they add up to `total`."""
        return self.total - sum(e.resources for e in self.estates.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "project": self.project,
            "stack": self.stack,
            "source": shown_path(self.source),
            "resources": self.total,
            "estates": {k: v.to_json() for k, v in self.estates.items()},
        }


_NUMBERED = re.compile(r"^(.*?)(\d+)$")


def name_ranges(names: Iterable[str]) -> list[str]:
    """Names with the same prefix and consecutive numbers, shortened: `proj-001..proj-120`
    for 120 enclaves; every other name as it is. Sorted, each name counted once."""
    runs: list[list[str]] = []
    previous: tuple[str, int, int] | None = None  # prefix, number, digits
    for name in sorted(set(names)):
        match = _NUMBERED.match(name)
        key = (match.group(1), int(match.group(2)), len(match.group(2))) if match else None
        continues = (
            key is not None
            and previous is not None
            and key[0] == previous[0]
            and key[2] == previous[2]
            and key[1] == previous[1] + 1
        )
        if continues:
            runs[-1].append(name)
        else:
            runs.append([name])
        previous = key
    shown: list[str] = []
    for run in runs:
        shown.extend(run if len(run) < 3 else [f"{run[0]}..{run[-1]}"])
    return shown


def _estate_of(snapshot: Snapshot) -> dict[str, str]:
    """URN -> estate name, in one pass (resources come parents first, else fix up by walk)."""
    by_urn = snapshot.by_urn()
    memo: dict[str, str] = {}

    def estate(r: Resource) -> str:
        chain: list[str] = []
        found = ""
        current: Resource | None = r
        while current is not None:
            if current.urn in memo:
                found = memo[current.urn]
                break
            chain.append(current.urn)
            for name, component in ESTATES.items():
                if current.type == component:
                    found = name
            if found:
                break
            current = by_urn.get(current.parent) if current.parent else None
        for urn in chain:
            memo[urn] = found
        return found

    result: dict[str, str] = {}
    for r in snapshot:
        name = estate(r)
        if not name:
            if r.package in SOURCE_PACKAGES:
                name = "source"
            elif r.package in TARGET_PACKAGES:
                name = "target"
        result[r.urn] = name
    return result


def _names(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, Mapping):
        return tuple(sorted(str(k) for k in value))
    if isinstance(value, list):
        return tuple(sorted(str(v) for v in value))
    return None


def summarize(snapshot: Snapshot) -> Summary:
    """Resource counts by type, enclaves, datasets, keys and zones for each estate."""
    estate_of = _estate_of(snapshot)
    members: dict[str, list[Resource]] = {name: [] for name in ESTATES}
    for r in snapshot:
        name = estate_of[r.urn]
        if name:
            members[name].append(r)
    stack = next((r for r in snapshot if r.type == ROOT_STACK_TYPE), None)
    exported = stack.outputs if stack is not None else {}
    estates: dict[str, EstateSummary] = {}
    for name, resources in members.items():
        counted = [r for r in resources if r.type not in ESTATES.values()]
        by_type = Counter(r.type for r in counted)
        inventory = exported.get(name)
        if isinstance(inventory, Mapping):
            estates[name] = EstateSummary(
                name=name,
                resources=len(counted),
                by_type=dict(by_type),
                enclaves=_names(inventory.get("enclaves")) or (),
                datasets=_names(inventory.get("datasets")) or (),
                keys=_names(inventory.get("keys")) or (),
                zones=_names(inventory.get("zones")) or (),
                from_outputs=True,
            )
            continue
        estates[name] = EstateSummary(
            name=name,
            resources=len(counted),
            by_type=dict(by_type),
            enclaves=tuple(sorted(r.name for r in counted if r.type in ENCLAVE_TYPES)),
            datasets=tuple(sorted(r.name for r in counted if r.type in DATASET_TYPES)),
            keys=tuple(sorted(r.name for r in counted if r.type in KEY_TYPES)),
        )
    return Summary(
        project=snapshot.project,
        stack=snapshot.stack,
        source=snapshot.source,
        total=len(snapshot),
        estates=estates,
    )
