"""The access gateway's host on OpenStack (components/target/access_gateway.py): one Nova
server on a private port, one floating IP associated with that port, its security group
admitting the gateway port from the allowed sources only."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_openstack import networking
from pulumi_openstack.provider import Provider

from components.config.model import Gateway
from components.target.access_gateway import Exposed
from components.target.common import BOOT_DISK_GB, ServerSpec, flavor_name
from components.target.openstack.security_group import Flow, security_group
from components.target.openstack.server import ServerHost, private_server


@dataclass(frozen=True)
class NovaGateway:
    host: ServerHost  # on the gateway zone's network
    gateway: Gateway
    external_network: str

    @property
    def provider(self) -> Provider:
        return self.host.vm.provider

    def build(self, name: str, child: pulumi.ResourceOptions) -> Exposed:
        size = self.gateway.size
        group = self._security_group(name, child)
        port, instance = private_server(
            name,
            "",
            self.host,
            ServerSpec(
                security_group_id=group.id,
                machine_type=flavor_name(size),
                boot_gb=max(size.disk_gb, BOOT_DISK_GB),
                data_gb=None,
            ),
            child,
        )
        floating_ip = networking.FloatingIp(
            f"{name}-fip",
            pool=self.external_network,
            description="access gateway: the only public address of the tenancy",
            tags=self.host.labels.as_list(),
            opts=child,
        )
        networking.FloatingIpAssociate(
            f"{name}-fip-assoc",
            floating_ip=floating_ip.address,
            port_id=port.id,
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=[instance])),
        )
        return Exposed(address=floating_ip.address, instance_id=instance.id)

    def _security_group(self, name: str, child: pulumi.ResourceOptions) -> networking.SecGroup:
        """The gateway port from each allowed source range, nothing else."""
        gateway = self.gateway
        # Egress comes from the platform group.
        return security_group(
            f"{name}-sg",
            "Access gateway: the gateway port from the allowed sources only",
            [
                Flow(
                    f"{name}-in-tcp-{gateway.port}-{index}",
                    "ingress",
                    str(cidr),
                    f"gateway port from {cidr}",
                    gateway.port,
                )
                for index, cidr in enumerate(gateway.allowed_source_cidrs)
            ],
            self.host.labels,
            child,
        )
