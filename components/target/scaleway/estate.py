"""The target tenancy on Scaleway (`bascule:target.provider: scaleway`), built under the
`bascule:target:Estate` component with the capability components' type tokens.

An explicit `pulumi:providers:scaleway` with the stack's region, zone and project, its API
keys Pulumi secrets from the stack config: nothing falls back to ambient `SCW_*` variables
or a `~/.config/scw` profile.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pulumi
from pulumiverse_scaleway import network
from pulumiverse_scaleway.provider import Provider

from components.config.load import interconnect_key
from components.config.model import Dataset, KeyPurpose, TargetSettings, Zone
from components.config.model import Enclave as EnclaveConfig
from components.config.stack import StackConfig
from components.inventory import declared_dataset
from components.lifecycle import phase
from components.tagging import GATEWAY_ROLE, Labels, shared_labels, workload_labels
from components.tagging import TARGET_ESTATE as ESTATE
from components.target.access_gateway import AccessGateway
from components.target.audit_log import AuditLog
from components.target.capabilities import TargetBuilt
from components.target.common import named, per_item
from components.target.interconnect import Interconnect
from components.target.scaleway.access_gateway import InstanceGateway
from components.target.scaleway.audit_log import LockedBucket
from components.target.scaleway.enclave import Enclave, EnclaveArgs
from components.target.scaleway.interconnect import ScalewayTunnel
from components.target.scaleway.kms import KEY_BITS, Kms, KmsArgs
from components.target.scaleway.network import Network, NetworkArgs
from components.target.scaleway.object_storage import ObjectStorage, ObjectStorageArgs
from components.target.scaleway.scope import ScalewayScope
from components.target.scaleway.server import InstanceHost, InstancePlace
from components.target.scaleway.transfer_identity import TransferIdentity, TransferIdentityArgs

if TYPE_CHECKING:
    from components.target.estate import TargetEstateArgs


@dataclass(frozen=True)
class Place:
    """Where everything goes: the provider, region, zones and project of the stack."""

    provider: Provider
    region: str
    zone: str
    gpu_zone: str
    project_id: str
    image_id: str

    @property
    def scope(self) -> ScalewayScope:
        """The provider, region and project of the stack's regional resources."""
        return ScalewayScope(self.provider, self.region, self.project_id)


def build_target(
    parent: pulumi.ComponentResource, name: str, args: TargetEstateArgs
) -> TargetBuilt:
    config = args.config
    place = _place(parent, name, args)
    shared = shared_labels(config.platform, ESTATE)
    opts = pulumi.ResourceOptions(parent=parent)
    networks = _networks(config, place, shared, parent)
    kms = Kms(
        f"{config.platform}-kms",
        KmsArgs(
            scope=place.scope,
            platform=config.platform,
            keys=config.keys,
            labels=shared,
        ),
        opts=opts,
    )
    storages = per_item(
        config.datasets, ObjectStorage, lambda d: _storage_args(config, place, kms, d), opts
    )
    datasets = {d.name: _dataset(config, kms, d) for d in config.datasets}
    audit = AuditLog(
        f"{config.platform}-audit",
        LockedBucket(
            scope=place.scope,
            bucket_name=f"{config.platform}-audit-logs",
            retention_days=config.target.audit_retention_days,
            labels=shared.with_(classification="audit-logs", role="audit-log"),
        ),
        opts=opts,
    )
    _interconnect(config, args, place, networks, opts)
    buckets = {name: storage.bucket_name for name, storage in storages.items()}
    _transfer_identities(config, place, kms, buckets, shared, opts)
    gateway = _gateway(config, place, networks, shared, opts)
    enclaves = per_item(
        config.resolved_enclaves, Enclave, lambda e: _enclave_args(config, place, networks, e), opts
    )
    return TargetBuilt(
        inventory=_inventory(config, kms, datasets, enclaves),
        gateway_address=gateway.floating_ip,
        audit_container=audit.container_name,
    )


