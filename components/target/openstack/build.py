"""The target tenancy on OpenStack (optionally with OVHcloud's KMS and write-once log bucket):
`build_target`, the implementation of components/target/capabilities.py for the `openstack`
and `ovh` providers, one function per part it builds.

The order of the parts is the order of the registrations (and of the snapshot): providers,
the tenancy's edge (operator key, router), network zones, egress, keys, datasets, migration,
audit log, gateway, enclaves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pulumi
from pulumi_openstack import compute, images, networking
from pulumi_openstack.provider import Provider as OpenStackProvider
from pulumi_ovh.provider import Provider as OvhProvider

from components.config.load import interconnect_key
from components.config.model import Dataset, Zone
from components.config.model import Enclave as EnclaveConfig
from components.config.stack import StackConfig
from components.lifecycle import phase
from components.tagging import GATEWAY_ROLE, TARGET_ESTATE, Labels, shared_labels, workload_labels
from components.target.access_gateway import AccessGateway
from components.target.audit_log import AuditLog
from components.target.capabilities import TargetBuilt
from components.target.common import named, per_item
from components.target.openstack.access_gateway import NovaGateway
from components.target.openstack.audit_log import SwiftAudit
from components.target.openstack.enclave import Enclave, EnclaveArgs
from components.target.openstack.inventory import inventory
from components.target.openstack.kms import Kms, KmsArgs
from components.target.openstack.migration import TargetMigrationArgs, build_target_migration
from components.target.openstack.network import Network, NetworkArgs
from components.target.openstack.object_storage import ObjectStorage, ObjectStorageArgs
from components.target.openstack.security_group import Flow, security_group
from components.target.openstack.server import ServerHost, VmCommon

if TYPE_CHECKING:
    from components.target.estate import TargetEstateArgs


@dataclass(frozen=True)
class Tenancy:
    """What every part is built with: the estate component, the config, the providers."""

    parent: pulumi.ComponentResource
    config: StackConfig
    openstack: OpenStackProvider
    ovh: OvhProvider | None
    shared: Labels  # the labels of shared platform resources

    @property
    def child(self) -> pulumi.ResourceOptions:
        """A resource of the estate, on the OpenStack provider."""
        return pulumi.ResourceOptions(parent=self.parent, provider=self.openstack)

    @property
    def component(self) -> pulumi.ResourceOptions:
        """A component of the estate (it passes its provider on to its own children)."""
        return pulumi.ResourceOptions(parent=self.parent)


@dataclass(frozen=True)
class Edge:
    """The tenancy's shared compute and routing pieces every zone and instance uses."""

    router_id: pulumi.Output[str]
    image_id: pulumi.Input[str]
    key_pair: pulumi.Output[str]


def build_target(
    parent: pulumi.ComponentResource, name: str, args: TargetEstateArgs
) -> TargetBuilt:
    config = args.config
    tenancy = providers(parent, name, args)
    edge = build_edge(tenancy)
    networks = build_networks(tenancy, edge)
    egress = build_egress(tenancy)
    kms = build_keys(tenancy)
    datasets = build_datasets(tenancy, kms)
    build_target_migration(
        TargetMigrationArgs(
            config=config,
            provider=tenancy.openstack,
            router_id=edge.router_id,
            subnet_ids={zone: net.subnet_id for zone, net in networks.items()},
            containers={key: d.container for key, d in datasets.items()},
            shared_key=interconnect_key(args.credentials) if config.interconnect else "",
        ),
        parent=parent,
    )
    audit = build_audit_log(tenancy)
    vm = VmCommon(
        tenancy.openstack, egress.id, edge.image_id, config.target.volume_type, edge.key_pair
    )
    gateway = build_gateway(tenancy, vm, networks)
    enclaves = build_enclaves(tenancy, vm, networks)
    return TargetBuilt(
        inventory=inventory(config, kms, datasets, enclaves),
        gateway_address=gateway.floating_ip,
        audit_container=audit.container_name,
    )


def providers(parent: pulumi.ComponentResource, name: str, args: TargetEstateArgs) -> Tenancy:
    """Explicit providers: nothing falls back to ambient OS_* / OVH_* environment."""
    target = args.config.target
    credentials = args.credentials
    of_estate = pulumi.ResourceOptions(parent=parent)  # both providers: children of the estate
    openstack = OpenStackProvider(
        f"{name}-openstack",
        auth_url=target.auth_url,
        region=target.region,
        tenant_name=target.tenant_name,
        user_domain_name=target.user_domain_name,
        project_domain_name=target.project_domain_name,
        password=credentials.openstack_password,  # a secret Output, or None
        opts=of_estate,
    )
    ovh: OvhProvider | None = None
    if target.provider == "ovh":
        ovh = OvhProvider(
            f"{name}-ovh",
            endpoint=target.ovh_endpoint,
            application_secret=credentials.ovh_application_secret,
            consumer_key=credentials.ovh_consumer_key,
            opts=of_estate,
        )
    shared = shared_labels(args.config.platform, TARGET_ESTATE)
    return Tenancy(parent, args.config, openstack, ovh, shared)


