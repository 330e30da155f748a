"""The target SecNumCloud tenancy (OpenStack, optionally OVHcloud KMS), from the stack config."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi_openstack import compute, images, networking
from pulumi_openstack.provider import Provider as OpenStackProvider
from pulumi_ovh.provider import Provider as OvhProvider

from components.config.load import ProviderCredentials, interconnect_key
from components.config.stack import StackConfig
from components.lifecycle import phase
from components.tagging import GATEWAY_ROLE, Labels
from components.target.access_gateway import AccessGateway, AccessGatewayArgs
from components.target.audit_log import AuditLog, AuditLogArgs
from components.target.capabilities import TargetBuilt
from components.target.common import ESTATE, SHARED_CLASSIFICATION, SHARED_WAVE
from components.target.enclave import Enclave, EnclaveArgs
from components.target.kms import KEY_ALGORITHM, KEY_BITS, Kms, KmsArgs
from components.target.migration import TargetMigrationArgs, build_target_migration
from components.target.network import Network, NetworkArgs
from components.target.object_storage import ObjectStorage, ObjectStorageArgs


@dataclass(frozen=True)
class TargetEstateArgs:
    config: StackConfig
    credentials: ProviderCredentials


class TargetEstate(pulumi.ComponentResource):
    inventory: dict[str, dict[str, dict[str, Any]]]

    def __init__(
        self, name: str, args: TargetEstateArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("bascule:target:Estate", name, None, opts)
        config = args.config
        target = config.target
        if target.provider == "scaleway":
            # Temporary: the provider table (issue 19) replaces this branch.
            from components.target.scaleway import build_target

            self._register(build_target(self, name, args))
            return
        credentials = args.credentials
        platform = config.platform
        shared = Labels(
            project=platform,
            classification=SHARED_CLASSIFICATION,
            wave=SHARED_WAVE,
            estate=ESTATE,
            role="platform",
        )

        # Explicit providers: nothing falls back to ambient OS_* / OVH_* environment.
        openstack = OpenStackProvider(
            f"{name}-openstack",
            auth_url=target.auth_url,
            region=target.region,
            tenant_name=target.tenant_name,
            user_domain_name=target.user_domain_name,
            project_domain_name=target.project_domain_name,
            password=credentials.openstack_password,  # a secret Output, or None
            opts=pulumi.ResourceOptions(parent=self),
        )
        ovh_provider: OvhProvider | None = None
        if target.provider == "ovh":
            ovh_provider = OvhProvider(
                f"{name}-ovh",
                endpoint=target.ovh_endpoint,
                application_secret=credentials.ovh_application_secret,
                consumer_key=credentials.ovh_consumer_key,
                opts=pulumi.ResourceOptions(parent=self),
            )
        child = pulumi.ResourceOptions(parent=self, provider=openstack)
        lookup = pulumi.InvokeOptions(provider=openstack)

        external = networking.get_network_output(
            name=target.external_network, external=True, opts=lookup
        )
        image_id: pulumi.Input[str] = (
            target.image_id
            if target.image_id
            else images.get_image_output(name=target.image_name, most_recent=True, opts=lookup).id
        )
        key_pair = compute.Keypair(
            f"{platform}-admin",
            name=f"{platform}-admin",
            # Same operator key as the source estate: SSH keys only, never passwords.
            public_key=config.azure.admin_ssh_public_key,
            opts=child,
        )
        router = networking.Router(
            f"{platform}-router",
            name=f"{platform}-router",
            admin_state_up=True,
            external_network_id=external.id,
            tags=shared.with_(role="router").as_list(),
            opts=child,
        )

        networks: dict[str, Network] = {}
        for zone in config.zones:
            networks[zone.name] = Network(
                zone.name,
                NetworkArgs(
                    provider=openstack,
                    zone=zone,
                    router_id=router.id,
                    labels=shared.with_(role=f"network-{zone.role.value}"),
                ),
                opts=pulumi.ResourceOptions(parent=self),
            )

        # Egress for every instance: the platform's own ranges, nothing else.
        egress = networking.SecGroup(
            f"{platform}-egress",
            name=f"{platform}-egress",
            description="Egress to the platform zones only",
            delete_default_rules=True,
            tags=shared.with_(role="egress").as_list(),
            opts=child,
        )
        for zone in config.zones:
            networking.SecGroupRule(
                f"{platform}-egress-{zone.name}",
                security_group_id=egress.id,
                direction="egress",
                ethertype="IPv4",
                remote_ip_prefix=str(zone.target_cidr),
                description=f"egress to zone {zone.name}",
                opts=child,
            )

        kms = Kms(
            f"{platform}-kms",
            KmsArgs(
                platform=platform,
                keys=config.keys,
                backend="ovh" if target.provider == "ovh" else "openstack",
                openstack_provider=openstack,
                ovh_provider=ovh_provider,
                okms_region=target.ovh_okms_region,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

        datasets: dict[str, dict[str, Any]] = {}
        for dataset in config.datasets:
            container_name = f"{platform}-{dataset.name}"
            ObjectStorage(
                dataset.name,
                ObjectStorageArgs(
                    provider=openstack,
                    dataset=dataset,
                    container_name=container_name,
                    storage_policy=target.storage_policy,
                    key_name=dataset.key,
                    key_store=kms.store_of_key[dataset.key],
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
                "keyStore": kms.store_of_key[dataset.key],
                "container": container_name,
                "storagePolicy": target.storage_policy,
                "versioned": True,
                "private": True,
            }

        build_target_migration(
            TargetMigrationArgs(
                config=config,
                provider=openstack,
                router_id=router.id,
                subnet_ids={zone: net.subnet_id for zone, net in networks.items()},
                containers={name: d["container"] for name, d in datasets.items()},
                shared_key=interconnect_key(credentials) if config.interconnect else "",
            ),
            parent=self,
        )

        audit = AuditLog(
            f"{platform}-audit",
            AuditLogArgs(
                provider=openstack,
                container_name=f"{platform}-audit-logs",
                storage_policy=target.storage_policy,
                retention_days=target.audit_retention_days,
                labels=shared.with_(classification="audit-logs", role="audit-log"),
                ovh_provider=ovh_provider,
                ovh_service_name=target.ovh_service_name,
                region=target.region,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

        gateway_zone = config.zone(config.gateway.zone)
        vm_common: dict[str, Any] = {
            "provider": openstack,
            "egress_security_group_id": egress.id,
            "image_id": image_id,
            "volume_type": target.volume_type,
            "key_pair": key_pair.name,
        }
        gateway = AccessGateway(
            f"{platform}-gateway",
            AccessGatewayArgs(
                **vm_common,
                gateway=config.gateway,
                network_id=networks[gateway_zone.name].network_id,
                subnet_id=networks[gateway_zone.name].subnet_id,
                external_network=target.external_network,
                labels=shared.with_(role=GATEWAY_ROLE),
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

        enclaves: dict[str, dict[str, Any]] = {}
        for enclave in config.resolved_enclaves:
            built = Enclave(
                enclave.name,
                EnclaveArgs(
                    **vm_common,
                    enclave=enclave,
                    network_id=networks[enclave.zone].network_id,
                    subnet_id=networks[enclave.zone].subnet_id,
                    gateway_cidr=str(gateway_zone.target_cidr),
                    # Researchers get the target only from `parallel` on.
                    running=phase(config.wave(enclave.wave).status).target_enclaves_running,
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
                "flavor": built.flavor,
                "volumeType": target.volume_type,
                "encrypted": True,
            }

        store_kind = "kms" if target.provider == "ovh" else "container"
        self.inventory = {
            "zones": {
                zone.name: {"cidr": str(zone.target_cidr), "role": zone.role.value}
                for zone in config.zones
            },
            "datasets": datasets,
            "keys": {
                key.name: {
                    "purpose": key.purpose.value,
                    store_kind: kms.store_of_key[key.name],
                    "algorithm": key.algorithm,
                    "size": key.size,
                    # What the target actually holds: symmetric keys only.
                    "targetAlgorithm": KEY_ALGORITHM.upper(),
                    "targetKeySize": KEY_BITS,
                }
                for key in config.keys
            },
            "enclaves": enclaves,
        }
        self.gateway_address = gateway.floating_ip
        self.audit_container = audit.container_name

        self.register_outputs(
            {
                "inventory": self.inventory,
                "gatewayAddress": self.gateway_address,
                "auditContainer": self.audit_container,
            }
        )

    def _register(self, built: TargetBuilt) -> None:
        self.inventory = built.inventory
        self.gateway_address = pulumi.Output.from_input(built.gateway_address)
        self.audit_container = pulumi.Output.from_input(built.audit_container)
        self.register_outputs(
            {
                "inventory": self.inventory,
                "gatewayAddress": self.gateway_address,
                "auditContainer": self.audit_container,
            }
        )
