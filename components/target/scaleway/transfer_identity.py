"""One wave's target-side transfer identity for one job on Scaleway: an IAM application named
`<platform>-wave<N>-<job>-transfer` (the OpenStack credential's name), an IAM policy giving it
Object Storage read and object write, and the use (encrypt, decrypt) of the project's keys its
SSE-KMS buckets need, in the datasets' project only, a bucket policy on each of
the job's buckets allowing that application to list, read and put (never delete), and an API
key expiring at the wave's cutover date.

Sources (read 2026-12-02): Scaleway docs-content pages/object-storage/reference-content/
s3-iam-permissions-equivalence.mdx (permission sets ObjectStorageBucketsRead,
ObjectStorageObjectsRead, ObjectStorageObjectsWrite; HeadBucket/ListObjects need
s3:ListBucket, HeadObject s3:GetObject, multipart and copy s3:PutObject) and
pages/object-storage/api-cli/bucket-policy.mdx (Version 2023-04-17: only actions the bucket
policy allows are permitted, if an IAM policy also allows the principal; principals are
`{"SCW": "application_id:<id>"}`; resources `<bucket>` and `<bucket>/*`).

Caveat (same sources): once a bucket has a policy, only the principals it names reach it;
and buckets of the project without a bucket policy are governed by the IAM policy alone.
The API key's secret stays a Pulumi secret (the provider marks `secretKey` secret); nothing
here exports it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
from pulumiverse_scaleway import iam
from pulumiverse_scaleway import object as s3

from components.component import Opts
from components.config.interconnect import TransferJob
from components.target.scaleway.scope import ScalewayScope

POLICY_VERSION = "2023-04-17"
# The Object Storage sets to list, read and write objects; and the two Key Manager sets an
# SSE-KMS bucket needs of whoever uploads to or downloads from it, though it never calls Key
# Manager itself: KeyManagerKeyEncrypt for PutObject, KeyManagerKeyDecrypt for GetObject, and
# without them "access denied" even with ObjectStorageFullAccess in the key's project
# (docs-content pages/iam/reference-content/permission-sets.mdx, validated 2026-03-20, and
# pages/object-storage/api-cli/enable-sse-kms.mdx, validated 2026-06-04; read 2026-12-02). The
# job's buckets are encrypted with its key, in its project.
PERMISSION_SETS = (
    "ObjectStorageBucketsRead",
    "ObjectStorageObjectsRead",
    "ObjectStorageObjectsWrite",
    "KeyManagerKeyEncrypt",
    "KeyManagerKeyDecrypt",
)
BUCKET_ACTIONS = ("s3:ListBucket",)  # listing and HeadBucket
OBJECT_ACTIONS = ("s3:GetObject", "s3:PutObject")  # copy and verify; never delete


def bucket_policy(bucket: str, application_id: str) -> str:
    """The bucket's policy: this application lists, reads and puts; nothing else."""
    principal = {"SCW": f"application_id:{application_id}"}
    statements = [
        {
            "Sid": "transfer-list",
            "Effect": "Allow",
            "Principal": principal,
            "Action": list(BUCKET_ACTIONS),
            "Resource": [bucket],
        },
        {
            "Sid": "transfer-write",
            "Effect": "Allow",
            "Principal": principal,
            "Action": list(OBJECT_ACTIONS),
            "Resource": [f"{bucket}/*"],
        },
    ]
    return json.dumps({"Version": POLICY_VERSION, "Statement": statements}, sort_keys=True)


@dataclass(frozen=True)
class TransferIdentityArgs:
    scope: ScalewayScope  # the provider, region and the job's datasets' project
    platform: str
    transfer: TransferJob  # the wave and the job ("datasets" or "pseudonymisation-keys")
    # Dataset name -> its bucket's name (an output: each policy waits for its bucket), the
    # wave's datasets of that job, all in `scope`'s project.
    buckets: Mapping[str, pulumi.Output[str]]
    expires: dt.date  # the wave's cutover date
    tags: Sequence[str]


class TransferIdentity(pulumi.ComponentResource):
    application_id: pulumi.Output[str]

    def __init__(self, name: str, args: TransferIdentityArgs, opts: Opts = None) -> None:
        super().__init__("bascule:target:TransferIdentity", name, None, opts)
        child = pulumi.ResourceOptions(parent=self, provider=args.scope.provider)
        what = args.transfer.description()
        app = iam.Application(
            name,
            name=args.transfer.component_name(args.platform),
            description=what,
            tags=list(args.tags),
            opts=child,
        )
        iam.Policy(
            f"{name}-policy",
            name=f"{name}-policy",
            description=what,
            application_id=app.id,
            rules=[
                iam.PolicyRuleArgs(
                    project_ids=[args.scope.project_id],
                    permission_set_names=list(PERMISSION_SETS),
                )
            ],
            tags=list(args.tags),
            opts=child,
        )
        for dataset, bucket in args.buckets.items():
            s3.BucketPolicy(
                f"{name}-{dataset}-policy",
                bucket=bucket,
                policy=pulumi.Output.all(bucket, app.id).apply(lambda v: bucket_policy(*v)),
                opts=child,
                **args.scope.regional,
            )
        key = iam.ApiKey(
            f"{name}-key",
            application_id=app.id,
            description=what,
            default_project_id=args.scope.project_id,
            expires_at=f"{args.expires.isoformat()}T23:59:59Z",
            opts=child,
        )
        self.application_id = app.id
        self.register_outputs({"applicationId": app.id, "accessKey": key.access_key})
