"""A premium Key Vault (HSM-backed keys), private, RBAC-only, purge-protected, audited."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import authorization, keyvault

from components.azure.locks import resource_lock
from components.azure.monitoring import audit_diagnostic_setting
from components.azure.network import private_endpoint
from components.azure.scope import AzureScope
from components.component import Opts, ProviderComponent
from components.config.model import Key
from components.tagging import Labels

SOFT_DELETE_RETENTION_DAYS = 90
RSA_HSM_SIZES = (2048, 3072, 4096)
# Key Vault (outside Managed HSM) has no AES keys: AES keys of the config become RSA-HSM 3072
# here. The target estate keeps AES-256 where its KMS supports it.
FALLBACK_RSA_SIZE = 3072
# Crypto-period of every key (ISO 8601 durations, Key Vault rotation policy): a new version a
# year after creation, expiry two years after it (the version rotation replaces).
ROTATE_AFTER = "P1Y"
EXPIRES_AFTER = "P2Y"
# Built-in role "Key Vault Crypto Service Encryption User": wrap/unwrap with a key, nothing else.
CRYPTO_SERVICE_ENCRYPTION_USER = "e147488a-f6f5-4113-8e2d-b22465e65bf6"


@dataclass(frozen=True)
class KeyVaultArgs:
    scope: AzureScope
    vault_name: str
    keys: tuple[Key, ...]
    workspace_id: pulumi.Input[str]
    private_endpoint_subnet_id: pulumi.Input[str]
    labels: Labels


@dataclass(frozen=True)
class VaultKey:
    """What a consumer of a key needs (storage CMK, disk encryption set)."""

    name: pulumi.Output[str]
    id: pulumi.Output[str]
    uri_with_version: pulumi.Output[str]


def rotation_policy() -> keyvault.RotationPolicyArgs:
    """Rotate after ROTATE_AFTER, expire after EXPIRES_AFTER."""
    return keyvault.RotationPolicyArgs(
        attributes=keyvault.KeyRotationPolicyAttributesArgs(expiry_time=EXPIRES_AFTER),
        lifetime_actions=[
            keyvault.LifetimeActionArgs(
                action=keyvault.ActionArgs(type=keyvault.KeyRotationPolicyActionType.ROTATE),
                trigger=keyvault.TriggerArgs(time_after_create=ROTATE_AFTER),
            )
        ],
    )


def rsa_key_size(key: Key) -> int:
    return key.size if key.algorithm == "RSA" and key.size in RSA_HSM_SIZES else FALLBACK_RSA_SIZE


class KeyVault(ProviderComponent):
    vault_id: pulumi.Output[str]
    vault_name: pulumi.Output[str]
    vault_uri: pulumi.Output[str]
    keys: dict[str, VaultKey]

    def __init__(self, name: str, args: KeyVaultArgs, opts: Opts = None) -> None:
        super().__init__("bascule:azure:KeyVault", name, args.scope.provider, opts)
        tags = args.labels.with_(role="key-vault").as_map()

        vault = _vault(name, args, tags, self.child)
        self.vault_id = vault.id
        self.vault_name = vault.name
        self.vault_uri = vault.properties.apply(lambda p: p.vault_uri or "")

        self.keys = {key.name: _key(key, vault.name, args, self.child) for key in args.keys}

        # The keys unwrap every dataset: the vault must never be deleted by mistake.
        resource_lock(
            name, vault, "bascule: the keys of the platform's datasets; never delete", self.child
        )
        audit_diagnostic_setting(
            f"{name}-audit",
            resource_uri=vault.id,
            workspace_id=args.workspace_id,
            opts=self.child,
        )
        private_endpoint(
            f"{name}-pe",
            resource_group_name=args.scope.resource_group_name,
            location=args.scope.location,
            subnet_id=args.private_endpoint_subnet_id,
            target_id=vault.id,
            group_id="vault",
            tags=tags,
            opts=self.child,
        )

        self.register_outputs(
            {"vaultId": self.vault_id, "vaultUri": self.vault_uri, "keys": list(self.keys)}
        )


def grant_key_use(
    name: str,
    *,
    vault_id: pulumi.Input[str],
    principal_id: pulumi.Input[str],
    subscription_id: str,
    opts: pulumi.ResourceOptions,
) -> authorization.RoleAssignment:
    """Let a managed identity wrap/unwrap with the vault's keys (and nothing else)."""
    return authorization.RoleAssignment(
        name,
        scope=vault_id,
        principal_id=principal_id,
        principal_type="ServicePrincipal",
        role_definition_id=(
            f"/subscriptions/{subscription_id}/providers/"
            f"Microsoft.Authorization/roleDefinitions/{CRYPTO_SERVICE_ENCRYPTION_USER}"
        ),
        opts=opts,
    )


def _vault(
    name: str, args: KeyVaultArgs, tags: dict[str, str], child: pulumi.ResourceOptions
) -> keyvault.Vault:
    """A premium (HSM) vault: purge protection, RBAC, no public network access."""
    return keyvault.Vault(
        f"{name}-vault",
        vault_name=args.vault_name,
        resource_group_name=args.scope.resource_group_name,
        location=args.scope.location,
        properties=keyvault.VaultPropertiesArgs(
            tenant_id=args.scope.tenant_id,
            sku=keyvault.SkuArgs(family="A", name=keyvault.SkuName.PREMIUM),
            enable_purge_protection=True,
            enable_soft_delete=True,
            soft_delete_retention_in_days=SOFT_DELETE_RETENTION_DAYS,
            enable_rbac_authorization=True,
            public_network_access="Disabled",
            network_acls=keyvault.NetworkRuleSetArgs(
                default_action="Deny",
                # Storage and disk encryption reach their CMK as trusted services.
                bypass="AzureServices",
            ),
        ),
        tags=tags,
        opts=child,
    )


def _key(
    key: Key, vault_name: pulumi.Input[str], args: KeyVaultArgs, child: pulumi.ResourceOptions
) -> VaultKey:
    """One HSM-backed RSA key with its rotation policy."""
    created = keyvault.Key(
        f"{key.name}-key",
        key_name=key.name,
        vault_name=vault_name,
        resource_group_name=args.scope.resource_group_name,
        properties=keyvault.KeyPropertiesArgs(
            kty="RSA-HSM",
            key_size=rsa_key_size(key),
            rotation_policy=rotation_policy(),
        ),
        tags=args.labels.with_(role=f"{key.purpose.value}-key").as_map(),
        opts=child,
    )
    return VaultKey(name=created.name, id=created.id, uri_with_version=created.key_uri_with_version)
