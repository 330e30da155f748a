"""Required metadata (project, classification, wave) in each provider's shape.

Azure resources take a `tags` map; OpenStack networking resources take a `tags`
list of `key=value` strings; Nova, Cinder, Swift and Barbican take a `metadata`
map. Policies read the same three shapes (see bascule.rules).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from components.config.model import Dataset, Enclave

if TYPE_CHECKING:
    from components.config.stack import StackConfig

REQUIRED_KEYS = ("project", "classification", "wave")
GATEWAY_ROLE = "access-gateway"
# The `estate` label of each estate's resources.
SOURCE_ESTATE = "source"
TARGET_ESTATE = "target"
# What shared platform resources (networks, keys' stores, logs) are labelled with: they
# belong to no dataset's classification and to no wave.
SHARED_CLASSIFICATION = "platform"
SHARED_WAVE = 0


@dataclass(frozen=True)
class Labels:
    project: str
    classification: str
    wave: int
    estate: str  # "source" | "target"
    role: str  # e.g. "network", "dataset", "enclave", "access-gateway"
    # The wave's status (planned, migrating, cutover): policies freeze cut-over sources.
    migration_state: str | None = None

    def with_(self, **changes: object) -> Labels:
        return replace(self, **changes)  # type: ignore[arg-type]

    def as_map(self) -> dict[str, str]:
        return {
            "project": self.project,
            "classification": self.classification,
            "wave": str(self.wave),
            "estate": self.estate,
            "role": self.role,
            "managed-by": "bascule",
            **({"migration-state": self.migration_state} if self.migration_state else {}),
        }

    def as_list(self) -> list[str]:
        return [f"{key}={value}" for key, value in self.as_map().items()]


def shared_labels(platform: str, estate: str) -> Labels:
    """The labels of an estate's shared platform resources (role `platform`, wave 0)."""
    return Labels(
        project=platform,
        classification=SHARED_CLASSIFICATION,
        wave=SHARED_WAVE,
        estate=estate,
        role="platform",
    )


def workload_labels(config: StackConfig, item: Dataset | Enclave, estate: str) -> Labels:
    """The labels of one dataset or enclave: its own wave and that wave's migration state. A
    dataset belongs to the platform's project, an enclave is a project of its own."""
    dataset = isinstance(item, Dataset)
    return Labels(
        project=config.platform if dataset else item.name,
        classification=item.classification.value,
        wave=item.wave,
        migration_state=config.wave(item.wave).status.value,
        estate=estate,
        role="dataset" if dataset else "enclave",
    )
