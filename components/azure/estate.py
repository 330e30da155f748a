"""The source Azure estate: everything the platform runs on Azure today, from the stack config."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi_azure_native import compute, managedidentity, resources
from pulumi_azure_native.provider import Provider

from components.azure.access_gateway import AccessGateway, AccessGatewayArgs
from components.azure.dataset_storage import DatasetStorage, DatasetStorageArgs
from components.azure.enclave import Enclave, EnclaveArgs
from components.azure.key_vault import KeyVault, KeyVaultArgs, grant_key_use, rsa_key_size
from components.azure.log_archive import LogArchive, LogArchiveArgs
from components.azure.migration import SourceMigrationArgs, build_source_migration, retired_keys
from components.azure.monitoring import Monitoring, MonitoringArgs
from components.azure.naming import key_vault_name, storage_account_name
from components.azure.network import Network, NetworkArgs, hub_zone_name
from components.config.load import ProviderCredentials, interconnect_key
from components.config.model import KeyPurpose, ZoneRole
from components.config.stack import StackConfig
from components.lifecycle import phase
from components.tagging import Labels

ESTATE = "source"
SHARED_CLASSIFICATION = "platform"
SHARED_WAVE = 0


@dataclass(frozen=True)
class AzureEstateArgs:
    config: StackConfig
    credentials: ProviderCredentials | None = None  # the interconnect's pre-shared key


class AzureEstate(pulumi.ComponentResource):
    inventory: dict[str, dict[str, dict[str, Any]]]

    def __init__(
        self, name: str, args: AzureEstateArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("bascule:azure:Estate", name, None, opts)
        config = args.config
        azure = config.azure
        platform = config.platform
        shared = Labels(
            project=platform,
            classification=SHARED_CLASSIFICATION,
            wave=SHARED_WAVE,
            estate=ESTATE,
            role="platform",
        )

        # One explicit provider: nothing falls back to ambient credentials or location.
        provider = Provider(
            f"{name}-azure",
            location=azure.location,
            subscription_id=azure.subscription_id,
            tenant_id=azure.tenant_id,
            opts=pulumi.ResourceOptions(parent=self),
        )
        child = pulumi.ResourceOptions(parent=self, provider=provider)
        group = resources.ResourceGroup(
            f"{name}-rg",
            resource_group_name=azure.resource_group,
            location=azure.location,
            tags=shared.with_(role="resource-group").as_map(),
            opts=child,
        )
        rg_name = group.name
        common: dict[str, Any] = {
            "provider": provider,
            "resource_group_name": rg_name,
            "location": azure.location,
        }

        monitoring = Monitoring(
            f"{platform}-monitoring",
            MonitoringArgs(**common, retention_days=azure.log_retention_days, labels=shared),
            opts=pulumi.ResourceOptions(parent=self),
        )
        hub_zone = hub_zone_name(config.zones, config.gateway.zone)
        link = config.interconnect
        net = Network(
            f"{platform}-network",
            NetworkArgs(
                **common,
                zones=config.zones,
                hub_zone=hub_zone,
                labels=shared,
                hub_extra_prefixes=(str(link.gateway_subnet_cidr),) if link else (),
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        # Private endpoints live in the data zone (the hub when there is none).
        data_zone = next((z.name for z in config.zones if z.role is ZoneRole.DATA), hub_zone)
        endpoint_subnet = net.subnet_ids[data_zone]

        # Pseudonymisation keys never share a vault with dataset or disk keys.
        vault_specs = (
            ("keys", SHARED_CLASSIFICATION, lambda p: p is not KeyPurpose.PSEUDONYMISATION),
            ("pseudo", "pseudonymisation-keys", lambda p: p is KeyPurpose.PSEUDONYMISATION),
        )
        vaults: dict[str, KeyVault] = {}
        vault_names: dict[str, str] = {}
        vault_of_key: dict[str, str] = {}
        # Keys whose every dataset is decommissioned are gone: their destruction is scheduled.
        retired = retired_keys(config)
        for suffix, classification, holds in vault_specs:
            keys = tuple(k for k in config.keys if holds(k.purpose) and k.name not in retired)
            physical_name = key_vault_name(platform, suffix)
            vaults[suffix] = KeyVault(
                f"{platform}-{suffix}",
                KeyVaultArgs(
                    **common,
                    tenant_id=azure.tenant_id,
                    vault_name=physical_name,
                    keys=keys,
                    workspace_id=monitoring.workspace_id,
                    private_endpoint_subnet_id=endpoint_subnet,
                    labels=shared.with_(classification=classification),
                ),
                opts=pulumi.ResourceOptions(parent=self),
            )
            vault_names[suffix] = physical_name
            vault_of_key.update({k.name: suffix for k in keys})

        # Network flow logs and the subscription's activity log: the other log sources. The
        # archive outlives the datasets: never on a retired key (its deletion would erase it);
        # once every dataset key is retired, on the disk key.
        live = [k for k in config.keys if k.name not in retired]
        archive_key = next(
            (k for k in live if k.purpose is KeyPurpose.DATASET),
            next(k for k in live if k.purpose is KeyPurpose.DISK),
        )
        archive_vault = vaults[vault_of_key[archive_key.name]]
        LogArchive(
            f"{platform}-log-archive",
            LogArchiveArgs(
                **common,
                subscription_id=azure.subscription_id,
                account_name=storage_account_name(platform, "log-archive"),
                key=archive_vault.keys[archive_key.name],
                vault_id=archive_vault.vault_id,
                vault_uri=archive_vault.vault_uri,
                workspace_id=monitoring.workspace_id,
                vnet_ids=net.vnet_ids,
                labels=shared.with_(classification="audit-logs", role="log-archive"),
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

        # Disks: one encryption set, with its own identity, on the first disk key.
        disk_key = next(k for k in config.keys if k.purpose is KeyPurpose.DISK)
        disk_vault = vaults[vault_of_key[disk_key.name]]
        disk_identity = managedidentity.UserAssignedIdentity(
            f"{platform}-disk-identity",
            **common_without_provider(common),
            tags=shared.with_(role="disk-encryption").as_map(),
            opts=child,
        )
        disk_key_access = grant_key_use(
            f"{platform}-disk-key-access",
            vault_id=disk_vault.vault_id,
            principal_id=disk_identity.principal_id,
            subscription_id=azure.subscription_id,
            opts=child,
        )
        disk_encryption_set = compute.DiskEncryptionSet(
            f"{platform}-des",
            **common_without_provider(common),
            encryption_type=compute.DiskEncryptionSetType.ENCRYPTION_AT_REST_WITH_CUSTOMER_KEY,
            active_key=compute.KeyForDiskEncryptionSetArgs(
                key_url=disk_vault.keys[disk_key.name].uri_with_version,
                source_vault=compute.SourceVaultArgs(id=disk_vault.vault_id),
            ),
            identity=compute.EncryptionSetIdentityArgs(
                type=compute.DiskEncryptionSetIdentityType.USER_ASSIGNED,
                user_assigned_identities=[disk_identity.id],
            ),
            rotation_to_latest_key_version_enabled=True,
            tags=shared.with_(role="disk-encryption").as_map(),
            opts=pulumi.ResourceOptions.merge(
                child, pulumi.ResourceOptions(depends_on=[disk_key_access])
            ),
        )

        datasets: dict[str, dict[str, Any]] = {}
        account_ids: dict[str, pulumi.Output[str]] = {}
        for dataset in config.datasets:
            status = phase(config.wave(dataset.wave).status)
            if not status.source_present:
                continue  # decommissioned: the source copy is removed
            vault = vaults[vault_of_key[dataset.key]]
            account_name = storage_account_name(platform, dataset.name)
            read_only = status.source_locked
            storage = DatasetStorage(
                dataset.name,
                DatasetStorageArgs(
                    **common,
                    subscription_id=azure.subscription_id,
                    dataset=dataset,
                    account_name=account_name,
                    key=vault.keys[dataset.key],
                    vault_id=vault.vault_id,
                    vault_uri=vault.vault_uri,
                    private_endpoint_subnet_id=endpoint_subnet,
                    workspace_id=monitoring.workspace_id,
                    read_only=read_only,
                    labels=Labels(
                        project=platform,
                        classification=dataset.classification.value,
                        wave=dataset.wave,
                        migration_state=config.wave(dataset.wave).status.value,
                        estate=ESTATE,
                        role="dataset",
                    ),
                ),
                opts=pulumi.ResourceOptions(parent=self),
            )
            datasets[dataset.name] = {
                "classification": dataset.classification.value,
                "sizeGb": dataset.size_gb,
                "raw": dataset.raw,
                "wave": dataset.wave,
                "key": dataset.key,
                "vault": vault_names[vault_of_key[dataset.key]],
                "storageAccount": account_name,
                "readOnly": read_only,
                "id": storage.account_id,
            }
            account_ids[dataset.name] = storage.account_id

        gateway_zone = config.zone(config.gateway.zone)
        vm_common: dict[str, Any] = {
            **common,
            "disk_encryption_set_id": disk_encryption_set.id,
            "ssh_public_key": azure.admin_ssh_public_key,
            "vm_image": azure.vm_image,
        }
        AccessGateway(
            f"{platform}-gateway",
            AccessGatewayArgs(
                **vm_common,
                gateway=config.gateway,
                subnet_id=net.subnet_ids[gateway_zone.name],
                labels=shared.with_(wave=SHARED_WAVE),
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

        build_source_migration(
            SourceMigrationArgs(
                config=config,
                common=common,
                hub_vnet_name=net.vnet_names[hub_zone],
                hub_subnet_id=net.subnet_ids[hub_zone],
                account_ids=account_ids,
                vm_common={k: v for k, v in vm_common.items() if k not in common},
                shared_key=interconnect_key(args.credentials) if link else "",
                labels=shared,
            ),
            parent=self,
        )

        enclaves: dict[str, dict[str, Any]] = {}
        for enclave in config.resolved_enclaves:
            wave_phase = phase(config.wave(enclave.wave).status)
            if not wave_phase.source_present:
                continue  # decommissioned
            built = Enclave(
                enclave.name,
                EnclaveArgs(
                    **vm_common,
                    enclave=enclave,
                    admits_gateway=wave_phase.source_enclaves_open,
                    subnet_id=net.subnet_ids[enclave.zone],
                    gateway_cidr=str(gateway_zone.azure_cidr),
                    labels=Labels(
                        project=enclave.name,
                        classification=enclave.classification.value,
                        wave=enclave.wave,
                        migration_state=config.wave(enclave.wave).status.value,
                        estate=ESTATE,
                        role="enclave",
                    ),
                ),
                opts=pulumi.ResourceOptions(parent=self),
            )
            enclaves[enclave.name] = {
                "vcpu": enclave.size.vcpu,
                "ramGb": enclave.size.ram_gb,
                "gpu": enclave.size.gpu,
                "diskGb": enclave.size.disk_gb,
                "wave": enclave.wave,
                "classification": enclave.classification.value,
                "zone": enclave.zone,
                "instances": enclave.instances,
                "vmSize": built.vm_size,
            }

        self.inventory = {
            "zones": {
                zone.name: {
                    "cidr": str(zone.azure_cidr),
                    "role": zone.role.value,
                    "vnetId": net.vnet_ids[zone.name],
                    "subnetId": net.subnet_ids[zone.name],
                }
                for zone in config.zones
            },
            "datasets": datasets,
            "keys": {
                key.name: {
                    "purpose": key.purpose.value,
                    "vault": vault_names[vault_of_key[key.name]],
                    "algorithm": key.algorithm,
                    "size": key.size,
                    # What Azure actually holds (Key Vault has no AES keys).
                    "azureKty": "RSA-HSM",
                    "azureKeySize": rsa_key_size(key),
                }
                for key in config.keys
                if key.name not in retired
            },
            "enclaves": enclaves,
        }

        self.register_outputs({"inventory": self.inventory})


def common_without_provider(common: dict[str, Any]) -> dict[str, Any]:
    """Resource arguments shared by every regional resource (the provider goes in opts)."""
    return {key: value for key, value in common.items() if key != "provider"}
