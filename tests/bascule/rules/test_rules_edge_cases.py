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


def test_gateway_detection_comes_from_the_component_never_from_tags_or_names() -> None:
    chain_urn = f"{STACK}bascule:target:AccessGateway${SGR}::gw-https"
    assert p.in_gateway(chain_urn, {})
    assert p.in_gateway(f"{STACK}bascule:target:Estate$bascule:azure:AccessGateway${SGR}::g", {})
    # the gateway component itself is not "in" the gateway, nor a grandchild, nor a look-alike
    assert not p.in_gateway(f"{STACK}bascule:target:AccessGateway::gw", {})
    assert not p.in_gateway(f"{STACK}bascule:target:AccessGateway$x:y:Z${SGR}::g", {})
    assert not p.in_gateway(f"{STACK}evil:pkg:AccessGateway${SGR}::g", {})
    # a tag or a name the resource gives itself never makes it the gateway
    assert not p.in_gateway(f"{STACK}{SGR}::bastion", {"accessGatewayNames": ["bastion"]})
    # a reviewer lists exact URNs
    assert p.in_gateway(f"{STACK}{SGR}::bastion", {"accessGatewayUrns": [f"{STACK}{SGR}::bastion"]})
    assert not p.in_gateway(
        f"{STACK}x$y:z:W${SGR}::bastion", {"accessGatewayUrns": [f"{STACK}{SGR}::bastion"]}
    )


# ---------------------------------------------------------------------------- PRT-009

INVENTORY = StackResource(
    type="bascule:target:Estate",
    props={"inventory": {"zones": {
        "gateway": {"cidr": "10.110.1.0/24", "role": "gateway"},
        "management": {"cidr": "10.110.3.0/24", "role": "management"},
        "research": {"cidr": "10.110.16.0/20", "role": "enclaves"},
    }}},
    urn=f"{STACK}bascule:target:Estate::target",
    name="target",
)  # fmt: skip


def flows(*views: ResourceView, config: Mapping[str, Any] | None = None) -> list[str]:
    """PRT-009 over the given resources plus the estate inventory."""
    resources = [INVENTORY] + [
        StackResource(type=v.type, props=v.props, urn=v.urn, name=v.name) for v in views
    ]
    return [f.message for f in rule_by_id("PRT-009").check_stack(resources, config)]


def test_ssh_with_float_ports_from_anywhere() -> None:
    msgs = flows(
        sgr(protocol="tcp", portRangeMin=22.0, portRangeMax=22.0, remoteIpPrefix="0.0.0.0/0")
    )
    assert msgs == [
        "security group rule allows ingress from remoteIpPrefix '0.0.0.0/0' (protocol tcp, port "
        "22): SSH (22) open to the whole internet"
    ]


def test_port_range_covering_ssh_counts() -> None:
    msgs = flows(sgr(protocol="tcp", portRangeMin=1, portRangeMax=1024, remoteIpPrefix="::/0"))
    assert msgs and "SSH (22), Telnet (23), SMB (445)" in msgs[0] and "ports 1-1024" in msgs[0]


def test_empty_remote_means_anywhere_of_the_ethertype() -> None:
    msgs = flows(sgr(protocol="tcp", portRangeMin=443, portRangeMax=443))
    assert msgs and "no remoteIpPrefix, remoteGroupId nor remoteAddressGroupId" in msgs[0]
    msgs = flows(sgr(protocol="tcp", remoteIpPrefix=""))
    assert msgs and "all ports" in msgs[0]


def test_private_sources_and_admin_zones() -> None:
    assert (
        flows(sgr(protocol="tcp", portRangeMin=443, portRangeMax=443, remoteIpPrefix="10.0.0.0/8"))
        == []
    )
    assert (
        flows(sgr(protocol="tcp", portRangeMin=22, portRangeMax=22, remoteIpPrefix="10.110.1.0/24"))
        == []
    )
    wide = flows(
        sgr(protocol="tcp", portRangeMin=22, portRangeMax=22, remoteIpPrefix="10.110.0.0/16")
    )
    assert wide and "reachable from outside the management and gateway zones" in wide[0]
    # the reviewer's list replaces the inventory
    assert (
        flows(
            sgr(protocol="tcp", portRangeMin=22, portRangeMax=22, remoteIpPrefix="10.110.0.0/16"),
            config={"adminSourceCidrs": ["10.110.0.0/16"]},
        )
        == []
    )
    # the admin port list is configurable
    assert (
        flows(
            sgr(protocol="tcp", portRangeMin=22, portRangeMax=22, remoteIpPrefix="10.0.0.0/8"),
            config={"adminPorts": {"RDP": [3389]}},
        )
        == []
    )


