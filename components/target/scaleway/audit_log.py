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
from components.target.scaleway.bucket import (
    BucketPlace,
    SseDefault,
    encrypt_bucket,
    private_bucket,
)
from components.target.scaleway.scope import ScalewayScope

LOCK_MODE = "COMPLIANCE"
SSE_MANAGED = "AES256"  # Object Storage's own keys (SSE-S3 equivalent)


@dataclass(frozen=True)
class LockedBucket:
    """The audit trail's store (components/target/audit_log.py `AuditStore`)."""

    scope: ScalewayScope
    bucket_name: str
    retention_days: int  # as configured; the trail floors it (MIN_RETENTION_DAYS)
    labels: Labels

    @property
    def provider(self) -> Provider:
        return self.scope.provider

    def build(
        self, name: str, retention_days: int, child: pulumi.ResourceOptions
    ) -> pulumi.Output[str]:
        place = BucketPlace(name, self.bucket_name, self.scope)
        tags = {**self.labels.as_map(), "retention-days": str(retention_days)}
        bucket = private_bucket(place, tags, child, object_lock=True)
        s3.BucketLockConfiguration(
            f"{name}-lock",
            bucket=bucket.name,
            rule=s3.BucketLockConfigurationRuleArgs(
                default_retention=s3.BucketLockConfigurationRuleDefaultRetentionArgs(
                    mode=LOCK_MODE, days=retention_days
                )
            ),
            opts=child,
            **self.scope.regional,
        )
        encrypt_bucket(place, bucket, SseDefault(sse_algorithm=SSE_MANAGED), child)
        return bucket.name
