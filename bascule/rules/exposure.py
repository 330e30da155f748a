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
from dataclasses import dataclass
from typing import Any, Literal

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
from bascule.rules.check import Params, Resources
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
    aliased,
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
SCW_FLEXIBLE_IPS = aliased("elasticmetal/ip:Ip", "flexibleIp")
SCW_GATEWAY_IPS = aliased("network/publicGatewayIp:PublicGatewayIp", "vpcPublicGatewayIp")
SCW_LB_IPS = aliased("loadbalancers/ip:Ip", "loadbalancerIp")
SCW_IPAM_IPS = aliased("ipam/ip:Ip", "ipamIp")
SCW_DATABASES = aliased("databases/instance:Instance", "databaseInstance")
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

# ------------------------------------------------------------- managed services and platforms
# Kinds whose public address or endpoint is decided by one setting of the resource itself.
# Sources read 2026-12-02 in the installed SDKs (pulumiverse-scaleway 1.60.0, pulumi-openstack
# 5.5.3, pulumi-ovh 2.22.0): the type token is the one each class passes to its resource
# constructor, the fields are the camelCase of its args, and the defaults are quoted beside
# each row; `unknown` where no source states one (the rule then says "cannot verify"). Each
# Scaleway type comes with its deprecated `scaleway:index/` alias.
Unset = Literal["public", "private", "unknown"]
# OpenStack Magnum (containerinfra) and Trove (database); OVHcloud managed Kubernetes pools.
MAGNUM_CLUSTER = "openstack:containerinfra/cluster:Cluster"
MAGNUM_TEMPLATE = "openstack:containerinfra/clusterTemplate:ClusterTemplate"
TROVE_INSTANCE = "openstack:database/instance:Instance"
OVH_KUBE_POOL = "ovh:CloudProject/kubeNodePool:KubeNodePool"


@dataclass(frozen=True)
class Switch:
    """One field that makes a kind public: the values that expose it, the values that keep it
    private (booleans, or exact strings), and what the provider does when it is unset
    (`public`, `private`, or `unknown`: no source says, so the rule cannot verify it)."""

    field: str
    public: tuple[bool | str, ...]
    private: tuple[bool | str, ...]
    unset: Unset
    effect: str


SWITCHES: dict[str, Switch] = {
    # Kapsule pool public_ip_disabled: "Defines if the public IP should be removed from Nodes.
    # To use this feature, your Cluster must have an attached Private Network set up with a
    # Public Gateway." No default in the docstring; the Terraform provider it bridges sets
    # `Default: false` (terraform-provider-scaleway, k8s pool schema): unset, nodes keep theirs.
    **dict.fromkeys(
        aliased("kubernetes/pool:Pool", "kubernetesNodePool"),
        Switch("publicIpDisabled", (False,), (True,), "public", "the pool's nodes get public IPs"),
    ),
    # Serverless Containers privacy: "The privacy type defines the way to authenticate to your
    # container" (no default in the docstring); the Terraform provider it bridges sets
    # `Default: container.ContainerPrivacyPublic` (terraform-provider-scaleway, container schema).
    **dict.fromkeys(
        aliased("containers/container:Container", "container"),
        Switch(
            "privacy",
            ("public",),
            ("private",),
            "public",
            "anyone on the internet can call the container",
        ),
    ),
    # Serverless Functions privacy: a required arg ("The privacy type defines the way to
    # authenticate to your function"); default unknown (none: it must be set).
    **dict.fromkeys(
        aliased("functions/function:Function", "function"),
        Switch(
            "privacy",
            ("public",),
            ("private",),
            "unknown",
            "anyone on the internet can call the function",
        ),
    ),
    # Managed Inference public_endpoint.is_enabled: "Enable or disable public endpoint."
    # Default unknown (neither the block nor the flag documents one).
    **dict.fromkeys(
        aliased("inference/deployment:Deployment", "inferenceDeployment"),
        Switch(
            "publicEndpoint.isEnabled",
            (True,),
            (False,),
            "unknown",
            "a public endpoint on the deployment",
        ),
    ),
    # Magnum cluster floating_ip_enabled: "Indicates whether floating IP should be created for
    # every cluster node." Default unknown (unset, the cluster takes its template's value).
    MAGNUM_CLUSTER: Switch(
        "floatingIpEnabled", (True,), (False,), "unknown", "a floating IP on every node"
    ),
    # Magnum cluster template floating_ip_enabled: "Indicates whether created cluster should
    # create floating IP for every node or not." Default unknown.
    MAGNUM_TEMPLATE: Switch(
        "floatingIpEnabled",
        (True,),
        (False,),
        "unknown",
        "a floating IP on every node of its clusters",
    ),
    # OVHcloud node pool attach_floating_ips.enabled: "Enable or disable floating IPs
    # attachment on nodes of this pool. Default to `false`."
    OVH_KUBE_POOL: Switch(
        "attachFloatingIps.enabled",
        (True,),
        (False,),
        "private",
        "floating IPs on the pool's nodes",
    ),
}


