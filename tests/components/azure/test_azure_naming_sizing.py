"""Pure helpers: physical names and VM sizes."""

from __future__ import annotations

import pytest

from components.azure.naming import key_vault_name, storage_account_name
from components.azure.sizing import vm_size_for
from components.config.model import EnclaveSize


@pytest.mark.parametrize(
    ("platform", "dataset"),
    [("hdh-dev", "snds-extract"), ("hdh-prod", "a" * 40), ("p1", "x1")],
)
def test_storage_account_names_are_valid_and_stable(platform: str, dataset: str) -> None:
    name = storage_account_name(platform, dataset)
    assert 3 <= len(name) <= 24 and name.isalnum() and name == name.lower()
    assert name == storage_account_name(platform, dataset)


def test_truncated_storage_names_stay_distinct() -> None:
    long = "very-long-dataset-name-shared-prefix"
    assert storage_account_name("hdh-prod", long + "-a") != storage_account_name(
        "hdh-prod", long + "-b"
    )


def test_key_vault_names_are_valid() -> None:
    for platform in ("hdh-dev", "a-very-long-platform-name-indeed"):
        for purpose in ("keys", "pseudo"):
            name = key_vault_name(platform, purpose)
            assert 3 <= len(name) <= 24 and name[0].isalpha() and "--" not in name
    assert key_vault_name("hdh-dev", "keys") != key_vault_name("hdh-dev", "pseudo")


@pytest.mark.parametrize(
    ("vcpu", "ram", "gpu", "expected"),
    [
        (2, 4, 0, "Standard_D2s_v5"),
        (4, 16, 0, "Standard_D4s_v5"),
        (4, 32, 0, "Standard_E4s_v5"),
        (8, 64, 1, "Standard_NC16as_T4_v3"),
        (4, 16, 1, "Standard_NC4as_T4_v3"),
        (96, 800, 4, "Standard_NC96ads_A100_v4"),
        (256, 4096, 0, "Standard_M416s_v2"),
    ],
)
def test_vm_sizes(vcpu: int, ram: int, gpu: int, expected: str) -> None:
    assert vm_size_for(EnclaveSize(vcpu=vcpu, ram_gb=ram, gpu=gpu, disk_gb=10)) == expected


def test_impossible_size_is_reported() -> None:
    with pytest.raises(ValueError, match="no Azure VM size"):
        vm_size_for(EnclaveSize(vcpu=8, ram_gb=64, gpu=16, disk_gb=10))
