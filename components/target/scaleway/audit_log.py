"""The audit trail on Scaleway: an Object Storage bucket, versioned and object-locked in
COMPLIANCE mode for the retention period (no account, the owner's included, deletes or
overwrites a log before it ends), encrypted server-side, private.

Scaleway's own Audit Trail (API events of the organisation) is always on and, in
pulumiverse-scaleway 1.60, only readable (`audittrail.get_event`): nothing to declare. The
platform's logs (instances, gateway, transfers) are shipped into this bucket.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumiverse_scaleway import object as s3
from pulumiverse_scaleway.provider import Provider

from components.tagging import Labels

# Health-data hosting (HDS) audit trails are kept at least six months.
MIN_RETENTION_DAYS = 180
LOCK_MODE = "COMPLIANCE"
SSE_MANAGED = "AES256"  # Object Storage's own keys (SSE-S3 equivalent)


@dataclass(frozen=True)
class AuditLogArgs:
    provider: Provider
    bucket_name: str
    region: str
    project_id: str
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
        bucket = s3.Bucket(
            f"{name}-bucket",
            name=args.bucket_name,
            versioning=s3.BucketVersioningArgs(enabled=True),
            object_lock_enabled=True,
            force_destroy=False,
            tags={**args.labels.as_map(), "retention-days": str(self.retention_days)},
            opts=child,
            region=args.region,
            project_id=args.project_id,
        )
        s3.BucketAcl(
            f"{name}-acl",
            bucket=bucket.name,
            acl="private",
            opts=child,
            region=args.region,
            project_id=args.project_id,
        )
        s3.BucketLockConfiguration(
            f"{name}-lock",
            bucket=bucket.name,
            rule=s3.BucketLockConfigurationRuleArgs(
                default_retention=s3.BucketLockConfigurationRuleDefaultRetentionArgs(
                    mode=LOCK_MODE, days=self.retention_days
                )
            ),
            opts=child,
            region=args.region,
            project_id=args.project_id,
        )
        s3.BucketServerSideEncryptionConfiguration(
            f"{name}-sse",
            bucket=bucket.name,
            rules=[
                s3.BucketServerSideEncryptionConfigurationRuleArgs(
                    apply_server_side_encryption_by_default=s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                        sse_algorithm=SSE_MANAGED
                    )
                )
            ],
            opts=child,
            region=args.region,
            project_id=args.project_id,
        )
        self.container_name = bucket.name
        self.register_outputs(
            {"containerName": self.container_name, "retentionDays": self.retention_days}
        )
