"""The target estate's part of the migration, wired from the estate in one call: the
interconnect's target end and each moving wave's transfer credentials (helpers only; the
components are interconnect.py and transfer_identity.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
from pulumi_openstack.provider import Provider

from components.config.interconnect import InterconnectSettings
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
    """The interconnect's target end and the moving waves' transfer credentials."""
    link = args.config.interconnect
    if link is None:
        return None
    opts = pulumi.ResourceOptions(parent=parent)
    interconnect = _interconnect(args, link, opts)
    _credentials(args, opts)
    return interconnect


def _interconnect(
    args: TargetMigrationArgs, link: InterconnectSettings, opts: pulumi.ResourceOptions
) -> Interconnect:
    hub = args.config.hub_zone()
    return Interconnect(
        f"{args.config.platform}-interconnect",
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


def _credentials(args: TargetMigrationArgs, opts: pulumi.ResourceOptions) -> None:
    """Per moving wave with a cutover date and job, an application credential expiring then."""
    config = args.config
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
