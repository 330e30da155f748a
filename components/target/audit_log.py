"""The audit-log container: private, versioned, with its retention period in metadata."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_openstack import objectstorage
from pulumi_openstack.provider import Provider

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

        self.container_name = container.name
        self.register_outputs(
            {"containerName": self.container_name, "retentionDays": self.retention_days}
        )