@dataclass(frozen=True)
class Endpoint:
    """A kind made public by a block: `public` present opens a public endpoint; `private`
    (when the kind has one) names the private block, and `unset` what the provider does when
    both are absent (`private`: nothing is opened; `public`; `unknown`: no source says)."""

    public: str
    effect: str
    private: str = ""
    unset: Unset = "private"


ENDPOINTS: dict[str, Endpoint] = {
    # Redis public_network: "Public network details. Only one of `private_network` and
    # `public_network` may be set." private_networks: "If not set, a public network will be
    # provided."
    **dict.fromkeys(
        aliased("redis/cluster:Cluster", "redisCluster"),
        Endpoint(
            "publicNetwork", "a public endpoint on the Redis cluster", "privateNetworks", "public"
        ),
    ),
    # MongoDB public_network: "Public network endpoint configuration (no arguments)."
    # private_network: "Private Network endpoints of the Database Instance." With neither
    # set, the default is unknown.
    **dict.fromkeys(
        aliased("mongodb/instance:Instance", "mongoDbInstance"),
        Endpoint(
            "publicNetwork",
            "a public endpoint on the MongoDB instance",
            "privateNetwork",
            "unknown",
        ),
    ),
    # Database read replica direct_access: "Creates a direct access endpoint to rdb replica."
    # (absent: no direct access).
    **dict.fromkeys(
        aliased("databases/readReplica:ReadReplica", "databaseReadReplica"),
        Endpoint("directAccess", "a public endpoint on the read replica"),
    ),
}

ALWAYS_PUBLIC: dict[str, str] = {
    # Serverless SQL: no arg names a network, private or public; its one `endpoint` output is
    # "The endpoint of the database." (default: unknown; nothing in the SDK can make it private).
    **dict.fromkeys(
        aliased("databases/serverlessDatabase:ServerlessDatabase", "sdbDatabase"),
        "a Serverless SQL database (its only endpoint is public; no setting makes it private)",
    ),
    # Elastic Metal: `ips`/`ipv4s` are outputs only ("The IPs of the server.", "The IPv4
    # addresses of the server.", beside a separate `private_ips`); no arg removes them.
    # Scaleway: "A public IPv4 address is provided by default with each Elastic Metal server
    # [...] statically assigned to the physical machine" ("Understanding Elastic Metal
    # networking", scaleway.com/en/docs/elastic-metal/reference-content/elastic-metal-networking,
    # reviewed 3 June 2025, read 2026-12-02).
    **dict.fromkeys(
        aliased("elasticmetal/server:Server", "baremetalServer"),
        "an Elastic Metal server (it always has public addresses, ips/ipv4s; no setting "
        "removes them)",
    ),
}
SERVICE_TYPES = (*SWITCHES, *ENDPOINTS, *ALWAYS_PUBLIC)
CANNOT = "cannot verify"

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
    elif view.type in (INSTANCE, TROVE_INSTANCE):
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


def _choices(values: Sequence[bool | str]) -> str:
    return " or ".join(p.show(v) for v in values)


def _switch_value(value: Any, switch: Switch) -> bool | str | None:
    """The value as the switch reads it: a boolean (also from "true"/"false"), or the exact
    string; None when it cannot be read (a wrong type, an unexpected spelling)."""
    if any(isinstance(v, bool) for v in (*switch.public, *switch.private)):
        return p.to_bool(value)
    return value if isinstance(value, str) and value in (*switch.public, *switch.private) else None


def _switch_exposures(props: Mapping[str, Any], switch: Switch) -> Iterator[str]:
    value = p.get(props, switch.field)
    if p.is_unknown(value):
        return
    if value is None:
        if switch.unset == "public":
            yield f"{switch.field} not set ({switch.effect} by default)"
        elif switch.unset == "unknown":
            yield (
                f"{CANNOT} {switch.field}: not set, and no source documents its default "
                f"(set it to {_choices(switch.private)})"
            )
        return
    read = _switch_value(value, switch)
    if read is not None and read in switch.public:
        yield f"{switch.field} is {p.show(value)} ({switch.effect})"
    elif read is None or read not in switch.private:
        choices = _choices((*switch.public, *switch.private))
        yield f"{CANNOT} {switch.field}: {p.show(value)} is not {choices}"


def _network_block(value: Any) -> bool:
    """A private network block as the SDKs write it: a mapping, or a list of mappings."""
    items = list(p.as_seq(value))
    return bool(items) and all(isinstance(item, Mapping) for item in items)


