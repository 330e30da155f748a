"""A Scaleway Instance on one Private Network, with no public address, booted from a Block
Storage root volume, and its data on a separate Block Storage volume (helpers, no component:
the caller is the parent). The gateway and every enclave instance are built this way.

Block Storage volumes (`block.Volume`) and SBS root volumes take no encryption setting and
no customer key in pulumiverse-scaleway 1.60: their encryption at rest is the provider's
business, unknown to the program (README: a MANUAL row of the compliance matrix).
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumiverse_scaleway import block, instance
from pulumiverse_scaleway.provider import Provider

from components.tagging import Labels
from components.target.common import ServerSpec, named

ROOT_VOLUME_TYPE = "sbs_volume"
DATA_VOLUME_IOPS = 5000  # Block Storage's 5K tier


@dataclass(frozen=True)
class InstancePlace:
    """Where an instance and what goes with it (its volumes, address, security and placement
    groups) live, and the labels they carry."""

    zone: str  # the availability zone
    project_id: str
    labels: Labels

    @property
    def tags(self) -> list[str]:
        return self.labels.as_list()


@dataclass(frozen=True)
class InstanceHost:
    """Where the gateway or an enclave builds its instances (OpenStack's `ServerHost`): with
    the provider, on the zone's Private Network, egress to the platform's ranges only, from
    the image, in their place."""

    provider: Provider
    private_network_id: pulumi.Input[str]
    platform_cidrs: list[str]
    image_id: str
    place: InstancePlace


def private_server(
    name: str,
    suffix: str,
    host: InstanceHost,
    spec: ServerSpec,
    opts: pulumi.ResourceOptions,
    ip_id: pulumi.Input[str] | None = None,  # the gateway's flexible IP only
) -> instance.Server:
    """Data volume and server: `<name>-data<suffix>`, `<name>-vm<suffix>`."""
    place = host.place
    volumes: list[pulumi.Input[str]] = []
    if spec.data_gb is not None:
        data = block.Volume(
            **named(f"{name}-data{suffix}"),
            size_in_gb=spec.data_gb,
            iops=DATA_VOLUME_IOPS,
            zone=place.zone,
            project_id=place.project_id,
            tags=place.tags,
            opts=opts,
        )
        volumes.append(data.id)
    return instance.Server(
        **named(f"{name}-vm{suffix}"),
        type=spec.machine_type,
        image=host.image_id,
        zone=place.zone,
        project_id=place.project_id,
        root_volume=instance.ServerRootVolumeArgs(
            size_in_gb=spec.boot_gb, volume_type=ROOT_VOLUME_TYPE, delete_on_termination=False
        ),
        additional_volume_ids=volumes,
        private_networks=[instance.ServerPrivateNetworkArgs(pn_id=host.private_network_id)],
        security_group_id=spec.security_group_id,
        placement_group_id=spec.spread_group_id,
        # No public address unless one is given (the gateway's flexible IP).
        enable_dynamic_ip=False,
        ip_id=ip_id,
        protected=True,
        state="started" if spec.running else "stopped",
        tags=place.tags,
        opts=opts,
    )


def security_group(
    name: str,
    inbound: list[instance.SecurityGroupInboundRuleArgs],
    host: InstanceHost,
    opts: pulumi.ResourceOptions,
) -> instance.SecurityGroup:
    """Inbound and outbound default `drop`, stateful, SMTP blocked: only `inbound` passes in,
    and out only to the platform's own zones."""
    place = host.place
    return instance.SecurityGroup(
        **named(f"{name}-sg"),
        description=f"{name}: default drop both ways, the listed flows only",
        inbound_default_policy="drop",
        outbound_default_policy="drop",
        stateful=True,
        enable_default_security=True,
        inbound_rules=inbound,
        outbound_rules=_egress_rules(host.platform_cidrs),
        zone=place.zone,
        project_id=place.project_id,
        tags=place.tags,
        opts=opts,
    )


def _egress_rules(cidrs: list[str]) -> list[instance.SecurityGroupOutboundRuleArgs]:
    """Outbound to the platform's own zones only."""
    return [
        instance.SecurityGroupOutboundRuleArgs(action="accept", protocol="ANY", ip_range=cidr)
        for cidr in cidrs
    ]


def tcp_in(port: int, cidr: str) -> instance.SecurityGroupInboundRuleArgs:
    return instance.SecurityGroupInboundRuleArgs(
        action="accept", protocol="TCP", port=port, ip_range=cidr
    )
