"""The sections of a stack file as one model, before the checks across them (pure: no Pulumi,
no I/O). The cross-field checks (checks.py) read it; StackConfig (stack.py) adds the checks
and the look-ups, so neither module imports the other back."""

from __future__ import annotations

from pydantic import Field

from components.config.interconnect import InterconnectSettings, TransferSettings
from components.config.model import (
    AzureSettings,
    Dataset,
    EnclaveFleet,
    EnclaveOverride,
    Gateway,
    Key,
    ParitySettings,
    Slug,
    TargetSettings,
    Wave,
    Zone,
    _Model,
)


class StackSections(_Model):
    """Everything `pulumi up` builds, as data, each section valid on its own."""

    platform: Slug
    azure: AzureSettings
    target: TargetSettings
    zones: tuple[Zone, ...] = Field(min_length=1)
    keys: tuple[Key, ...] = Field(min_length=1)
    datasets: tuple[Dataset, ...] = ()
    waves: tuple[Wave, ...] = Field(min_length=1)
    gateway: Gateway
    enclave_fleets: tuple[EnclaveFleet, ...] = ()
    enclaves: tuple[EnclaveOverride, ...] = ()
    parity: ParitySettings = ParitySettings()
    interconnect: InterconnectSettings | None = None
    transfer: TransferSettings = TransferSettings()
