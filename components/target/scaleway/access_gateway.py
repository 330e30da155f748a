"""The access gateway's host on Scaleway (components/target/access_gateway.py): one Instance
with one flexible IP (`instance.Ip`), its security group admitting the gateway port from the
allowed sources only (default drop both ways, the platform zones out)."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumiverse_scaleway import instance
from pulumiverse_scaleway.provider import Provider

from components.config.model import Gateway
from components.target.access_gateway import Exposed
from components.target.common import BOOT_DISK_GB, ServerSpec
from components.target.scaleway.catalog import type_for
from components.target.scaleway.server import InstanceHost, private_server, security_group, tcp_in

IP_TYPE = "routed_ipv4"


@dataclass(frozen=True)
class InstanceGateway:
    host: InstanceHost  # on the gateway zone's Private Network
    gateway: Gateway

    @property
    def provider(self) -> Provider:
        return self.host.provider

    def build(self, name: str, child: pulumi.ResourceOptions) -> Exposed:
        gateway, place = self.gateway, self.host.place
        inbound = [tcp_in(gateway.port, str(c)) for c in gateway.allowed_source_cidrs]
        group = security_group(name, inbound, self.host, child)
        address = instance.Ip(
            f"{name}-ip",
            type=IP_TYPE,
            zone=place.zone,
            project_id=place.project_id,
            tags=place.tags,
            opts=child,
        )
        server = private_server(
            name,
            "",
            self.host,
            ServerSpec(
                security_group_id=group.id,
                machine_type=type_for(gateway.size).name,
                boot_gb=max(gateway.size.disk_gb, BOOT_DISK_GB),
                data_gb=None,
            ),
            child,
            ip_id=address.id,
        )
        return Exposed(address=address.address, instance_id=server.id)
