"""The IPsec interconnect between the estates: each end's suite against ANSSI's IPsec
recommendations, a pre-shared key at both ends, and the two ends agreeing.

Parameters come from ANSSI's IPsec and cryptographic-mechanism guides ("Recommandations de
sécurité relatives à IPsec pour la protection des flux réseau", NT IPsec v1.1, and the
"Guide de sélection d'algorithmes cryptographiques", ANSSI-PA-079, 2021-03-08), as the issue
and Stormshield's ANSSI configuration guide for SNS 4.3 summarise them (documentation.
stormshield.eu, "Encryption profiles" and "Key exchange and authentication", read
2026-12-01; the ANSSI PDFs themselves were not reachable, so these are secondary readings):
IKEv2 only; ESP only; AES-GCM-256, or AES-CBC-256 with HMAC-SHA-256 or better; a SHA-2 PRF;
Diffie-Hellman on elliptic curves of at least 256 bits (groups 19, 20, 21, Brainpool 28, 29,
30) or MODP of at least 3072 bits (15 to 18); PFS on; cryptoperiods of at most 86,400 s for
IKE and 21,600 s for IPsec (the lowest values Stormshield lists as acceptable; it recommends
21,600 s and 3,600 s).
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from bascule.rules import ipsec_suites as s
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
from bascule.rules.check import Params, Resources, findings

SUITE_PARAMS = {
    "allowedCiphers": Param.str_list(
        ["aes-256-gcm", "aes-256-cbc"],
        "Ciphers accepted for IKE and ESP (`aes-256-gcm` is AES-GCM with a 16-octet ICV).",
    ),
    "allowedHashes": Param.str_list(
        ["sha256", "sha384", "sha512"],
        "Hashes accepted as the IKE PRF, and as ESP integrity with a CBC cipher.",
    ),
    "allowedGroups": Param(
        {"type": "array", "items": {"type": "integer"}},
        [15, 16, 17, 18, 19, 20, 21, 28, 29, 30],
        "Diffie-Hellman groups (IANA numbers) accepted for IKE and PFS.",
    ),
}
IKE_PARAMS = {
    **SUITE_PARAMS,
    "maxIkeLifetimeSeconds": Param(p.int_schema(60), 86400, "Longest IKE SA lifetime (s)."),
}
ESP_PARAMS = {
    **SUITE_PARAMS,
    "maxIpsecLifetimeSeconds": Param(p.int_schema(60), 21600, "Longest IPsec SA lifetime (s)."),
}
IPSEC_CONNECTION_TYPES = ("ipsec", "vnet2vnet")
OS_SERVICE = "openstack:vpnaas/service:Service"


def _azure_ipsec(props: Mapping[str, Any]) -> bool:
    kind = props.get("connectionType")
    return not isinstance(kind, str) or kind.strip().lower() in IPSEC_CONNECTION_TYPES


def _values(params: Params, key: str) -> list[str]:
    return [v.lower() for v in p.str_values(params[key])]


def _groups(params: Params) -> list[int]:
    return [n for n in (p.to_int(v) for v in p.as_seq(params["allowedGroups"])) if n is not None]


def _cipher(value: s.Value | None, params: Params) -> Iterator[str]:
    allowed = _values(params, "allowedCiphers")
    if value is not None and value.known and value.value not in allowed:
        yield (
            f"{value.where} is {value.raw} ({value.value}): the cipher must be one of "
            f"{p.fmt_list(allowed)}"
        )


def _hash(value: s.Value | None, params: Params, role: str) -> Iterator[str]:
    allowed = _values(params, "allowedHashes")
    if value is not None and value.known and value.value not in allowed:
        yield f"{value.where} is {value.raw}: {role} must be one of {p.fmt_list(allowed)}"


def _group(value: s.Value | None, params: Params, role: str) -> Iterator[str]:
    if value is None or not value.known:
        return
    allowed = _groups(params)
    if value.value == 0:
        yield f"{value.where} is {value.raw}: {role} is off (perfect forward secrecy required)"
    elif value.value not in allowed:
        shown = s.group_text(value.value) if isinstance(value.value, int) else value.value
        yield (
            f"{value.where} is {value.raw} ({shown}): {role} must be one of groups "
            f"{p.fmt_list(allowed)} (elliptic curves of 256 bits or more, MODP of 3072 or more)"
        )


def _lifetime(value: s.Value | None, maximum: Any, kind: str) -> Iterator[str]:
    limit = p.to_int(maximum)
    if value is None or not value.known or limit is None:
        return
    if not isinstance(value.value, int) or value.value <= 0:
        yield f"{value.where} is {value.raw}: the {kind} SA lifetime must be bounded"
    elif value.value > limit:
        yield f"{value.where} is {value.raw}: the {kind} SA lifetime must be at most {limit} s"


def judge_ike(suite: s.Suite, params: Params) -> Iterator[str]:
    version = suite.ike_version
    if version is not None and version.known and version.value != "ikev2":
        hint = "set IKEv2" if version.value == "unset" else "IKEv2 only"
        yield f"{version.where} is {version.raw}: {hint}"
    yield from _cipher(suite.ike_encryption, params)
    yield from _hash(suite.ike_prf, params, "the IKE PRF (integrity)")
    yield from _group(suite.dh_group, params, "the IKE Diffie-Hellman group")
    yield from _lifetime(suite.ike_lifetime, params["maxIkeLifetimeSeconds"], "IKE")


def judge_esp(suite: s.Suite, params: Params) -> Iterator[str]:
    protocol = suite.esp_protocol
    if protocol is not None and protocol.known and protocol.value != "esp":
        yield f"{protocol.where} is {protocol.raw}: ESP only (AH does not encrypt)"
    yield from _cipher(suite.esp_encryption, params)
    integrity = suite.esp_integrity
    if integrity is not None and integrity.value == "mismatch":
        yield (
            f"{integrity.where} is {integrity.raw}: with a GCM cipher it must name the same "
            "GCMAES algorithm and key length as the encryption"
        )
    elif integrity is not None and integrity.value != "aead":
        yield from _hash(integrity, params, "ESP integrity (HMAC)")
    yield from _group(suite.pfs_group, params, "the PFS group")
    yield from _lifetime(suite.esp_lifetime, params["maxIpsecLifetimeSeconds"], "IPsec")


NO_POLICY = (
    "has no ipsecPolicies entry: Azure then negotiates its default proposals, which include "
    "suites ANSSI does not accept; set one explicit policy"
)


SCW_NO_CIPHERS = (
    "has no ikev2Ciphers or espCiphers entry: Scaleway then negotiates its default "
    "proposals; set one explicit cipher per phase"
)


Judge = Callable[[s.Suite, Mapping[str, Any]], Iterator[str]]


def _check_phase(
    view: ResourceView,
    params: Params,
    neutron: tuple[str, Callable[[Mapping[str, Any]], s.Suite]],
    judge: Judge,
) -> Iterator[str]:
    """One IPsec phase (IKE or ESP): a neutron policy of `neutron`'s type, or the Azure
    connection's explicit policy (none at all is a finding of its own)."""
    neutron_type, read = neutron
    if view.type == neutron_type:
        yield from judge(read(view.props), params)
        return
    if view.type == s.SCW_CONNECTION:
        suite = s.scaleway_suite(view.props)
        if suite is not None:
            yield from judge(suite, params)
        elif not p.is_unknown(view.props.get("ikev2Ciphers")) and not p.is_unknown(
            view.props.get("espCiphers")
        ):
            yield f"connection {SCW_NO_CIPHERS}"
        return
    if view.type != s.AZ_CONNECTION or not _azure_ipsec(view.props):
        return
    suite = s.azure_suite(view.props)
    if suite is None:
        if not p.is_unknown(view.props.get("ipsecPolicies")):
            yield f"connection {NO_POLICY}"
        return
    yield from judge(suite, params)


