"""One wave's source-side transfer identity for one job: a user-assigned managed identity
that reads that wave's storage accounts of that job, and nothing else.

Named `id-<platform>-wave<N>-<job>-transfer`, the name `bascule transfer plan` refers to;
built only while the wave is replicating or parallel (components/lifecycle.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
from pulumi_azure_native import authorization, managedidentity

from components.azure.scope import AzureScope
from components.component import Opts, ProviderComponent
from components.config.interconnect import TransferJob, transfer_name
from components.tagging import Labels

# Built-in role "Storage Blob Data Reader": read blobs, list containers, mint user-delegation
# keys; no write, no delete, no account keys.
STORAGE_BLOB_DATA_READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
TRANSFER_ROLE = "transfer-identity"
JOB_TAG = "transfer-job"


def identity_name(platform: str, wave: int, job: str) -> str:
    return f"id-{transfer_name(platform, wave, job)}"


@dataclass(frozen=True)
class TransferIdentityArgs:
    scope: AzureScope
    platform: str
    transfer: TransferJob  # the wave and the job ("datasets" or "pseudonymisation-keys")
    account_ids: Mapping[str, pulumi.Input[str]]  # dataset name -> its storage account id
    labels: Labels


class TransferIdentity(ProviderComponent):
    identity_id: pulumi.Output[str]
    client_id: pulumi.Output[str]

    def __init__(self, name: str, args: TransferIdentityArgs, opts: Opts = None) -> None:
        super().__init__("bascule:azure:TransferIdentity", name, args.scope.provider, opts)
        tags = {**args.labels.with_(role=TRANSFER_ROLE).as_map(), JOB_TAG: args.transfer.job}

        identity = managedidentity.UserAssignedIdentity(
            name,
            resource_name_=identity_name(args.platform, args.transfer.wave.id, args.transfer.job),
            resource_group_name=args.scope.resource_group_name,
            location=args.scope.location,
            tags=tags,
            opts=self.child,
        )
        reader = (
            f"/subscriptions/{args.scope.subscription_id}/providers/"
            f"Microsoft.Authorization/roleDefinitions/{STORAGE_BLOB_DATA_READER}"
        )
        for dataset, account_id in sorted(args.account_ids.items()):
            authorization.RoleAssignment(
                f"{name}-reads-{dataset}",
                scope=account_id,
                principal_id=identity.principal_id,
                principal_type="ServicePrincipal",
                role_definition_id=reader,
                opts=self.child,
            )

        self.identity_id = identity.id
        self.client_id = identity.client_id
        self.register_outputs({"identityId": self.identity_id, "clientId": self.client_id})
