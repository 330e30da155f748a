"""Public exposure: public addresses outside the access gateway, and the gateway itself.

PRT-008 reads one resource: every way it can carry, allocate or attach a public address.
PRT-014 reads the stack: the access gateway is one component per estate holding exactly one
public address, and nothing attaches to a network the stack itself shows to be external.
Per-provider knowledge is in the tables below (a Scaleway target adds its own rows).
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from bascule.rules import props as p
from bascule.rules.base import (
    Enforcement,
    Finding,
    Param,
    ResourceView,
    Rule,
    Severity,
    StackResource,
)
from bascule.rules.types import (
    AZ_PUBLIC_IP,
    FLOATING_IP,
    INSTANCE,
    NETWORK,
    OVH_CLOUD_INSTANCE,
    OVH_INSTANCE,
    PORT,
    ROUTER,
    SCW_GATEWAYS,
    SCW_INSTANCE_IPS,
    SCW_LOAD_BALANCERS,
    SCW_PAT_RULES,
    SCW_SERVERS,
)

FLOATING_ASSOC = (
    "openstack:networking/floatingIpAssociate:FloatingIpAssociate",
    "openstack:compute/floatingIpAssociate:FloatingIpAssociate",
)
PORT_FORWARDING = "openstack:networking/portForwardingV2:PortForwardingV2"
INTERFACE_ATTACH = "openstack:compute/interfaceAttach:InterfaceAttach"
LOAD_BALANCER = (
    "openstack:loadbalancer/loadBalancer:LoadBalancer",
    "openstack:index/lbLoadbalancerV2:LbLoadbalancerV2",
)
OVH_ADDRESSES = (
    "ovh:index/cloudFloatingIp:CloudFloatingIp",
    "ovh:CloudProject/failoverIpAttach:FailoverIpAttach",
)
OVH_LOAD_BALANCER = "ovh:CloudProject/loadBalancer:LoadBalancer"
OVH_DATABASE = "ovh:CloudProject/database:Database"
OVH_KUBE = "ovh:CloudProject/kube:Kube"
SCW_FLEXIBLE_IPS = ("scaleway:elasticmetal/ip:Ip", "scaleway:index/flexibleIp:FlexibleIp")
SCW_GATEWAY_IPS = (
    "scaleway:network/publicGatewayIp:PublicGatewayIp",
    "scaleway:index/vpcPublicGatewayIp:VpcPublicGatewayIp",
)
SCW_LB_IPS = ("scaleway:loadbalancers/ip:Ip", "scaleway:index/loadbalancerIp:LoadbalancerIp")
SCW_IPAM_IPS = ("scaleway:ipam/ip:Ip", "scaleway:index/ipamIp:IpamIp")
SCW_DATABASES = (
    "scaleway:databases/instance:Instance",
    "scaleway:index/databaseInstance:DatabaseInstance",
)
SCW_TYPES = (
    *SCW_SERVERS,
    *SCW_INSTANCE_IPS,
    *SCW_FLEXIBLE_IPS,
    *SCW_GATEWAYS,
    *SCW_GATEWAY_IPS,
    *SCW_PAT_RULES,
    *SCW_LOAD_BALANCERS,
    *SCW_LB_IPS,
    *SCW_IPAM_IPS,
    *SCW_DATABASES,
)
AZ_PUBLIC_PREFIX = "azure-native:network:PublicIPPrefix"
# azure-native properties that carry or reference a public address, at any depth
# (NIC ipConfigurations, VM/scale-set inline publicIPAddressConfiguration, load balancer and
# application gateway frontends, NAT/VPN gateways, Bastion, Firewall...).
AZ_PUBLIC_KEYS = frozenset(
    {
        "publicipaddress",
        "publicipaddresses",
        "publicipaddressconfiguration",
        "publicipprefix",
        "publicipprefixes",
    }
)
# Resources that allocate a public address (PRT-014 counts them per gateway); the others
# reference one allocated elsewhere (an association, a NIC's reference).
ALLOCATING = (
    FLOATING_IP,
    AZ_PUBLIC_IP,
    AZ_PUBLIC_PREFIX,
    *OVH_ADDRESSES,
    *SCW_INSTANCE_IPS,
    *SCW_FLEXIBLE_IPS,
    *SCW_GATEWAY_IPS,
    *SCW_LB_IPS,
)

EXTERNAL_NETWORKS_DESC = (
    "Names (or ids) of the provider's external networks: a port, instance, interface or load "
    "balancer on one of them has a public address (OVHcloud's is Ext-Net)."
)
PARAMS = {
    "accessGatewayUrns": Param.str_list([], p.GATEWAY_URNS_DESC),
    "externalNetworks": Param.str_list(["Ext-Net"], EXTERNAL_NETWORKS_DESC),
}


def _public(value: Any) -> bool:
    if not isinstance(value, str) or not value or p.is_unknown(value):
        return False
    try:
        address = ipaddress.ip_address(value.strip().split("/")[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global


def _known(value: Any) -> bool:
    return p.has_value(value) and not p.is_unknown(value)


def _external(value: Any, names: Sequence[str]) -> bool:
    return isinstance(value, str) and value.strip().lower() in {n.lower() for n in names}


def _address(value: Any) -> str:
    return f" {value}" if _public(value) else ""


def _openstack_exposures(view: ResourceView, ext: Sequence[str]) -> Iterator[str]:
    props, kind = view.props, view.type.rsplit(":", 1)[-1]
    if view.type == FLOATING_IP:
        address = props.get("address")
        yield f"floating IP{_address(address)} (FloatingIp)"
    elif view.type in FLOATING_ASSOC:
        address = props.get("floatingIp")
        yield f"floating IP{_address(address)} ({kind})"
    elif view.type == PORT_FORWARDING:
        yield f"port forwarding from floating IP {props.get('floatingipId')!s} (PortForwardingV2)"
    elif view.type == PORT:
        if _external(props.get("networkId"), ext):
            yield f"networkId '{props.get('networkId')}' (an external network)"
        for index, fixed in enumerate(p.iter_mappings(props.get("fixedIps"))):
            if _public(fixed.get("ipAddress")):
                yield f"fixedIps[{index}].ipAddress '{fixed.get('ipAddress')}'"
    elif view.type == INSTANCE:
        yield from _instance_exposures(props, ext)
    elif view.type == INTERFACE_ATTACH:
        if _external(props.get("networkId"), ext):
            yield f"networkId '{props.get('networkId')}' (an external network)"
        if _public(props.get("fixedIp")):
            yield f"fixedIp '{props.get('fixedIp')}'"
    elif view.type in LOAD_BALANCER:
        if _external(props.get("vipNetworkId"), ext):
            yield f"load balancer VIP on vipNetworkId '{props.get('vipNetworkId')}' (external)"
        if _public(props.get("vipAddress")):
            yield f"load balancer vipAddress '{props.get('vipAddress')}'"
    elif view.type == NETWORK and p.to_bool(props.get("external")) is True:
        yield "external: true (a provider network reachable from outside the tenancy)"


def _instance_exposures(props: Mapping[str, Any], ext: Sequence[str]) -> Iterator[str]:
    for key in ("accessIpV4", "accessIpV6"):
        if _public(props.get(key)):
            yield f"{key} '{props.get(key)}'"
    for index, net in enumerate(p.iter_mappings(props.get("networks"))):
        if _known(net.get("floatingIp")):
            yield f"networks[{index}].floatingIp '{net.get('floatingIp')}'"
        for key in ("fixedIpV4", "fixedIpV6"):
            if _public(net.get(key)):
                yield f"networks[{index}].{key} '{net.get(key)}'"
        for key in ("name", "uuid"):
            if _external(net.get(key), ext):
                yield f"networks[{index}].{key} '{net.get(key)}' (an external network)"


def _ovh_exposures(view: ResourceView) -> Iterator[str]:
    props = view.props
    if view.type in OVH_ADDRESSES:
        yield f"OVHcloud public address ({view.type.rsplit(':', 1)[-1]})"
    elif view.type == OVH_INSTANCE:
        network = props.get("network")
        for net in p.iter_mappings(network):
            if p.to_bool(net.get("public")) is True:
                yield "network.public is true (a public interface on Ext-Net)"
            for private in p.iter_mappings(net.get("private")):
                if _known(private.get("floatingIp")) or _known(private.get("floatingIpCreate")):
                    yield "network.private.floatingIp (a floating IP on the instance)"
    elif view.type == OVH_CLOUD_INSTANCE:
        for index, net in enumerate(p.iter_mappings(props.get("networks"))):
            if p.to_bool(net.get("autoAssignPublicIp")) is True:
                yield f"networks[{index}].autoAssignPublicIp is true"
            if _public(net.get("ip")):
                yield f"networks[{index}].ip '{net.get('ip')}'"
    elif view.type == OVH_LOAD_BALANCER:
        for private in p.iter_mappings(p.get(props, "network.private")):
            if _known(private.get("floatingIp")) or _known(private.get("floatingIpCreate")):
                yield "network.private.floatingIp (a public address on the load balancer)"
    elif view.type == OVH_DATABASE:
        for index, node in enumerate(p.iter_mappings(props.get("nodes"))):
            if not _known(node.get("networkId")) and not p.is_unknown(node.get("networkId")):
                yield f"nodes[{index}] has no networkId (the database gets a public endpoint)"
    elif view.type == OVH_KUBE and not p.has_value(props.get("privateNetworkId")):
        yield "no privateNetworkId (the cluster's nodes get public addresses)"


def _scw_kind(type_token: str) -> str:
    return type_token.rsplit(":", 1)[-1]


def _scw_server(props: Mapping[str, Any]) -> Iterator[str]:
    for key in ("ipId", "ip_id"):
        if _known(props.get(key)):
            yield f"{key} '{props.get(key)}' (a reserved public IP)"
    for key in ("ipIds", "ip_ids"):
        ids = [str(i) for i in p.as_seq(props.get(key)) if _known(i)]
        if ids:
            yield f"{key} {p.fmt_list(ids)} (reserved public IPs)"
    for key in ("enableDynamicIp", "enableIpv6", "routedIpEnabled"):
        if p.to_bool(props.get(key)) is True:
            yield f"{key} is true (a public address on the server)"
    for index, entry in enumerate(p.iter_mappings(props.get("publicIps"))):
        shown = entry.get("address") if _public(entry.get("address")) else entry.get("id")
        yield f"publicIps[{index}] {shown!s}"
    for key in ("publicIp", "ipv6Address"):
        if _public(props.get(key)):
            yield f"{key} '{props.get(key)}'"


def _scw_load_balancer(props: Mapping[str, Any]) -> Iterator[str]:
    ids = [str(i) for k in ("ipId", "ipIds") for i in p.as_seq(props.get(k)) if _known(i)]
    if ids:
        yield f"load balancer IPs {p.fmt_list(ids)}"
    for key in ("assignFlexibleIp", "assignFlexibleIpv6"):
        if p.to_bool(props.get(key)) is True:
            yield f"{key} is true (a flexible public IP on the load balancer)"
    value = props.get("assignFlexibleIp")
    if not ids and value is None and not p.is_unknown(props.get("ipIds")):
        yield (
            "load balancer with no ipIds and assignFlexibleIp not set (the Load Balancer API "
            "assigns a public IPv4 by default; set assignFlexibleIp: false)"
        )


def _scw_public_database(props: Mapping[str, Any]) -> bool:
    """A public endpoint: `loadBalancers` set, or no `privateNetwork` (the API then gives it
    a load-balanced public endpoint)."""
    private = props.get("privateNetwork")
    if p.is_unknown(private) or p.is_unknown(props.get("loadBalancers")):
        return False
    return p.has_value(props.get("loadBalancers")) or not p.has_value(private)


def _scaleway_exposures(view: ResourceView) -> Iterator[str]:
    props, kind = view.props, _scw_kind(view.type)
    if view.type in SCW_SERVERS:
        yield from _scw_server(props)
    elif view.type in (*SCW_INSTANCE_IPS, *SCW_FLEXIBLE_IPS, *SCW_GATEWAY_IPS, *SCW_LB_IPS):
        service = view.type.split(":")[1].split("/")[0]
        yield f"Scaleway public IP{_address(props.get('address'))} ({service} {kind})"
    elif view.type in SCW_GATEWAYS:
        yield "a Public Gateway (it always holds a public IP)"
    elif view.type in SCW_PAT_RULES:
        yield (
            f"port forwarding (PAT) of public port {p.show(props.get('publicPort'))} to "
            f"{props.get('privateIp')!s}:{p.show(props.get('privatePort'))} ({kind})"
        )
    elif view.type in SCW_LOAD_BALANCERS:
        yield from _scw_load_balancer(props)
    elif view.type in SCW_IPAM_IPS:
        if _public(props.get("address")):
            yield f"IPAM address '{props.get('address')}'"
    elif view.type in SCW_DATABASES and _scw_public_database(props):
        yield "a database instance with a public endpoint (loadBalancers, or no privateNetwork)"


def _mentions_public_ip(props: Mapping[str, Any]) -> bool:
    """A fast negative for plain JSON values (most resources); proxies are walked."""
    if not isinstance(props, dict):
        return True
    try:
        return "publicip" in json.dumps(props, default=str).lower()
    except (TypeError, ValueError):
        return True


def _azure_exposures(view: ResourceView) -> Iterator[str]:
    if view.type == AZ_PUBLIC_IP:
        address = view.props.get("ipAddress")
        yield f"Azure public IP address{_address(address)}"
        return
    if view.type == AZ_PUBLIC_PREFIX:
        yield "Azure public IP prefix"
        return
    if _mentions_public_ip(view.props):
        yield from _azure_public_refs(view.props, "")


def _azure_public_refs(value: Any, path: str) -> Iterator[str]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            here = f"{path}.{key}" if path else str(key)
            if str(key).lower() in AZ_PUBLIC_KEYS and _known(item):
                yield here
            else:
                yield from _azure_public_refs(item, here)
    elif p.is_seq(value):
        for index, item in enumerate(value):
            yield from _azure_public_refs(item, f"{path}[{index}]")


def public_exposures(view: ResourceView, params: Mapping[str, Any]) -> list[str]:
    """Every public address the resource carries, allocates or attaches (gateway or not)."""
    ext = [str(n) for n in p.as_seq(params.get("externalNetworks", ["Ext-Net"]))]
    package = p.package_of(view.type)
    if p.is_provider(view.type) or p.is_component_or_root(view.type):
        return []
    if package == "openstack":
        return list(_openstack_exposures(view, ext))
    if package == "ovh":
        return list(_ovh_exposures(view))
    if package == "scaleway":
        return list(_scaleway_exposures(view))
    if package == "azure-native":
        return list(_azure_exposures(view))
    return []


# --------------------------------------------------------------------------- PRT-008


def _check_public_ip(view: ResourceView, params: Mapping[str, Any]) -> Iterator[str]:
    found = public_exposures(view, params)
    if not found or p.in_gateway(view.urn, params):
        return
    for item in found:
        yield f"public exposure through {item} outside the access gateway"


PRT_008 = Rule(
    id="PRT-008",
    slug="no-public-ip-on-enclaves",
    severity=Severity.CRITICAL,
    enforcement=Enforcement.MANDATORY,
    description=(
        "Only the access gateway may have a public address; enclaves and data services stay "
        "private, whatever the path to a public address."
    ),
    remediation=(
        "Remove the floating IP (or its association, or the port forwarding), the public fixed "
        "address, the attachment to the external network (Ext-Net), the Azure PublicIPAddress "
        "or `publicIPAddress`/`publicIPAddressConfiguration`, the OVHcloud public network or "
        "floating IP, the Scaleway instance or flexible IP (`ipId`/`ipIds`, `enableDynamicIp`, "
        "`publicIps`), load balancer IPs (`assignFlexibleIp: false`), public gateway and PAT "
        "rules, database public endpoints; reach the enclave through the bascule AccessGateway "
        "component. A gateway built without the component is listed by URN in `accessGatewayUrns`."
    ),
    secnumcloud=("9.7", "13.2"),
    hds=("hds-security", "third-country-access"),
    params=dict(PARAMS),
    resource_check=_check_public_ip,
    applies_to=(
        FLOATING_IP,
        *FLOATING_ASSOC,
        PORT_FORWARDING,
        PORT,
        INSTANCE,
        INTERFACE_ATTACH,
        *LOAD_BALANCER,
        NETWORK,
        OVH_INSTANCE,
        OVH_CLOUD_INSTANCE,
        *OVH_ADDRESSES,
        OVH_LOAD_BALANCER,
        OVH_DATABASE,
        OVH_KUBE,
        *SCW_TYPES,
        "azure-native",
    ),
    rationale=(
        "The access gateway is the tenancy's single, audited entry point. Any other public "
        "address on an enclave or data service bypasses it, whichever way it is obtained: a "
        "floating IP, a port forwarding, a port or instance on the external network, a public "
        "load balancer VIP, an inline public IP configuration (SecNumCloud 9.7 restriction of "
        "access, 13.2 partitioning)."
    ),
    checkov_id="CKV_BSC_3",
)


# --------------------------------------------------------------------------- PRT-014


def _external_ids(resources: Sequence[StackResource]) -> set[str]:
    """Network ids the stack shows to be external: a router's gateway network, a network
    declared `external: true`."""
    ids: set[str] = set()
    for res in resources:
        if res.type == ROUTER:
            for value in (res.props.get("externalNetworkId"), p.get(res.props, "externalGateway")):
                if isinstance(value, str) and value and not p.is_unknown(value):
                    ids.add(value)
        elif res.type == NETWORK and p.to_bool(res.props.get("external")) is True:
            for value in (res.props.get("id"), res.props.get("name")):
                if isinstance(value, str) and value and not p.is_unknown(value):
                    ids.add(value)
    return ids


def _attachments(res: StackResource, ids: set[str]) -> list[str]:
    """Attachments of one resource to a network id the stack shows to be external."""
    props = res.props
    if res.type in (PORT, INTERFACE_ATTACH) and props.get("networkId") in ids:
        return [f"networkId '{props.get('networkId')}'"]
    if res.type in LOAD_BALANCER and props.get("vipNetworkId") in ids:
        return [f"vipNetworkId '{props.get('vipNetworkId')}'"]
    if res.type == INSTANCE:
        return [
            f"networks[{i}].uuid '{net.get('uuid')}'"
            for i, net in enumerate(p.iter_mappings(props.get("networks")))
            if net.get("uuid") in ids
        ]
    return []


def _allocates(res: StackResource) -> bool:
    """Allocates a public address: an address resource, or a Scaleway Public Gateway or
    server that gets one of its own (no `ipId`, or `enableDynamicIp`)."""
    if res.type in ALLOCATING:
        return True
    if res.type in SCW_GATEWAYS:
        return not p.has_value(res.props.get("ipId")) and not p.is_unknown(res.props.get("ipId"))
    return res.type in SCW_SERVERS and p.to_bool(res.props.get("enableDynamicIp")) is True


def _gateway_findings(resources: Sequence[StackResource]) -> Iterator[Finding]:
    allocations: dict[str, list[StackResource]] = {}  # gateway component URN -> allocations
    gateways: dict[str, set[str]] = {}  # component type -> gateway component URNs
    for res in resources:
        if res.type in p.GATEWAY_COMPONENTS:
            gateways.setdefault(res.type, set()).add(res.urn)
        elif p.parent_type(res.urn) in p.GATEWAY_COMPONENTS and _allocates(res):
            allocations.setdefault(res.parent or p.parent_type(res.urn), []).append(res)
    for kind, urns in gateways.items():
        if len(urns) > 1:
            names = p.fmt_list(sorted(p.urn_name(u) for u in urns))
            for urn in sorted(urns):
                for res in allocations.get(urn, []):
                    yield Finding(
                        f"public address '{res.name}' is in one of {len(urns)} {kind} "
                        f"components {names}; the estate has exactly one access gateway",
                        res.urn,
                    )
    for urn, held in allocations.items():
        if len(held) > 1 and len(gateways.get(p.parent_type(held[0].urn), ())) <= 1:
            names = p.fmt_list(sorted(r.name for r in held))
            for res in held:
                yield Finding(
                    f"access gateway '{p.urn_name(urn)}' holds {len(held)} public addresses "
                    f"{names}; exactly one is allowed",
                    res.urn,
                )


def _check_single_entry(
    resources: Sequence[StackResource], params: Mapping[str, Any]
) -> Iterator[Finding]:
    yield from _gateway_findings(resources)
    ids = _external_ids(resources)
    for res in resources:
        if p.in_gateway(res.urn, params):
            continue
        for item in _attachments(res, ids):
            yield Finding(
                f"{item} is an external network of this stack (a router's gateway or a network "
                "declared external): a public address outside the access gateway",
                res.urn,
            )


PRT_014 = Rule(
    id="PRT-014",
    slug="access-gateway-single-entry",
    severity=Severity.CRITICAL,
    enforcement=Enforcement.MANDATORY,
    description=(
        "Each estate has one access gateway holding exactly one public address, and no other "
        "resource attaches to a network the stack shows to be external."
    ),
    remediation=(
        "Keep a single AccessGateway component per estate with one floating IP (or one Azure "
        "PublicIPAddress); attach enclaves and services to the tenant's private networks, "
        "never to the router's external network."
    ),
    secnumcloud=("9.7", "13.2"),
    hds=("hds-security", "third-country-access"),
    params={"accessGatewayUrns": PARAMS["accessGatewayUrns"]},
    stack_check=_check_single_entry,
    applies_to=(
        *p.GATEWAY_COMPONENTS,
        *ALLOCATING,
        ROUTER,
        NETWORK,
        PORT,
        INSTANCE,
        INTERFACE_ATTACH,
        *LOAD_BALANCER,
        *SCW_GATEWAYS,
        *SCW_SERVERS,
    ),
    rationale=(
        "The gateway exemption of PRT-008 and PRT-009 is given by the AccessGateway component. "
        "A second gateway component, or a second public address inside the gateway, would turn "
        "that exemption into a way around them; and a port attached by id to the network the "
        "router uses as its gateway is on the internet whatever its name (SecNumCloud 9.7, "
        "13.2)."
    ),
)


RULES = (PRT_008, PRT_014)
