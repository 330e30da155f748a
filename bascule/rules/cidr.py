"""Address space by coverage, not by prefix length (pure, standard library only).

A source or destination is judged by the public addresses it covers: `0.0.0.0/1` plus
`128.0.0.0/1` is the whole internet, `8.8.0.0/16` is a public range, `10.0.0.0/8` is none.
Public space is every address minus the IANA special-purpose blocks that are not globally
reachable (RFC 6890 registries: https://www.iana.org/assignments/iana-ipv4-special-registry
and .../iana-ipv6-special-registry, read 2026-11); IPv4-mapped IPv6 (`::ffff:0:0/96`) counts
as the IPv4 addresses it maps. Service tags that mean "anyone" (`*`, `Any`, `Internet`,
`AzureCloud` and the other Azure service tags, which are public ranges shared by every
tenant) are public; `VirtualNetwork` and `AzureLoadBalancer` are not. A token that is none
of these is treated as public (fail closed).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

NON_PUBLIC_V4 = tuple(
    ipaddress.IPv4Network(n)
    for n in (
        "0.0.0.0/8",  # "this network"
        "10.0.0.0/8",  # private
        "100.64.0.0/10",  # shared address space (CGN)
        "127.0.0.0/8",  # loopback
        "169.254.0.0/16",  # link local
        "172.16.0.0/12",  # private
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",  # documentation
        "192.168.0.0/16",  # private
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # documentation
        "203.0.113.0/24",  # documentation
        "224.0.0.0/4",  # multicast: never a source
        "240.0.0.0/4",  # reserved, and the limited broadcast address
    )
)
NON_PUBLIC_V6 = tuple(
    ipaddress.IPv6Network(n)
    for n in (
        "::/128",  # unspecified
        "::1/128",  # loopback
        "::ffff:0:0/96",  # IPv4-mapped: judged as the IPv4 addresses (see `_networks`)
        "100::/64",  # discard only
        "2001:db8::/32",  # documentation
        "fc00::/7",  # unique local
        "fe80::/10",  # link local
        "ff00::/8",  # multicast
    )
)
ALL_V4 = ipaddress.IPv4Network("0.0.0.0/0")
ALL_V6 = ipaddress.IPv6Network("::/0")
MAPPED_V4 = ipaddress.IPv6Network("::ffff:0:0/96")

# Azure service tags that are not public address space.
INTERNAL_TAGS = frozenset({"virtualnetwork", "azureloadbalancer"})
# Tokens that mean any address; the bare unspecified addresses are read that way too (fail
# closed: some APIs take "0.0.0.0" for "any").
ANYONE_TAGS = frozenset({"*", "any", "internet", "0.0.0.0/0", "::/0", "0.0.0.0", "::"})


def _subtract(networks: Iterable[Network], holes: Sequence[Network]) -> list[Network]:
    remaining = list(networks)
    for hole in holes:
        out: list[Network] = []
        for net in remaining:
            if net.version != hole.version or not net.overlaps(hole):
                out.append(net)
            elif net.subnet_of(hole):  # type: ignore[arg-type]
                continue
            else:  # the hole is inside net
                out.extend(net.address_exclude(hole))  # type: ignore[arg-type]
        remaining = out
    return remaining


@lru_cache(maxsize=2)
def public_space(version: int) -> tuple[Network, ...]:
    """Every globally reachable network of one IP version, collapsed."""
    if version == 4:
        return tuple(_subtract([ALL_V4], NON_PUBLIC_V4))
    return tuple(_subtract([ALL_V6], NON_PUBLIC_V6))


def _mapped(net: ipaddress.IPv6Network) -> ipaddress.IPv4Network | None:
    """`::ffff:a.b.c.d/len` (len >= 96) as the IPv4 network it maps."""
    if net.prefixlen < 96 or not net.subnet_of(MAPPED_V4):
        return None
    v4 = ipaddress.IPv4Address(int(net.network_address) & 0xFFFFFFFF)
    return ipaddress.IPv4Network(f"{v4}/{net.prefixlen - 96}", strict=False)


def _networks(net: Network) -> list[Network]:
    """The networks to judge: an IPv6 range overlapping the mapped block adds its IPv4 part."""
    if net.version == 6 and net.overlaps(MAPPED_V4):  # type: ignore[arg-type]
        inner = _mapped(net) if net.subnet_of(MAPPED_V4) else ALL_V4  # type: ignore[arg-type]
        return [net, inner] if inner is not None else [net]
    return [net]


def public_part(networks: Iterable[Network]) -> list[Network]:
    """The public addresses a set of networks covers, collapsed per version."""
    by_version: dict[int, list[Network]] = {4: [], 6: []}
    for net in networks:
        for judged in _networks(net):
            by_version[judged.version].append(judged)
    out: list[Network] = []
    for version, nets in by_version.items():
        if not nets:
            continue
        holes = NON_PUBLIC_V4 if version == 4 else NON_PUBLIC_V6
        collapsed = list(ipaddress.collapse_addresses(nets))  # type: ignore[type-var]
        out.extend(ipaddress.collapse_addresses(_subtract(collapsed, holes)))  # type: ignore[type-var]
    return out


def covers_all_public(networks: Iterable[Network], version: int) -> bool:
    """True when the networks together contain every public address of that version."""
    mine = [n for n in public_part(networks) if n.version == version]
    space = public_space(version)
    return not _subtract(space, mine)  # nothing of the public space left uncovered


def parse_network(text: str) -> Network | None:
    """`10.0.0.0/8`, `10.1.2.3` (a host), `::/0`, `0::/0`; None if not an address."""
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None


@dataclass(frozen=True)
class Source:
    """One source/destination token, classified."""

    text: str
    networks: tuple[Network, ...]  # its address ranges ((): a tag, or not an address)
    public: bool  # covers public address space
    anyone: bool  # means any address at all (`*`, Internet, 0.0.0.0/0, ::/0...)
    tag: bool  # a service tag / keyword rather than a range


@lru_cache(maxsize=4096)
def classify(token: str) -> Source:
    text = token.strip()
    low = text.lower()
    if low in ANYONE_TAGS:
        return Source(text, (ALL_V4,) if ":" not in low else (ALL_V6,), True, True, low == "*")
    net = parse_network(text)
    if net is not None:
        public = bool(public_part([net]))
        anyone = net.prefixlen == 0
        return Source(text, (net,), public, anyone, False)
    if low in INTERNAL_TAGS:
        return Source(text, (), False, False, True)
    return Source(text, (), True, low in ANYONE_TAGS or low == "", True)


def within(networks: Sequence[Network], allowed: Sequence[Network]) -> bool:
    """True when every address of `networks` is inside `allowed`."""
    return _within(tuple(networks), tuple(allowed))


@lru_cache(maxsize=1024)
def _within(networks: tuple[Network, ...], allowed: tuple[Network, ...]) -> bool:
    return all(not _subtract([net], allowed) for net in networks)


def describe(networks: Sequence[Network]) -> str:
    shown = [str(n) for n in networks[:4]]
    more = f" and {len(networks) - 4} more" if len(networks) > 4 else ""
    return ", ".join(shown) + more
