"""The estate's `inventory` output, read off what was built (plain values only): the stack's
`target` output, which `bascule inventory` and the architect read against the source's."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from components.config.stack import StackConfig
from components.inventory import declared_dataset, declared_enclave
from components.target.openstack.enclave import Enclave
from components.target.openstack.kms import KEY_ALGORITHM, KEY_BITS, Kms
from components.target.openstack.object_storage import ObjectStorage

Inventory = dict[str, dict[str, dict[str, Any]]]


def inventory(
    config: StackConfig,
    kms: Kms,
    datasets: Mapping[str, ObjectStorage],
    enclaves: Mapping[str, Enclave],
) -> Inventory:
    return {
        "zones": {
            zone.name: {"cidr": str(zone.target_cidr), "role": zone.role.value}
            for zone in config.zones
        },
        "datasets": dataset_entries(config, kms, datasets),
        "keys": {
            key.name: {
                "purpose": key.purpose.value,
                kms.store_kind: kms.store_of_key[key.name],
                "algorithm": key.algorithm,
                "size": key.size,
                # What the target actually holds: symmetric keys only.
                "targetAlgorithm": KEY_ALGORITHM.upper(),
                "targetKeySize": KEY_BITS,
            }
            for key in config.keys
        },
        "enclaves": enclave_entries(config, enclaves),
    }


def dataset_entries(
    config: StackConfig, kms: Kms, datasets: Mapping[str, ObjectStorage]
) -> dict[str, dict[str, Any]]:
    entries: dict[str, dict[str, Any]] = {}
    for dataset in config.datasets:
        built = datasets[dataset.name]
        entries[dataset.name] = {
            **declared_dataset(dataset),
            "keyStore": kms.store_of_key[dataset.key],
            "container": built.container,
            "storagePolicy": built.storage_policy,
            "versioned": built.versioned,
            "private": built.private,
        }
    return entries


def enclave_entries(
    config: StackConfig, enclaves: Mapping[str, Enclave]
) -> dict[str, dict[str, Any]]:
    entries: dict[str, dict[str, Any]] = {}
    for enclave in config.resolved_enclaves:
        built = enclaves[enclave.name]
        entries[enclave.name] = {
            **declared_enclave(enclave),
            "flavor": built.flavor,
            "volumeType": built.volume_type,
            "encrypted": built.encrypted,
        }
    return entries
