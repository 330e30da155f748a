"""Scaleway Instance types bascule sizes enclaves on (data and logic: no Pulumi; the one file
read is gpu_types.toml, package data, once at import).

Sources (read 2026-12-01):
- CPU types: `POP2-<v>C-<r>G` (4 GB per vCPU) and `POP2-HM-<v>C-<r>G` (8 GB per vCPU), whose
  names give their vCPUs and RAM; the list as the Scaleway CLI and Go SDK spell it
  (scaleway-cli `completeServerType`, scaleway-sdk-go instance type constants).
- GPU types: gpu_types.toml beside this module, the table with its source (Scaleway's own
  catalogue answer, as captured 2026-10-01 in a public test fixture), its dates and the GPU
  types left out.
Which zones of fr-par offer which type is Scaleway's product availability page's business:
GPU types are in fr-par-2 (`scalewayGpuZone`).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from importlib import resources
from typing import Any

from components.config.model import EnclaveSize
from components.machine import MachineSize, smallest_covering

GPU_TYPES_FILE = "gpu_types.toml"
_TYPE_KEYS = {"name", "vcpu", "ram_gb", "gpu"}


def parse_gpu_types(doc: Mapping[str, Any]) -> tuple[MachineSize, ...]:
    """The GPU types of a gpu_types.toml document; ValueError when its source, its dates or a
    type's name and whole positive sizes are missing."""
    if not isinstance(doc.get("source"), str) or not all(
        isinstance(doc.get(key), dt.date) for key in ("captured", "read")
    ):
        raise ValueError(f"{GPU_TYPES_FILE}: a source and its captured and read dates")
    types = []
    for entry in doc.get("types", ()):
        sizes = [entry.get(key) for key in ("vcpu", "ram_gb", "gpu")]
        name = entry.get("name")
        if set(entry) != _TYPE_KEYS or not isinstance(name, str) or name != name.upper():
            raise ValueError(
                f"{GPU_TYPES_FILE}: a type has exactly {sorted(_TYPE_KEYS)}, its name upper case"
            )
        if not all(type(n) is int and n > 0 for n in sizes):
            raise ValueError(f"{GPU_TYPES_FILE}: {name}: sizes are whole and positive")
        types.append(MachineSize(name, *sizes))
    if not types:
        raise ValueError(f"{GPU_TYPES_FILE}: no GPU type")
    return tuple(types)


def _read_gpu_types() -> tuple[MachineSize, ...]:
    text = resources.files("components.target.scaleway").joinpath(GPU_TYPES_FILE).read_text("utf-8")
    return parse_gpu_types(tomllib.loads(text))


_CPU_VCPUS = (2, 4, 8, 16, 32, 64)
GPU_TYPES: tuple[MachineSize, ...] = _read_gpu_types()
CPU_TYPES: tuple[MachineSize, ...] = tuple(
    MachineSize(f"POP2{family}-{v}C-{v * per_vcpu}G", v, v * per_vcpu)
    for family, per_vcpu in (("", 4), ("-HM", 8))
    for v in _CPU_VCPUS
)
CATALOGUE: dict[str, MachineSize] = {t.name: t for t in (*CPU_TYPES, *GPU_TYPES)}


def server_type(name: str) -> MachineSize | None:
    """The type named `name` (as the API spells it, any case), else None."""
    return CATALOGUE.get(name.strip().upper())


def type_for(size: EnclaveSize) -> MachineSize:
    """The smallest catalogue type with at least the size's vCPUs, RAM and GPUs (fewest
    GPUs, then vCPUs, then RAM). Raises ValueError when none is big enough."""
    chosen = smallest_covering(CATALOGUE.values(), size.vcpu, size.ram_gb, size.gpu)
    if chosen is None:
        raise ValueError(
            f"no Scaleway Instance type has {size.vcpu} vCPUs, {size.ram_gb} GB RAM and "
            f"{size.gpu} GPUs (components/target/scaleway/catalog.py)"
        )
    return chosen
