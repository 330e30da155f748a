"""Hub and spoke: one VNet per zone, spokes peered both ways with the hub, one NSG per zone."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import network
from pulumi_azure_native.provider import Provider

from components.config.model import Zone, ZoneRole
from components.tagging import Labels

DENY_INTERNET_PRIORITY = 4096


@dataclass(frozen=True)
class NetworkArgs:
    provider: Provider
    resource_group_name: pulumi.Input[str]
    location: str
    zones: tuple[Zone, ...]
    hub_zone: str
    labels: Labels
    # Extra address ranges of the hub VNet (the interconnect's GatewaySubnet).
    hub_extra_prefixes: tuple[str, ...] = ()


class Network(pulumi.ComponentResource):
    subnet_ids: dict[str, pulumi.Output[str]]
    vnet_ids: dict[str, pulumi.Output[str]]
    vnet_names: dict[str, pulumi.Output[str]]

    def __init__(
        self, name: str, args: NetworkArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("bascule:azure:Network", name, None, opts)
        child = pulumi.ResourceOptions(parent=self, provider=args.provider)
        labels = args.labels.with_(role="network")

        self.subnet_ids = {}
        self.vnet_ids = {}
        self.vnet_names = {}
        vnets: dict[str, network.VirtualNetwork] = {}
        for zone in args.zones:
            extra = list(args.hub_extra_prefixes) if zone.name == args.hub_zone else []
            vnet = network.VirtualNetwork(
                f"{zone.name}-vnet",
                resource_group_name=args.resource_group_name,
                location=args.location,
                address_space=network.AddressSpaceArgs(
                    address_prefixes=[str(zone.azure_cidr), *extra]
                ),
                tags=labels.as_map(),
                opts=child,
            )
            nsg = network.NetworkSecurityGroup(
                f"{zone.name}-nsg",
                resource_group_name=args.resource_group_name,
                location=args.location,
                # Explicit, so the intent survives any later rule added above Azure's defaults.
                security_rules=[
                    network.SecurityRuleArgs(
                        name="deny-internet-inbound",
                        priority=DENY_INTERNET_PRIORITY,
                        direction="Inbound",
                        access="Deny",
                        protocol="*",
                        source_address_prefix="Internet",
                        source_port_range="*",
                        destination_address_prefix="*",
                        destination_port_range="*",
                    )
                ],
                tags=labels.as_map(),
                opts=child,
            )
            subnet = network.Subnet(
                f"{zone.name}-subnet",
                resource_group_name=args.resource_group_name,
                virtual_network_name=vnet.name,
                address_prefix=str(zone.azure_cidr),
                network_security_group=network.NetworkSecurityGroupArgs(id=nsg.id),
                # NSGs also apply to the private endpoints of the data zone.
                private_endpoint_network_policies="Enabled",
                # No implicit outbound internet: egress must be designed, not inherited.
                default_outbound_access=False,
                opts=child,
            )
            vnets[zone.name] = vnet
            self.vnet_ids[zone.name] = vnet.id
            self.vnet_names[zone.name] = vnet.name
            self.subnet_ids[zone.name] = subnet.id

        hub = vnets[args.hub_zone]
        for zone in args.zones:
            if zone.name == args.hub_zone:
                continue
            spoke = vnets[zone.name]
            for local, remote, direction in ((hub, spoke, "to"), (spoke, hub, "from")):
                network.VirtualNetworkPeering(
                    f"{args.hub_zone}-{direction}-{zone.name}-peering",
                    resource_group_name=args.resource_group_name,
                    virtual_network_name=local.name,
                    remote_virtual_network=network.SubResourceArgs(id=remote.id),
                    allow_virtual_network_access=True,
                    allow_forwarded_traffic=True,
                    opts=child,
                )

        self.register_outputs({"vnetIds": self.vnet_ids, "subnetIds": self.subnet_ids})


def hub_zone_name(zones: tuple[Zone, ...], gateway_zone: str) -> str:
    """The hub zone; without one, the gateway zone is the hub (it is the only way in)."""
    return next((z.name for z in zones if z.role is ZoneRole.HUB), gateway_zone)


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
