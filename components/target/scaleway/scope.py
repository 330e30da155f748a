"""Where a Scaleway resource goes (no resources here)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pulumi
from pulumiverse_scaleway.provider import Provider


@dataclass(frozen=True)
class ScalewayScope:
    """The explicit provider (nothing falls back to ambient credentials), and the region and
    project a regional resource of the tenancy is declared in: Scaleway's `AzureScope`."""

    provider: Provider
    region: str
    project_id: pulumi.Input[str]

    @property
    def regional(self) -> dict[str, Any]:
        """The arguments of a regional resource (the provider goes in its options)."""
        return {"region": self.region, "project_id": self.project_id}

    def in_project(self, project_id: pulumi.Input[str]) -> ScalewayScope:
        """The same region under another project (the pseudonymisation project)."""
        return replace(self, project_id=project_id)