def _check_ike(view: ResourceView, params: Params) -> Iterator[str]:
    yield from _check_phase(view, params, (s.OS_IKE, s.neutron_ike), judge_ike)


def _check_esp(view: ResourceView, params: Params) -> Iterator[str]:
    yield from _check_phase(view, params, (s.OS_IPSEC, s.neutron_esp), judge_esp)


class _Phase(NamedTuple):
    """One phase of the suite: its neutron-vpnaas policy type, its parameters, its check."""

    neutron_type: str
    params: Mapping[str, Param]
    check: Callable[[ResourceView, Params], Iterator[str]]


IKE = _Phase(s.OS_IKE, IKE_PARAMS, _check_ike)
ESP = _Phase(s.OS_IPSEC, ESP_PARAMS, _check_esp)
ANSSI = ("10.2",)


def _phase_rule(
    rule_id: str,
    slug: str,
    *,
    phase: _Phase,
    description: str,
    remediation: str,
    rationale: str,
) -> Rule:
    """MIG-010 and MIG-011, the two phases of one IPsec suite: the same mapping and the same
    ends (the Azure connection, the phase's neutron-vpnaas policy, the Scaleway connection)."""
    neutron_type, params, check = phase
    return Rule(
        id=rule_id,
        slug=slug,
        severity=Severity.HIGH,
        enforcement=Enforcement.MANDATORY,
        description=description,
        remediation=remediation,
        secnumcloud=ANSSI,
        hds=("hds-security",),
        params=dict(params),
        resource_check=check,
        applies_to=(s.AZ_CONNECTION, neutron_type, s.SCW_CONNECTION),
        rationale=rationale,
    )


