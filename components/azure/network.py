"""Hub and spoke: one VNet per zone, spokes peered both ways with the hub, one NSG per zone.

Azure peering is not transitive: a spoke reaches another spoke through the hub only with a
router there, and the platform has none. The flows the platform needs between spokes (the
gateway to the enclaves' SSH, the enclaves to the data zone's private endpoints) get direct
peerings of their own; NSGs decide what may cross them.

The gateway zone's subnet is the access gateway's (components/azure/access_gateway.py): its
NSG admits the gateway port from the allowed sources, which only the gateway may do.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pulumi
from pulumi_azure_native import network

from components.azure.scope import AzureScope
from components.azure.vm import security_rule
from components.component import Opts, ProviderComponent
from components.config.model import Zone, ZoneRole
from components.tagging import Labels

DENY_INTERNET_PRIORITY = 4096
# Spoke pairs that exchange traffic directly: (from role, to role).
SPOKE_FLOWS = ((ZoneRole.GATEWAY, ZoneRole.ENCLAVES), (ZoneRole.ENCLAVES, ZoneRole.DATA))


@dataclass(frozen=True)
class NetworkArgs:
    scope: AzureScope
    zones: tuple[Zone, ...]
    hub_zone: str
    labels: Labels
    # Extra address ranges of the hub VNet (the interconnect's GatewaySubnet).
    hub_extra_prefixes: tuple[str, ...] = ()
    # The zone whose subnet the access gateway builds (its NSG admits the gateway port).
    gateway_zone: str = ""


class Network(ProviderComponent):
    subnet_ids: dict[str, pulumi.Output[str]]  # every zone but the gateway's
    vnet_ids: dict[str, pulumi.Output[str]]
    vnet_names: dict[str, pulumi.Output[str]]

    def __init__(self, name: str, args: NetworkArgs, opts: Opts = None) -> None:
        super().__init__("bascule:azure:Network", name, args.scope.provider, opts)
        labels = args.labels.with_(role="network")
        self.subnet_ids, self.vnet_ids, self.vnet_names = {}, {}, {}
        vnets: dict[str, network.VirtualNetwork] = {}
        for zone in args.zones:
            extra = list(args.hub_extra_prefixes) if zone.name == args.hub_zone else []
            vnet = network.VirtualNetwork(
                f"{zone.name}-vnet",
                resource_group_name=args.scope.resource_group_name,
                location=args.scope.location,
                address_space=network.AddressSpaceArgs(
                    address_prefixes=[str(zone.azure_cidr), *extra]
                ),
                tags=labels.as_map(),
                opts=self.child,
            )
            vnets[zone.name] = vnet
            self.vnet_ids[zone.name] = vnet.id
            self.vnet_names[zone.name] = vnet.name
            if zone.name == args.gateway_zone:
                continue
            nsg = zone_nsg(
                zone,
                args.scope.resource_group_name,
                args.scope.location,
                labels,
                self.child,
                allow=(),
            )
            self.subnet_ids[zone.name] = zone_subnet(
                zone, args.scope.resource_group_name, vnet.name, nsg.id, self.child
            ).id
        for local, remote, label in _peerings(args):
            network.VirtualNetworkPeering(
                f"{label}-peering",
                resource_group_name=args.scope.resource_group_name,
                virtual_network_name=vnets[local].name,
                remote_virtual_network=network.SubResourceArgs(id=vnets[remote].id),
                allow_virtual_network_access=True,
                allow_forwarded_traffic=True,
                opts=self.child,
            )
        self.register_outputs({"vnetIds": self.vnet_ids, "subnetIds": self.subnet_ids})


def _peerings(args: NetworkArgs) -> Iterator[tuple[str, str, str]]:
    """(local zone, remote zone, name) of every peering: each spoke with the hub both ways,
    then the spoke pairs of SPOKE_FLOWS both ways."""
    hub = args.hub_zone
    for zone in args.zones:
        if zone.name != hub:
            yield hub, zone.name, f"{hub}-to-{zone.name}"
            yield zone.name, hub, f"{hub}-from-{zone.name}"
    for source_role, target_role in SPOKE_FLOWS:
        for a in (z.name for z in args.zones if z.role is source_role and z.name != hub):
            for b in (z.name for z in args.zones if z.role is target_role and z.name != hub):
                yield a, b, f"{a}-to-{b}"
                yield b, a, f"{a}-from-{b}"


def zone_nsg(
    zone: Zone,
    resource_group_name: pulumi.Input[str],
    location: str,
    labels: Labels,
    opts: pulumi.ResourceOptions,
    allow: tuple[network.SecurityRuleArgs, ...],
) -> network.NetworkSecurityGroup:
    """A zone's subnet NSG: the `allow` rules, then an explicit deny of internet sources (so
    the intent survives any later rule added above Azure's defaults)."""
    deny = security_rule(
        "deny-internet-inbound",
        DENY_INTERNET_PRIORITY,
        deny=True,
        source="Internet",
    )
    return network.NetworkSecurityGroup(
        f"{zone.name}-nsg",
        resource_group_name=resource_group_name,
        location=location,
        security_rules=[*allow, deny],
        tags=labels.as_map(),
        opts=opts,
    )


def zone_subnet(
    zone: Zone,
    resource_group_name: pulumi.Input[str],
    vnet_name: pulumi.Input[str],
    nsg_id: pulumi.Input[str],
    opts: pulumi.ResourceOptions,
) -> network.Subnet:
    return network.Subnet(
        f"{zone.name}-subnet",
        resource_group_name=resource_group_name,
        virtual_network_name=vnet_name,
        address_prefix=str(zone.azure_cidr),
        network_security_group=network.NetworkSecurityGroupArgs(id=nsg_id),
        # NSGs also apply to the private endpoints of the data zone.
        private_endpoint_network_policies="Enabled",
        # No implicit outbound internet: egress must be designed, not inherited.
        default_outbound_access=False,
        opts=opts,
    )


def private_endpoint(
    name: str,
    *,
    resource_group_name: pulumi.Input[str],
    location: str,
    subnet_id: pulumi.Input[str],
    target_id: pulumi.Input[str],
    group_id: str,
    tags: dict[str, str],
    opts: pulumi.ResourceOptions,
) -> network.PrivateEndpoint:
    """A private endpoint for one sub-resource (`vault`, `blob`, `dfs`...) of a PaaS service."""
    return network.PrivateEndpoint(
        name,
        resource_group_name=resource_group_name,
        location=location,
        subnet=network.SubnetArgs(id=subnet_id),
        private_link_service_connections=[
            network.PrivateLinkServiceConnectionArgs(
                name=name,
                private_link_service_id=target_id,
                group_ids=[group_id],
            )
        ],
        tags=tags,
        opts=opts,
    )
