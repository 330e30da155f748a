"""PRT-024: the source estate's virtual networks peer only with each other.

A VNet peering is a route between two networks that none of the access gateway's rules
sees: one to a network outside the estate (another subscription, another tenant, a
partner's hub) is a way into the enclaves, and out of them, around the single entry PRT-014
holds. Azure writes a peering three ways (schemas read 2026-12-02): the azure-native
`network:VirtualNetworkPeering` resource and the `virtualNetworkPeerings` list inline on a
`network:VirtualNetwork` (azure-native 3.29: `remoteVirtualNetwork.id`), and the classic
provider's `network/virtualNetworkPeering:VirtualNetworkPeering` (pulumi-azure:
`remoteVirtualNetworkId`). Azure resource ids compare without regard to case.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bascule.rules import props as p
from bascule.rules.base import Enforcement, Finding, Rule, Severity, StackResource
from bascule.rules.check import Params, Resources, findings
from bascule.rules.types import AZ_VNET

AZ_PEERING = "azure-native:network:VirtualNetworkPeering"
CLASSIC_VNET = "azure:network/virtualNetwork:VirtualNetwork"
CLASSIC_PEERING = "azure:network/virtualNetworkPeering:VirtualNetworkPeering"
# Where each kind names the network at the other end.
REMOTE_ID = {AZ_PEERING: "remoteVirtualNetwork.id", CLASSIC_PEERING: "remoteVirtualNetworkId"}


def _estate_networks(resources: Resources) -> set[str] | None:
    """The ids of the estate's virtual networks, lower-cased; None while one is unknown."""
    ids: set[str] = set()
    for res in resources:
        if res.type in (AZ_VNET, CLASSIC_VNET):
            value = res.props.get("id")
            if p.is_unknown(value):
                return None
            if isinstance(value, str):
                ids.add(p.arm_id(value))
    return ids


def _peerings(res: StackResource) -> Iterator[tuple[str, Any]]:
    """Each peering a resource declares: the field naming its remote network, and its value."""
    if res.type in REMOTE_ID:
        yield REMOTE_ID[res.type], p.get(res.props, REMOTE_ID[res.type])
    elif res.type == AZ_VNET:
        for index, peering in enumerate(p.iter_mappings(res.props.get("virtualNetworkPeerings"))):
            field = f"virtualNetworkPeerings[{index}].remoteVirtualNetwork.id"
            yield field, p.get(peering, "remoteVirtualNetwork.id")


AROUND_GATEWAY = "a route into the enclaves around the access gateway"


def _judge(res: StackResource, networks: set[str] | None) -> Iterator[str]:
    for field, remote in _peerings(res):
        if p.is_unknown(remote) or (isinstance(remote, str) and networks is None):
            continue  # a preview: the update, with the ids known, is checked again
        if not isinstance(remote, str) or not remote.strip():
            yield f"cannot verify where the peering leads: {field} is not set"
        elif networks is not None and p.arm_id(remote) not in networks:
            yield f"{field} '{remote}' is not a virtual network of this estate: {AROUND_GATEWAY}"


def _check_peerings(resources: Resources, params: Params) -> Iterator[Finding]:
    networks = _estate_networks(resources)
    for res in resources:
        yield from findings(_judge(res, networks), res.urn)


PRT_024 = Rule(
    id="PRT-024",
    slug="vnet-peering-in-estate",
    severity=Severity.HIGH,
    enforcement=Enforcement.MANDATORY,
    description=(
        "Every Azure virtual network peering (the resource, a VNet's inline "
        "`virtualNetworkPeerings`, or the classic provider's) leads to a virtual network of "
        "the same estate."
    ),
    rationale=(
        "A peering routes between two networks with no gateway in between: to a network "
        "outside the estate it opens the enclaves to whoever runs that network, and lets "
        "health data leave without crossing the access gateway or the interconnect. "
        "SecNumCloud 13.2 asks for the tenant's networks to be partitioned."
    ),
    remediation=(
        "Remove the peering, or point `remoteVirtualNetwork.id` (`remoteVirtualNetworkId` in "
        "the classic provider) at a virtual network the stack declares."
    ),
    secnumcloud=("13.2",),
    hds=("hds-security",),
    stack_check=_check_peerings,
    applies_to=(AZ_PEERING, AZ_VNET, CLASSIC_PEERING, CLASSIC_VNET),
)

RULES = (PRT_024,)