def _endpoint_exposures(props: Mapping[str, Any], endpoint: Endpoint) -> Iterator[str]:
    public = props.get(endpoint.public)
    private = props.get(endpoint.private) if endpoint.private else None
    if p.is_unknown(public):
        return
    if public is not None:  # present, even empty: MongoDB's block takes no arguments
        yield f"{endpoint.public} ({endpoint.effect})"
        return
    if not endpoint.private or p.is_unknown(private) or endpoint.unset == "private":
        return
    if p.has_value(private):
        if not _network_block(private):
            yield f"{CANNOT} {endpoint.private}: {p.show(private)} is not a network block"
    elif endpoint.unset == "public":
        yield f"no {endpoint.private} ({endpoint.effect} by default)"
    else:
        yield (
            f"{CANNOT} {endpoint.private}: neither it nor {endpoint.public} is set, and no "
            f"source documents the default (set {endpoint.private})"
        )


def _service_exposures(view: ResourceView) -> Iterator[str]:
    """Managed services and platforms whose exposure is one setting of their own (tables)."""
    switch, endpoint = SWITCHES.get(view.type), ENDPOINTS.get(view.type)
    if switch is not None:
        yield from _switch_exposures(view.props, switch)
    if endpoint is not None:
        yield from _endpoint_exposures(view.props, endpoint)
    if view.type in ALWAYS_PUBLIC:
        yield ALWAYS_PUBLIC[view.type]


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


def public_exposures(view: ResourceView, params: Params) -> list[str]:
    """Every public address the resource carries, allocates or attaches (gateway or not)."""
    ext = [str(n) for n in p.as_seq(params.get("externalNetworks", ["Ext-Net"]))]
    package = p.package_of(view.type)
    if p.is_provider(view.type) or p.is_component_or_root(view.type):
        return []
    if package == "openstack":
        return [*_openstack_exposures(view, ext), *_service_exposures(view)]
    if package == "ovh":
        return [*_ovh_exposures(view), *_service_exposures(view)]
    if package == "scaleway":
        return [*_scaleway_exposures(view), *_service_exposures(view)]
    if package == "azure-native":
        return list(_azure_exposures(view))
    return []


# --------------------------------------------------------------------------- PRT-008


def _check_public_ip(view: ResourceView, params: Params) -> Iterator[str]:
    found = public_exposures(view, params)
    if not found or p.in_gateway(view.urn, params):
        return
    for item in found:
        yield (
            item
            if item.startswith(CANNOT)
            else f"public exposure through {item} outside the access gateway"
        )


PRT_008 = Rule(
    id="PRT-008",
    slug="no-public-ip-on-enclaves",
    severity=Severity.CRITICAL,
    enforcement=Enforcement.MANDATORY,
    description=(
        "Only the access gateway may have a public address; enclaves and data services stay "
        "private, whatever the path to a public address: addresses, attachments, and the "
        "managed services and platforms (Kubernetes node pools, serverless, databases, "
        "inference) whose own settings give them a public endpoint."
    ),
    remediation=(
        "Remove the floating IP (or its association, or the port forwarding), the public fixed "
        "address, the attachment to the external network (Ext-Net), the Azure PublicIPAddress "
        "or `publicIPAddress`/`publicIPAddressConfiguration`, the OVHcloud public network or "
        "floating IP, the Scaleway instance or flexible IP (`ipId`/`ipIds`, `enableDynamicIp`, "
        "`publicIps`), load balancer IPs (`assignFlexibleIp: false`), public gateway and PAT "
        "rules, database public endpoints. Set `publicIpDisabled: true` on Kapsule pools, "
        "`privacy: private` on Serverless Containers and Functions, `privateNetworks` (Redis) "
        "or `privateNetwork` (MongoDB) without `publicNetwork`, no `directAccess` on read "
        "replicas, `publicEndpoint.isEnabled: false` on Managed Inference, "
        "`floatingIpEnabled: false` on Magnum clusters and templates, no "
        "`attachFloatingIps.enabled` on OVHcloud node pools, Trove instances on private "
        "networks; keep Serverless SQL and Elastic Metal (always public) out of enclaves. "
        "Reach the enclave through the bascule AccessGateway component. A gateway built "
        "without the component is listed by URN in `accessGatewayUrns`."
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
        TROVE_INSTANCE,
        *SERVICE_TYPES,
        "azure-native",
    ),
    rationale=(
        "The access gateway is the tenancy's single, audited entry point. Any other public "
        "address on an enclave or data service bypasses it, whichever way it is obtained: a "
        "floating IP, a port forwarding, a port or instance on the external network, a public "
        "load balancer VIP, an inline public IP configuration, a managed service's own public "
        "endpoint (SecNumCloud 9.7 restriction of access, 13.2 partitioning)."
    ),
    checkov_id="CKV_BSC_3",
)


# --------------------------------------------------------------------------- PRT-014


def _external_ids(resources: Resources) -> set[str]:
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


def _gateway_findings(resources: Resources) -> Iterator[Finding]:
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


def _check_single_entry(resources: Resources, params: Params) -> Iterator[Finding]:
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
