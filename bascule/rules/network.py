"""Network flows: ingress from public space, administration ports, egress to the internet.

Sources and destinations are judged by coverage (`bascule.rules.cidr`): any public range,
any set of prefixes or service tag that covers public space, counts as open. A stack rule,
because the administration zones come from the estates' inventories (or the reviewer's
`adminSourceCidrs`) and remote groups resolve to other resources.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bascule.rules import cidr
from bascule.rules import props as p
from bascule.rules.base import Enforcement, Finding, Param, Rule, Severity, StackResource
from bascule.rules.check import Params, Resources, findings
from bascule.rules.types import (
    AZ_SUBNET,
    AZ_VNET,
    INSTANCE,
    NETWORK,
    NSG,
    PORT,
    SCW_GATEWAYS,
    SCW_PAT_RULES,
    SCW_SECURITY_GROUPS,
    SCW_SERVERS,
    SEC_GROUP,
    aliased,
)

SEC_GROUP_RULE = "openstack:networking/secGroupRule:SecGroupRule"
ADDRESS_GROUP = "openstack:networking/addressGroupV2:AddressGroupV2"
AZ_SECURITY_RULE = "azure-native:network:SecurityRule"
# Scaleway (pulumiverse-scaleway 1.60): current types and their deprecated `index/` aliases.
SCW_GROUP_RULES = aliased(
    "instance/securityGroupRules:SecurityGroupRules", "instanceSecurityGroupRules"
)
SCW_GATEWAY_NETWORKS = aliased("network/gatewayNetwork:GatewayNetwork", "vpcGatewayNetwork")
SCW_TYPES = (
    *SCW_SECURITY_GROUPS,
    *SCW_GROUP_RULES,
    *SCW_SERVERS,
    *SCW_GATEWAYS,
    *SCW_PAT_RULES,
    *SCW_GATEWAY_NETWORKS,
)
ESTATES = ("bascule:target:Estate", "bascule:azure:Estate")
# Resources whose own settings open traffic (no rule list to read).
DEFAULTS_TYPES = frozenset(
    {SEC_GROUP, PORT, NETWORK, INSTANCE, AZ_SUBNET, AZ_VNET, *SCW_SERVERS, *SCW_GATEWAY_NETWORKS}
)
ADMIN_ZONE_ROLES = ("management", "gateway")

DEFAULT_ADMIN_PORTS: dict[str, list[int]] = {
    "SSH": [22],
    "Telnet": [23],
    "RDP": [3389],
    "WinRM": [5985, 5986],
    "VNC": [5900],
    "SMB": [445],
    "MSSQL": [1433],
    "Oracle": [1521],
    "MySQL": [3306],
    "PostgreSQL": [5432],
    "MongoDB": [27017],
    "Redis": [6379],
    "Elasticsearch": [9200],
    "Docker": [2375, 2376],
    "Kubernetes API": [6443],
}
# Protocols that carry ports (names and IANA numbers); None/""/any/* mean every protocol.
PORT_PROTOCOLS = frozenset(
    {"", "any", "*", "tcp", "udp", "sctp", "dccp", "udplite", "6", "17", "33", "132", "136"}
)


@dataclass(frozen=True)
class Flow:
    """One allow rule: where from (ingress) or to (egress), which protocol and ports."""

    label: str  # "security group rule", "securityRules[0] 'allow-ssh'"...
    direction: str  # "ingress" | "egress"
    what: str  # the peer as written: "remoteIpPrefix '0.0.0.0/0'"
    peers: tuple[cidr.Source, ...]  # () when the peer is a group
    protocol: str
    ranges: tuple[tuple[int, int], ...]
    unverifiable: str = ""  # why the peer's addresses cannot be known, if they cannot
    group: str = ""  # the remote security group's id, for a group peer


def _proto(value: Any) -> str:
    if value is None:
        return ""
    number = p.to_int(value)
    return str(number) if number is not None else str(value).strip().lower()


def _ports_text(ranges: Sequence[tuple[int, int]]) -> str:
    texts = []
    for lo, hi in ranges:
        if lo <= 1 and hi >= 65535:
            texts.append("all ports")
        else:
            texts.append(f"port {lo}" if lo == hi else f"ports {lo}-{hi}")
    return ", ".join(texts)


def _admin_hits(flow: Flow, admin_ports: Mapping[str, Any]) -> str:
    """The administration services the flow reaches: "SSH (22), WinRM (5985, 5986)"."""
    if flow.protocol not in PORT_PROTOCOLS:
        return ""
    hits = []
    for name, ports in admin_ports.items():
        numbers = [p.to_int(port) for port in p.as_seq(ports)]
        open_ = [
            n for n in numbers if n is not None and any(lo <= n <= hi for lo, hi in flow.ranges)
        ]
        if open_:
            hits.append(f"{name} ({', '.join(str(n) for n in open_)})")
    return ", ".join(hits)


# ---------------------------------------------------------------------------- OpenStack


Remote = tuple[str, tuple[cidr.Source, ...], str, str]


def _remote(props: Mapping[str, Any], groups: Mapping[str, StackResource]) -> Remote | None:
    """(what, peers, unverifiable, group id) of a SecGroupRule's remote side; None if unknown."""
    prefix, group = props.get("remoteIpPrefix"), props.get("remoteGroupId")
    address_group = props.get("remoteAddressGroupId")
    if any(p.is_unknown(v) for v in (prefix, group, address_group)):
        return None
    if p.has_value(prefix):
        return f"remoteIpPrefix '{prefix}'", (cidr.classify(str(prefix)),), "", ""
    if p.has_value(address_group):
        found = groups.get(str(address_group))
        what = f"remoteAddressGroupId '{address_group}'"
        if found is None:
            return what, (), "the address group is not in the stack", ""
        addresses = [str(a) for a in p.as_seq(found.props.get("addresses"))]
        peers = tuple(cidr.classify(a) for a in addresses)
        return f"{what} {p.fmt_list(addresses)}", peers, "", ""
    if p.has_value(group):
        return f"remoteGroupId '{group}'", (), "", str(group)
    ethertype = str(props.get("ethertype") or "IPv4")
    anyone = "::/0" if ethertype.lower() == "ipv6" else "0.0.0.0/0"
    what = "anywhere (no remoteIpPrefix, remoteGroupId nor remoteAddressGroupId)"
    return what, (cidr.classify(anyone),), "", ""


