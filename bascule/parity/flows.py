"""Inbound flows, compared by meaning (pure).

A flow is written `<peer> <protocol>/<ports>`: `gateway tcp/22`, `internet any/any`,
`10.0.0.0/8 udp/1000-2000`. The peer is a zone name (a CIDR that is one of the estate's
subnets: zones pair across estates, so flows do too), a CIDR, `internet` (anywhere), an
OpenStack remote group (`group:<name>`, `address-group:<id>`), or an Azure service tag or
application security group, lower-cased (`virtualnetwork`, `asg:<name>`).

Azure network security groups are evaluated as Azure does, conservatively:
- rules by priority, Azure's default rules last (AllowVNetInBound 65000, DenyAllInBound
  65500: learn.microsoft.com/azure/virtual-network/network-security-groups-overview, read
  2026-12-01; AllowAzureLoadBalancerInBound 65001 is left out, its source being the
  platform's health probe, which no target has);
- the `VirtualNetwork` tag stands for the address space of the NIC's virtual network and of
  the networks peered with it (the same page's service tags; the prefixes of user-defined
  routes and gateways it also covers are not read, so the source only looks narrower); the
  `Internet` tag, public addresses only (written `internet`, as a target's 0.0.0.0/0 is);
- an Allow shadowed in full by an earlier Deny is dropped, one shadowed in part is kept
  marked `(partly denied)`;
- a NIC's and its subnet's NSGs filter in series: a flow counts where both allow it, one
  the other allows only in part is marked `(partly allowed)`.
A marked flow covers nothing: a target may not open what the source only partly allowed.
Unknown relations (a service tag against a CIDR) count as overlapping, so the source never
looks wider than it is.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

INTERNET = "internet"
PUBLIC = "public-addresses"  # Azure's `Internet` tag in a Deny rule: not the private ranges
VIRTUAL_NETWORK = "virtualnetwork"  # Azure's `VirtualNetwork` tag, lower-cased
ANYWHERE = frozenset({"*", "internet", "any", "0.0.0.0/0", "::/0"})
PARTLY_DENIED = "partly denied"
PARTLY_ALLOWED = "partly allowed"
# IANA protocol numbers OpenStack accepts in place of names.
PROTOCOL_NUMBERS = {"6": "tcp", "17": "udp", "1": "icmp", "58": "ipv6-icmp"}
ANY = "any"
UNSET = float("inf")  # a rule without a priority sorts last


@dataclass(frozen=True)
class Flow:
    peer: str
    protocol: str = ANY
    low: int | None = None  # None: any port
    high: int | None = None
    note: str = ""  # PARTLY_DENIED / PARTLY_ALLOWED: the flow covers nothing

    @property
    def ports(self) -> str:
        if self.low is None:
            return ANY
        return str(self.low) if self.low == self.high else f"{self.low}-{self.high}"

    def text(self) -> str:
        note = f" ({self.note})" if self.note else ""
        return f"{self.peer} {self.protocol}/{self.ports}{note}"

    @classmethod
    def parse(cls, text: str) -> Flow | None:
        base, _, note = text.partition(" (")
        peer, _, rest = base.partition(" ")
        protocol, slash, ports = rest.partition("/")
        if not peer or not slash:
            return None
        low, high = port_range(ports)
        return cls(peer, protocol, low, high, note.removesuffix(")"))

    def covers(self, other: Flow) -> bool:
        if self.note:
            return False
        protocol = self.protocol == ANY or self.protocol == other.protocol
        return protocol and _peer_covers(self.peer, other.peer) and _ports_cover(self, other)

    def overlaps(self, other: Flow) -> bool:
        protocol = ANY in (self.protocol, other.protocol) or self.protocol == other.protocol
        return protocol and _peer_overlaps(self.peer, other.peer) and _ports_overlap(self, other)


def _network(peer: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    try:
        return ipaddress.ip_network(peer, strict=False)
    except ValueError:
        return None


def _peer_covers(wide: str, narrow: str) -> bool:
    if wide in (narrow, INTERNET):
        return True
    a, b = _network(wide), _network(narrow)
    if wide == PUBLIC:
        return b is not None and b.is_global
    return a is not None and b is not None and a.version == b.version and b.subnet_of(a)  # type: ignore[arg-type]


def _peer_overlaps(a: str, b: str) -> bool:
    if a == b or INTERNET in (a, b):
        return True
    na, nb = _network(a), _network(b)
    if PUBLIC in (a, b):
        other = nb if a == PUBLIC else na
        return other is None or not other.is_private
    if na is None or nb is None:
        return True  # a service tag or group against anything: cannot rule it out
    return na.version == nb.version and na.overlaps(nb)  # type: ignore[arg-type]


def _bounds(flow: Flow) -> tuple[int, int]:
    if flow.low is None:
        return 0, 65535
    return flow.low, flow.high if flow.high is not None else flow.low


def _ports_cover(wide: Flow, narrow: Flow) -> bool:
    (a_low, a_high), (b_low, b_high) = _bounds(wide), _bounds(narrow)
    return a_low <= b_low and b_high <= a_high


def _ports_overlap(a: Flow, b: Flow) -> bool:
    (a_low, a_high), (b_low, b_high) = _bounds(a), _bounds(b)
    return a_low <= b_high and b_low <= a_high


def _number(value: Any) -> int | None:
    if value is None or isinstance(value, bool) or value in ("", "*"):
        return None
    try:
        number = int(float(value))
    except (TypeError, ValueError):
        return None
    return None if number < 0 else number  # ICMP's -1: any


def port_range(text: Any) -> tuple[int | None, int | None]:
    """`22`, `1000-2000`, `*` or `any` (also 22.0 as a mocked number) as (low, high)."""
    low, _, high = str(text).strip().partition("-")
    first = _number(low)
    if first is None:
        return None, None
    last = _number(high) if high else first
    return first, last if last is not None else first


def protocol_word(value: Any) -> str:
    word = str(value if value not in (None, "") else ANY).strip().lower()
    word = PROTOCOL_NUMBERS.get(word, word)
    return ANY if word in ("*", "any") else word


def raw_peer(value: Any) -> str:
    """A rule's source as written, canonical: anywhere is `internet`, a CIDR normalised."""
    text = str(value).strip()
    if text.lower() in ANYWHERE:
        return INTERNET
    network = _network(text)
    if network is None:
        return text.lower()
    return INTERNET if network.prefixlen == 0 else str(network)