def _networks(
    config: StackConfig, place: Place, shared: Labels, parent: pulumi.ComponentResource
) -> dict[str, pulumi.Output[str]]:
    """The platform's VPC and one Private Network per zone: zone name -> network id."""
    vpc = network.Vpc(
        **named(f"{config.platform}-vpc"),
        **place.scope.regional,
        tags=shared.with_(role="vpc").as_list(),
        opts=pulumi.ResourceOptions(parent=parent, provider=place.provider),
    )

    def args(zone: Zone) -> NetworkArgs:
        labels = shared.with_(role=f"network-{zone.role.value}")
        return NetworkArgs(scope=place.scope, zone=zone, vpc_id=vpc.id, labels=labels)

    networks = per_item(config.zones, Network, args, pulumi.ResourceOptions(parent=parent))
    return {name: built.network_id for name, built in networks.items()}


def _place(parent: pulumi.ComponentResource, name: str, args: TargetEstateArgs) -> Place:
    target: TargetSettings = args.config.target
    credentials = args.credentials
    zone, gpu_zone = target.scaleway_zone or "", target.gpu_zone or ""
    project = target.scaleway_project_id or ""
    provider = Provider(
        f"{name}-scaleway",
        region=target.region,
        zone=zone,
        project_id=project,
        access_key=credentials.scaleway_access_key,  # secret Outputs, or None
        secret_key=credentials.scaleway_secret_key,
        opts=pulumi.ResourceOptions(parent=parent),
    )
    # The config model refuses a `scaleway` target without these (REQUIRED_BY_PROVIDER).
    return Place(provider, target.region, zone, gpu_zone, project, target.image_id or "")


def _bucket(config: StackConfig, dataset: Dataset) -> str:
    return f"{config.platform}-{dataset.name}"


def _storage_args(
    config: StackConfig, place: Place, kms: Kms, dataset: Dataset
) -> ObjectStorageArgs:
    return ObjectStorageArgs(
        # A dataset lives in its key's project: pseudonymisation tables beside their keys.
        scope=place.scope.in_project(kms.project_of_key[dataset.key]),
        dataset=dataset,
        bucket_name=_bucket(config, dataset),
        key_name=dataset.key,
        key_id=kms.key_ids[dataset.key],
        key_store=kms.store_of_key[dataset.key],
        labels=workload_labels(config, dataset, ESTATE),
    )


def _dataset(config: StackConfig, kms: Kms, dataset: Dataset) -> dict[str, Any]:
    """What the inventory says of a dataset's storage (ObjectStorage builds it so)."""
    return {
        **declared_dataset(dataset),
        "keyStore": kms.store_of_key[dataset.key],
        "container": _bucket(config, dataset),
        "storagePolicy": "sse-kms",
        "versioned": True,
        "private": True,
    }


def _interconnect(
    config: StackConfig,
    args: TargetEstateArgs,
    place: Place,
    networks: dict[str, pulumi.Output[str]],
    opts: pulumi.ResourceOptions,
) -> None:
    link = config.interconnect
    if link is None:
        return
    hub = config.hub_zone()
    Interconnect(
        f"{config.platform}-interconnect",
        ScalewayTunnel(
            scope=place.scope,
            settings=link,
            private_network_id=networks[link.target_zones[0]],
            local_cidrs=[str(config.zone(z).target_cidr) for z in link.target_zones],
            peer_cidrs=[str(hub.azure_cidr)],
            shared_key=interconnect_key(args.credentials),
            peer_asn=config.target.scaleway_peer_asn,
            gateway_type=config.target.scaleway_vpn_gateway_type,
            zone=place.zone,
            labels=shared_labels(config.platform, ESTATE).with_(role="interconnect"),
        ),
        opts=opts,
    )


