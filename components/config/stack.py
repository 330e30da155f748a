"""The whole stack configuration as one validated model (pure: no Pulumi, no I/O)."""

from __future__ import annotations

from pydantic import Field, model_validator

from components.config.checks import cross_field_errors
from components.config.fleet import resolve_enclaves
from components.config.interconnect import (
    InterconnectSettings,
    TransferSettings,
    migration_errors,
)
from components.config.model import (
    AzureSettings,
    Dataset,
    Enclave,
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


class StackConfig(_Model):
    """Everything `pulumi up` builds, as data. One instance per stack."""

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

    @model_validator(mode="after")
    def _cross_checks(self) -> StackConfig:
        errors = cross_field_errors(self) or migration_errors(self)
        if errors:
            raise ValueError(errors[0])
        return self

    @property
    def resolved_enclaves(self) -> tuple[Enclave, ...]:
        """Fleets expanded, then per-name overrides applied: the enclaves to build."""
        return resolve_enclaves(self.enclave_fleets, self.enclaves)

    def zone(self, name: str) -> Zone:
        return next(z for z in self.zones if z.name == name)

    def key(self, name: str) -> Key:
        return next(k for k in self.keys if k.name == name)

    def wave(self, wave_id: int) -> Wave:
        return next(w for w in self.waves if w.id == wave_id)
