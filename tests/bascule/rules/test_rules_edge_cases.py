"""Focused cases: unknowns, floats, port ranges, IPv6, empty remotes, proxies, secrets."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from bascule.rules import props as p
from bascule.rules.base import ResourceView, StackResource
from bascule.rules.catalog import rule_by_id

U = p.UNKNOWN
STACK = "urn:pulumi:dev::bascule::"
SGR = "openstack:networking/secGroupRule:SecGroupRule"


class Proxy(Mapping[str, Any]):
    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = data

    def __getitem__(self, key: str) -> Any:
        value = self._data[key]
        return Proxy(value) if isinstance(value, Mapping) else value

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


def view(type_: str, props: Mapping[str, Any], name: str = "r", chain: str = "") -> ResourceView:
    urn = f"{STACK}{chain + '$' if chain else ''}{type_}::{name}"
    return ResourceView(type=type_, props=props, urn=urn, name=name)


def check(rule_id: str, v: ResourceView, config: Mapping[str, Any] | None = None) -> list[str]:
    return rule_by_id(rule_id).check_resource(v, config)


def sgr(chain: str = "", **props: Any) -> ResourceView:
    return view(SGR, {"direction": "ingress", "ethertype": "IPv4", **props}, chain=chain)


# ---------------------------------------------------------------------------- props


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (22, 22),
        (22.0, 22),
        ("22", 22),
        ("22.0", 22),
        (22.5, None),
        (True, None),
        (None, None),
        (U, None),
        ("ssh", None),
    ],
)
def test_to_int(value: Any, expected: int | None) -> None:
    assert p.to_int(value) == expected


def test_tag_map_shapes() -> None:
    assert p.tag_map({"wave": "1"}) == {"wave": "1"}
    assert p.tag_map(["project=hdh", "wave=1", "flag"]) == {
        "project": "hdh",
        "wave": "1",
        "flag": "",
    }
    assert p.tag_map(("role=access-gateway",)) == {"role": "access-gateway"}
    assert p.tag_map(None) == {}
    assert p.tag_map(U) is None
    assert p.metadata_of(Proxy({"tags": ["a=1"], "metadata": Proxy({"b": "2"})})) == {
        "a": "1",
        "b": "2",
    }


def test_get_and_unknown() -> None:
    assert p.get({"a": {"b": 1}}, "a.b") == 1
    assert p.get({"a": U}, "a.b") == U
    assert p.get(Proxy({"a": {"b": 2}}), "a.b") == 2
    assert p.get({"a": "x"}, "a.b", "d") == "d"


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (None, None, (1, 65535)),
        (0, 0, (1, 65535)),
        (22.0, 22.0, (22, 22)),
        (20, 30, (20, 30)),
        (22, None, (22, 22)),
        (30, 20, (20, 30)),
        (U, 22, None),
    ],
)
def test_port_range(low: Any, high: Any, expected: Any) -> None:
    assert p.port_range(low, high) == expected


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("0.0.0.0/0", True),
        ("::/0", True),
        ("0::/0", True),
        ("*", True),
        ("Internet", True),
        ("Any", True),
        ("10.0.0.0/8", False),
        ("193.51.24.0/24", False),
        (U, False),
        (None, False),
    ],
)
def test_is_anywhere(prefix: Any, expected: bool) -> None:
    assert p.is_anywhere(prefix) is expected


def test_gateway_detection() -> None:
    chain_urn = f"{STACK}bascule:target:AccessGateway${SGR}::gw-https"
    assert p.is_gateway(chain_urn, "gw-https", {}, {})
    # the gateway component itself is not "in" the gateway
    own_urn = f"{STACK}bascule:target:AccessGateway::gw"
    assert not p.is_gateway(own_urn, "gw", {}, {})
    assert p.is_gateway("urn", "x", {"tags": ["role=access-gateway"]}, {})
    assert p.is_gateway("urn", "x", {"metadata": {"role": "access-gateway"}}, {})
    assert p.is_gateway("urn", "bastion", {}, {"accessGatewayNames": ["bastion"]})
    assert not p.is_gateway("urn", "enclave", {}, {"accessGatewayNames": ["bastion"]})


# ---------------------------------------------------------------------------- PRT-009


def test_ssh_with_float_ports_from_anywhere() -> None:
    msgs = check(
        "PRT-009",
        sgr(protocol="tcp", portRangeMin=22.0, portRangeMax=22.0, remoteIpPrefix="0.0.0.0/0"),
    )
    assert len(msgs) == 1 and "SSH (22)" in msgs[0] and "'0.0.0.0/0'" in msgs[0]


def test_port_range_covering_ssh_counts() -> None:
    msgs = check(
        "PRT-009", sgr(protocol="tcp", portRangeMin=1, portRangeMax=1024, remoteIpPrefix="::/0")
    )
    assert msgs and "SSH (22)" in msgs[0] and "ports 1-1024" in msgs[0]


def test_empty_remote_means_anywhere() -> None:
    msgs = check("PRT-009", sgr(protocol="tcp", portRangeMin=443, portRangeMax=443))
    assert msgs and "no remoteIpPrefix nor remoteGroupId" in msgs[0]
    msgs = check("PRT-009", sgr(protocol="tcp", remoteIpPrefix=""))
    assert msgs and "all ports" in msgs[0]


def test_remote_group_or_prefix_is_fine() -> None:
    assert (
        check("PRT-009", sgr(protocol="tcp", portRangeMin=22, portRangeMax=22, remoteGroupId="abc"))
        == []
    )
    assert check("PRT-009", sgr(protocol="tcp", remoteIpPrefix="10.0.0.0/8")) == []
    assert check("PRT-009", view(SGR, {"direction": "egress", "remoteIpPrefix": "0.0.0.0/0"})) == []


def test_unknowns_report_nothing() -> None:
    assert check("PRT-009", sgr(remoteIpPrefix=U, portRangeMin=22, portRangeMax=22)) == []
    assert check("PRT-009", sgr(remoteIpPrefix="0.0.0.0/0", portRangeMin=U, portRangeMax=U)) == []
    assert check("PRT-009", sgr(remoteIpPrefix="0.0.0.0/0", protocol=U)) == []


def test_gateway_may_expose_https_but_never_ssh() -> None:
    gw = "bascule:target:AccessGateway"
    https = sgr(gw, protocol="tcp", portRangeMin=443.0, portRangeMax=443.0, remoteIpPrefix="::/0")
    assert check("PRT-009", https) == []
    icmp = sgr(gw, protocol="icmp", remoteIpPrefix="0.0.0.0/0")
    assert check("PRT-009", icmp) == []
    all_ports = sgr(gw, protocol="tcp", remoteIpPrefix="0.0.0.0/0")
    msgs = check("PRT-009", all_ports)
    assert msgs and "even on the access gateway" in msgs[0]
    rdp = sgr(gw, protocol="udp", portRangeMin=3389, portRangeMax=3389, remoteIpPrefix="0.0.0.0/0")
    assert "RDP (3389)" in check("PRT-009", rdp)[0]


def test_icmp_from_anywhere_on_enclave_is_open_ingress_without_admin_ports() -> None:
    msgs = check("PRT-009", sgr(protocol="icmp", remoteIpPrefix="0.0.0.0/0"))
    assert len(msgs) == 1 and "SSH" not in msgs[0]


def test_azure_rule_through_proxy_and_nested_properties() -> None:
    nsg = "azure-native:network:NetworkSecurityGroup"
    rules = [
        {
            "name": "r",
            "properties": {
                "direction": "Inbound",
                "access": "Allow",
                "protocol": "Tcp",
                "sourceAddressPrefix": "*",
                "destinationPortRange": 22.0,
            },
        }
    ]
    msgs = check("PRT-009", view(nsg, Proxy({"securityRules": tuple(Proxy(r) for r in rules)})))
    assert len(msgs) == 1 and "SSH (22)" in msgs[0]
    no_port = [
        {
            "direction": "Inbound",
            "access": "Allow",
            "protocol": "*",
            "sourceAddressPrefixes": ["10.0.0.0/8", "0.0.0.0/0"],
        }
    ]
    assert "all ports" in check("PRT-009", view(nsg, {"securityRules": no_port}))[0]


# ---------------------------------------------------------------------------- others


def test_locations_case_and_spaces() -> None:
    sa = "azure-native:storage:StorageAccount"
    assert check("SOV-001", view(sa, {"location": "France Central"})) == []
    assert check("SOV-001", view(sa, {"location": "FRANCESOUTH"})) == []
    assert check("SOV-001", view(sa, {"location": U})) == []
    assert check("SOV-001", view(sa, {"location": "West Europe"})) == [
        "location 'West Europe' is not in the allowed locations [francecentral, francesouth]"
    ]
    assert (
        check("SOV-001", view(sa, {"location": "eastus"}), {"allowedLocations": ["eastus"]}) == []
    )


def test_region_case_insensitive() -> None:
    okms = "ovh:Okms/okms:Okms"
    assert check("SOV-002", view(okms, {"region": "EU-WEST-SBG-SNC"})) == []
    assert check("SOV-002", view(okms, {"region": U})) == []
    assert check("SOV-002", view("openstack:blockstorage/volume:Volume", {})) == []


def test_target_scope_stack() -> None:
    ws = view("azure-native:operationalinsights:Workspace", {"location": "francecentral"})
    assert check("SOV-004", ws) == []
    assert check("SOV-004", ws, {"targetScope": "stack"})


def test_admin_password_secret_is_never_echoed() -> None:
    secret = {p.SECRET_SIG_KEY: "1b47061264138c4ac30d75fd1eb44270", "plaintext": "hunter2"}
    inst = "openstack:compute/instance:Instance"
    msgs = check("PRT-010", view(inst, Proxy({"adminPass": Proxy(secret)})))
    assert len(msgs) == 1 and "hunter2" not in msgs[0]
    assert check("PRT-010", view(inst, {"adminPass": "p4ss"})) and "p4ss" not in str(
        check("PRT-010", view(inst, {"adminPass": "p4ss"}))
    )
    assert check("PRT-010", view(inst, {"adminPass": U})) == []
    assert check("PRT-010", view(inst, {"adminPass": ""})) == []


def test_required_tags_shapes_and_unknown() -> None:
    net = "openstack:networking/network:Network"
    ok = ["project=hdh", "classification=platform", "wave=1"]
    assert check("PRT-012", view(net, {"tags": ok})) == []
    assert check("PRT-012", view(net, {"tags": U})) == []
    assert check("PRT-012", view("pulumi:providers:openstack", {})) == []
    assert check("PRT-012", view("bascule:target:Enclave", {})) == []
    msgs = check("PRT-012", view(net, {"tags": ["project=hdh", "wave=2.0"]}))
    assert msgs == ["missing required metadata/tags [classification]"]


def test_public_ip_gateway_by_name_and_role() -> None:
    fip = "openstack:networking/floatingIp:FloatingIp"
    assert (
        check(
            "PRT-008",
            view(fip, {"pool": "Ext-Net"}, name="bastion"),
            {"accessGatewayNames": ["bastion"]},
        )
        == []
    )
    assert check("PRT-008", view(fip, {"tags": ["role=access-gateway"]})) == []
    assert check("PRT-008", view(fip, {"pool": "Ext-Net"}))


def _stack(type_: str, name: str, props: Mapping[str, Any], deps: tuple[str, ...] = ()) -> Any:
    return StackResource(
        type=type_, props=props, urn=f"{STACK}{type_}::{name}", name=name, dependencies=deps
    )


def test_okms_unknown_id_reports_nothing() -> None:
    sk = "ovh:Okms/serviceKey:ServiceKey"
    resources = [
        _stack(sk, "key-pseudonymisation", {"okmsId": U}),
        _stack(sk, "key-datasets", {"okmsId": U}),
    ]
    assert rule_by_id("PRT-004").check_stack(resources) == []


def test_lock_with_unknown_scope_cannot_decide() -> None:
    sa = _stack("azure-native:storage:StorageAccount", "st1", {"tags": {"wave": "1"}, "id": U})
    lock = _stack(
        "azure-native:authorization:ManagementLockByScope",
        "lock",
        {"level": "ReadOnly", "scope": U},
    )
    rule = rule_by_id("MIG-001")
    assert rule.check_stack([sa, lock], {"cutoverWaves": [1.0]}) == []
    assert len(rule.check_stack([sa], {"cutoverWaves": [1.0]})) == 1
    assert rule.check_stack([sa], {"cutoverWaves": []}) == []


def test_versioning_unknown_reports_nothing() -> None:
    swift = "openstack:objectstorage/container:Container"
    c = _stack(
        swift, "raw", {"metadata": {"classification": "pseudonymised-health"}, "versioning": U}
    )
    assert rule_by_id("PRT-006").check_stack([c]) == []