def test_admin_zone_unknown_cannot_be_verified() -> None:
    rule = sgr(protocol="tcp", portRangeMin=22, portRangeMax=22, remoteIpPrefix="10.110.1.0/24")
    resource = StackResource(type=rule.type, props=rule.props, urn=rule.urn, name=rule.name)
    found = rule_by_id("PRT-009").check_stack([resource])
    assert [f.message for f in found] == [
        "cannot verify that remoteIpPrefix '10.110.1.0/24' is the management or gateway zone "
        "for SSH (22): no adminSourceCidrs and no estate inventory of zones"
    ]


def test_egress_to_public_space() -> None:
    assert flows(view(SGR, {"direction": "egress", "remoteIpPrefix": "10.110.0.0/16"})) == []
    msgs = flows(view(SGR, {"direction": "egress", "remoteIpPrefix": "0.0.0.0/0"}))
    assert msgs == [
        "security group rule allows egress to remoteIpPrefix '0.0.0.0/0' (the whole internet; "
        "protocol any, all ports)"
    ]


def test_unknowns_report_nothing() -> None:
    assert flows(sgr(remoteIpPrefix=U, portRangeMin=22, portRangeMax=22)) == []
    assert flows(sgr(remoteIpPrefix="0.0.0.0/0", portRangeMin=U, portRangeMax=U)) == []
    assert flows(sgr(remoteIpPrefix="0.0.0.0/0", protocol=U)) == []
    assert flows(view("openstack:networking/secGroup:SecGroup", {"deleteDefaultRules": U})) == []


def test_gateway_may_expose_https_but_never_ssh() -> None:
    gw = "bascule:target:AccessGateway"
    https = sgr(gw, protocol="tcp", portRangeMin=443.0, portRangeMax=443.0, remoteIpPrefix="::/0")
    assert flows(https) == []
    icmp = sgr(gw, protocol="icmp", remoteIpPrefix="0.0.0.0/0")
    assert flows(icmp) == []
    all_ports = sgr(gw, protocol="tcp", remoteIpPrefix="0.0.0.0/0")
    msgs = flows(all_ports)
    assert msgs and "even on the access gateway" in msgs[0]
    rdp = sgr(gw, protocol="udp", portRangeMin=3389, portRangeMax=3389, remoteIpPrefix="0.0.0.0/0")
    assert "RDP (3389)" in flows(rdp)[0]


def test_a_second_gateway_component_loses_the_exemption() -> None:
    gw = "bascule:target:AccessGateway"
    https = sgr(gw, protocol="tcp", portRangeMin=443, portRangeMax=443, remoteIpPrefix="0.0.0.0/0")
    twins = [
        view(gw, {}, name="gateway"),
        view(gw, {}, name="shadow"),
    ]
    assert flows(https, *twins) == [
        "security group rule allows ingress from remoteIpPrefix '0.0.0.0/0' (protocol tcp, port "
        "443): open to the whole internet outside the access gateway"
    ]


def test_icmp_from_anywhere_on_enclave_is_open_ingress_without_admin_ports() -> None:
    msgs = flows(sgr(protocol="icmp", remoteIpPrefix="0.0.0.0/0"))
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
    msgs = flows(view(nsg, Proxy({"securityRules": tuple(Proxy(r) for r in rules)})))
    assert len(msgs) == 1 and "SSH (22)" in msgs[0]
    no_port = [
        {
            "direction": "Inbound",
            "access": "Allow",
            "protocol": "*",
            "sourceAddressPrefixes": ["10.0.0.0/8", "0.0.0.0/0"],
        }
    ]
    assert "all ports" in flows(view(nsg, {"securityRules": no_port}))[0]


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


def test_hyperscaler_packages_by_estate() -> None:
    ws = "azure-native:operationalinsights:Workspace"
    source = view(ws, {"location": "francecentral"}, chain="bascule:azure:Estate")
    assert check("SOV-004", source) == []
    assert check("SOV-004", source, {"targetScope": "stack"})
    # outside the source estate, even at the stack root
    assert check("SOV-004", view(ws, {})) == [
        f"resource type '{ws}' comes from the forbidden package 'azure-native' outside the Azure "
        "source estate"
    ]
    # prefixes and case
    assert check("SOV-004", view("AWS-native:s3:Bucket", {}, chain="bascule:azure:Estate"))
    assert check("SOV-004", view("openstack:compute/instance:Instance", {})) == []
    # an engine default provider of the source package is judged through its users
    assert check("SOV-004", view("pulumi:providers:azure-native", {}, name="default_3_29_0")) == []


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


