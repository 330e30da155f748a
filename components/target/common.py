"""Shared constants and small pure helpers of the target tenancy (no resources here)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol, TypedDict, TypeVar

import pulumi

from components.config.model import Dataset, EnclaveSize, Key
from components.tagging import Labels

# Boot disks hold the OS only; research data lives on the separate data volume.
BOOT_DISK_GB = 40


@dataclass(frozen=True)
class ServerSpec:
    """One server's own part, whatever the provider: its security group, its type (a flavor,
    a commercial type), its disks, the group spreading it over hosts, whether it runs."""

    security_group_id: pulumi.Input[str]
    machine_type: str
    boot_gb: int
    data_gb: int | None  # None: no data volume (the gateway)
    spread_group_id: pulumi.Input[str] | None = None  # a server group, a placement group
    running: bool = True  # False: built, but stopped (its wave is not yet open on the target)


class Named(TypedDict):
    resource_name: str
    name: str


def named(name: str) -> Named:
    """One name for a resource, in the stack and in the cloud (`**named(...)` in its call):
    what a reviewer reads in `pulumi preview` is what the provider's console lists."""
    return {"resource_name": name, "name": name}


class _Item(Protocol):
    @property
    def name(self) -> str: ...


ItemT = TypeVar("ItemT", bound=_Item)
ArgsT = TypeVar("ArgsT")
ComponentT = TypeVar("ComponentT")


def per_item(
    items: Iterable[ItemT],
    component: Callable[[str, ArgsT, pulumi.ResourceOptions], ComponentT],
    args: Callable[[ItemT], ArgsT],
    opts: pulumi.ResourceOptions,
) -> dict[str, ComponentT]:
    """One component per item (a zone, a dataset, an enclave), named after the item and keyed
    by its name: `component(item.name, args(item), opts)`."""
    return {item.name: component(item.name, args(item), opts) for item in items}


def flavor_name(size: EnclaveSize) -> str:
    """`snc.<vcpu>c<ram>g`, plus `-gpu<n>`: the SecNumCloud flavor catalogue naming."""
    base = f"snc.{size.vcpu}c{size.ram_gb}g"
    return f"{base}-gpu{size.gpu}" if size.gpu > 0 else base


def key_resource_name(key: Key) -> str:
    """The key's name, with its purpose unless the name already says it: keys take no
    metadata on every provider, so the purpose in the resource name is what lets a reviewer
    (and PRT-004) tell a dataset key from the rest."""
    return key.name if key.purpose.value in key.name else f"{key.name}-{key.purpose.value}"


def dataset_labels(
    labels: Labels, dataset: Dataset, key_name: str, key_store: str
) -> dict[str, str]:
    """A dataset store's labels, with what the dataset is and which key (in which store)
    encrypts it: the metadata of a Swift container, the tags of a bucket."""
    return {
        **labels.as_map(),
        "dataset": dataset.name,
        "kms-key": key_name,
        "kms-store": key_store,
        "raw": str(dataset.raw).lower(),
    }
