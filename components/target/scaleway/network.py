"""One network zone on Scaleway: a Private Network of the platform's VPC, on the zone's
target range (Private Networks are regional: instances of every zone of the region attach)."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumiverse_scaleway import network

from components.component import Opts, ProviderComponent
from components.config.model import Zone
from components.tagging import Labels
from components.target.common import named
from components.target.scaleway.scope import ScalewayScope


@dataclass(frozen=True)
class NetworkArgs:
    scope: ScalewayScope
    zone: Zone
    vpc_id: pulumi.Input[str]  # the platform's VPC, whose Private Network this zone is
    labels: Labels


class Network(ProviderComponent):
    network_id: pulumi.Output[str]  # the Private Network the zone's instances attach to

    def __init__(self, name: str, args: NetworkArgs, opts: Opts = None) -> None:
        super().__init__("bascule:target:Network", name, args.scope.provider, opts)
        zone = args.zone
        private = network.PrivateNetwork(
            **named(f"{zone.name}-net"),
            vpc_id=args.vpc_id,
            **args.scope.regional,
            ipv4_subnet=network.PrivateNetworkIpv4SubnetArgs(subnet=str(zone.target_cidr)),
            tags=args.labels.as_list(),
            opts=self.child,
        )
        self.network_id = private.id
        self.register_outputs({"networkId": self.network_id})