def test_public_ip_gateway_never_by_name_or_role() -> None:
    fip = "openstack:networking/floatingIp:FloatingIp"
    bastion = view(fip, {"pool": "Ext-Net"}, name="bastion")
    assert check("PRT-008", bastion, {"accessGatewayNames": ["bastion"]})
    assert check("PRT-008", bastion, {"accessGatewayUrns": [bastion.urn]}) == []
    assert check("PRT-008", view(fip, {"tags": ["role=access-gateway"]})) == [
        "public exposure through floating IP (FloatingIp) outside the access gateway"
    ]
    gateway = view(fip, {"pool": "Ext-Net"}, chain="bascule:target:AccessGateway")
    assert check("PRT-008", gateway) == []


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
    assert [f.message for f in rule.check_stack([sa, lock], {"cutoverWaves": [1.0]})] == [
        "cannot verify that storage account 'st1' (wave 1) is locked: the scope or level of "
        "lock(s) [lock] is unknown"
    ]
    # at preview the lock built from the account's id depends on it: it covers that account
    built = StackResource(
        type=lock.type, props=lock.props, urn=lock.urn, name=lock.name, dependencies=(sa.urn,)
    )
    assert rule.check_stack([sa, built], {"cutoverWaves": [1.0]}) == []
    assert [f.message for f in rule.check_stack([sa], {"cutoverWaves": [1.0]})] == [
        "storage account 'st1' (wave 1) is cut over but has no ReadOnly management lock"
    ]
    assert rule.check_stack([sa], {"cutoverWaves": []}) == []
    # a dependency alone does not make a known scope cover another resource
    elsewhere = StackResource(
        type=lock.type,
        props={"level": "ReadOnly", "scope": "/subscriptions/s/resourceGroups/other"},
        urn=lock.urn,
        name=lock.name,
        dependencies=(sa.urn,),
    )
    sa_known = StackResource(
        type=sa.type,
        props={"tags": {"wave": "1"}, "id": "/subscriptions/s/resourceGroups/rg/providers/x/st1"},
        urn=sa.urn,
        name=sa.name,
    )
    assert len(rule.check_stack([sa_known, elsewhere], {"cutoverWaves": [1.0]})) == 1


def test_versioning_unknown_reports_nothing() -> None:
    swift = "openstack:objectstorage/container:Container"
    c = _stack(
        swift, "raw", {"metadata": {"classification": "pseudonymised-health"}, "versioning": U}
    )
    assert rule_by_id("PRT-006").check_stack([c]) == []


# ---------------------------------------------------------------------------- Scaleway


def test_scaleway_unknowns_and_floats_decide_nothing_or_the_same() -> None:
    server = "scaleway:instance/server:Server"
    # A zone not known before the update, an IP id not known: nothing to say yet.
    assert check("SOV-002", view(server, {"zone": U})) == []
    assert check("PRT-008", view(server, {"ipId": U, "ipIds": U, "enableDynamicIp": U})) == []
    assert check("PRT-003", view(server, {"rootVolume": U})) == []
    # Mocked inputs: numbers arrive as floats, booleans as strings.
    assert check("PRT-008", view(server, {"enableDynamicIp": "false"})) == []
    assert check("PRT-016", view("scaleway:keymanager/key:Key", {"rotationPolicy": {
        "rotationPeriod": "8760h"}})) == []  # fmt: skip
    zone = check("SOV-002", view(server, {"zone": "fr-par-12"}))
    assert zone == ["zone 'fr-par-12' is not in the allowed zones [fr-par-1, fr-par-2, fr-par-3]"]


def test_a_scaleway_zone_list_is_its_own_setting() -> None:
    """Allowing a region does not allow its zones by prefix, and a zone list set alone
    still needs the region allowed."""
    server = view("scaleway:instance/server:Server", {"zone": "nl-ams-1", "region": "nl-ams"})
    config = {"allowedScalewayZones": ["nl-ams-1"]}
    assert check("SOV-002", server, config) == [
        "region 'nl-ams' is not in the allowed regions [fr-par]"
    ]
    both = {**config, "allowedScalewayRegions": ["nl-ams"]}
    assert check("SOV-002", server, both) == []


def test_a_scaleway_estate_is_not_excused_from_write_once_storage() -> None:
    """PRT-018 excuses estates whose provider has no object lock; Scaleway has one, so a
    Scaleway estate whose audit trail is elsewhere gets PRT-017's demands, not PRT-018's
    advisory."""
    chain = "bascule:target:Estate"
    swift = StackResource(
        "openstack:objectstorage/container:Container",
        {"metadata": {"classification": "audit-logs"}},
        f"{STACK}{chain}$openstack:objectstorage/container:Container::audit",
        "audit",
    )
    bucket = StackResource(
        "scaleway:object/bucket:Bucket",
        {"name": "ds", "tags": {"classification": "pseudonymised-health"}},
        f"{STACK}{chain}$scaleway:object/bucket:Bucket::ds",
        "ds",
    )
    assert rule_by_id("PRT-018").check_stack([swift]) != []
    assert rule_by_id("PRT-018").check_stack([swift, bucket]) == []
