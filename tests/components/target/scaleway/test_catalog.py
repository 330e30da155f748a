"""Scaleway Instance types: the smallest that holds an enclave's size, never a smaller one."""

from __future__ import annotations

import datetime as dt
import tomllib
from importlib import resources

import pytest

from components.config.model import EnclaveSize
from components.target.scaleway import catalog
from components.target.scaleway.catalog import CATALOGUE, server_type, type_for

SOURCED = {"source": "s", "captured": dt.date(2026, 10, 1), "read": dt.date(2026, 12, 1)}


@pytest.mark.parametrize(
    ("vcpu", "ram", "gpu", "expected"),
    [
        (2, 4, 0, "POP2-2C-8G"),  # the default gateway size
        (4, 16, 0, "POP2-4C-16G"),
        (4, 32, 0, "POP2-HM-4C-32G"),
        (8, 64, 0, "POP2-HM-8C-64G"),
        (16, 128, 0, "POP2-HM-16C-128G"),
        (32, 256, 0, "POP2-HM-32C-256G"),
        (3, 9, 0, "POP2-4C-16G"),  # rounded up, both ways
        (8, 48, 1, "L4-1-24G"),
        (16, 128, 1, "H100-1-80G"),  # L40S-1 has 96 GB, L4-2 96 GB: too small
        (32, 512, 4, "H100-SXM-8-80G"),
    ],
)
def test_smallest_type_that_holds_the_size(vcpu: int, ram: int, gpu: int, expected: str) -> None:
    chosen = type_for(EnclaveSize(vcpu=vcpu, ram_gb=ram, gpu=gpu, disk_gb=100))
    assert chosen.name == expected
    assert chosen.vcpu >= vcpu and chosen.ram_gb >= ram and chosen.gpu >= gpu


def test_a_cpu_enclave_never_gets_a_gpu_type() -> None:
    assert type_for(EnclaveSize(vcpu=8, ram_gb=48, disk_gb=10)).gpu == 0


def test_too_big_for_the_catalogue_says_so() -> None:
    with pytest.raises(ValueError) as caught:
        type_for(EnclaveSize(vcpu=128, ram_gb=1024, gpu=0, disk_gb=10))
    assert str(caught.value) == (
        "no Scaleway Instance type has 128 vCPUs, 1024 GB RAM and 0 GPUs "
        "(components/target/scaleway/catalog.py)"
    )


def test_lookup_by_name() -> None:
    assert server_type("pop2-hm-8c-64g") == CATALOGUE["POP2-HM-8C-64G"]
    assert server_type("POP2-3C-9G") is None  # not a type, though it reads like one
    assert len(CATALOGUE) == 17


def test_the_gpu_table_keeps_its_source_and_dates() -> None:
    doc = tomllib.loads(
        resources.files("components.target.scaleway")
        .joinpath(catalog.GPU_TYPES_FILE)
        .read_text("utf-8")
    )
    assert "api.scaleway.com" in doc["source"]
    assert (doc["captured"], doc["read"]) == (dt.date(2026, 10, 1), dt.date(2026, 12, 1))
    assert catalog.parse_gpu_types(doc) == catalog.GPU_TYPES


@pytest.mark.parametrize(
    "broken",
    [
        {"captured": dt.date(2026, 10, 1), "read": dt.date(2026, 12, 1)},  # no source
        {"source": "s", "captured": "2026-10-01", "read": dt.date(2026, 12, 1)},
        {**SOURCED, "types": [{"name": "L4-1-24G", "vcpu": 8, "ram_gb": 48}]},
        {**SOURCED, "types": [{"name": "l4-1-24g", "vcpu": 8, "ram_gb": 48, "gpu": 1}]},
        {**SOURCED, "types": [{"name": "L4-1-24G", "vcpu": 8, "ram_gb": 48.5, "gpu": 1}]},
        {**SOURCED, "types": [{"name": "L4-1-24G", "vcpu": 8, "ram_gb": 48, "gpu": 0}]},
        {**SOURCED, "types": []},
    ],
)
def test_a_broken_gpu_table_is_refused(broken: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        catalog.parse_gpu_types(broken)
