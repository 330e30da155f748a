"""Provider-independent helpers of the target tenancy."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

from components.config.model import EnclaveSize
from components.target.common import flavor_name, per_item


@dataclass(frozen=True)
class _Item:
    name: str


def test_flavor_names() -> None:
    assert flavor_name(EnclaveSize(vcpu=4, ram_gb=16, disk_gb=100)) == "snc.4c16g"
    assert flavor_name(EnclaveSize(vcpu=8, ram_gb=64, gpu=2, disk_gb=100)) == "snc.8c64g-gpu2"


def test_one_component_per_item_named_and_keyed_by_it() -> None:
    opts = pulumi.ResourceOptions()
    built = per_item(
        [_Item("a"), _Item("b")], lambda name, args, o: (name, args, o), lambda i: i.name * 2, opts
    )
    assert built == {"a": ("a", "aa", opts), "b": ("b", "bb", opts)}
