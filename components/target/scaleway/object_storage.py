"""One dataset's Object Storage bucket on Scaleway: private (canned ACL `private`, no
bucket policy), versioned, encrypted server-side with the dataset's Key Manager key."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

from components.component import Opts, ProviderComponent
from components.config.model import Dataset
from components.tagging import Labels
from components.target.common import dataset_labels
from components.target.scaleway.bucket import (
    BucketPlace,
    SseDefault,
    encrypt_bucket,
    private_bucket,
)
from components.target.scaleway.scope import ScalewayScope

SSE_KMS = "aws:kms"  # the S3 word Scaleway's SSE configuration takes for a KMS key


@dataclass(frozen=True)
class ObjectStorageArgs:
    scope: ScalewayScope  # the dataset's project (the pseudonymisation one for its tables)
    dataset: Dataset
    bucket_name: str
    key_name: str
    key_id: pulumi.Input[str]
    key_store: str  # the key's store (<platform>-keys or <platform>-pseudo), its kms-store tag
    labels: Labels


class ObjectStorage(ProviderComponent):
    bucket_name: pulumi.Output[str]

    def __init__(self, name: str, args: ObjectStorageArgs, opts: Opts = None) -> None:
        super().__init__("bascule:target:ObjectStorage", name, args.scope.provider, opts)
        dataset = args.dataset
        place = BucketPlace(dataset.name, args.bucket_name, args.scope)
        tags = dataset_labels(args.labels, dataset, args.key_name, args.key_store)
        bucket = private_bucket(place, tags, self.child)
        sse = SseDefault(sse_algorithm=SSE_KMS, kms_master_key_id=args.key_id)
        encrypt_bucket(place, bucket, sse, self.child, bucket_key=True)
        self.bucket_name = bucket.name
        self.register_outputs({"bucketName": self.bucket_name})
