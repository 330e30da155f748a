"""The audit trail: a private, versioned Swift container with its retention period in
metadata, and on OVHcloud an object-locked (write-once, COMPLIANCE mode) S3 bucket beside it:
Swift has no object lock, OVHcloud's object storage has."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_ovh as ovh
from pulumi_openstack import objectstorage
from pulumi_openstack.provider import Provider
from pulumi_ovh.provider import Provider as OvhProvider

from components.tagging import Labels


@dataclass(frozen=True)
class SwiftAudit:
    """The audit trail's store (components/target/audit_log.py `AuditStore`)."""

    provider: Provider
    container_name: str
    storage_policy: str
    retention_days: int
    labels: Labels
    # OVHcloud only: where the write-once copy lives.
    ovh_provider: OvhProvider | None = None
    ovh_service_name: str | None = None
    region: str | None = None

    def build(
        self, name: str, retention_days: int, child: pulumi.ResourceOptions
    ) -> pulumi.Output[str]:
        container = objectstorage.Container(
            f"{name}-container",
            name=self.container_name,
            storage_policy=self.storage_policy,
            versioning=True,
            force_destroy=False,
            metadata={
                **self.labels.as_map(),
                "retention-days": str(retention_days),
            },
            opts=child,
        )
        if self.ovh_provider is not None and self.ovh_service_name and self.region:
            worm = WormBucket(self.ovh_provider, self.ovh_service_name, self.region)
            worm.build(name, self, retention_days, child.parent)
        return container.name


@dataclass(frozen=True)
class WormBucket:
    provider: OvhProvider
    service_name: str
    region: str

    def build(
        self, name: str, audit: SwiftAudit, retention_days: int, parent: pulumi.Resource | None
    ) -> None:
        """Objects locked in COMPLIANCE mode for the retention period: no account, the
        administrator's included, can delete or overwrite them before it ends."""
        ovh.cloudproject.Storage(
            f"{name}-worm",
            service_name=self.service_name,
            region_name=self.region,
            name=f"{audit.container_name}-worm",
            encryption=ovh.cloudproject.StorageEncryptionArgs(sse_algorithm="AES256"),
            versioning=ovh.cloudproject.StorageVersioningArgs(status="enabled"),
            object_lock=ovh.cloudproject.StorageObjectLockArgs(
                status="enabled",
                rule=ovh.cloudproject.StorageObjectLockRuleArgs(
                    mode="compliance", period=f"P{retention_days}D"
                ),
            ),
            tags=audit.labels.as_map(),
            opts=pulumi.ResourceOptions(parent=parent, provider=self.provider),
        )