def named(flow: Flow, zones_by_cidr: Mapping[str, str]) -> str:
    """The flow's text with a CIDR peer that is a zone written as the zone's name (and
    Azure's `Internet` tag as `internet`, as a target's 0.0.0.0/0 is)."""
    peer = INTERNET if flow.peer == PUBLIC else zones_by_cidr.get(flow.peer, flow.peer)
    return replace(flow, peer=peer).text()


def zone_key(cidr: Any) -> str | None:
    """A subnet's CIDR as flow peers are written, to look zones up by."""
    if not isinstance(cidr, str):
        return None
    peer = raw_peer(cidr)
    return peer if _network(peer) is not None else None


# -- Azure network security groups ------------------------------------------------------------


DEFAULT_INBOUND: tuple[Mapping[str, Any], ...] = (
    {
        "name": "AllowVnetInBound",
        "priority": 65000,
        "direction": "Inbound",
        "access": "Allow",
        "protocol": "*",
        "sourceAddressPrefix": "VirtualNetwork",
        "destinationPortRange": "*",
    },
    {
        "name": "DenyAllInBound",
        "priority": 65500,
        "direction": "Inbound",
        "access": "Deny",
        "protocol": "*",
        "sourceAddressPrefix": "*",
        "destinationPortRange": "*",
    },
)


def _azure_peers(value: Any, virtual_network: Sequence[str]) -> list[str]:
    peer = raw_peer(value)
    if peer == VIRTUAL_NETWORK and virtual_network:
        return [raw_peer(c) for c in virtual_network]
    if peer == INTERNET and str(value).strip().lower() == "internet":
        return [PUBLIC]  # the Internet tag: public addresses, not the virtual network
    return [peer]


