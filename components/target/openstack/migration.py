"""The target estate's part of the migration, wired from the estate in one call: the
interconnect's target end and each moving wave's transfer credentials (helpers only; the
components are interconnect.py and transfer_identity.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
from pulumi_openstack.provider import Provider

from components.config.stack import StackConfig
from components.target.openstack.interconnect import Interconnect, InterconnectArgs
from components.target.openstack.transfer_identity import TransferIdentity, TransferIdentityArgs


@dataclass(frozen=True)
class TargetMigrationArgs:
    config: StackConfig
    provider: Provider
    router_id: pulumi.Input[str]
    subnet_ids: Mapping[str, pulumi.Input[str]]  # zone name -> subnet id
    containers: Mapping[str, str]  # dataset name -> its Swift container
    shared_key: pulumi.Input[str]


def build_target_migration(
    args: TargetMigrationArgs, parent: pulumi.Resource
) -> Interconnect | None:
    config = args.config
    link = config.interconnect
    if link is None:
        return None
    hub = config.hub_zone()
    opts = pulumi.ResourceOptions(parent=parent)
    interconnect = Interconnect(
        f"{config.platform}-interconnect",
        InterconnectArgs(
            provider=args.provider,
            settings=link,
            router_id=args.router_id,
            local_subnet_ids=[args.subnet_ids[z] for z in link.target_zones],
            peer_cidrs=[str(hub.azure_cidr)],
            shared_key=args.shared_key,
        ),
        opts=opts,
    )
    for moving in config.transfer_jobs():
        wave = moving.wave
        if wave.cutover_date is None:
            continue
        TransferIdentity(
            moving.component_name(config.platform),
            TransferIdentityArgs(
                provider=args.provider,
                platform=config.platform,
                transfer=moving,
                containers=[args.containers[d.name] for d in moving.datasets],
                roles=config.transfer.object_store_roles,
                expires=wave.cutover_date,
            ),
            opts=opts,
        )
    return interconnect
