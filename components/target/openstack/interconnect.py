"""The target end of the IPsec interconnect (neutron-vpnaas): IKE and IPsec policies from
the same proposal as the Azure end's, a VPN service on the tenancy's router, endpoint groups
for the local zones and the Azure peer range, and the site connection to Azure's gateway.

vpnaas resources take no tags or metadata: policies find them by type, and the site
connection by what it refers to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
from pulumi_openstack import vpnaas
from pulumi_openstack.provider import Provider

from components.config.interconnect import (
    ESP_CIPHERS,
    HASHES,
    IKE_CIPHERS,
    InterconnectSettings,
    neutron_group,
)
from components.target.common import named
from components.target.interconnect import Interconnect as Interconnect

DPD_INTERVAL_SECONDS = 15
DPD_TIMEOUT_SECONDS = 45


@dataclass(frozen=True)
class Endpoints:
    """What the site connection joins: the VPN service, the two policies, the two groups."""

    service_id: pulumi.Output[str]
    ike_id: pulumi.Output[str]
    esp_id: pulumi.Output[str]
    local_id: pulumi.Output[str]
    peer_id: pulumi.Output[str]


@dataclass(frozen=True)
class InterconnectArgs:
    """The OpenStack end of the tunnel (components/target/interconnect.py `Tunnel`)."""

    provider: Provider
    settings: InterconnectSettings
    router_id: pulumi.Input[str]
    local_subnet_ids: Sequence[pulumi.Input[str]]  # the target zones the tunnel reaches
    peer_cidrs: Sequence[str]  # the Azure range it carries (the source hub)
    shared_key: pulumi.Input[str]

    def build(self, name: str, child: pulumi.ResourceOptions) -> pulumi.Output[str]:
        ike, esp = self._policies(name, self.settings, child)
        service = vpnaas.Service(
            **named(f"{name}-vpn"),
            router_id=self.router_id,
            admin_state_up=True,
            opts=child,
        )
        local = vpnaas.EndpointGroup(
            **named(f"{name}-local"),
            type="subnet",
            endpoints=list(self.local_subnet_ids),
            opts=child,
        )
        peer = vpnaas.EndpointGroup(
            **named(f"{name}-peer"),
            type="cidr",
            endpoints=list(self.peer_cidrs),
            opts=child,
        )
        connection = self._connection(
            name, Endpoints(service.id, ike.id, esp.id, local.id, peer.id), child
        )
        return connection.id

    def _policies(
        self, name: str, settings: InterconnectSettings, child: pulumi.ResourceOptions
    ) -> tuple[vpnaas.IkePolicy, vpnaas.IpSecPolicy]:
        """IKE and ESP from the same proposal as the Azure end's."""
        proposal = settings.proposal
        ike = vpnaas.IkePolicy(
            **named(f"{name}-ike"),
            ike_version="v2",
            phase1_negotiation_mode="main",
            encryption_algorithm=IKE_CIPHERS[proposal.ike_encryption][1],
            auth_algorithm=HASHES[proposal.ike_integrity][1],
            pfs=neutron_group(proposal.dh_group),
            lifetimes=[
                vpnaas.IkePolicyLifetimeArgs(units="seconds", value=proposal.ike_lifetime_seconds)
            ],
            opts=child,
        )
        esp = vpnaas.IpSecPolicy(
            **named(f"{name}-ipsec"),
            transform_protocol="esp",
            encapsulation_mode="tunnel",
            encryption_algorithm=ESP_CIPHERS[proposal.ipsec_encryption][1],
            auth_algorithm=proposal.neutron_ipsec_auth(),
            pfs=neutron_group(proposal.pfs_group),
            lifetimes=[
                vpnaas.IpSecPolicyLifetimeArgs(
                    units="seconds", value=proposal.ipsec_lifetime_seconds
                )
            ],
            opts=child,
        )
        return ike, esp

    def _connection(
        self, name: str, ends: Endpoints, child: pulumi.ResourceOptions
    ) -> vpnaas.SiteConnection:
        settings = self.settings
        source = str(settings.source_address)
        return vpnaas.SiteConnection(
            **named(f"{name}-connection"),
            vpnservice_id=ends.service_id,
            ikepolicy_id=ends.ike_id,
            ipsecpolicy_id=ends.esp_id,
            local_ep_group_id=ends.local_id,
            peer_ep_group_id=ends.peer_id,
            # Azure's gateway identifies itself by its public address.
            peer_address=source,
            peer_id=source,
            local_id=str(settings.target_address),
            psk=pulumi.Output.secret(self.shared_key),
            initiator="bi-directional",
            admin_state_up=True,
            dpds=[
                vpnaas.SiteConnectionDpdArgs(
                    action="restart", interval=DPD_INTERVAL_SECONDS, timeout=DPD_TIMEOUT_SECONDS
                )
            ],
            opts=pulumi.ResourceOptions.merge(
                child, pulumi.ResourceOptions(additional_secret_outputs=["psk"])
            ),
        )
