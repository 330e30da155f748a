"""The access gateway: the tenancy's ONLY exposed entry point (one floating IP, one port).

Every resource here is a direct child of this component: policies recognise the gateway,
the one place a floating IP and an internet-facing rule are allowed, by its parent type.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_openstack import networking
from pulumi_openstack.provider import Provider

from components.config.model import Gateway
from components.tagging import Labels
from components.target.common import BOOT_DISK_GB, flavor_name
from components.target.openstack.server import ServerSpec, private_server


@dataclass(frozen=True)
class AccessGatewayArgs:
    provider: Provider
    gateway: Gateway
    network_id: pulumi.Input[str]
    subnet_id: pulumi.Input[str]
    egress_security_group_id: pulumi.Input[str]
    external_network: str
    image_id: pulumi.Input[str]
    volume_type: str
    key_pair: pulumi.Input[str]
    labels: Labels


class AccessGateway(pulumi.ComponentResource):
    floating_ip: pulumi.Output[str]
    instance_id: pulumi.Output[str]

    def __init__(
        self, name: str, args: AccessGatewayArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("bascule:target:AccessGateway", name, None, opts)
        child = pulumi.ResourceOptions(parent=self, provider=args.provider)
        gateway = args.gateway
        tags = args.labels.as_list()

        group = self._security_group(name, args, child)
        port, instance = private_server(
            name,
            "",
            ServerSpec(
                network_id=args.network_id,
                subnet_id=args.subnet_id,
                security_group_ids=[group.id, args.egress_security_group_id],
                image_id=args.image_id,
                volume_type=args.volume_type,
                key_pair=args.key_pair,
                flavor=flavor_name(gateway.size),
                boot_gb=max(gateway.size.disk_gb, BOOT_DISK_GB),
                labels=args.labels,
            ),
            child,
        )
        floating_ip = networking.FloatingIp(
            f"{name}-fip",
            pool=args.external_network,
            description="access gateway: the only public address of the tenancy",
            tags=tags,
            opts=child,
        )
        networking.FloatingIpAssociate(
            f"{name}-fip-assoc",
            floating_ip=floating_ip.address,
            port_id=port.id,
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=[instance])),
        )

        self.floating_ip = floating_ip.address
        self.instance_id = instance.id
        self.register_outputs({"floatingIp": self.floating_ip, "instanceId": self.instance_id})

    def _security_group(
        self, name: str, args: AccessGatewayArgs, child: pulumi.ResourceOptions
    ) -> networking.SecGroup:
        """The gateway port from each allowed source range, nothing else."""
        gateway = args.gateway
        group = networking.SecGroup(
            f"{name}-sg",
            name=f"{name}-sg",
            description="Access gateway: the gateway port from the allowed sources only",
            # Drop Neutron's allow-all egress defaults: egress comes from the platform group.
            delete_default_rules=True,
            tags=args.labels.as_list(),
            opts=child,
        )
        for index, cidr in enumerate(gateway.allowed_source_cidrs):
            networking.SecGroupRule(
                f"{name}-in-tcp-{gateway.port}-{index}",
                security_group_id=group.id,
                direction="ingress",
                ethertype="IPv4",
                protocol="tcp",
                port_range_min=gateway.port,
                port_range_max=gateway.port,
                remote_ip_prefix=str(cidr),
                description=f"gateway port from {cidr}",
                opts=child,
            )
        return group
