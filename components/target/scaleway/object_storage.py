"""One dataset's Object Storage bucket on Scaleway: private (canned ACL `private`, no
bucket policy), versioned, encrypted server-side with the dataset's Key Manager key."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumiverse_scaleway import object as s3
from pulumiverse_scaleway.provider import Provider

from components.config.model import Dataset
from components.tagging import Labels

SSE_KMS = "aws:kms"  # the S3 word Scaleway's SSE configuration takes for a KMS key


@dataclass(frozen=True)
class ObjectStorageArgs:
    provider: Provider
    dataset: Dataset
    bucket_name: str
    region: str
    project_id: pulumi.Input[str]
    key_name: str
    key_id: pulumi.Input[str]
    key_store: str
    labels: Labels


class ObjectStorage(pulumi.ComponentResource):
    bucket_name: pulumi.Output[str]

    def __init__(
        self, name: str, args: ObjectStorageArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("bascule:target:ObjectStorage", name, None, opts)
        child = pulumi.ResourceOptions(parent=self, provider=args.provider)
        dataset = args.dataset
        bucket = s3.Bucket(
            f"{dataset.name}-bucket",
            name=args.bucket_name,
            versioning=s3.BucketVersioningArgs(enabled=True),
            # A non-empty dataset bucket must never be dropped by a `pulumi destroy`.
            force_destroy=False,
            tags={
                **args.labels.as_map(),
                "dataset": dataset.name,
                "kms-key": args.key_name,
                "kms-store": args.key_store,
                "raw": str(dataset.raw).lower(),
            },
            opts=child,
            region=args.region,
            project_id=args.project_id,
        )
        s3.BucketAcl(
            f"{dataset.name}-acl",
            bucket=bucket.name,
            acl="private",
            opts=child,
            region=args.region,
            project_id=args.project_id,
        )
        s3.BucketServerSideEncryptionConfiguration(
            f"{dataset.name}-sse",
            bucket=bucket.name,
            rules=[
                s3.BucketServerSideEncryptionConfigurationRuleArgs(
                    apply_server_side_encryption_by_default=s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                        sse_algorithm=SSE_KMS, kms_master_key_id=args.key_id
                    ),
                    bucket_key_enabled=True,
                )
            ],
            opts=child,
            region=args.region,
            project_id=args.project_id,
        )
        self.bucket_name = bucket.name
        self.register_outputs({"bucketName": self.bucket_name})
