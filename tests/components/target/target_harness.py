"""Plain data for the target-tenancy tests: what the mocks recorded, and the dev config.

A uniquely named module (not conftest) so test modules import it without clashing with
other suites' conftest modules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from components.config.load import parse_stack_config
from components.config.stack import StackConfig

REPO = Path(__file__).resolve().parents[3]
OVH_SETTINGS = {
    "provider": "ovh",
    "ovhEndpoint": "ovh-eu",
    "ovhServiceName": "0123456789abcdef0123456789abcdef",
    "ovhOkmsRegion": "eu-west-par",
}

# The Scaleway target on fr-par (dev's other settings kept: they are not read for Scaleway).
SCALEWAY_SETTINGS = {
    "provider": "scaleway",
    "region": "fr-par",
    "allowedRegions": ["fr-par"],
    "scalewayProjectId": "7d1f6c2a-3b5e-4a9d-8c0f-1e2d3c4b5a69",
    "scalewayAllowedZones": ["fr-par-1", "fr-par-2"],
    "scalewayZone": "fr-par-1",
    "scalewayGpuZone": "fr-par-2",
    "imageId": "607b12c2-685d-45f7-905f-57bc23863834",
}


@dataclass(frozen=True)
class Registration:
    type: str
    name: str
    urn: str
    parent: str
    provider: str
    custom: bool
    inputs: dict[str, Any]
    secret_inputs: frozenset[str]

    @property
    def parent_type(self) -> str:
        return self.parent.split("::")[2].split("$")[-1] if self.parent else ""

    @property
    def provider_type(self) -> str:
        """`pulumi:providers:openstack` for a provider reference `urn::id`."""
        return self.provider.split("::")[2].split("$")[-1] if self.provider else ""


@dataclass
class TargetRun:
    config: StackConfig
    registrations: list[Registration]
    inventory: dict[str, Any] = field(default_factory=dict)

    def of_type(self, suffix: str) -> list[Registration]:
        return [r for r in self.registrations if r.type == f"openstack:{suffix}"]

    def typed(self, full_type: str) -> list[Registration]:
        return [r for r in self.registrations if r.type == full_type]

    def by_urn(self) -> dict[str, Registration]:
        return {r.urn: r for r in self.registrations}

    def custom(self) -> list[Registration]:
        return [
            r for r in self.registrations if r.custom and not r.type.startswith("pulumi:providers:")
        ]


def dev_config(**target_overrides: Any) -> StackConfig:
    """`Pulumi.dev.yaml`, namespace stripped, with `bascule:target` keys overridden."""
    document = yaml.safe_load((REPO / "Pulumi.dev.yaml").read_text())
    raw = {key.split(":", 1)[1]: value for key, value in document["config"].items()}
    raw["target"] = {**raw["target"], **target_overrides}
    return parse_stack_config(raw)
