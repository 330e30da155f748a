"""One dataset: a private ADLS Gen2 account encrypted with the dataset's customer-managed key."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import storage

from components.azure.cmk_account import CmkAccountArgs, audited_blob_service, cmk_storage_account
from components.azure.locks import resource_lock
from components.azure.network import private_endpoint
from components.component import Opts, ProviderComponent
from components.config.model import Classification, Dataset
from components.tagging import Labels

CONTAINER_NAME = "data"
LOCK_NOTES_FROZEN = "bascule: dataset cut over to the target estate; source copy is frozen"
LOCK_NOTES_OPEN = "bascule: dataset not yet cut over; the source copy must not be deleted"


@dataclass(frozen=True)
class DatasetStorageArgs:
    account: CmkAccountArgs  # where the account goes, its name and key
    dataset: Dataset
    private_endpoint_subnet_id: pulumi.Input[str]
    workspace_id: pulumi.Input[str]
    read_only: bool
    labels: Labels


class DatasetStorage(ProviderComponent):
    account_id: pulumi.Output[str]
    account_name: pulumi.Output[str]

    def __init__(self, name: str, args: DatasetStorageArgs, opts: Opts = None) -> None:
        super().__init__("bascule:azure:DatasetStorage", name, args.account.scope.provider, opts)
        tags = args.labels.as_map()

        account = cmk_storage_account(
            name,
            args.account,
            tags=tags,
            opts=self.child,
            hierarchical_namespace=True,
        )
        self.account_id = account.id
        self.account_name = account.name

        dataset = args.dataset
        audited_blob_service(
            name,
            account,
            args.account.scope.resource_group_name,
            # Raw extracts cannot be regenerated, and health data must survive a bad
            # overwrite: keep every version of anything but open data.
            versioned=dataset.raw or dataset.classification is not Classification.OPEN_DATA,
            workspace_id=args.workspace_id,
            opts=self.child,
        )
        storage.BlobContainer(
            f"{name}-container",
            container_name=CONTAINER_NAME,
            account_name=account.name,
            resource_group_name=args.account.scope.resource_group_name,
            public_access=storage.PublicAccess.NONE,
            # Container metadata travels with the data through AzCopy/rclone migrations.
            metadata=tags,
            opts=self.child,
        )
        for group_id in ("blob", "dfs"):
            private_endpoint(
                f"{name}-{group_id}-pe",
                resource_group_name=args.account.scope.resource_group_name,
                location=args.account.scope.location,
                subnet_id=args.private_endpoint_subnet_id,
                target_id=account.id,
                group_id=group_id,
                tags=tags,
                opts=self.child,
            )
        # Once the wave is cut over the source copy must not change any more (read-only);
        # until then it is the only complete copy: it can change, never vanish (no-delete).
        notes = LOCK_NOTES_FROZEN if args.read_only else LOCK_NOTES_OPEN
        resource_lock(name, account, notes, self.child, read_only=args.read_only)

        self.register_outputs({"accountId": self.account_id, "accountName": self.account_name})
