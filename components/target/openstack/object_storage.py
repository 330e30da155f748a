"""One dataset's Swift container: private, versioned, on the encrypted storage policy."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_openstack import objectstorage
from pulumi_openstack.provider import Provider

from components.component import Opts, ProviderComponent
from components.config.model import Dataset
from components.tagging import Labels
from components.target.common import dataset_labels


@dataclass(frozen=True)
class ObjectStorageArgs:
    provider: Provider
    dataset: Dataset
    container_name: str
    storage_policy: str
    key_name: str
    key_store: str
    labels: Labels


class ObjectStorage(ProviderComponent):
    container_name: pulumi.Output[str]
    container: str  # the container's name, as a plain value
    storage_policy: str
    versioned: bool  # the container keeps previous object versions
    private: bool  # no read or write ACL beyond the owning project

    def __init__(self, name: str, args: ObjectStorageArgs, opts: Opts = None) -> None:
        super().__init__("bascule:target:ObjectStorage", name, args.provider, opts)
        dataset = args.dataset
        # No container_read/container_write: only the owning project reads or writes
        # (never the `.r:*` public referrer ACL). None is an input Pulumi does not send.
        read_acl: str | None = None
        write_acl: str | None = None
        # X-Versions-Enabled: overwrites and deletes keep the previous object version.
        self.versioned = True
        self.container = args.container_name
        self.storage_policy = args.storage_policy
        self.private = read_acl is None and write_acl is None

        container = objectstorage.Container(
            f"{dataset.name}-container",
            name=args.container_name,
            container_read=read_acl,
            container_write=write_acl,
            storage_policy=args.storage_policy,
            versioning=self.versioned,
            # A non-empty dataset container must never be dropped by a `pulumi destroy`.
            force_destroy=False,
            metadata=dataset_labels(args.labels, dataset, args.key_name, args.key_store),
            opts=self.child,
        )

        self.container_name = container.name
        self.register_outputs({"containerName": self.container_name})
