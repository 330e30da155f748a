"""Shared constants and small pure helpers of the target tenancy (no resources here)."""

from __future__ import annotations

from components.config.model import EnclaveSize

# Boot disks hold the OS only; research data lives on the separate data volume.
BOOT_DISK_GB = 40


def flavor_name(size: EnclaveSize) -> str:
    """`snc.<vcpu>c<ram>g`, plus `-gpu<n>`: the SecNumCloud flavor catalogue naming."""
    base = f"snc.{size.vcpu}c{size.ram_gb}g"
    return f"{base}-gpu{size.gpu}" if size.gpu > 0 else base
