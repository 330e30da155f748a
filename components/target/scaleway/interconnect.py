"""The target end of the IPsec interconnect on Scaleway (Site-to-Site VPN, `s2svpn`): a VPN
gateway on the first tunnelled zone's Private Network, the Azure gateway as customer gateway,
a routing policy (Azure's hub in, the tunnelled zones out), the pre-shared key in Secret
Manager, and the connection with the same proposal as the Azure end's.

Scaleway's Site-to-Site VPN routes with BGP only; its connection takes no SA lifetimes and no
DPD settings (pulumiverse-scaleway 1.60 `s2svpn.Connection`): the BGP session's addresses
and ASNs are `BgpPeering`'s, which the Azure end reads too; Scaleway's lifetimes are its own
(unknown).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumiverse_scaleway import s2svpn, secrets
from pulumiverse_scaleway.provider import Provider

from components.config.interconnect import (
    SCALEWAY_CIPHERS,
    SCALEWAY_GROUPS,
    SCALEWAY_HASHES,
    BgpPeering,
    InterconnectSettings,
    is_aead,
)
from components.tagging import Labels
from components.target.common import named
from components.target.scaleway.scope import ScalewayScope

INITIATION = "customer_gateway"  # the Azure gateway initiates, as with the OpenStack end


@dataclass(frozen=True)
class ScalewayTunnel:
    """The Scaleway end of the tunnel (components/target/interconnect.py `Tunnel`)."""

    scope: ScalewayScope
    settings: InterconnectSettings
    private_network_id: pulumi.Input[str]  # where the VPN gateway sits
    local_cidrs: Sequence[str]  # the target zones the tunnel reaches
    peer_cidrs: Sequence[str]  # the Azure range it carries (the source hub)
    shared_key: pulumi.Input[str]
    peer_asn: int
    gateway_type: str
    zone: str  # the VPN gateway's
    labels: Labels

    @property
    def provider(self) -> Provider:
        return self.scope.provider

    @property
    def placed(self) -> dict[str, Any]:
        """What every resource of the tunnel carries: its region, its project, its labels."""
        return {**self.scope.regional, "tags": self.labels.as_list()}

    def build(self, name: str, child: pulumi.ResourceOptions) -> pulumi.Output[str]:
        bgp = BgpPeering(azure_asn=self.peer_asn)
        gateway, peer, routes = self._ends(name, child)
        psk = secrets.Secret(
            **named(f"{name}-psk"),
            description="IPsec pre-shared key",
            protected=True,
            opts=child,
            **self.placed,
        )
        version = secrets.Version(
            f"{name}-psk-version",
            secret_id=psk.id,
            region=self.scope.region,
            data=pulumi.Output.secret(self.shared_key),
            opts=child,
        )
        connection = s2svpn.Connection(
            **named(f"{name}-connection"),
            vpn_gateway_id=gateway.id,
            customer_gateway_id=peer.id,
            initiation_policy=INITIATION,
            enable_route_propagation=True,
            secret_id=psk.id,
            bgp_config_ipv4s=[
                s2svpn.ConnectionBgpConfigIpv4Args(
                    routing_policy_id=routes.id,
                    private_ip=bgp.scaleway_cidr(),
                    peer_private_ip=bgp.azure_cidr(),
                )
            ],
            ikev2_ciphers=[ike_cipher(self.settings)],
            esp_ciphers=[esp_cipher(self.settings)],
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=[version])),
            **self.placed,
        )
        return connection.id

    def _ends(
        self, name: str, child: pulumi.ResourceOptions
    ) -> tuple[s2svpn.Gateway, s2svpn.CustomerGateway, s2svpn.RoutingPolicy]:
        """The VPN gateway, the Azure end as customer gateway, and what each side routes."""
        gateway = s2svpn.Gateway(
            **named(f"{name}-vpn"),
            gateway_type=self.gateway_type,
            private_network_id=self.private_network_id,
            zone=self.zone,
            opts=child,
            **self.placed,
        )
        peer = s2svpn.CustomerGateway(
            **named(f"{name}-peer"),
            ipv4_public=str(self.settings.source_address),
            asn=self.peer_asn,
            opts=child,
            **self.placed,
        )
        routes = s2svpn.RoutingPolicy(
            **named(f"{name}-routes"),
            prefix_filter_ins=list(self.peer_cidrs),
            prefix_filter_outs=list(self.local_cidrs),
            opts=child,
            **self.placed,
        )
        return gateway, peer, routes


def ike_cipher(settings: InterconnectSettings) -> s2svpn.ConnectionIkev2CipherArgs:
    """IKEv2: the cipher, the PRF/integrity hash, the DH group (config checked they exist)."""
    p = settings.proposal
    return s2svpn.ConnectionIkev2CipherArgs(
        encryption=SCALEWAY_CIPHERS[p.ike_encryption],
        integrity=SCALEWAY_HASHES[p.ike_integrity],
        dh_group=SCALEWAY_GROUPS[p.dh_group],
    )


def esp_cipher(settings: InterconnectSettings) -> s2svpn.ConnectionEspCipherArgs:
    """ESP: the cipher, its integrity unless AEAD (GCM carries its own), the PFS group."""
    p = settings.proposal
    integrity = None if is_aead(p.ipsec_encryption) else SCALEWAY_HASHES[p.ipsec_integrity or ""]
    return s2svpn.ConnectionEspCipherArgs(
        encryption=SCALEWAY_CIPHERS[p.ipsec_encryption],
        integrity=integrity,
        dh_group=SCALEWAY_GROUPS[p.pfs_group],
    )