def _sg_rule_flow(res: StackResource, groups: Mapping[str, StackResource]) -> Flow | None:
    props = res.props
    direction = props.get("direction")
    if not isinstance(direction, str) or direction.lower() not in ("ingress", "egress"):
        return None
    remote = _remote(props, groups)
    rng = p.port_range(props.get("portRangeMin"), props.get("portRangeMax"))
    protocol = props.get("protocol")
    if remote is None or rng is None or p.is_unknown(protocol):
        return None
    what, peers, unverifiable, group = remote
    label = "security group rule"
    return Flow(
        label, direction.lower(), what, peers, _proto(protocol), (rng,), unverifiable, group
    )


def _openstack_defaults(res: StackResource) -> Iterator[str]:
    """Filtering a resource turns off, or the allow-all rules it keeps."""
    props = res.props
    if res.type == SEC_GROUP:
        value = props.get("deleteDefaultRules")
        if not p.is_unknown(value) and p.to_bool(value) is not True:
            yield (
                f"deleteDefaultRules is {p.show(value)}: the group keeps Neutron's default rules, "
                "egress to any IPv4 and IPv6 address"
            )
    elif res.type in (PORT, NETWORK):
        if p.to_bool(props.get("portSecurityEnabled")) is False:
            yield "portSecurityEnabled is false: no security group filters its traffic"
        if res.type == PORT and _default_group_port(props):
            yield (
                "no securityGroupIds: the port gets the project's default security group "
                "(egress to any address)"
            )
    elif res.type == INSTANCE:
        groups = [str(g) for g in p.as_seq(props.get("securityGroups"))]
        nets = list(p.iter_mappings(props.get("networks")))
        unported = [n for n in nets if not p.has_value(n.get("port"))]
        defaulted = (unported or not nets) and (not groups or "default" in groups)
        if defaulted and not p.is_unknown(props.get("securityGroups")):
            yield (
                "a network without a port and no securityGroups: the instance gets the "
                "project's default security group (egress to any address)"
            )


