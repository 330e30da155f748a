"""The Azure end of the IPsec interconnect: a route-based VPN gateway in the hub's
GatewaySubnet, a local network gateway for the target's VPN endpoint and zones, and one
connection with an explicit IPsec/IKE policy: with explicit traffic selectors (static, the
neutron-vpnaas end), or with a BGP session over the tunnel (the Scaleway end, which routes
with BGP only: `BgpPeering`, the one set of addresses and ASNs both ends read).

The policy comes from `bascule:interconnect.proposal`, the same as the target end's
(components/target/interconnect.py); the pre-shared key is the stack secret
`bascule:interconnectSharedKey`, passed as a secret.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import network

from components.azure.scope import AzureScope
from components.component import Opts, ProviderComponent
from components.config.interconnect import (
    DH_GROUPS,
    ESP_CIPHERS,
    HASHES,
    IKE_CIPHERS,
    PFS_GROUPS,
    BgpPeering,
    InterconnectSettings,
)
from components.tagging import Labels

GATEWAY_SUBNET = "GatewaySubnet"  # the name Azure requires for a VPN gateway's subnet
DPD_TIMEOUT_SECONDS = 45
IP_CONFIGURATION = "default"  # the gateway's one ip configuration


@dataclass(frozen=True)
class InterconnectArgs:
    scope: AzureScope
    settings: InterconnectSettings
    hub_vnet_name: pulumi.Input[str]
    hub_cidr: str  # the source range the tunnel carries (the hub, where transfers run)
    target_cidrs: tuple[str, ...]  # the target zones it reaches
    shared_key: pulumi.Input[str]
    labels: Labels
    bgp: BgpPeering | None = None  # None: static routing by traffic selectors


def ipsec_policy(settings: InterconnectSettings) -> network.IpsecPolicyArgs:
    """The connection's one policy, in Azure's words."""
    proposal = settings.proposal
    return network.IpsecPolicyArgs(
        ike_encryption=IKE_CIPHERS[proposal.ike_encryption][0],
        ike_integrity=HASHES[proposal.ike_integrity][0],
        dh_group=DH_GROUPS[proposal.dh_group],
        ipsec_encryption=ESP_CIPHERS[proposal.ipsec_encryption][0],
        ipsec_integrity=proposal.azure_ipsec_integrity(),
        pfs_group=PFS_GROUPS[proposal.pfs_group],
        sa_life_time_seconds=proposal.ipsec_lifetime_seconds,
        sa_data_size_kilobytes=proposal.ipsec_lifetime_kilobytes,
    )


class Interconnect(ProviderComponent):
    gateway_id: pulumi.Output[str]
    remote_prefixes: tuple[str, ...]

    def __init__(self, name: str, args: InterconnectArgs, opts: Opts = None) -> None:
        super().__init__("bascule:azure:Interconnect", name, args.scope.provider, opts)
        settings = args.settings
        tags = args.labels.with_(role="interconnect").as_map()

        gateway = _vpn_gateway(name, args, self.child, tags)
        site = network.LocalNetworkGateway(
            f"{name}-target-site",
            **args.scope.regional,
            gateway_ip_address=str(settings.target_address),
            local_network_address_space=network.AddressSpaceArgs(
                address_prefixes=_site_prefixes(args)
            ),
            bgp_settings=_site_bgp(args.bgp),
            tags=tags,
            opts=self.child,
        )
        _connection(name, args, gateway.id, site.id, self.child, tags)

        self.gateway_id = gateway.id
        self.remote_prefixes = tuple(args.target_cidrs)
        self.register_outputs({"gatewayId": self.gateway_id})


def _site_prefixes(args: InterconnectArgs) -> list[str]:
    """What Azure routes to the site: the target zones; with BGP also the BGP peer's host
    address (/32, the least Azure asks of a BGP site). The zones stay declared (the transfer
    enclaves' egress is checked against them) and come by BGP as well."""
    if args.bgp is None:
        return list(args.target_cidrs)
    return [*args.target_cidrs, f"{args.bgp.scaleway_address}/32"]


def _site_bgp(bgp: BgpPeering | None) -> network.BgpSettingsArgs | None:
    """The site as a BGP speaker: Scaleway's ASN and its inside address."""
    if bgp is None:
        return None
    return network.BgpSettingsArgs(asn=bgp.scaleway_asn, bgp_peering_address=bgp.scaleway_address)


def gateway_bgp(args: InterconnectArgs, gateway_name: str) -> network.BgpSettingsArgs | None:
    """With BGP, the gateway's BGP speaker: its ASN and the custom APIPA address on its one
    ip configuration (whose id is the gateway's own id path, from its explicit name)."""
    if args.bgp is None:
        return None
    ip_configuration_id = pulumi.Output.concat(
        f"/subscriptions/{args.scope.subscription_id}/resourceGroups/",
        args.scope.resource_group_name,
        f"/providers/Microsoft.Network/virtualNetworkGateways/{gateway_name}"
        f"/ipConfigurations/{IP_CONFIGURATION}",
    )
    return network.BgpSettingsArgs(
        asn=args.bgp.azure_asn,
        bgp_peering_addresses=[
            network.IPConfigurationBgpPeeringAddressArgs(
                ipconfiguration_id=ip_configuration_id,
                custom_bgp_ip_addresses=[args.bgp.azure_address],
            )
        ],
    )


def _vpn_gateway(
    name: str, args: InterconnectArgs, child: pulumi.ResourceOptions, tags: dict[str, str]
) -> network.VirtualNetworkGateway:
    """The route-based VPN gateway in the hub's GatewaySubnet, on its own static address."""
    settings = args.settings
    subnet = network.Subnet(
        f"{name}-gateway-subnet",
        resource_group_name=args.scope.resource_group_name,
        virtual_network_name=args.hub_vnet_name,
        subnet_name=GATEWAY_SUBNET,
        address_prefix=str(settings.gateway_subnet_cidr),
        # The gateway reaches its peer through its own address, never by implicit egress.
        default_outbound_access=False,
        opts=child,
    )
    address = network.PublicIPAddress(
        f"{name}-pip",
        **args.scope.regional,
        sku=network.PublicIPAddressSkuArgs(name="Standard", tier="Regional"),
        public_ip_allocation_method="Static",
        public_ip_address_version="IPv4",
        zones=["1", "2", "3"],
        tags=tags,
        opts=child,
    )
    gateway_name = f"{name}-vpn-gateway"
    return network.VirtualNetworkGateway(
        gateway_name,
        **args.scope.regional,
        gateway_type="Vpn",
        vpn_type="RouteBased",
        vpn_gateway_generation="Generation2",
        sku=network.VirtualNetworkGatewaySkuArgs(
            name=settings.gateway_sku, tier=settings.gateway_sku
        ),
        active_active=False,
        enable_bgp=args.bgp is not None,
        # With BGP the gateway is named explicitly: its ip configuration's id holds the name.
        virtual_network_gateway_name=gateway_name if args.bgp is not None else None,
        bgp_settings=gateway_bgp(args, gateway_name),
        ip_configurations=[
            network.VirtualNetworkGatewayIPConfigurationArgs(
                name=IP_CONFIGURATION,
                private_ip_allocation_method="Dynamic",
                subnet=network.SubResourceArgs(id=subnet.id),
                public_ip_address=network.SubResourceArgs(id=address.id),
            )
        ],
        tags=tags,
        opts=child,
    )


def _connection(
    name: str,
    args: InterconnectArgs,
    gateway_id: pulumi.Input[str],
    site_id: pulumi.Input[str],
    child: pulumi.ResourceOptions,
    tags: dict[str, str],
) -> None:
    """The IKEv2 connection to the target site and its proposal, routed by explicit
    selectors or by BGP."""
    network.VirtualNetworkGatewayConnection(
        f"{name}-connection",
        **args.scope.regional,
        connection_type="IPsec",
        connection_protocol="IKEv2",
        virtual_network_gateway1={"id": gateway_id},
        local_network_gateway2={"id": site_id},
        ipsec_policies=[ipsec_policy(args.settings)],
        # BGP over the tunnel, or explicit selectors as neutron-vpnaas proposes them (one SA
        # per subnet pair).
        enable_bgp=True if args.bgp is not None else None,
        use_policy_based_traffic_selectors=args.bgp is None,
        traffic_selector_policies=_selectors(args),
        dpd_timeout_seconds=DPD_TIMEOUT_SECONDS,
        shared_key=pulumi.Output.secret(args.shared_key),
        tags=tags,
        opts=pulumi.ResourceOptions.merge(
            child, pulumi.ResourceOptions(additional_secret_outputs=["sharedKey"])
        ),
    )


def _selectors(args: InterconnectArgs) -> list[network.TrafficSelectorPolicyArgs] | None:
    if args.bgp is not None:
        return None
    return [
        network.TrafficSelectorPolicyArgs(
            local_address_ranges=[args.hub_cidr], remote_address_ranges=list(args.target_cidrs)
        )
    ]
