"""The whole stack configuration as one validated model (pure: no Pulumi, no I/O)."""

from __future__ import annotations

from pydantic import model_validator

from components.config.checks import cross_field_errors, migration_errors
from components.config.fleet import resolve_enclaves
from components.config.interconnect import TRANSFER_JOBS, TransferJob, transfer_job
from components.config.model import Enclave, Key, Wave, Zone, ZoneRole
from components.config.sections import StackSections
from components.lifecycle import phase


class StackConfig(StackSections):
    """Everything `pulumi up` builds, as data, coherent across sections. One instance per
    stack."""

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

    def hub_zone(self) -> Zone:
        """The hub zone; without one, the gateway zone is the hub (it is the only way in)."""
        hub = next((z for z in self.zones if z.role is ZoneRole.HUB), None)
        return self.zone(self.gateway.zone) if hub is None else hub

    def key(self, name: str) -> Key:
        return next(k for k in self.keys if k.name == name)

    def wave(self, wave_id: int) -> Wave:
        return next(w for w in self.waves if w.id == wave_id)

    def transfer_jobs(self) -> list[TransferJob]:
        """The jobs of each wave whose transfer identities exist, in wave then job order; a
        job with no dataset to move is left out."""
        jobs = []
        for wave in self.waves:
            if not phase(wave.status).transfer_identities:
                continue
            for job in TRANSFER_JOBS:
                datasets = tuple(
                    d
                    for d in self.datasets
                    if d.wave == wave.id and transfer_job(d.classification) == job
                )
                if datasets:
                    jobs.append(TransferJob(wave, job, datasets))
        return jobs