MIG_010 = _phase_rule(
    "MIG-010",
    "ipsec-ike-anssi",
    phase=IKE,
    description=(
        "The interconnect's IKE SA follows ANSSI's IPsec recommendations: IKEv2, AES-GCM-256 "
        "or AES-CBC-256, a SHA-2 PRF, an accepted Diffie-Hellman group, a bounded lifetime."
    ),
    remediation=(
        "Azure: set `connectionProtocol: IKEv2` and one `ipsecPolicies` entry with "
        "`ikeEncryption: GCMAES256`, `ikeIntegrity: SHA384`, `dhGroup: ECP384`; neutron-vpnaas "
        "IkePolicy: `ikeVersion: v2`, `encryptionAlgorithm: aes-256-gcm-16`, `authAlgorithm: "
        "sha384`, `pfs: group20`, a `lifetimes` entry of at most 86400 s. Scaleway s2svpn "
        "Connection: `ikev2Ciphers` `{encryption: aes256gcm, integrity: sha384, dhGroup: "
        "ecp384}` (its SA lifetimes are Scaleway's own)."
    ),
    rationale=(
        "The interconnect carries health data between the estates over the internet for the "
        "whole migration: a weak IKE SA (IKEv1, 3DES, SHA-1, small Diffie-Hellman groups) "
        "lets an observer of that path recover or forge the keys of every tunnel it "
        "negotiates. SecNumCloud 10.2 asks for flows encrypted per ANSSI's rules; the suites "
        "are those of ANSSI's IPsec recommendations (NT IPsec) and cryptographic-mechanism "
        "guide (ANSSI-PA-079)."
    ),
)

MIG_011 = _phase_rule(
    "MIG-011",
    "ipsec-esp-anssi",
    phase=ESP,
    description=(
        "The interconnect's IPsec (ESP) SAs follow ANSSI's IPsec recommendations: ESP, "
        "AES-GCM-256 or AES-CBC-256 with HMAC-SHA-256 or better, PFS with an accepted group, "
        "a bounded lifetime."
    ),
    remediation=(
        "Azure `ipsecPolicies[0]`: `ipsecEncryption: GCMAES256`, `ipsecIntegrity: GCMAES256`, "
        "`pfsGroup: ECP384`, `saLifeTimeSeconds` of at most 21600; neutron-vpnaas IpSecPolicy: "
        "`transformProtocol: esp`, `encryptionAlgorithm: aes-256-gcm-16`, `pfs: group20`, a "
        "`lifetimes` entry of at most 21600 s. Scaleway s2svpn Connection: `espCiphers` "
        "`{encryption: aes256gcm, dhGroup: ecp384}`."
    ),
    rationale=(
        "The ESP SAs protect the data itself: AH or a null cipher sends it in clear, and an "
        "old cipher, no PFS or an unbounded lifetime lets one broken key expose a whole "
        "wave's transfer. SecNumCloud 10.2 asks for flows encrypted per ANSSI's rules (NT "
        "IPsec, ANSSI-PA-079)."
    ),
)


def _key_missing(value: Any) -> bool:
    return not p.is_unknown(value) and not p.has_value(value)


def _check_psk(view: ResourceView, params: Params) -> Iterator[str]:
    if view.type == s.AZ_CONNECTION and _azure_ipsec(view.props):
        if _key_missing(view.props.get("sharedKey")):
            yield (
                "sharedKey is not set: Azure would generate a key outside the stack's "
                "secrets; set it from the secret bascule:interconnectSharedKey"
            )
    elif view.type == s.OS_SITE and _key_missing(view.props.get("psk")):
        yield "psk is not set: set it from the secret bascule:interconnectSharedKey"
    elif view.type == s.SCW_CONNECTION and _key_missing(view.props.get("secretId")):
        yield (
            "secretId is not set: Scaleway would generate the pre-shared key itself; store "
            "bascule:interconnectSharedKey in a Secret Manager secret and name it"
        )


