"""The source estate's part of the migration, wired from the estate in a few calls: the
interconnect, each moving wave's transfer identities, and one transfer enclave per job.
Helpers only (the components are in interconnect.py, transfer_identity.py and
transfer_enclave.py); what a wave's status builds is components/lifecycle.py's."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi

from components.azure.interconnect import Interconnect, InterconnectArgs
from components.azure.scope import AzureScope
from components.azure.transfer_enclave import TransferEnclave, TransferEnclaveArgs
from components.azure.transfer_identity import TransferIdentity, TransferIdentityArgs
from components.azure.vm import VmBase
from components.config.interconnect import InterconnectSettings, bgp_peering
from components.config.model import KeyPurpose
from components.config.stack import StackConfig
from components.lifecycle import WaveStatus
from components.tagging import Labels


def retired_keys(config: StackConfig) -> set[str]:
    """Dataset and pseudonymisation keys every dataset of which is decommissioned: deleting
    them from the purge-protected vault schedules their destruction (crypto-erasure)."""
    retired = set()
    for key in config.keys:
        if key.purpose is KeyPurpose.DISK:
            continue
        users = [d for d in config.datasets if d.key == key.name]
        if users and all(config.wave(d.wave).status is WaveStatus.DECOMMISSIONED for d in users):
            retired.add(key.name)
    return retired


@dataclass(frozen=True)
class SourceMigrationArgs:
    config: StackConfig
    link: InterconnectSettings  # the stack's interconnect (no migration part without one)
    scope: AzureScope
    hub_vnet_name: pulumi.Input[str]
    hub_subnet_id: pulumi.Input[str]
    account_ids: Mapping[str, pulumi.Input[str]]  # dataset name -> storage account id
    vm: VmBase  # where the transfer VMs go, their disk key, SSH key and image
    shared_key: pulumi.Input[str]  # the IPsec pre-shared key (a secret)
    labels: Labels  # the platform's shared labels


def build_source_migration(args: SourceMigrationArgs, parent: pulumi.Resource) -> Interconnect:
    """The interconnect and the transfer identities and enclaves."""
    config, link = args.config, args.link
    hub = config.hub_zone()
    target_cidrs = tuple(str(config.zone(z).target_cidr) for z in link.target_zones)
    opts = pulumi.ResourceOptions(parent=parent)
    interconnect = Interconnect(
        f"{config.platform}-interconnect",
        InterconnectArgs(
            scope=args.scope,
            settings=link,
            hub_vnet_name=args.hub_vnet_name,
            hub_cidr=str(hub.azure_cidr),
            target_cidrs=target_cidrs,
            shared_key=args.shared_key,
            labels=args.labels,
            bgp=bgp_peering(config.target),
        ),
        opts=opts,
    )
    held = _identities(args, opts)
    data_zone = next((z for z in config.zones if z.role.value == "data"), hub)
    endpoints = [str(c) for c in link.target_endpoint_cidrs]
    egress = [str(data_zone.azure_cidr), *target_cidrs, *endpoints]
    for job, identity_ids in held.items():
        TransferEnclave(
            f"{config.platform}-transfer-{job}",
            TransferEnclaveArgs(
                vm=args.vm,
                subnet_id=args.hub_subnet_id,
                gateway_cidr=str(config.zone(config.gateway.zone).azure_cidr),
                egress_cidrs=egress,
                identity_ids=identity_ids,
                size=config.transfer.enclave_size,
                labels=args.labels,
            ),
            opts=opts,
        )
    return interconnect


def _identities(
    args: SourceMigrationArgs, opts: pulumi.ResourceOptions
) -> dict[str, list[pulumi.Output[str]]]:
    """Each moving wave's identity per job; the identity ids each job's enclave holds."""
    config = args.config
    held: dict[str, list[pulumi.Output[str]]] = {}
    for moving in config.transfer_jobs():
        wave, job = moving.wave, moving.job
        identity = TransferIdentity(
            moving.component_name(config.platform),
            TransferIdentityArgs(
                scope=args.scope,
                platform=config.platform,
                transfer=moving,
                account_ids={d.name: args.account_ids[d.name] for d in moving.datasets},
                labels=args.labels.with_(wave=wave.id, migration_state=wave.status.value),
            ),
            opts=opts,
        )
        held.setdefault(job, []).append(identity.identity_id)
    return held
