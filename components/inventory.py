"""What each estate's `inventory` output says of the config's datasets and enclaves before its
own provider's part: the declared capacity and placement, the same in both estates."""

from __future__ import annotations

from typing import Any

from components.config.model import Dataset, Enclave


def declared_dataset(dataset: Dataset) -> dict[str, Any]:
    return {
        "classification": dataset.classification.value,
        "sizeGb": dataset.size_gb,
        "raw": dataset.raw,
        "wave": dataset.wave,
        "key": dataset.key,
    }


def declared_enclave(enclave: Enclave) -> dict[str, Any]:
    return {
        "vcpu": enclave.size.vcpu,
        "ramGb": enclave.size.ram_gb,
        "gpu": enclave.size.gpu,
        "diskGb": enclave.size.disk_gb,
        "wave": enclave.wave,
        "classification": enclave.classification.value,
        "zone": enclave.zone,
        "instances": enclave.instances,
    }