MIG_012 = Rule(
    id="MIG-012",
    slug="ipsec-psk-set",
    severity=Severity.HIGH,
    enforcement=Enforcement.MANDATORY,
    description=(
        "Both ends of the interconnect authenticate with a pre-shared key set by the stack "
        "(never left to a provider default); that it is a Pulumi secret is checked on the "
        "snapshot by `bascule check` and `bascule waves`, where secrets keep their form."
    ),
    remediation=(
        "`pulumi config set --secret bascule:interconnectSharedKey` (a random key of at least "
        "32 characters, RGS annex B3); the components pass it to the Azure connection's "
        "`sharedKey` and the site connection's `psk` as a secret (Scaleway: a Secret Manager "
        "secret named by the s2svpn connection's `secretId`)."
    ),
    secnumcloud=("10.2", "10.5"),
    hds=("hds-security",),
    resource_check=_check_psk,
    applies_to=(s.AZ_CONNECTION, s.OS_SITE, s.SCW_CONNECTION),
    rationale=(
        "Without a pre-shared key set by the stack an end falls back to a provider default or "
        "refuses to authenticate, and a key held in clear in the stack files is known to "
        "anyone who reads them: either way the peer is not authenticated. SecNumCloud 10.2 "
        "(authenticated flows) and 10.5 (secrets kept as secrets)."
    ),
)


# --------------------------------------------------------------------------- MIG-013


def _by_id(resources: Resources, kind: str) -> dict[str, StackResource]:
    found = {}
    for res in resources:
        rid = res.props.get("id")
        if res.type == kind and isinstance(rid, str) and not p.is_unknown(rid):
            found[rid.lower()] = res
    return found


def _ref(props: Mapping[str, Any], key: str) -> str | None:
    value = props.get(key)
    if isinstance(value, Mapping):
        value = value.get("id")
    return value.lower() if isinstance(value, str) and not p.is_unknown(value) else None


def _cidrs(values: Any) -> frozenset[str] | None:
    out = set()
    for value in p.as_seq(values):
        if not isinstance(value, str) or p.is_unknown(value):
            return None
        try:
            out.add(str(ipaddress.ip_network(value.strip(), strict=False)))
        except ValueError:
            out.add(value.strip())
    return frozenset(out)


def _local_subnets(group: StackResource, resources: Resources) -> frozenset[str] | None:
    """CIDRs of a `subnet` endpoint group: its endpoints matched to subnets by id, or, in a
    synthesized snapshot (no ids in outputs), the subnets it depends on."""
    endpoints = [e for e in p.as_seq(group.props.get("endpoints")) if isinstance(e, str)]
    subnets = {r.urn: r for r in resources if r.type == s.OS_SUBNET}
    by_id = _by_id(resources, s.OS_SUBNET)
    cidrs = set()
    for endpoint in endpoints:
        subnet = by_id.get(endpoint.lower())
        if subnet is None:
            break
        cidrs.add(str(subnet.props.get("cidr")))
    else:
        return _cidrs(sorted(cidrs)) if endpoints else None
    depended = [subnets[u] for u in group.dependencies if u in subnets]
    if len(depended) != len(endpoints):
        return None
    return _cidrs([d.props.get("cidr") for d in depended])


class _Ends:
    """The Azure connection and the neutron site connection of one tunnel, and the parts
    each refers to: by id (a real export), else by the dependency the reference made (a
    synthesized snapshot, whose outputs carry no provider ids)."""

    def __init__(
        self, azure: StackResource, site: StackResource, everything: Sequence[StackResource]
    ) -> None:
        self.azure, self.site, self.all = azure, site, everything
        self.by_urn = {r.urn: r for r in everything}
        self.local_gateway = self.part(azure, "localNetworkGateway2", s.AZ_LOCAL_GATEWAY)

    def part(self, owner: StackResource, key: str, kind: str) -> StackResource | None:
        wanted = _ref(owner.props, key)
        if wanted is not None:
            found = _by_id(self.all, kind).get(wanted)
            if found is not None:
                return found
        deps = [self.by_urn[u] for u in owner.dependencies if u in self.by_urn]
        matches = [d for d in deps if d.type == kind]
        return matches[0] if len(matches) == 1 else None

    def group(self, key: str, group_type: str) -> StackResource | None:
        """The site connection's local (`subnet`) or peer (`cidr`) endpoint group."""
        wanted = _ref(self.site.props, key)
        if wanted is not None and wanted in _by_id(self.all, s.OS_ENDPOINTS):
            return _by_id(self.all, s.OS_ENDPOINTS)[wanted]
        deps = [self.by_urn[u] for u in self.site.dependencies if u in self.by_urn]
        matches = [
            d
            for d in deps
            if d.type == s.OS_ENDPOINTS and str(d.props.get("type", "")).lower() == group_type
        ]
        return matches[0] if len(matches) == 1 else None


