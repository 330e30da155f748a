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

from components.config.model import EnclaveSize
from components.machine import MachineSize, smallest_covering

_CPU_VCPUS = (2, 4, 8, 16, 32, 64)
GPU_TYPES: tuple[MachineSize, ...] = (
    MachineSize("L4-1-24G", 8, 48, 1),
    MachineSize("L4-2-24G", 16, 96, 2),
    MachineSize("L40S-1-48G", 8, 96, 1),
    MachineSize("H100-1-80G", 24, 240, 1),
    MachineSize("H100-SXM-8-80G", 128, 960, 8),
)
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
