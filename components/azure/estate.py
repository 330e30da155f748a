"""The source Azure estate: everything the platform runs on Azure today, from the stack config.

The constructor reads as the list of what the estate is made of; each method builds one part
(provider and group, network, key vaults, log archive, disk encryption, datasets, gateway,
enclaves) and returns what the later parts need.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pulumi
from pulumi_azure_native import compute, managedidentity, resources
from pulumi_azure_native.provider import Provider

from components.azure.access_gateway import AccessGateway, AccessGatewayArgs
from components.azure.cmk_account import CmkAccountArgs
from components.azure.dataset_storage import DatasetStorage, DatasetStorageArgs
from components.azure.enclave import Enclave, EnclaveArgs
from components.azure.key_vault import KeyVault, KeyVaultArgs, grant_key_use, rsa_key_size
from components.azure.log_archive import LogArchive, LogArchiveArgs
from components.azure.migration import SourceMigrationArgs, build_source_migration, retired_keys
from components.azure.monitoring import Monitoring, MonitoringArgs
from components.azure.naming import key_vault_name, storage_account_name
from components.azure.network import Network, NetworkArgs
from components.azure.scope import AzureScope
from components.azure.vm import VmBase
from components.component import Opts
from components.config.load import ProviderCredentials, interconnect_key
from components.config.model import Key, KeyPurpose, ZoneRole
from components.config.stack import StackConfig
from components.inventory import declared_dataset, declared_enclave
from components.lifecycle import phase
from components.tagging import (
    SHARED_CLASSIFICATION,
    SHARED_WAVE,
    SOURCE_ESTATE,
    Labels,
    shared_labels,
    workload_labels,
)

ESTATE = SOURCE_ESTATE
# Pseudonymisation keys never share a vault with dataset or disk keys: (suffix, classification).
VAULTS = (("keys", SHARED_CLASSIFICATION), ("pseudo", "pseudonymisation-keys"))


@dataclass(frozen=True)
class AzureEstateArgs:
    config: StackConfig
    credentials: ProviderCredentials | None = None  # the interconnect's pre-shared key


@dataclass(frozen=True)
class _Base:
    """What every part of the estate is built with."""

    config: StackConfig
    scope: AzureScope
    shared: Labels  # the labels every resource of the estate carries

    @property
    def platform(self) -> str:
        return self.config.platform


@dataclass
class _Vaults:
    """The key vaults, the vault holding each live key, and the keys already retired."""

    retired: frozenset[str]
    vaults: dict[str, KeyVault] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    of_key: dict[str, str] = field(default_factory=dict)

    def holding(self, key: str) -> KeyVault:
        return self.vaults[self.of_key[key]]


class AzureEstate(pulumi.ComponentResource):
    inventory: dict[str, dict[str, dict[str, Any]]]

    def __init__(self, name: str, args: AzureEstateArgs, opts: Opts = None) -> None:
        super().__init__("bascule:azure:Estate", name, None, opts)
        config = args.config
        base = self._base(name, config)
        monitoring = Monitoring(
            f"{base.platform}-monitoring",
            MonitoringArgs(
                scope=base.scope, retention_days=config.azure.log_retention_days, labels=base.shared
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        hub_zone = config.hub_zone().name
        net = self._network(base, hub_zone)
        # Private endpoints live in the data zone (the hub when there is none).
        data_zone = next((z.name for z in config.zones if z.role is ZoneRole.DATA), hub_zone)
        endpoint_subnet = net.subnet_ids[data_zone]
        vaults = self._key_vaults(base, monitoring.workspace_id, endpoint_subnet)
        self._log_archive(base, vaults, monitoring.workspace_id, net)
        vm = VmBase(
            scope=base.scope,
            disk_encryption_set_id=self._disk_encryption(base, vaults).id,
            ssh_public_key=config.azure.admin_ssh_public_key,
            vm_image=config.azure.vm_image,
        )
        datasets = self._datasets(base, vaults, monitoring.workspace_id, endpoint_subnet)
        gateway = self._gateway(base, vm, net)
        subnets = {**net.subnet_ids, config.gateway.zone: gateway.subnet_id}
        if config.interconnect is not None:
            build_source_migration(
                SourceMigrationArgs(
                    config=config,
                    link=config.interconnect,
                    scope=base.scope,
                    hub_vnet_name=net.vnet_names[hub_zone],
                    hub_subnet_id=subnets[hub_zone],
                    account_ids={name: d["id"] for name, d in datasets.items()},
                    vm=vm,
                    shared_key=interconnect_key(args.credentials),
                    labels=base.shared,
                ),
                parent=self,
            )
        self.inventory = {
            "zones": _zones_inventory(config, net.vnet_ids, subnets),
            "datasets": datasets,
            "keys": _keys_inventory(config, vaults),
            "enclaves": self._enclaves(base, vm, net),
        }
        self.register_outputs({"inventory": self.inventory})

    def _base(self, name: str, config: StackConfig) -> _Base:
        """One explicit provider (nothing falls back to ambient credentials or location) and
        the resource group everything lives in."""
        azure = config.azure
        shared = shared_labels(config.platform, ESTATE)
        provider = Provider(
            f"{name}-azure",
            location=azure.location,
            subscription_id=azure.subscription_id,
            tenant_id=azure.tenant_id,
            opts=pulumi.ResourceOptions(parent=self),
        )
        group = resources.ResourceGroup(
            f"{name}-rg",
            resource_group_name=azure.resource_group,
            location=azure.location,
            tags=shared.with_(role="resource-group").as_map(),
            opts=pulumi.ResourceOptions(parent=self, provider=provider),
        )
        scope = AzureScope(
            provider, group.name, azure.location, azure.subscription_id, azure.tenant_id
        )
        return _Base(config=config, scope=scope, shared=shared)

    def _child(self, base: _Base) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=self, provider=base.scope.provider)

    def _network(self, base: _Base, hub_zone: str) -> Network:
        link = base.config.interconnect
        return Network(
            f"{base.platform}-network",
            NetworkArgs(
                scope=base.scope,
                zones=base.config.zones,
                hub_zone=hub_zone,
                labels=base.shared,
                hub_extra_prefixes=(str(link.gateway_subnet_cidr),) if link else (),
                gateway_zone=base.config.gateway.zone,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _key_vaults(
        self, base: _Base, workspace_id: pulumi.Output[str], endpoint_subnet: pulumi.Output[str]
    ) -> _Vaults:
        """One vault for dataset and disk keys, another for pseudonymisation keys. Keys whose
        every dataset is decommissioned are gone: their destruction is scheduled."""
        config = base.config
        found = _Vaults(retired=frozenset(retired_keys(config)))
        for suffix, classification in VAULTS:
            keys = tuple(
                k for k in config.keys if _vault_suffix(k) == suffix and k.name not in found.retired
            )
            physical_name = key_vault_name(base.platform, suffix)
            found.vaults[suffix] = KeyVault(
                f"{base.platform}-{suffix}",
                KeyVaultArgs(
                    scope=base.scope,
                    vault_name=physical_name,
                    keys=keys,
                    workspace_id=workspace_id,
                    private_endpoint_subnet_id=endpoint_subnet,
                    labels=base.shared.with_(classification=classification),
                ),
                opts=pulumi.ResourceOptions(parent=self),
            )
            found.names[suffix] = physical_name
            found.of_key.update({k.name: suffix for k in keys})
        return found

    def _log_archive(
        self, base: _Base, vaults: _Vaults, workspace_id: pulumi.Output[str], net: Network
    ) -> None:
        """Network flow logs and the subscription's activity log: the other log sources. The
        archive outlives the datasets: never on a retired key (its deletion would erase it);
        once every dataset key is retired, on the disk key."""
        live = [k for k in base.config.keys if k.name not in vaults.retired]
        key = next(
            (k for k in live if k.purpose is KeyPurpose.DATASET),
            next(k for k in live if k.purpose is KeyPurpose.DISK),
        )
        vault = vaults.holding(key.name)
        LogArchive(
            f"{base.platform}-log-archive",
            LogArchiveArgs(
                account=self._account(base, "log-archive", vault, key.name),
                workspace_id=workspace_id,
                vnet_ids=net.vnet_ids,
                labels=base.shared.with_(classification="audit-logs", role="log-archive"),
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _account(self, base: _Base, purpose: str, vault: KeyVault, key: str) -> CmkAccountArgs:
        """A storage account's placement, its name (from the platform and its purpose) and
        the vault key it is encrypted with."""
        return CmkAccountArgs(
            scope=base.scope,
            account_name=storage_account_name(base.platform, purpose),
            vault=vault,
            key=vault.keys[key],
        )

    def _disk_encryption(self, base: _Base, vaults: _Vaults) -> compute.DiskEncryptionSet:
        """Disks: one encryption set, with its own identity, on the first disk key."""
        key = next(k for k in base.config.keys if k.purpose is KeyPurpose.DISK)
        vault = vaults.holding(key.name)
        tags = base.shared.with_(role="disk-encryption").as_map()
        identity = managedidentity.UserAssignedIdentity(
            f"{base.platform}-disk-identity",
            **base.scope.regional,
            tags=tags,
            opts=self._child(base),
        )
        key_access = grant_key_use(
            f"{base.platform}-disk-key-access",
            vault_id=vault.vault_id,
            principal_id=identity.principal_id,
            subscription_id=base.scope.subscription_id,
            opts=self._child(base),
        )
        return compute.DiskEncryptionSet(
            f"{base.platform}-des",
            **base.scope.regional,
            encryption_type=compute.DiskEncryptionSetType.ENCRYPTION_AT_REST_WITH_CUSTOMER_KEY,
            active_key=compute.KeyForDiskEncryptionSetArgs(
                key_url=vault.keys[key.name].uri_with_version,
                source_vault=compute.SourceVaultArgs(id=vault.vault_id),
            ),
            identity=compute.EncryptionSetIdentityArgs(
                type=compute.DiskEncryptionSetIdentityType.USER_ASSIGNED,
                user_assigned_identities=[identity.id],
            ),
            rotation_to_latest_key_version_enabled=True,
            tags=tags,
            opts=pulumi.ResourceOptions.merge(
                self._child(base), pulumi.ResourceOptions(depends_on=[key_access])
            ),
        )

    def _datasets(
        self,
        base: _Base,
        vaults: _Vaults,
        workspace_id: pulumi.Output[str],
        endpoint_subnet: pulumi.Output[str],
    ) -> dict[str, dict[str, Any]]:
        """One storage account per dataset still on Azure (a decommissioned wave's copy is
        removed), frozen once its wave is cut over; their inventory entries."""
        config = base.config
        datasets: dict[str, dict[str, Any]] = {}
        for dataset in config.datasets:
            status = phase(config.wave(dataset.wave).status)
            if not status.source_present:
                continue
            vault = vaults.holding(dataset.key)
            args = DatasetStorageArgs(
                account=self._account(base, dataset.name, vault, dataset.key),
                dataset=dataset,
                private_endpoint_subnet_id=endpoint_subnet,
                workspace_id=workspace_id,
                read_only=status.source_locked,
                labels=workload_labels(config, dataset, ESTATE),
            )
            storage = DatasetStorage(dataset.name, args, opts=pulumi.ResourceOptions(parent=self))
            datasets[dataset.name] = {
                **declared_dataset(dataset),
                "vault": vaults.names[vaults.of_key[dataset.key]],
                "storageAccount": args.account.account_name,
                "readOnly": args.read_only,
                "id": storage.account_id,
            }
        return datasets

    def _gateway(self, base: _Base, vm: VmBase, net: Network) -> AccessGateway:
        gateway = base.config.gateway
        return AccessGateway(
            f"{base.platform}-gateway",
            AccessGatewayArgs(
                vm=vm,
                gateway=gateway,
                zone=base.config.zone(gateway.zone),
                virtual_network_name=net.vnet_names[gateway.zone],
                labels=base.shared.with_(wave=SHARED_WAVE),
                moved_from=net,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _enclaves(self, base: _Base, vm: VmBase, net: Network) -> dict[str, dict[str, Any]]:
        """The research enclaves still on Azure (a decommissioned wave's are removed), open to
        the gateway until their wave is cut over; their inventory entries."""
        config = base.config
        gateway_cidr = str(config.zone(config.gateway.zone).azure_cidr)
        enclaves: dict[str, dict[str, Any]] = {}
        for enclave in config.resolved_enclaves:
            wave_phase = phase(config.wave(enclave.wave).status)
            if not wave_phase.source_present:
                continue
            built = Enclave(
                enclave.name,
                EnclaveArgs(
                    vm=vm,
                    enclave=enclave,
                    admits_gateway=wave_phase.source_enclaves_open,
                    subnet_id=net.subnet_ids[enclave.zone],
                    gateway_cidr=gateway_cidr,
                    labels=workload_labels(config, enclave, ESTATE),
                ),
                opts=pulumi.ResourceOptions(parent=self),
            )
            enclaves[enclave.name] = {
                **declared_enclave(enclave),
                "vmSize": built.vm_size,
            }
        return enclaves


def _vault_suffix(key: Key) -> str:
    return "pseudo" if key.purpose is KeyPurpose.PSEUDONYMISATION else "keys"


def _zones_inventory(
    config: StackConfig, vnet_ids: dict[str, pulumi.Output[str]], subnets: dict[str, Any]
) -> dict[str, dict[str, Any]]:
    return {
        zone.name: {
            "cidr": str(zone.azure_cidr),
            "role": zone.role.value,
            "vnetId": vnet_ids[zone.name],
            "subnetId": subnets[zone.name],
        }
        for zone in config.zones
    }


def _keys_inventory(config: StackConfig, vaults: _Vaults) -> dict[str, dict[str, Any]]:
    return {
        key.name: {
            "purpose": key.purpose.value,
            "vault": vaults.names[vaults.of_key[key.name]],
            "algorithm": key.algorithm,
            "size": key.size,
            # What Azure actually holds (Key Vault has no AES keys).
            "azureKty": "RSA-HSM",
            "azureKeySize": rsa_key_size(key),
        }
        for key in config.keys
        if key.name not in vaults.retired
    }
