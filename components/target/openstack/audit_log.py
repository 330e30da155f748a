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

# Health-data hosting (HDS) audit trails are kept at least six months.
MIN_RETENTION_DAYS = 180


@dataclass(frozen=True)
class AuditLogArgs:
    provider: Provider
    container_name: str
    storage_policy: str
    retention_days: int
    labels: Labels
    # OVHcloud only: where the write-once copy lives.
    ovh_provider: OvhProvider | None = None
    ovh_service_name: str | None = None
    region: str | None = None


@dataclass(frozen=True)
class WormBucket:
    provider: OvhProvider
    service_name: str
    region: str


class AuditLog(pulumi.ComponentResource):
    container_name: pulumi.Output[str]
    retention_days: int

    def __init__(
        self, name: str, args: AuditLogArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("bascule:target:AuditLog", name, None, opts)
        child = pulumi.ResourceOptions(parent=self, provider=args.provider)
        self.retention_days = max(args.retention_days, MIN_RETENTION_DAYS)

        container = objectstorage.Container(
            f"{name}-container",
            name=args.container_name,
            storage_policy=args.storage_policy,
            versioning=True,
            force_destroy=False,
            metadata={
                **args.labels.as_map(),
                "retention-days": str(self.retention_days),
            },
            opts=child,
        )

        if args.ovh_provider is not None and args.ovh_service_name and args.region:
            self._worm_bucket(
                name, args, WormBucket(args.ovh_provider, args.ovh_service_name, args.region)
            )
        self.container_name = container.name
        self.register_outputs(
            {"containerName": self.container_name, "retentionDays": self.retention_days}
        )

    def _worm_bucket(self, name: str, args: AuditLogArgs, worm: WormBucket) -> None:
        """Objects locked in COMPLIANCE mode for the retention period: no account, the
        administrator's included, can delete or overwrite them before it ends."""
        ovh.cloudproject.Storage(
            f"{name}-worm",
            service_name=worm.service_name,
            region_name=worm.region,
            name=f"{args.container_name}-worm",
            encryption=ovh.cloudproject.StorageEncryptionArgs(sse_algorithm="AES256"),
            versioning=ovh.cloudproject.StorageVersioningArgs(status="enabled"),
            object_lock=ovh.cloudproject.StorageObjectLockArgs(
                status="enabled",
                rule=ovh.cloudproject.StorageObjectLockRuleArgs(
                    mode="compliance", period=f"P{self.retention_days}D"
                ),
            ),
            tags=args.labels.as_map(),
            opts=pulumi.ResourceOptions(parent=self, provider=worm.provider),
        )