def _suite_diffs(azure: s.Suite, target: s.Suite) -> Iterator[str]:
    for field, label in (
        ("ike_version", "IKE version"),
        ("ike_encryption", "IKE encryption"),
        ("ike_prf", "IKE PRF"),
        ("dh_group", "IKE Diffie-Hellman group"),
        ("esp_encryption", "ESP encryption"),
        ("esp_integrity", "ESP integrity"),
        ("pfs_group", "PFS group"),
    ):
        a, t = getattr(azure, field), getattr(target, field)
        if a is None or t is None or not a.known or not t.known or a.value == t.value:
            continue
        yield (
            f"{label} differs: Azure {a.where} {a.raw} ({a.value}), target {t.where} "
            f"{t.raw} ({t.value}): the tunnel will not come up"
        )


Ranges = frozenset[str] | None


def _selectors(ends: _Ends, takes: tuple[str, Ranges], sends: tuple[str, Ranges]) -> Iterator[str]:
    """The Azure end's ranges against the target end's: its local ranges (traffic selectors)
    against what the target `takes` from it, its local network gateway's prefixes (the
    target's ranges as Azure sees them) against what the target `sends`; each a label and
    the ranges read (None: cannot be read)."""
    policies = list(p.iter_mappings(ends.azure.props.get("trafficSelectorPolicies")))
    azure_local = _cidrs([c for pol in policies for c in p.as_seq(pol.get("localAddressRanges"))])
    azure_remote = None
    if ends.local_gateway is not None:
        azure_remote = _cidrs(
            p.get(ends.local_gateway.props, "localNetworkAddressSpace.addressPrefixes")
        )
    pairs = (
        ("the Azure end's local ranges (trafficSelectorPolicies)", azure_local, *takes),
        ("the Azure local network gateway's prefixes", azure_remote, *sends),
    )
    for left, lvalue, right, rvalue in pairs:
        if not lvalue or not rvalue:
            yield f"cannot verify the traffic selectors: {left} or {right} cannot be read"
        elif lvalue != rvalue:
            yield (
                f"traffic selectors differ: {left} {p.fmt_list(sorted(lvalue))}, {right} "
                f"{p.fmt_list(sorted(rvalue))}: the tunnel will not carry them"
            )


def _selector_diffs(ends: _Ends) -> Iterator[str]:
    local_group = ends.group("localEpGroupId", "subnet")
    peer_group = ends.group("peerEpGroupId", "cidr")
    target_local = _local_subnets(local_group, ends.all) if local_group else None
    target_peer = _cidrs(peer_group.props.get("endpoints")) if peer_group else None
    yield from _selectors(
        ends,
        ("the target's peer endpoint group", target_peer),
        ("the target's local endpoint group subnets", target_local),
    )


def _address_diffs(ends: _Ends) -> Iterator[str]:
    site = ends.site.props
    peer_address, peer_id = site.get("peerAddress"), site.get("peerId")
    if isinstance(peer_address, str) and isinstance(peer_id, str) and peer_id != peer_address:
        yield (
            f"the target's peerId '{peer_id}' is not its peerAddress '{peer_address}': Azure "
            "identifies itself by its gateway's public address"
        )
    if ends.local_gateway is None:
        yield (
            "cannot verify the target's address: the Azure connection names no local network "
            "gateway in this snapshot"
        )
        return
    declared = ends.local_gateway.props.get("gatewayIpAddress")
    actual = site.get("localId")
    if not isinstance(actual, str) or not actual:
        service = ends.part(ends.site, "vpnserviceId", OS_SERVICE)
        actual = service.props.get("externalV4Ip") if service is not None else None
    if p.is_unknown(declared) or p.is_unknown(actual):
        return
    if not isinstance(declared, str) or not isinstance(actual, str) or not actual:
        yield (
            "cannot verify the target's address: no localId or VPN service address on the target "
            "end"
        )
    elif declared != actual:
        yield (
            f"the Azure local network gateway points at {declared}, the target end is {actual}: "
            "the tunnel will not come up"
        )


def _psk_diffs(ends: _Ends) -> Iterator[str]:
    azure_key, site_key = ends.azure.props.get("sharedKey"), ends.site.props.get("psk")
    readable = all(
        isinstance(k, str) and k and not p.is_unknown(k) and k != "[secret]"
        for k in (azure_key, site_key)
    )
    if readable and azure_key != site_key:
        yield "the two ends' pre-shared keys differ (values not shown): the tunnel will not come up"


