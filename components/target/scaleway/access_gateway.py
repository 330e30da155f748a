"""The access gateway on Scaleway: the tenancy's ONLY public entry, one Instance with one
flexible IP (`instance.Ip`), its security group admitting the gateway port from the allowed
sources only (default drop both ways, the platform zones out).

Every resource here is a direct child of this component: policies recognise the gateway,
the one place a public address and an internet-facing rule are allowed, by its parent type.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumiverse_scaleway import instance
from pulumiverse_scaleway.provider import Provider

from components.config.model import Gateway
from components.tagging import Labels
from components.target.common import BOOT_DISK_GB
from components.target.scaleway.catalog import type_for
from components.target.scaleway.server import (
    ServerSpec,
    egress_rules,
    private_server,
    security_group,
    tcp_in,
)

IP_TYPE = "routed_ipv4"


@dataclass(frozen=True)
class AccessGatewayArgs:
    provider: Provider
    gateway: Gateway
    private_network_id: pulumi.Input[str]
    platform_cidrs: list[str]
    image_id: str
    zone: str
    project_id: str
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
        inbound = [tcp_in(gateway.port, str(c)) for c in gateway.allowed_source_cidrs]
        group = security_group(
            name, (inbound, egress_rules(args.platform_cidrs)), args.zone, args.project_id,
            args.labels, child,
        )  # fmt: skip
        address = instance.Ip(
            f"{name}-ip",
            type=IP_TYPE,
            zone=args.zone,
            project_id=args.project_id,
            tags=args.labels.as_list(),
            opts=child,
        )
        server = private_server(
            name,
            "",
            ServerSpec(
                private_network_id=args.private_network_id,
                security_group_id=group.id,
                image_id=args.image_id,
                server_type=type_for(gateway.size).name,
                zone=args.zone,
                project_id=args.project_id,
                root_gb=max(gateway.size.disk_gb, BOOT_DISK_GB),
                data_gb=None,
                labels=args.labels,
                ip_id=address.id,
            ),
            child,
        )
        self.floating_ip = address.address
        self.instance_id = server.id
        self.register_outputs({"floatingIp": self.floating_ip, "instanceId": self.instance_id})