def build_edge(t: Tenancy) -> Edge:
    """The external network and image looked up, the operator's key pair, the router."""
    target = t.config.target
    platform = t.config.platform
    lookup = pulumi.InvokeOptions(provider=t.openstack)
    external = networking.get_network_output(
        name=target.external_network, external=True, opts=lookup
    )
    image_id: pulumi.Input[str] = (
        target.image_id
        if target.image_id
        else images.get_image_output(name=target.image_name, most_recent=True, opts=lookup).id
    )
    key_pair = compute.Keypair(
        **named(f"{platform}-admin"),
        # Same operator key as the source estate: SSH keys only, never passwords.
        public_key=t.config.azure.admin_ssh_public_key,
        opts=t.child,
    )
    router = networking.Router(
        **named(f"{platform}-router"),
        admin_state_up=True,
        external_network_id=external.id,
        tags=t.shared.with_(role="router").as_list(),
        opts=t.child,
    )
    return Edge(router_id=router.id, image_id=image_id, key_pair=key_pair.name)


def build_networks(t: Tenancy, edge: Edge) -> dict[str, Network]:
    """One network, subnet and router port per zone."""

    def args(zone: Zone) -> NetworkArgs:
        labels = t.shared.with_(role=f"network-{zone.role.value}")
        return NetworkArgs(provider=t.openstack, zone=zone, router_id=edge.router_id, labels=labels)

    return per_item(t.config.zones, Network, args, t.component)


def build_egress(t: Tenancy) -> networking.SecGroup:
    """Egress for every instance: the platform's own ranges, nothing else."""
    platform = t.config.platform
    return security_group(
        f"{platform}-egress",
        "Egress to the platform zones only",
        [
            Flow(
                f"{platform}-egress-{zone.name}",
                "egress",
                str(zone.target_cidr),
                f"egress to zone {zone.name}",
            )
            for zone in t.config.zones
        ],
        t.shared.with_(role="egress"),
        t.child,
    )


def build_keys(t: Tenancy) -> Kms:
    """Barbican (openstack) or OKMS (ovh) stores, pseudonymisation keys kept apart."""
    target = t.config.target
    return Kms(
        f"{t.config.platform}-kms",
        KmsArgs(
            platform=t.config.platform,
            keys=t.config.keys,
            backend="ovh" if target.provider == "ovh" else "openstack",
            openstack_provider=t.openstack,
            ovh_provider=t.ovh,
            okms_region=target.ovh_okms_region,
        ),
        opts=t.component,
    )


def build_datasets(t: Tenancy, kms: Kms) -> dict[str, ObjectStorage]:
    """One Swift container per dataset, labelled with its wave and the wave's status."""
    config = t.config

    def args(dataset: Dataset) -> ObjectStorageArgs:
        return ObjectStorageArgs(
            provider=t.openstack,
            dataset=dataset,
            container_name=f"{config.platform}-{dataset.name}",
            storage_policy=config.target.storage_policy,
            key_name=dataset.key,
            key_store=kms.store_of_key[dataset.key],
            labels=workload_labels(config, dataset, TARGET_ESTATE),
        )

    return per_item(config.datasets, ObjectStorage, args, t.component)


def build_audit_log(t: Tenancy) -> AuditLog:
    target = t.config.target
    return AuditLog(
        f"{t.config.platform}-audit",
        SwiftAudit(
            provider=t.openstack,
            container_name=f"{t.config.platform}-audit-logs",
            storage_policy=target.storage_policy,
            retention_days=target.audit_retention_days,
            labels=t.shared.with_(classification="audit-logs", role="audit-log"),
            ovh_provider=t.ovh,
            ovh_service_name=target.ovh_service_name,
            region=target.region,
        ),
        opts=t.component,
    )


def build_gateway(t: Tenancy, vm: VmCommon, networks: dict[str, Network]) -> AccessGateway:
    zone = t.config.zone(t.config.gateway.zone)
    return AccessGateway(
        f"{t.config.platform}-gateway",
        NovaGateway(
            host=ServerHost(vm, networks[zone.name], t.shared.with_(role=GATEWAY_ROLE)),
            gateway=t.config.gateway,
            external_network=t.config.target.external_network,
        ),
        opts=t.component,
    )


def build_enclaves(t: Tenancy, vm: VmCommon, networks: dict[str, Network]) -> dict[str, Enclave]:
    config = t.config
    gateway_cidr = str(config.zone(config.gateway.zone).target_cidr)

    def args(enclave: EnclaveConfig) -> EnclaveArgs:
        labels = workload_labels(config, enclave, TARGET_ESTATE)
        return EnclaveArgs(
            host=ServerHost(vm, networks[enclave.zone], labels),
            enclave=enclave,
            gateway_cidr=gateway_cidr,
            # Researchers get the target only from `parallel` on.
            running=phase(config.wave(enclave.wave).status).target_enclaves_running,
        )

    return per_item(config.resolved_enclaves, Enclave, args, t.component)