def _routing_policy(ends: _Ends) -> StackResource | None:
    """The s2svpn connection's routing policy: by the id its BGP config names, else the
    one routing policy it depends on (a synthesized snapshot)."""
    for bgp in p.iter_mappings(ends.site.props.get("bgpConfigIpv4s")):
        wanted = _ref(bgp, "routingPolicyId")
        found = _by_id(ends.all, s.SCW_ROUTING).get(wanted) if wanted else None
        if found is not None:
            return found
    deps = [ends.by_urn[u] for u in ends.site.dependencies if u in ends.by_urn]
    matches = [d for d in deps if d.type == s.SCW_ROUTING]
    return matches[0] if len(matches) == 1 else None


def _linked(ends: _Ends, owner: StackResource | None, ref: Any, kind: str) -> StackResource | None:
    """The `kind` resource `owner` names by `ref` (an id, or a mapping with one), else the
    one `kind` resource it depends on (a synthesized snapshot)."""
    wanted = _ref({"ref": ref}, "ref")
    found = _by_id(ends.all, kind).get(wanted) if wanted else None
    if found is not None or owner is None:
        return found
    deps = [ends.by_urn[u] for u in owner.dependencies if u in ends.by_urn]
    matches = [d for d in deps if d.type == kind]
    return matches[0] if len(matches) == 1 else None


def _announced(ends: _Ends, gateway: StackResource | None) -> frozenset[str] | None:
    """What the Azure gateway announces over BGP: its virtual network's address space (the
    VNet of its ip configuration's subnet)."""
    config = next(p.iter_mappings(gateway.props.get("ipConfigurations")), None) if gateway else None
    subnet = _linked(ends, gateway, config.get("subnet"), s.AZ_SUBNET) if config else None
    vnet = None
    if gateway is not None and subnet is not None:
        vnet = _linked(ends, subnet, None, s.AZ_VNET)
    return _cidrs(p.get(vnet.props, "addressSpace.addressPrefixes")) if vnet else None


def _scaleway_route_diffs(ends: _Ends, gateway: StackResource | None) -> Iterator[str]:
    """Scaleway's routing policy accepts `prefixFilterIns` from its BGP peer: each must be a
    prefix the Azure gateway announces. (Its `prefixFilterOuts` are what Scaleway announces;
    the Azure gateway takes every route its peer announces, so they have no Azure
    counterpart to compare.)"""
    policy = _routing_policy(ends)
    ins = _cidrs(policy.props.get("prefixFilterIns")) if policy else None
    announced = _announced(ends, gateway)
    if not ins or not announced:
        yield (
            "cannot verify the routes: the Scaleway routing policy's prefixFilterIns or the "
            "Azure gateway's virtual network address space (what it announces over BGP) "
            "cannot be read"
        )
    elif not ins <= announced:
        yield (
            f"routes differ: the Scaleway routing policy's prefixFilterIns "
            f"{p.fmt_list(sorted(ins - announced))} are not announced by the Azure gateway "
            f"(its virtual network {p.fmt_list(sorted(announced))}): the tunnel will not "
            "carry them"
        )