def _default_group_port(props: Mapping[str, Any]) -> bool:
    ids = props.get("securityGroupIds")
    if p.is_unknown(ids) or p.to_bool(props.get("portSecurityEnabled")) is False:
        return False
    return not p.as_seq(ids) and p.to_bool(props.get("noSecurityGroups")) is not True


# ---------------------------------------------------------------------------- Azure


def _azure_rule(rule: Mapping[str, Any]) -> Mapping[str, Any]:
    nested = rule.get("properties")
    return nested if isinstance(nested, Mapping) and "direction" in nested else rule


def _azure_flow(rule: Mapping[str, Any], label: str) -> Flow | None:
    rule = _azure_rule(rule)
    direction, access = rule.get("direction"), rule.get("access")
    if not (isinstance(access, str) and access.lower() == "allow"):
        return None
    if not isinstance(direction, str) or direction.lower() not in ("inbound", "outbound"):
        return None
    side = "source" if direction.lower() == "inbound" else "destination"
    single, many = rule.get(f"{side}AddressPrefix"), rule.get(f"{side}AddressPrefixes")
    specs = [rule.get("destinationPortRange"), *p.as_seq(rule.get("destinationPortRanges"))]
    if any(p.is_unknown(v) for v in (single, many, *specs)):
        return None
    tokens = [str(t) for t in (single, *p.as_seq(many)) if p.has_value(t)]
    groups = p.as_seq(rule.get(f"{side}ApplicationSecurityGroups"))
    if tokens:
        field = f"{side}AddressPrefix" if len(tokens) == 1 and p.has_value(single) else None
        what = f"{field} '{tokens[0]}'" if field else f"{side}AddressPrefixes {p.fmt_list(tokens)}"
    elif groups:
        what = f"{side}ApplicationSecurityGroups"
    else:
        tokens, what = ["*"], f"any {side} (no {side}AddressPrefix)"
    ranges = [p.parse_port_spec(s) or (0, 65535) for s in specs if s is not None] or [(0, 65535)]
    return Flow(
        label,
        "ingress" if side == "source" else "egress",
        what,
        tuple(cidr.classify(t) for t in tokens),
        _proto(rule.get("protocol")),
        tuple(ranges),
        "" if tokens else "members of application security groups",
    )


def _azure_flows(res: StackResource) -> Iterator[Flow]:
    if res.type == AZ_SECURITY_RULE:
        flow = _azure_flow(res.props, "security rule")
        if flow:
            yield flow
        return
    for index, rule in enumerate(p.iter_mappings(res.props.get("securityRules"))):
        name = rule.get("name")
        label = f"securityRules[{index}]" + (f" '{name}'" if isinstance(name, str) else "")
        flow = _azure_flow(rule, label)
        if flow:
            yield flow


def _azure_defaults(res: StackResource) -> Iterator[str]:
    subnets = [("", res.props)] if res.type == AZ_SUBNET else []
    if res.type == AZ_VNET:
        subnets = [
            (f"subnets[{i}].", s) for i, s in enumerate(p.iter_mappings(res.props.get("subnets")))
        ]
    for prefix, subnet in subnets:
        value = subnet.get("defaultOutboundAccess")
        if not p.is_unknown(value) and p.to_bool(value) is not False:
            shown = "not set (defaults to true)" if value is None else p.show(value)
            yield f"{prefix}defaultOutboundAccess is {shown}: implicit outbound internet access"


# ---------------------------------------------------------------------------- Scaleway


def _scw_ports(rule: Mapping[str, Any]) -> tuple[int, int] | None:
    """`port` (22) or `portRange` ("22-23"); neither: every port. None when unknown."""
    port, spec = rule.get("port"), rule.get("portRange")
    if p.is_unknown(port) or p.is_unknown(spec):
        return None
    if p.has_value(spec):
        return p.parse_port_spec(spec)
    number = p.to_int(port)
    return (number, number) if number else (1, 65535)


