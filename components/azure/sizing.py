"""Map an enclave size (vCPU, RAM, GPU) to an Azure VM size, deterministically."""

from __future__ import annotations

from components import machine
from components.config.model import EnclaveSize
from components.machine import MachineSize


def _series(template: str, ram_per_vcpu: int, vcpus: tuple[int, ...]) -> list[MachineSize]:
    return [MachineSize(template.format(n), n, n * ram_per_vcpu, 0) for n in vcpus]


CPU_SIZES: tuple[MachineSize, ...] = (
    *_series("Standard_D{}s_v5", 4, (2, 4, 8, 16, 32, 48, 64, 96)),
    *_series("Standard_E{}s_v5", 8, (2, 4, 8, 16, 20, 32, 48, 64, 96)),
    MachineSize("Standard_M128s", 128, 2048, 0),
    MachineSize("Standard_M208s_v2", 208, 2850, 0),
    MachineSize("Standard_M416s_v2", 416, 5700, 0),
)
GPU_SIZES: tuple[MachineSize, ...] = (
    MachineSize("Standard_NC4as_T4_v3", 4, 28, 1),
    MachineSize("Standard_NC8as_T4_v3", 8, 56, 1),
    MachineSize("Standard_NC16as_T4_v3", 16, 110, 1),
    MachineSize("Standard_NC24ads_A100_v4", 24, 220, 1),
    MachineSize("Standard_NC48ads_A100_v4", 48, 440, 2),
    MachineSize("Standard_NC64as_T4_v3", 64, 440, 4),
    MachineSize("Standard_NC96ads_A100_v4", 96, 880, 4),
    MachineSize("Standard_ND96asr_v4", 96, 900, 8),
)


def smallest_covering(vcpu: int, ram_gb: int, gpu: int) -> MachineSize | None:
    """The smallest catalogued Azure size covering the request (components/machine.py); NC/ND
    series when a GPU is asked: a memory-heavy request lands on an E-series rather than on a
    D-series twice as wide."""
    return machine.smallest_covering((*CPU_SIZES, *GPU_SIZES), vcpu, ram_gb, gpu)


def vm_size_for(size: EnclaveSize) -> str:
    """The Azure VM size of an enclave size (see `smallest_covering`)."""
    chosen = smallest_covering(size.vcpu, size.ram_gb, size.gpu)
    if chosen is None:
        raise ValueError(
            f"no Azure VM size covers vcpu={size.vcpu} ramGb={size.ram_gb} gpu={size.gpu}"
        )
    return chosen.name


def size_by_name(name: str) -> MachineSize | None:
    return next((s for s in (*CPU_SIZES, *GPU_SIZES) if s.name.lower() == name.lower()), None)