def _scalar(value: Any) -> str | None:
    """A configured address or ASN as text (ASNs arrive as floats under mocks); "none" when
    not configured; None when it cannot be read (unknown, or not a scalar)."""
    if value is None:
        return "none"
    if isinstance(value, bool) or p.is_unknown(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() if isinstance(value, (int, str)) and str(value).strip() else None


def _host(value: Any) -> str | None:
    """An address without its prefix length (`169.254.21.1/30` -> `169.254.21.1`)."""
    text = _scalar(value)
    return text.split("/", 1)[0] if text else None


def _compare(label: str, azure: tuple[str, Any], scaleway: tuple[str, Any]) -> Iterator[str]:
    (left, lvalue), (right, rvalue) = azure, scaleway
    if lvalue is None or rvalue is None:
        yield f"cannot verify the BGP session's {label}: {left} or {right} cannot be read"
    elif lvalue != rvalue:
        yield (
            f"BGP {label} differs: {left} {lvalue}, {right} {rvalue}: the BGP session will "
            "not come up and no route will be exchanged"
        )


def _bgp_enabled(ends: _Ends, gateway: StackResource | None) -> Iterator[str]:
    """Both Azure resources run BGP, and the connection is route-based."""
    for what, res in (("connection", ends.azure), ("VPN gateway", gateway)):
        if res is None:
            yield f"cannot verify the BGP session: no Azure {what} in this snapshot"
            continue
        enabled = res.props.get("enableBgp")
        if p.is_unknown(enabled):
            yield f"cannot verify the BGP session: the Azure {what}'s enableBgp is unknown"
        elif enabled is not True:
            yield (
                f"the Azure {what} does not enable BGP (enableBgp {json.dumps(enabled)}): "
                "Scaleway's Site-to-Site VPN routes with BGP only, no route will be exchanged"
            )
    props = ends.azure.props
    if props.get("usePolicyBasedTrafficSelectors") is True or props.get("trafficSelectorPolicies"):
        yield (
            "the Azure connection routes by traffic selectors (usePolicyBasedTrafficSelectors "
            "or trafficSelectorPolicies): Scaleway's end is route-based and learns its "
            "routes by BGP only"
        )


def _bgp_diffs(ends: _Ends, gateway: StackResource | None) -> Iterator[str]:
    """The BGP session of both ends: ASNs and inside addresses, each end's against the
    other's (Scaleway: the connection's bgpConfigIpv4s and the customer gateway)."""
    yield from _bgp_enabled(ends, gateway)
    bgp = next(p.iter_mappings(ends.site.props.get("bgpConfigIpv4s")), {})
    peer_ref = ends.site.props.get("customerGatewayId")
    peer = _linked(ends, ends.site, peer_ref, s.SCW_CUSTOMER_GATEWAY)
    azure_bgp = p.get(gateway.props, "bgpSettings", {}) if gateway else {}
    site_bgp = p.get(ends.local_gateway.props, "bgpSettings", {}) if ends.local_gateway else {}
    apipa = [
        _host(a)
        for peering in p.iter_mappings(p.get(azure_bgp, "bgpPeeringAddresses"))
        for a in p.as_seq(peering.get("customBgpIpAddresses"))
    ]
    wanted = _host(bgp.get("peerPrivateIp"))
    azure_address = wanted if wanted in apipa else (p.fmt_list(apipa) if apipa else "none")
    if gateway is None or None in apipa:
        azure_address = None
    yield from _compare(
        "ASN",
        ("the Azure gateway's bgpSettings.asn", _scalar(p.get(azure_bgp, "asn"))),
        ("the Scaleway customer gateway's asn", _scalar(peer.props.get("asn")) if peer else None),
    )
    yield from _compare(
        "Azure address",
        ("the Azure gateway's custom APIPA addresses", azure_address),
        ("the Scaleway connection's peerPrivateIp", wanted),
    )
    yield from _compare(
        "Scaleway address",
        (
            "the Azure local network gateway's bgpPeeringAddress",
            _host(p.get(site_bgp, "bgpPeeringAddress")) if ends.local_gateway else None,
        ),
        ("the Scaleway connection's privateIp", _host(bgp.get("privateIp"))),
    )
    yield from _compare(
        "Scaleway ASN",
        (
            "the Azure local network gateway's bgpSettings.asn",
            _scalar(p.get(site_bgp, "asn")) if ends.local_gateway else None,
        ),
        ("Scaleway's ASN", str(s.SCALEWAY_ASN)),
    )
    yield from _peer_address(ends, gateway, peer)


def _peer_address(
    ends: _Ends, gateway: StackResource | None, peer: StackResource | None
) -> Iterator[str]:
    """The Scaleway customer gateway's ipv4Public is the Azure gateway's public address,
    where the snapshot has it (an export after deployment; never under mocks)."""
    config = next(p.iter_mappings(gateway.props.get("ipConfigurations")), None) if gateway else None
    pip = _linked(ends, gateway, config.get("publicIPAddress"), s.AZ_PUBLIC_IP) if config else None
    actual = _scalar(pip.props.get("ipAddress")) if pip and gateway else None
    declared = _scalar(peer.props.get("ipv4Public")) if peer else None
    if None not in (actual, declared) and "none" not in (actual, declared) and actual != declared:
        yield (
            f"the Scaleway customer gateway points at {declared}, the Azure gateway is "
            f"{actual}: the tunnel will not come up"
        )


def _scaleway_ends(ends: _Ends) -> list[str]:
    messages: list[str] = []
    azure_suite, target = s.azure_suite(ends.azure.props), s.scaleway_suite(ends.site.props)
    if azure_suite is None or target is None:
        messages.append("cannot verify the suites: an end's IKE or ESP ciphers cannot be read")
    else:
        messages.extend(_suite_diffs(azure_suite, target))
    gateway = ends.part(ends.azure, "virtualNetworkGateway1", s.AZ_GATEWAY)
    messages.extend(_scaleway_route_diffs(ends, gateway))
    messages.extend(_bgp_diffs(ends, gateway))
    return messages


def _check_ends(resources: Resources, params: Params) -> Iterator[Finding]:
    azure = [r for r in resources if r.type == s.AZ_CONNECTION and _azure_ipsec(r.props)]
    sites = [r for r in resources if r.type in (s.OS_SITE, s.SCW_CONNECTION)]
    if not azure and not sites:
        return
    if len(azure) != 1 or len(sites) != 1:
        subject = (azure or sites)[0]
        yield Finding(
            f"cannot verify that the interconnect's ends match: {len(azure)} Azure IPsec "
            f"connection(s) and {len(sites)} target (neutron-vpnaas or s2svpn) connection(s) in "
            "this snapshot (one of each is expected)",
            subject.urn,
        )
        return
    ends = _Ends(azure[0], sites[0], resources)
    if ends.site.type == s.SCW_CONNECTION:
        yield from findings(_scaleway_ends(ends), ends.azure.urn)
        return
    messages: list[str] = []
    azure_suite = s.azure_suite(ends.azure.props)
    ike = ends.part(ends.site, "ikepolicyId", s.OS_IKE)
    esp = ends.part(ends.site, "ipsecpolicyId", s.OS_IPSEC)
    if azure_suite is None or ike is None or esp is None:
        messages.append("cannot verify the suites: an end's IKE or IPsec policy cannot be read")
    else:
        target = s.Suite(
            **{
                **vars(s.neutron_ike(ike.props)),
                **{k: v for k, v in vars(s.neutron_esp(esp.props)).items() if v is not None},
            }
        )
        messages.extend(_suite_diffs(azure_suite, target))
    messages.extend(_selector_diffs(ends))
    messages.extend(_address_diffs(ends))
    messages.extend(_psk_diffs(ends))
    yield from findings(messages, ends.azure.urn)


MIG_013 = Rule(
    id="MIG-013",
    slug="interconnect-ends-match",
    severity=Severity.HIGH,
    enforcement=Enforcement.MANDATORY,
    description=(
        "The two ends of the interconnect agree, or the tunnel will not come up: the same "
        "IKE and ESP suite, mirrored traffic selectors, each end pointing at the other, the "
        "same pre-shared key (compared where a policy can read it); with a Scaleway end, "
        "which routes with BGP only, one BGP session: BGP on at the Azure gateway and "
        "connection, each end's ASN and inside address the other's peer, and the routes "
        "Scaleway accepts announced by Azure."
    ),
    remediation=(
        "Derive both ends from one proposal (`bascule:interconnect.proposal`): the Azure "
        "connection's ipsecPolicies and trafficSelectorPolicies, its local network gateway's "
        "address and prefixes, and the neutron-vpnaas policies, endpoint groups and site "
        "connection (peerAddress/peerId the Azure gateway's address, localId the target's); "
        "on Scaleway the s2svpn connection's ciphers and its BGP session: the Azure gateway "
        "with enableBgp, bgpSettings.asn the customer gateway's asn and a custom APIPA "
        "address the connection's peerPrivateIp, the local network gateway's bgpSettings "
        "Scaleway's ASN (12876) and its privateIp, the connection with enableBgp and no "
        "policy-based traffic selectors, the routing policy's prefixFilterIns among the "
        "prefixes the Azure gateway announces (its virtual network's address space)."
    ),
    secnumcloud=ANSSI,
    hds=("hds-security",),
    stack_check=_check_ends,
    applies_to=(
        s.AZ_CONNECTION,
        s.AZ_LOCAL_GATEWAY,
        s.OS_SITE,
        s.OS_IKE,
        s.OS_IPSEC,
        s.OS_ENDPOINTS,
        s.OS_SUBNET,
        OS_SERVICE,
        s.SCW_CONNECTION,
        s.SCW_ROUTING,
        s.SCW_CUSTOMER_GATEWAY,
        s.AZ_GATEWAY,
        s.AZ_PUBLIC_IP,
        s.AZ_SUBNET,
        s.AZ_VNET,
    ),
    rationale=(
        "Two ends configured apart drift: a suite only one end proposes is negotiated down or "
        "fails, a range only one end routes leaks outside the tunnel or is silently dropped, "
        "and an end pointing at the wrong peer sends the flows elsewhere. Deriving both ends "
        "from one proposal and comparing them keeps SecNumCloud 10.2's encrypted flow end to "
        "end."
    ),
)

RULES = (MIG_010, MIG_011, MIG_012, MIG_013)