def _scw_flow(rule: Mapping[str, Any], label: str, direction: str) -> Flow | None:
    action, prefix = rule.get("action"), rule.get("ipRange") or rule.get("ip")
    if p.is_unknown(action) or p.is_unknown(prefix):
        return None
    if str(action or "").strip().lower() != "accept":
        return None
    rng = _scw_ports(rule)
    if rng is None:
        return None
    side = "ipRange" if p.has_value(rule.get("ipRange")) else "ip"
    token = str(prefix) if p.has_value(prefix) else "0.0.0.0/0"
    what = f"{side} '{prefix}'" if p.has_value(prefix) else "anywhere (no ipRange: 0.0.0.0/0)"
    protocol = _proto(rule.get("protocol") or "tcp")
    return Flow(
        label,
        direction,
        what,
        (cidr.classify(token),),
        "" if protocol == "any" else protocol,
        (rng,),
    )


def _scaleway_flows(res: StackResource) -> Iterator[Flow]:
    props = res.props
    if res.type in (*SCW_SECURITY_GROUPS, *SCW_GROUP_RULES):
        for key, direction in (("inboundRules", "ingress"), ("outboundRules", "egress")):
            for index, rule in enumerate(p.iter_mappings(props.get(key))):
                flow = _scw_flow(rule, f"{key}[{index}]", direction)
                if flow:
                    yield flow
    elif res.type in SCW_PAT_RULES:
        port = p.to_int(props.get("privatePort"))
        if port is not None:
            protocol = _proto(props.get("protocol") or "both")
            yield Flow(
                f"PAT rule (public port {p.show(props.get('publicPort'))})",
                "ingress",
                "anywhere (a Public Gateway's public IP)",
                (cidr.classify("0.0.0.0/0"),),
                "" if protocol == "both" else protocol,
                ((port, port),),
            )
    elif res.type in SCW_GATEWAYS and p.to_bool(props.get("bastionEnabled")) is True:
        yield from _bastion(props)


def _bastion(props: Mapping[str, Any]) -> Iterator[Flow]:
    """The SSH bastion is the gateway's entry point: it is judged as SSH, from the ranges
    it accepts (`allowedIpRanges`; none: any address)."""
    ranges = [str(r) for r in p.as_seq(props.get("allowedIpRanges"))]
    if p.is_unknown(props.get("allowedIpRanges")):
        return
    port = p.to_int(props.get("bastionPort")) or 61000
    what = f"allowedIpRanges {p.fmt_list(ranges)}" if ranges else "anywhere (no allowedIpRanges)"
    peers = tuple(cidr.classify(r) for r in ranges or ["0.0.0.0/0"])
    if any(s.anyone for s in peers) or cidr.covers_all_public(
        [n for s in peers for n in s.networks], 4
    ):
        yield Flow(f"SSH bastion (port {port})", "ingress", what, peers, "tcp", ((22, 22),))


def _scaleway_defaults(res: StackResource) -> Iterator[str]:
    props = res.props
    if res.type in SCW_SECURITY_GROUPS:
        for key, effect in (
            ("inboundDefaultPolicy", "every inbound flow no rule drops is accepted"),
            ("outboundDefaultPolicy", "egress to any address"),
        ):
            value = props.get(key)
            if p.is_unknown(value) or str(value or "").strip().lower() == "drop":
                continue
            shown = "not set (defaults to accept)" if value is None else p.show(value)
            yield f"{key} is {shown}: {effect}"
    elif res.type in SCW_SERVERS:
        group = props.get("securityGroupId")
        if not p.has_value(group) and not p.is_unknown(group):
            yield (
                "no securityGroupId: the server gets the zone's default security group "
                "(inbound and outbound accept unless changed outside this stack)"
            )
    elif res.type in SCW_GATEWAY_NETWORKS and p.to_bool(props.get("enableMasquerade")) is True:
        yield "enableMasquerade is true: the private network reaches the internet through NAT"


