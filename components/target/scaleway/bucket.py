"""An Object Storage bucket on Scaleway as the audit trail and every dataset have one:
versioned, never dropped by a `pulumi destroy`, private (canned ACL `private`, no bucket
policy), encrypted server-side (helpers, no component: the caller is the parent)."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumiverse_scaleway import object as s3

from components.target.scaleway.scope import ScalewayScope

SseDefault = s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs


@dataclass(frozen=True)
class BucketPlace:
    """Which bucket, where: `<prefix>-bucket`, `<prefix>-acl`... name its resources."""

    prefix: str
    name: str
    scope: ScalewayScope


def private_bucket(
    place: BucketPlace,
    tags: dict[str, str],
    child: pulumi.ResourceOptions,
    object_lock: bool | None = None,  # None: not set (Object Storage's default: no lock)
) -> s3.Bucket:
    """The versioned bucket and its `private` ACL."""
    bucket = s3.Bucket(
        f"{place.prefix}-bucket",
        name=place.name,
        versioning=s3.BucketVersioningArgs(enabled=True),
        object_lock_enabled=object_lock,
        # A non-empty bucket must never be dropped by a `pulumi destroy`.
        force_destroy=False,
        tags=tags,
        opts=child,
        **place.scope.regional,
    )
    s3.BucketAcl(
        f"{place.prefix}-acl",
        bucket=bucket.name,
        acl="private",
        opts=child,
        **place.scope.regional,
    )
    return bucket


def encrypt_bucket(
    place: BucketPlace,
    bucket: s3.Bucket,
    default: SseDefault,
    child: pulumi.ResourceOptions,
    bucket_key: bool | None = None,  # S3 bucket keys (fewer calls to the KMS key)
) -> None:
    """The bucket's server-side encryption by default (`<prefix>-sse`)."""
    s3.BucketServerSideEncryptionConfiguration(
        f"{place.prefix}-sse",
        bucket=bucket.name,
        rules=[
            s3.BucketServerSideEncryptionConfigurationRuleArgs(
                apply_server_side_encryption_by_default=default, bucket_key_enabled=bucket_key
            )
        ],
        opts=child,
        **place.scope.regional,
    )