def _transfer_identities(
    config: StackConfig,
    place: Place,
    kms: Kms,
    buckets: dict[str, pulumi.Output[str]],
    shared: Labels,
    opts: pulumi.ResourceOptions,
) -> None:
    """Each moving wave's write identity per job (components/target/scaleway/
    transfer_identity.py), as components/target/openstack/migration.py builds its own: a job's
    datasets share one project (pseudonymisation tables live in theirs, health data never)."""
    for moving in config.transfer_jobs():
        wave, job = moving.wave, moving.job
        if wave.cutover_date is None:
            continue
        stores = {kms.store_of_key[d.key] for d in moving.datasets}
        if len(stores) != 1:
            raise ValueError(f"wave {wave.id} job {job}: datasets in projects {sorted(stores)}")
        TransferIdentity(
            moving.component_name(config.platform),
            TransferIdentityArgs(
                scope=place.scope.in_project(kms.project_of_key[moving.datasets[0].key]),
                platform=config.platform,
                transfer=moving,
                buckets={d.name: buckets[d.name] for d in moving.datasets},
                expires=wave.cutover_date,
                tags=shared.with_(role="transfer-identity", wave=str(wave.id)).as_list(),
            ),
            opts=opts,
        )


def _host(
    config: StackConfig, place: Place, network_id: pulumi.Input[str], at: InstancePlace
) -> InstanceHost:
    """An instance host of the stack: its provider and image, egress to the platform's zones."""
    cidrs = [str(zone.target_cidr) for zone in config.zones]
    return InstanceHost(place.provider, network_id, cidrs, place.image_id, at)


def _gateway(
    config: StackConfig,
    place: Place,
    networks: dict[str, pulumi.Output[str]],
    shared: Labels,
    opts: pulumi.ResourceOptions,
) -> AccessGateway:
    at = InstancePlace(place.zone, place.project_id, shared.with_(role=GATEWAY_ROLE))
    return AccessGateway(
        f"{config.platform}-gateway",
        InstanceGateway(
            host=_host(config, place, networks[config.gateway.zone], at),
            gateway=config.gateway,
        ),
        opts=opts,
    )


def _enclave_args(
    config: StackConfig,
    place: Place,
    networks: dict[str, pulumi.Output[str]],
    enclave: EnclaveConfig,
) -> EnclaveArgs:
    status = config.wave(enclave.wave).status
    at = InstancePlace(
        zone=place.gpu_zone if enclave.size.gpu > 0 else place.zone,
        project_id=place.project_id,
        labels=workload_labels(config, enclave, ESTATE),
    )
    return EnclaveArgs(
        host=_host(config, place, networks[enclave.zone], at),
        enclave=enclave,
        gateway_cidr=str(config.zone(config.gateway.zone).target_cidr),
        # Researchers get the target only from `parallel` on.
        running=phase(status).target_enclaves_running,
    )


def _inventory(
    config: StackConfig,
    kms: Kms,
    datasets: dict[str, dict[str, Any]],
    enclaves: dict[str, Enclave],
) -> dict[str, dict[str, dict[str, Any]]]:
    """What was built, as the stack's outputs report it (the OpenStack estate's shape)."""
    return {
        "zones": {z.name: {"cidr": str(z.target_cidr), "role": z.role.value} for z in config.zones},
        "datasets": datasets,
        "keys": {
            key.name: {
                "purpose": key.purpose.value,
                "project": kms.store_of_key[key.name],
                "algorithm": key.algorithm,
                "size": key.size,
                "targetAlgorithm": "AES",
                "targetKeySize": KEY_BITS,
                "separate": key.purpose is KeyPurpose.PSEUDONYMISATION,
            }
            for key in config.keys
        },
        "enclaves": {
            e.name: {
                "vcpu": e.size.vcpu,
                "ramGb": e.size.ram_gb,
                "gpu": e.size.gpu,
                "diskGb": e.size.disk_gb,
                "wave": e.wave,
                "classification": e.classification.value,
                "zone": e.zone,
                "instances": e.instances,
                "flavor": enclaves[e.name].flavor,
                "volumeType": "sbs_volume",
                # Block Storage takes no encryption setting (README): not asserted.
                "encrypted": None,
            }
            for e in config.resolved_enclaves
        },
    }
