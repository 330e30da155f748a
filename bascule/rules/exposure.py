"""Network exposure: public IPs and open ingress."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator, Mapping
from typing import Any

from bascule.rules import props as p
from bascule.rules.base import Enforcement, Param, ResourceView, Rule, Severity

FLOATING_TYPES = (
    "openstack:networking/floatingIp:FloatingIp",
    "openstack:networking/floatingIpAssociate:FloatingIpAssociate",
    "openstack:compute/floatingIpAssociate:FloatingIpAssociate",
)
INSTANCE = "openstack:compute/instance:Instance"
AZ_PUBLIC_IP = "azure-native:network:PublicIPAddress"
AZ_NIC = "azure-native:network:NetworkInterface"
SEC_GROUP_RULE = "openstack:networking/secGroupRule:SecGroupRule"
NSG = "azure-native:network:NetworkSecurityGroup"
AZ_SECURITY_RULE = "azure-native:network:SecurityRule"

GATEWAY_PARAM = {
    "accessGatewayNames": Param(p.str_list_schema(), [], p.GATEWAY_NAMES_DESC),
}


def _gateway(view: ResourceView, params: Mapping[str, Any]) -> bool:
    return p.is_gateway(view.urn, view.name, view.props, params)


def _is_public_ip(value: Any) -> bool:
    if not isinstance(value, str) or not value or p.is_unknown(value):
        return False
    try:
        return ipaddress.ip_address(value.strip()).is_global
    except ValueError:
        return False


# --------------------------------------------------------------------------- PRT-008


def _check_public_ip(view: ResourceView, params: Mapping[str, Any]) -> Iterator[str]:
    props = view.props
    found: list[str] = []
    if view.type in FLOATING_TYPES:
        address = props.get("address") or props.get("floatingIp")
        shown = f" {address}" if isinstance(address, str) and not p.is_unknown(address) else ""
        found.append(f"floating IP{shown} ({view.type.rsplit(':', 1)[-1]})")
    elif view.type == AZ_PUBLIC_IP:
        address = props.get("ipAddress")
        shown = f" {address}" if isinstance(address, str) and not p.is_unknown(address) else ""
        found.append(f"Azure public IP address{shown}")
    elif view.type == AZ_NIC:
        for index, config in enumerate(p.iter_mappings(props.get("ipConfigurations"))):
            pip = config.get("publicIPAddress")
            if pip is None:
                pip = p.get(config, "properties.publicIPAddress")
            if p.has_value(pip) and not p.is_unknown(pip):
                found.append(f"ipConfigurations[{index}].publicIPAddress")
    elif view.type == INSTANCE:
        for key in ("accessIpV4", "accessIpV6"):
            if _is_public_ip(props.get(key)):
                found.append(f"{key} '{props.get(key)}'")
        for index, net in enumerate(p.iter_mappings(props.get("networks"))):
            fip = net.get("floatingIp")
            if p.has_value(fip) and not p.is_unknown(fip):
                found.append(f"networks[{index}].floatingIp '{fip}'")
    if not found or _gateway(view, params):
        return
    for item in found:
        yield f"public exposure through {item} outside the declared access gateway"


PRT_008 = Rule(
    id="PRT-008",
    slug="no-public-ip-on-enclaves",
    pack="protection",
    severity=Severity.CRITICAL,
    enforcement=Enforcement.MANDATORY,
    description=(
        "Only the declared access gateway may have a public (floating) IP address; "
        "enclaves and data services stay private."
    ),
    remediation=(
        "Remove the FloatingIp/FloatingIpAssociate, Azure PublicIPAddress or "
        "`ipConfigurations[].publicIPAddress`; reach the enclave through the bascule "
        "AccessGateway component (or tag it role=access-gateway / list it in "
        "`accessGatewayNames` if it is the gateway)."
    ),
    secnumcloud=("9.7",),
    hds=("hds-security", "third-country-access"),
    params=dict(GATEWAY_PARAM),
    resource_check=_check_public_ip,
    applies_to=(*FLOATING_TYPES, INSTANCE, AZ_PUBLIC_IP, AZ_NIC),
    checkov_id="CKV_BSC_3",
    rationale=(
        "The access gateway is the tenancy's single, audited entry point. Any other public address"
        " on an enclave or data service bypasses it (SecNumCloud 9.7 restriction of access, 13.2 "
        "partitioning)."
    ),
)


# --------------------------------------------------------------------------- PRT-009

ADMIN_PORTS = {22: "SSH", 3389: "RDP"}
PORT_PROTOCOLS = ("", "any", "*", "tcp", "udp", "6", "17")


def _admin_hits(protocol: Any, rng: tuple[int, int]) -> list[str]:
    proto = "" if protocol is None else str(protocol).strip().lower()
    if proto not in PORT_PROTOCOLS:
        return []
    return [f"{name} ({port})" for port, name in ADMIN_PORTS.items() if p.covers(rng, port)]


def _fmt_range(rng: tuple[int, int]) -> str:
    if rng[0] <= 1 and rng[1] >= 65535:
        return "all ports"
    return f"port {rng[0]}" if rng[0] == rng[1] else f"ports {rng[0]}-{rng[1]}"


def _verdict(
    what: str, source: str, protocol: Any, rng: tuple[int, int], gateway: bool
) -> str | None:
    admin = _admin_hits(protocol, rng)
    proto = protocol if protocol not in (None, "") else "any"
    base = f"{what} allows ingress from {source} (protocol {proto}, {_fmt_range(rng)})"
    if admin:
        suffix = " even on the access gateway" if gateway else ""
        return f"{base}: {' and '.join(admin)} open to anywhere{suffix}"
    if gateway:
        return None
    return f"{base} outside the declared access gateway"


def _check_sg_rule(view: ResourceView, params: Mapping[str, Any]) -> Iterator[str]:
    props = view.props
    direction = props.get("direction")
    if not isinstance(direction, str) or direction.lower() != "ingress":
        return
    prefix = props.get("remoteIpPrefix")
    group = props.get("remoteGroupId")
    if p.is_unknown(prefix) or p.is_unknown(group):
        return
    if p.has_value(prefix):
        if not p.is_anywhere(prefix):
            return
        source = f"remoteIpPrefix '{prefix}'"
    elif p.has_value(group):
        return
    else:
        source = "anywhere (no remoteIpPrefix nor remoteGroupId)"
    rng = p.port_range(props.get("portRangeMin"), props.get("portRangeMax"))
    protocol = props.get("protocol")
    if rng is None or p.is_unknown(protocol):
        return
    message = _verdict("security group rule", source, protocol, rng, _gateway(view, params))
    if message:
        yield message


def _azure_rule(rule: Mapping[str, Any]) -> Mapping[str, Any]:
    nested = rule.get("properties")
    return nested if isinstance(nested, Mapping) and "direction" in nested else rule


def _azure_message(rule: Mapping[str, Any], label: str, gateway: bool) -> str | None:
    rule = _azure_rule(rule)
    direction = rule.get("direction")
    access = rule.get("access")
    if not (isinstance(direction, str) and direction.lower() == "inbound"):
        return None
    if not (isinstance(access, str) and access.lower() == "allow"):
        return None
    sources = [rule.get("sourceAddressPrefix"), *p.as_seq(rule.get("sourceAddressPrefixes"))]
    open_sources = [s for s in sources if p.is_anywhere(s)]
    if not open_sources:
        return None
    specs = [rule.get("destinationPortRange"), *p.as_seq(rule.get("destinationPortRanges"))]
    specs = [s for s in specs if s is not None]
    if any(p.is_unknown(s) for s in specs):
        return None
    ranges = [r for r in (p.parse_port_spec(s) for s in specs) if r is not None]
    if not specs:
        ranges = [(0, 65535)]
    if not ranges:
        return None
    protocol = rule.get("protocol")
    source = f"sourceAddressPrefix '{open_sources[0]}'"
    # report the most severe range: one with an admin port first
    ranges.sort(key=lambda r: not _admin_hits(protocol, r))
    return _verdict(label, source, protocol, ranges[0], gateway)


def _check_nsg(view: ResourceView, params: Mapping[str, Any]) -> Iterator[str]:
    gateway = _gateway(view, params)
    if view.type == AZ_SECURITY_RULE:
        message = _azure_message(view.props, "security rule", gateway)
        if message:
            yield message
        return
    for index, rule in enumerate(p.iter_mappings(view.props.get("securityRules"))):
        name = rule.get("name")
        label = f"securityRules[{index}]" + (f" '{name}'" if isinstance(name, str) else "")
        message = _azure_message(rule, label, gateway)
        if message:
            yield message


def _check_ingress(view: ResourceView, params: Mapping[str, Any]) -> Iterator[str]:
    if view.type == SEC_GROUP_RULE:
        yield from _check_sg_rule(view, params)
    elif view.type in (NSG, AZ_SECURITY_RULE):
        yield from _check_nsg(view, params)


PRT_009 = Rule(
    id="PRT-009",
    slug="no-open-ingress",
    pack="protection",
    severity=Severity.CRITICAL,
    enforcement=Enforcement.MANDATORY,
    description=(
        "No ingress from anywhere except to the declared access gateway, and never SSH or "
        "RDP from anywhere, not even to the gateway."
    ),
    remediation=(
        "Set `remoteIpPrefix` (OpenStack SecGroupRule) or `sourceAddressPrefix` (Azure "
        "security rule) to the administration network or use `remoteGroupId`; expose only "
        "the AccessGateway's service port (e.g. 443), and reach SSH/RDP through the bastion "
        "from known prefixes."
    ),
    secnumcloud=("9.7", "10.2"),
    hds=("hds-security", "third-country-access"),
    params=dict(GATEWAY_PARAM),
    resource_check=_check_ingress,
    applies_to=(SEC_GROUP_RULE, NSG, AZ_SECURITY_RULE),
    rationale=(
        "Ingress from the internet anywhere but the gateway's service port, or administration "
        "ports reachable from outside the management and gateway zones, opens the enclaves to the "
        "world (SecNumCloud 9.6 d, 9.7, 13.2 e)."
    ),
)


RULES = (
    PRT_008,
    PRT_009,
)
