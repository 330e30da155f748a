"""A provider's catalogue of machine sizes, and the smallest size that holds a request (pure
data and logic: no Pulumi, no I/O). Azure's VM sizes and Scaleway's Instance types alike."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class MachineSize:
    name: str  # as the provider's API spells it
    vcpu: int
    ram_gb: int
    gpu: int = 0


def smallest_covering(
    catalogue: Iterable[MachineSize], vcpu: int, ram_gb: int, gpu: int
) -> MachineSize | None:
    """The smallest size with at least the vCPUs, RAM and GPUs asked, a GPU size exactly when
    a GPU is asked; None when none is big enough.

    Smallest means fewest GPUs, then fewest vCPUs, then least RAM: a memory-heavy request
    lands on a memory-heavy family rather than on a general one twice as wide.
    """
    fitting = [
        c
        for c in catalogue
        if c.vcpu >= vcpu and c.ram_gb >= ram_gb and c.gpu >= gpu and (c.gpu > 0) == (gpu > 0)
    ]
    return min(fitting, key=lambda c: (c.gpu, c.vcpu, c.ram_gb)) if fitting else None
