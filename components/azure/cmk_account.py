"""A private storage account encrypted with a customer-managed key through its own identity:
the shape every bascule account shares (datasets, the log archive)."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import managedidentity, storage

from components.azure.key_vault import KeyVault, VaultKey, grant_key_use
from components.azure.monitoring import audit_diagnostic_setting
from components.azure.scope import AzureScope

# Deleted blobs and containers stay recoverable this long.
DELETE_RETENTION_DAYS = 30


@dataclass(frozen=True)
class CmkAccountArgs:
    """Where a storage account goes, its name, and the customer-managed key it is under."""

    scope: AzureScope
    account_name: str
    vault: KeyVault
    key: VaultKey  # one of that vault's keys


def cmk_storage_account(
    name: str,
    account: CmkAccountArgs,
    *,
    tags: dict[str, str],
    opts: pulumi.ResourceOptions,
    hierarchical_namespace: bool | None = None,
) -> storage.StorageAccount:
    """Private, shared-key-less, TLS 1.2, zone-redundant; trusted Azure services (Network
    Watcher, backup) pass the firewall. The identity must unwrap the key before the account
    can use it, hence the dependency on the key grant."""
    identity = managedidentity.UserAssignedIdentity(
        f"{name}-identity",
        resource_group_name=account.scope.resource_group_name,
        location=account.scope.location,
        tags=tags,
        opts=opts,
    )
    key_access = grant_key_use(
        f"{name}-key-access",
        vault_id=account.vault.vault_id,
        principal_id=identity.principal_id,
        subscription_id=account.scope.subscription_id,
        opts=opts,
    )
    return storage.StorageAccount(
        f"{name}-account",
        account_name=account.account_name,
        resource_group_name=account.scope.resource_group_name,
        location=account.scope.location,
        kind="StorageV2",
        sku=storage.SkuArgs(name="Standard_ZRS"),
        is_hns_enabled=hierarchical_namespace,
        allow_blob_public_access=False,
        allow_shared_key_access=False,
        minimum_tls_version="TLS1_2",
        enable_https_traffic_only=True,
        public_network_access="Disabled",
        network_rule_set=storage.NetworkRuleSetArgs(
            default_action=storage.DefaultAction.DENY, bypass="AzureServices"
        ),
        identity=storage.IdentityArgs(type="UserAssigned", user_assigned_identities=[identity.id]),
        encryption=_cmk_encryption(identity.id, account.key, account.vault.vault_uri),
        tags=tags,
        opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=[key_access])),
    )


def _cmk_encryption(
    identity_id: pulumi.Input[str], key: VaultKey, vault_uri: pulumi.Input[str]
) -> storage.EncryptionArgs:
    """The vault key through the account's own identity, over infrastructure encryption."""
    return storage.EncryptionArgs(
        key_source="Microsoft.Keyvault",
        require_infrastructure_encryption=True,
        encryption_identity=storage.EncryptionIdentityArgs(
            encryption_user_assigned_identity=identity_id
        ),
        key_vault_properties=storage.KeyVaultPropertiesArgs(
            key_name=key.name, key_vault_uri=vault_uri
        ),
    )


def audited_blob_service(
    name: str,
    account: storage.StorageAccount,
    resource_group_name: pulumi.Input[str],
    *,
    versioned: bool,
    workspace_id: pulumi.Input[str],
    opts: pulumi.ResourceOptions,
) -> None:
    """The account's blob service: versions kept where asked, deleted blobs and containers
    recoverable, and its log (storage accounts log per service; the audit trail of their data
    is the blob one) sent to the workspace."""
    retention = storage.DeleteRetentionPolicyArgs(enabled=True, days=DELETE_RETENTION_DAYS)
    storage.BlobServiceProperties(
        f"{name}-blob-service",
        account_name=account.name,
        resource_group_name=resource_group_name,
        blob_services_name="default",
        is_versioning_enabled=versioned,
        delete_retention_policy=retention,
        container_delete_retention_policy=retention,
        opts=opts,
    )
    audit_diagnostic_setting(
        f"{name}-audit",
        resource_uri=account.id.apply(lambda account_id: f"{account_id}/blobServices/default"),
        workspace_id=workspace_id,
        opts=opts,
    )
