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

from components.tagging import Labels

ROOT_VOLUME_TYPE = "sbs_volume"
DATA_VOLUME_IOPS = 5000  # Block Storage's 5K tier


@dataclass(frozen=True)
class ServerSpec:
    private_network_id: pulumi.Input[str]
    security_group_id: pulumi.Input[str]
    image_id: str
    server_type: str
    zone: str
    project_id: str
    root_gb: int
    data_gb: int | None  # None: no data volume (the gateway)
    labels: Labels
    placement_group_id: pulumi.Input[str] | None = None
    ip_id: pulumi.Input[str] | None = None  # the gateway's flexible IP only
    state: str = "started"  # "stopped": built but powered off


def private_server(
    name: str, suffix: str, spec: ServerSpec, opts: pulumi.ResourceOptions
) -> instance.Server:
    """Data volume and server: `<name>-data<suffix>`, `<name>-vm<suffix>`."""
    tags = spec.labels.as_list()
    volumes: list[pulumi.Input[str]] = []
    if spec.data_gb is not None:
        data = block.Volume(
            f"{name}-data{suffix}",
            name=f"{name}-data{suffix}",
            size_in_gb=spec.data_gb,
            iops=DATA_VOLUME_IOPS,
            zone=spec.zone,
            project_id=spec.project_id,
            tags=tags,
            opts=opts,
        )
        volumes.append(data.id)
    return instance.Server(
        f"{name}-vm{suffix}",
        name=f"{name}-vm{suffix}",
        type=spec.server_type,
        image=spec.image_id,
        zone=spec.zone,
        project_id=spec.project_id,
        root_volume=instance.ServerRootVolumeArgs(
            size_in_gb=spec.root_gb, volume_type=ROOT_VOLUME_TYPE, delete_on_termination=False
        ),
        additional_volume_ids=volumes,
        private_networks=[instance.ServerPrivateNetworkArgs(pn_id=spec.private_network_id)],
        security_group_id=spec.security_group_id,
        placement_group_id=spec.placement_group_id,
        # No public address unless one is given (the gateway's flexible IP).
        enable_dynamic_ip=False,
        ip_id=spec.ip_id,
        protected=True,
        state=spec.state,
        tags=tags,
        opts=opts,
    )


def security_group(
    name: str, rules: tuple[list[instance.SecurityGroupInboundRuleArgs],
                            list[instance.SecurityGroupOutboundRuleArgs]],
    zone: str, project_id: str, labels: Labels, opts: pulumi.ResourceOptions,
) -> instance.SecurityGroup:  # fmt: skip
    """Inbound and outbound default `drop`, stateful, SMTP blocked: only `rules` pass."""
    inbound, outbound = rules
    return instance.SecurityGroup(
        f"{name}-sg",
        name=f"{name}-sg",
        description=f"{name}: default drop both ways, the listed flows only",
        inbound_default_policy="drop",
        outbound_default_policy="drop",
        stateful=True,
        enable_default_security=True,
        inbound_rules=inbound,
        outbound_rules=outbound,
        zone=zone,
        project_id=project_id,
        tags=labels.as_list(),
        opts=opts,
    )


def egress_rules(cidrs: list[str]) -> list[instance.SecurityGroupOutboundRuleArgs]:
    """Outbound to the platform's own zones only."""
    return [
        instance.SecurityGroupOutboundRuleArgs(action="accept", protocol="ANY", ip_range=cidr)
        for cidr in cidrs
    ]


def tcp_in(port: int, cidr: str) -> instance.SecurityGroupInboundRuleArgs:
    return instance.SecurityGroupInboundRuleArgs(
        action="accept", protocol="TCP", port=port, ip_range=cidr
    )