# ---------------------------------------------------------------------------- verdicts


def _scope(peers: Sequence[cidr.Source]) -> str:
    nets = [n for s in peers for n in s.networks]
    whole = any(s.anyone for s in peers) or any(
        cidr.covers_all_public(nets, version) for version in (4, 6)
    )
    return "the whole internet" if whole else "public addresses"


@dataclass(frozen=True)
class Context:
    admin_ports: Mapping[str, Any]
    zones: list[cidr.Network] | None  # the management and gateway zones, None if unknown
    groups: Mapping[str, StackResource]  # security groups by id and name
    params: Params


def _group_verdict(flow: Flow, admin: str, base: str, ctx: Context) -> Iterator[str]:
    found = ctx.groups.get(flow.group)
    if found is None:
        yield (
            f"cannot verify that {flow.what} is the management or gateway zone for {admin}: "
            "the security group is not in the stack"
        )
    elif not p.in_gateway(found.urn, ctx.params):
        yield (
            f"{base}: {admin} reachable from the members of security group '{found.name}', "
            "not the management or gateway zone"
        )


def _verdicts(flow: Flow, ctx: Context, gateway: bool) -> Iterator[str]:
    public = any(s.public for s in flow.peers)
    ports = f"protocol {flow.protocol or 'any'}, {_ports_text(flow.ranges)}"
    if flow.direction == "egress":
        if public:
            yield f"{flow.label} allows egress to {flow.what} ({_scope(flow.peers)}; {ports})"
        return
    base = f"{flow.label} allows ingress from {flow.what} ({ports})"
    admin, zones = _admin_hits(flow, ctx.admin_ports), ctx.zones
    if public:
        if admin:
            where = " even on the access gateway" if gateway else ""
            yield f"{base}: {admin} open to {_scope(flow.peers)}{where}"
        elif not gateway:
            yield f"{base}: open to {_scope(flow.peers)} outside the access gateway"
        return
    if not admin:
        return
    if flow.group:
        yield from _group_verdict(flow, admin, base, ctx)
    elif flow.unverifiable:
        yield (
            f"cannot verify that {flow.what} is the management or gateway zone "
            f"({flow.unverifiable}) for {admin}"
        )
    elif zones is None:
        yield (
            f"cannot verify that {flow.what} is the management or gateway zone for {admin}: "
            "no adminSourceCidrs and no estate inventory of zones"
        )
    elif any(s.tag for s in flow.peers) or not cidr.within(
        [n for s in flow.peers for n in s.networks], zones
    ):
        yield (
            f"{base}: {admin} reachable from outside the management and gateway zones "
            f"{p.fmt_list(zones)}"
        )


def _admin_zones(resources: Resources, params: Params) -> list[cidr.Network] | None:
    """The reviewer's adminSourceCidrs, else the management and gateway zones the estates'
    inventories declare (their private part only); None when neither says."""
    configured = [cidr.parse_network(str(c)) for c in p.as_seq(params.get("adminSourceCidrs"))]
    if configured:
        return [n for n in configured if n is not None]
    zones: list[cidr.Network] = []
    found = False
    for res in resources:
        if res.type not in ESTATES:
            continue
        inventory = p.get(res.props, "inventory.zones")
        if not isinstance(inventory, Mapping):
            continue
        found = True
        for zone in inventory.values():
            if isinstance(zone, Mapping) and zone.get("role") in ADMIN_ZONE_ROLES:
                net = cidr.parse_network(str(zone.get("cidr") or ""))
                if net is not None and not cidr.public_part([net]):
                    zones.append(net)
    return zones if found else None


def _by_id(resources: Resources, type_: str) -> dict[str, StackResource]:
    return {
        str(r.props.get(key)): r
        for r in resources
        if r.type == type_
        for key in ("id", "name")
        if isinstance(r.props.get(key), str) and not p.is_unknown(r.props.get(key))
    }


