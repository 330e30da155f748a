"""One network zone of the target tenancy: a Neutron network, its subnet, its router port."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_openstack import networking
from pulumi_openstack.provider import Provider

from components.component import Opts, ProviderComponent
from components.config.model import Zone
from components.tagging import Labels
from components.target.common import named


@dataclass(frozen=True)
class NetworkArgs:
    provider: Provider
    zone: Zone
    router_id: pulumi.Input[str]  # the tenancy's router: the zone's subnet gets a port on it
    labels: Labels


class Network(ProviderComponent):
    network_id: pulumi.Output[str]
    subnet_id: pulumi.Output[str]

    def __init__(self, name: str, args: NetworkArgs, opts: Opts = None) -> None:
        super().__init__("bascule:target:Network", name, args.provider, opts)
        zone = args.zone
        tags = args.labels.as_list()

        network = networking.Network(
            **named(f"{zone.name}-net"),
            admin_state_up=True,
            # Tenant-private: never shared with other projects, never an external network.
            shared=False,
            external=False,
            port_security_enabled=True,
            tags=tags,
            opts=self.child,
        )
        subnet = networking.Subnet(
            **named(f"{zone.name}-subnet"),
            network_id=network.id,
            cidr=str(zone.target_cidr),
            ip_version=4,
            enable_dhcp=True,
            # No public resolvers and no DNS records: names of health-data hosts do not leak.
            dns_nameservers=[],
            dns_publish_fixed_ip=False,
            tags=tags,
            opts=self.child,
        )
        networking.RouterInterface(
            f"{zone.name}-router-if",
            router_id=args.router_id,
            subnet_id=subnet.id,
            opts=self.child,
        )

        self.network_id = network.id
        self.subnet_id = subnet.id
        self.register_outputs({"networkId": self.network_id, "subnetId": self.subnet_id})
