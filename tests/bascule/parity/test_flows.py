"""Inbound flows by meaning: NSG priorities, Azure's defaults, NSGs in series, coverage."""

from __future__ import annotations

from typing import Any

import pytest

from bascule.parity import flows as fl
from bascule.parity.flows import Flow


def rule(priority: Any, access: str, source: Any, port: Any = "*", protocol: str = "Tcp",
         direction: str = "Inbound") -> dict[str, Any]:  # fmt: skip
    return {
        "priority": priority,
        "access": access,
        "direction": direction,
        "sourceAddressPrefix": source,
        "destinationPortRange": port,
        "protocol": protocol,
    }


def texts(flows: frozenset[Flow]) -> set[str]:
    return {fl.named(f, {}) for f in flows}


DENY_ALL = rule(4096, "Deny", "*", "*", "*")


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        # The defaults alone: the VNet in, nothing else.
        ([], {"10.0.0.0/16 any/any"}),
        ([rule(100, "Allow", "Internet", "443"), DENY_ALL], {"internet tcp/443"}),
        # An earlier Deny shadowing the whole Allow drops it; priority, not order, decides.
        ([rule(200, "Allow", "0.0.0.0/0", "22"), rule(100, "Deny", "*", "22"), DENY_ALL], set()),
        # A Deny covering part of an Allow: kept, marked; it covers nothing on a target.
        (
            [rule(100, "Deny", "*", "22"), rule(200, "Allow", "*", "*", "*"), DENY_ALL],
            {"internet any/any (partly denied)"},
        ),
        # Denying the Internet tag does not deny the VNet's own ranges.
        (
            [rule(100, "Deny", "Internet", "*", "*"), rule(200, "Allow", "10.0.1.0/24", "22"),
             DENY_ALL],
            {"10.0.1.0/24 tcp/22"},
        ),
        # Outbound rules, and words other than Allow, allow nothing in.
        ([rule(100, "Allow", "*", "22", direction="Outbound"), rule(110, "Log", "*"), DENY_ALL],
         set()),
        # Mocked numbers arrive as floats; ranges and lists of ranges.
        (
            [{**rule(100.0, "Allow", "10.0.1.0/24"), "destinationPortRange": None,
              "destinationPortRanges": ["8000-8080", 22.0]}, DENY_ALL],
            {"10.0.1.0/24 tcp/8000-8080", "10.0.1.0/24 tcp/22"},
        ),
    ],
)  # fmt: skip
def test_one_nsg(rules: list[dict[str, Any]], expected: set[str]) -> None:
    assert texts(fl.nsg_allows(rules, ["10.0.0.0/16"])) == expected


def test_nsgs_in_series_keep_what_both_allow() -> None:
    subnet = fl.nsg_allows([rule(100, "Allow", "Internet", "443")], ["10.0.0.0/16"])
    nic = fl.nsg_allows(
        [rule(100, "Allow", "Internet", "443"), rule(110, "Allow", "10.0.0.0/27", "22"),
         rule(120, "Allow", "Internet", "8443"), DENY_ALL], ["10.0.0.0/16"]
    )  # fmt: skip
    # 8443 from the internet is blocked by the subnet; the VNet default narrows to SSH.
    assert texts(fl.in_series(subnet, nic)) == {"internet tcp/443", "10.0.0.0/27 tcp/22"}
    # A flow one side allows only in part is marked.
    wide = frozenset({Flow("10.0.0.0/16", "any")})
    narrow = frozenset({Flow("10.0.0.0/8", "tcp", 22, 22)})
    assert texts(fl.in_series(wide, narrow)) == {
        "10.0.0.0/16 any/any (partly allowed)",
        "10.0.0.0/8 tcp/22 (partly allowed)",
    }


@pytest.mark.parametrize(
    ("target", "source", "within"),
    [
        (["gateway tcp/22"], ["gateway tcp/22"], True),
        (["10.0.1.0/24 tcp/22"], ["10.0.0.0/16 tcp/22"], True),
        (["10.0.1.0/24 tcp/22"], ["10.0.0.0/16 tcp/20-30"], True),
        (["10.0.1.0/24 tcp/22"], ["internet any/any"], True),
        (["10.0.1.0/24 tcp/22"], ["10.0.0.0/16 udp/22"], False),
        (["internet tcp/22"], ["203.0.113.0/24 tcp/22"], False),
        (["10.0.1.0/24 tcp/22"], ["internet any/any (partly denied)"], False),
        (["gateway tcp/22"], ["10.110.1.0/24 tcp/22"], False),  # a name and a range: unknown
        (["::/0 tcp/22"], ["0.0.0.0/0 tcp/22"], False),
        ([], ["internet tcp/22"], True),
        (["not a flow"], ["not a flow"], True),
        (["not a flow"], ["internet any/any"], False),
    ],
)
def test_coverage(target: list[str], source: list[str], within: bool) -> None:
    assert fl.covered(target, source) is within


@pytest.mark.parametrize(
    ("rule_props", "expected"),
    [
        ({"direction": "ingress", "protocol": "tcp", "portRangeMin": 22.0, "portRangeMax": 22.0,
          "remoteIpPrefix": "10.0.0.0/24"}, "10.0.0.0/24 tcp/22"),
        ({"direction": "ingress", "protocol": "6"}, "internet tcp/any"),
        ({"direction": "ingress", "remoteGroupId": "g1"}, "group:web any/any"),
        ({"direction": "ingress", "remoteAddressGroupId": "ag"}, "address-group:ag any/any"),
        ({"direction": "ingress", "remoteIpPrefix": "::/0", "protocol": "udp",
          "portRangeMax": 53}, "internet udp/53"),
        ({"direction": "egress", "remoteIpPrefix": "0.0.0.0/0"}, None),
    ],
)  # fmt: skip
def test_openstack_rules(rule_props: dict[str, Any], expected: str | None) -> None:
    flow = fl.sg_rule_flow(rule_props, {"g1": "web"})
    assert (fl.named(flow, {}) if flow else None) == expected


def test_zone_names_and_nova_rules() -> None:
    zones = {"10.0.1.0/24": "app"}
    assert fl.named(Flow("10.0.1.0/24", "tcp", 22, 22), zones) == "app tcp/22"
    assert fl.zone_key("10.0.1.7/24") == "10.0.1.0/24"
    assert fl.zone_key(None) is None
    nova = fl.nova_rule_flow({"ipProtocol": "icmp", "fromPort": -1, "toPort": -1, "cidr": ""}, {})
    assert nova.text() == "internet icmp/any"
    assert Flow.parse("app tcp/22 (partly denied)") == Flow("app", "tcp", 22, 22, "partly denied")