def _check_flows(resources: Resources, params: Params) -> Iterator[Finding]:
    groups = _by_id(resources, ADDRESS_GROUP)
    ctx = Context(
        params["adminPorts"], _admin_zones(resources, params), _by_id(resources, SEC_GROUP), params
    )
    gateways = {t: sum(1 for r in resources if r.type == t) for t in p.GATEWAY_COMPONENTS}
    for res in resources:
        if res.type in DEFAULTS_TYPES:
            defaults = (*_openstack_defaults(res), *_azure_defaults(res), *_scaleway_defaults(res))
            yield from findings(defaults, res.urn)
            continue
        if res.type == SEC_GROUP_RULE:
            flows: list[Flow] = [f for f in [_sg_rule_flow(res, groups)] if f]
        elif res.type in (NSG, AZ_SECURITY_RULE):
            flows = list(_azure_flows(res))
        elif p.package_of(res.type) == "scaleway":
            flows = list(_scaleway_flows(res))
            if res.type in SCW_SECURITY_GROUPS:
                yield from findings(_scaleway_defaults(res), res.urn)
        else:
            continue
        gateway = p.in_gateway(res.urn, params) and gateways.get(p.parent_type(res.urn), 1) <= 1
        for flow in flows:
            yield from findings(_verdicts(flow, ctx, gateway), res.urn)


PRT_009 = Rule(
    id="PRT-009",
    slug="no-open-ingress",
    severity=Severity.CRITICAL,
    enforcement=Enforcement.MANDATORY,
    description=(
        "No ingress from public addresses except to the access gateway, administration ports "
        "only from the management or gateway zone, and no egress to the internet."
    ),
    remediation=(
        "Set `remoteIpPrefix` (OpenStack SecGroupRule) or `sourceAddressPrefix(es)` (Azure) to "
        "private zone ranges; expose only the AccessGateway's service port (e.g. 443); reach "
        "SSH/RDP/WinRM/database ports from the management or gateway zone only; remove egress "
        "rules to public destinations, create security groups with `deleteDefaultRules: true`, "
        "keep port security on and give every port its security groups; set "
        "`defaultOutboundAccess: false` on Azure subnets. Scaleway: security groups with "
        "`inboundDefaultPolicy` and `outboundDefaultPolicy` drop, accept rules from private "
        "ranges only, a `securityGroupId` on every server, no PAT rule to an administration "
        "port, the bastion's `allowedIpRanges` set, no masquerade on enclave networks."
    ),
    secnumcloud=("9.6", "9.7", "13.2"),
    hds=("hds-security", "third-country-access"),
    params={
        "accessGatewayUrns": Param.str_list([], p.GATEWAY_URNS_DESC),
        "adminPorts": Param(
            {
                "type": "object",
                "additionalProperties": {
                    "type": "array",
                    "items": {"type": "integer", "minimum": 1, "maximum": 65535},
                },
            },
            DEFAULT_ADMIN_PORTS,
            "Administration ports by service: reachable only from the management or gateway "
            "zone, never from public addresses.",
        ),
        "adminSourceCidrs": Param.str_list(
            [],
            "Where administration may come from; empty: the management and gateway zones of "
            "the estates' inventories.",
        ),
    },
    stack_check=_check_flows,
    applies_to=(
        SEC_GROUP_RULE,
        SEC_GROUP,
        ADDRESS_GROUP,
        PORT,
        NETWORK,
        INSTANCE,
        NSG,
        AZ_SECURITY_RULE,
        AZ_SUBNET,
        AZ_VNET,
        *SCW_TYPES,
        *ESTATES,
        *p.GATEWAY_COMPONENTS,
    ),
    rationale=(
        "Ingress from the internet anywhere but the gateway's service port, administration "
        "ports reachable from outside the management and gateway zones, or egress from the "
        "enclaves to the internet (an exfiltration path for health data) break the "
        "partitioning SecNumCloud requires (9.6 d administration not reachable from public "
        "networks, 9.7, 13.2 e only the legitimate flows of the flow matrix). Open means by "
        "coverage: any public range or set of ranges, and service tags such as Internet or "
        "AzureCloud."
    ),
)


RULES = (PRT_009,)
