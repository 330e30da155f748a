"""Where an Azure resource goes (no resources here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi_azure_native.provider import Provider


@dataclass(frozen=True)
class AzureScope:
    """The explicit provider (nothing falls back to ambient credentials), the resource group
    and the region every resource of the estate is declared with, and the subscription and
    tenant that provider works in (role and key ids name them)."""

    provider: Provider
    resource_group_name: pulumi.Input[str]
    location: str
    subscription_id: str
    tenant_id: str

    @property
    def regional(self) -> dict[str, Any]:
        """The arguments of a regional resource (the provider goes in its options)."""
        return {"resource_group_name": self.resource_group_name, "location": self.location}