def _azure_rule(
    rule: Mapping[str, Any], virtual_network: Sequence[str]
) -> tuple[str, list[Flow]] | None:
    """(access, flows) of one inbound NSG rule, None for an outbound one."""
    if str(rule.get("direction", "")).lower() != "inbound":
        return None
    access = str(rule.get("access", "")).lower()
    sources = [
        *_list(rule.get("sourceAddressPrefixes")),
        *([rule["sourceAddressPrefix"]] if rule.get("sourceAddressPrefix") else []),
    ]
    groups = [
        "asg:" + str(g.get("id", "")).rstrip("/").rsplit("/", 1)[-1].lower()
        for g in _list(rule.get("sourceApplicationSecurityGroups"))
        if isinstance(g, Mapping)
    ]
    peers = [p for s in sources for p in _azure_peers(s, virtual_network)]
    peers = peers + groups or [INTERNET]
    ports = _list(rule.get("destinationPortRanges")) or [rule.get("destinationPortRange", "*")]
    protocol = protocol_word(rule.get("protocol"))
    flows = [Flow(peer, protocol, *port_range(port)) for peer in peers for port in ports]
    return access, flows


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _priority(rule: Mapping[str, Any]) -> float:
    number = _number(rule.get("priority"))
    return UNSET if number is None else float(number)


def nsg_allows(rules: Iterable[Any], virtual_network: Sequence[str] = ()) -> frozenset[Flow]:
    """What one NSG lets in: its inbound Allow rules and Azure's defaults, less what earlier
    Deny rules block. `virtual_network`: the CIDRs the `VirtualNetwork` tag stands for."""
    custom = [r for r in rules if isinstance(r, Mapping)]
    # sorted() is stable: equal priorities keep the declaration order
    ordered = sorted([*custom, *DEFAULT_INBOUND], key=_priority)
    denied: list[Flow] = []
    allowed: set[Flow] = set()
    for rule in ordered:
        parsed = _azure_rule(rule, virtual_network)
        if parsed is None:
            continue
        access, flows = parsed
        if access == "deny":
            denied += flows
            continue
        if access != "allow":
            continue
        for flow in flows:
            blockers = [d for d in denied if d.overlaps(flow)]
            if any(d.covers(flow) for d in blockers):
                continue
            allowed.add(replace(flow, note=PARTLY_DENIED) if blockers else flow)
    return frozenset(allowed)


def in_series(first: frozenset[Flow], second: frozenset[Flow]) -> frozenset[Flow]:
    """Traffic through two NSGs in a row (the subnet's, then the NIC's): allowed where both
    allow it. A flow one allows and the other allows only in part is marked."""
    out: set[Flow] = set()
    for flows, others in ((first, second), (second, first)):
        for flow in flows:
            if any(o.covers(flow) for o in others):
                out.add(flow)  # allowed in full by both
            elif any(o.overlaps(flow) and not flow.covers(o) for o in others):
                out.add(replace(flow, note=flow.note or PARTLY_ALLOWED))
            # else: what both allow of it is the other's narrower flows, kept on their side
    return frozenset(out)


# -- OpenStack security groups ---------------------------------------------------------------


def sg_rule_flow(rule: Mapping[str, Any], group_names: Mapping[str, str]) -> Flow | None:
    """A Neutron security group rule's inbound flow (None for egress)."""
    if str(rule.get("direction", "")).lower() != "ingress":
        return None
    if rule.get("remoteGroupId"):
        group = str(rule["remoteGroupId"])
        peer = f"group:{group_names.get(group, group)}"
    elif rule.get("remoteAddressGroupId"):
        peer = f"address-group:{rule['remoteAddressGroupId']}"
    else:
        peer = raw_peer(rule.get("remoteIpPrefix") or INTERNET)
    low, high = _number(rule.get("portRangeMin")), _number(rule.get("portRangeMax"))
    if low is None and high is not None:
        low = high
    return Flow(peer, protocol_word(rule.get("protocol")), low, high if high is not None else low)


def nova_rule_flow(rule: Mapping[str, Any], group_names: Mapping[str, str]) -> Flow:
    """A rule of a nova-network security group (`openstack:compute/secGroup`), all inbound."""
    if rule.get("fromGroupId"):
        group = str(rule["fromGroupId"])
        peer = f"group:{group_names.get(group, group)}"
    else:
        peer = raw_peer(rule.get("cidr") or INTERNET)
    low, high = _number(rule.get("fromPort")), _number(rule.get("toPort"))
    return Flow(peer, protocol_word(rule.get("ipProtocol")), low, high if high is not None else low)


def covered(target: Iterable[Any], source: Iterable[Any]) -> bool:
    """Every target flow within a source flow (texts that do not parse: equal ones only)."""
    sources = [(text, Flow.parse(str(text))) for text in source]
    for text in target:
        flow = Flow.parse(str(text))
        if not any(
            text == s_text or (flow is not None and s is not None and s.covers(flow))
            for s_text, s in sources
        ):
            return False
    return True
