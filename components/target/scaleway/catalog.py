"""Scaleway Instance types bascule sizes enclaves on (pure data: no Pulumi, no I/O).

Sources (read 2026-12-01):
- CPU types: `POP2-<v>C-<r>G` (4 GB per vCPU) and `POP2-HM-<v>C-<r>G` (8 GB per vCPU), whose
  names give their vCPUs and RAM; the list as the Scaleway CLI and Go SDK spell it
  (scaleway-cli `completeServerType`, scaleway-sdk-go instance type constants).
- GPU types: vCPUs, RAM and GPUs from Scaleway's own catalogue answer
  `GET https://api.scaleway.com/instance/v1/zones/fr-par-2/products/servers` (`ncpus`,
  `ram` in bytes, `gpu`) as captured 2026-10-01 in a public test fixture. Other GPU types
  (L40S-2/4/8, H100-2, H100-SXM-2/4) are left out: no answer read gives their sizes.
Which zones of fr-par offer which type is Scaleway's product availability page's business:
GPU types are in fr-par-2 (`scalewayGpuZone`).
"""

from __future__ import annotations

from dataclasses import dataclass

from components.config.model import EnclaveSize


@dataclass(frozen=True)
class ServerType:
    name: str
    vcpu: int
    ram_gb: int
    gpu: int = 0


_CPU_VCPUS = (2, 4, 8, 16, 32, 64)
GPU_TYPES: tuple[ServerType, ...] = (
    ServerType("L4-1-24G", 8, 48, 1),
    ServerType("L4-2-24G", 16, 96, 2),
    ServerType("L40S-1-48G", 8, 96, 1),
    ServerType("H100-1-80G", 24, 240, 1),
    ServerType("H100-SXM-8-80G", 128, 960, 8),
)
CPU_TYPES: tuple[ServerType, ...] = tuple(
    ServerType(f"POP2{family}-{v}C-{v * per_vcpu}G", v, v * per_vcpu)
    for family, per_vcpu in (("", 4), ("-HM", 8))
    for v in _CPU_VCPUS
)
CATALOGUE: dict[str, ServerType] = {t.name: t for t in (*CPU_TYPES, *GPU_TYPES)}


def server_type(name: str) -> ServerType | None:
    """The type named `name` (as the API spells it, any case), else None."""
    return CATALOGUE.get(name.strip().upper())


def type_for(size: EnclaveSize) -> ServerType:
    """The smallest catalogue type with at least the size's vCPUs, RAM and GPUs (fewest
    GPUs, then vCPUs, then RAM). Raises ValueError when none is big enough."""
    fits = [
        t
        for t in CATALOGUE.values()
        if t.vcpu >= size.vcpu
        and t.ram_gb >= size.ram_gb
        and t.gpu >= size.gpu
        and (t.gpu > 0) == (size.gpu > 0)
    ]
    if not fits:
        raise ValueError(
            f"no Scaleway Instance type has {size.vcpu} vCPUs, {size.ram_gb} GB RAM and "
            f"{size.gpu} GPUs (components/target/scaleway/catalog.py)"
        )
    return min(fits, key=lambda t: (t.gpu, t.vcpu, t.ram_gb))
