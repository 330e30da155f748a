"""IPsec suites as each provider spells them, read into one vocabulary (pure helpers).

Azure: a `VirtualNetworkGatewayConnection` carries its one `ipsecPolicies` entry (enum
values: learn.microsoft.com/azure/vpn-gateway/ipsec-ike-policy-howto, ms.date 2026-06-10,
read 2026-12-01; the SDK's pulumi_azure_native.network enums). Its IKE SA lifetime is not
configurable: fixed at 28,800 s (same page); the Quick Mode SA lifetime defaults to
27,000 s. neutron-vpnaas: `IkePolicy` and `IpSecPolicy` (values and defaults from
pulumi_openstack.vpnaas' docstrings: IKE v1, aes-128, sha1, group5 and 3600 s by default).

Every reader answers in the same words: ciphers `aes-256-gcm`, `aes-256-cbc`, `3des`...,
hashes `sha256`..., `aead` for an AEAD cipher's own integrity, groups by IANA number (0 for
none), so a rule can judge either end and compare the two.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bascule.rules import props as p

# The Azure and OpenStack types the interconnect rules and parity read beside the suites
# (defined in types).
from bascule.rules.types import AZ_LOCAL_GATEWAY as AZ_LOCAL_GATEWAY
from bascule.rules.types import AZ_PUBLIC_IP as AZ_PUBLIC_IP
from bascule.rules.types import AZ_SUBNET as AZ_SUBNET
from bascule.rules.types import AZ_VNET as AZ_VNET
from bascule.rules.types import OS_SUBNET as OS_SUBNET

AZ_CONNECTION = "azure-native:network:VirtualNetworkGatewayConnection"
OS_IKE = "openstack:vpnaas/ikePolicy:IkePolicy"
OS_IPSEC = "openstack:vpnaas/ipSecPolicy:IpSecPolicy"
OS_SITE = "openstack:vpnaas/siteConnection:SiteConnection"
OS_ENDPOINTS = "openstack:vpnaas/endpointGroup:EndpointGroup"
# Scaleway Site-to-Site VPN (pulumiverse-scaleway 1.60 `s2svpn`): IKEv2 only, one cipher
# entry per phase on the connection; SA lifetimes are not configurable (Scaleway's own).
SCW_CONNECTION = "scaleway:s2svpn/connection:Connection"
SCW_ROUTING = "scaleway:s2svpn/routingPolicy:RoutingPolicy"
SCW_CUSTOMER_GATEWAY = "scaleway:s2svpn/customerGateway:CustomerGateway"
# Scaleway's own ASN, every s2svpn BGP session's far end (pulumiverse-scaleway 1.60
# `s2svpn.CustomerGateway.asn` docstring: "Must be different from Scaleway's ASN (12876)",
# read 2026-12-01).
SCALEWAY_ASN = 12876
AZ_GATEWAY = "azure-native:network:VirtualNetworkGateway"

AZURE_IKE_LIFETIME = 28800  # fixed by Azure
AZURE_QM_LIFETIME_DEFAULT = 27000
NEUTRON_LIFETIME_DEFAULT = 3600

AZ_CIPHERS = {
    "none": "none",
    "des": "des",
    "des3": "3des",
    "aes128": "aes-128-cbc",
    "aes192": "aes-192-cbc",
    "aes256": "aes-256-cbc",
    "gcmaes128": "aes-128-gcm",
    "gcmaes192": "aes-192-gcm",
    "gcmaes256": "aes-256-gcm",
}
AZ_HASHES = {
    "md5": "md5",
    "sha1": "sha1",
    "sha256": "sha256",
    "sha384": "sha384",
    "gcmaes128": "gcm-128",
    "gcmaes192": "gcm-192",
    "gcmaes256": "gcm-256",
}
AZ_DH = {
    "none": 0,
    "dhgroup1": 1,
    "dhgroup2": 2,
    "dhgroup14": 14,
    "dhgroup2048": 14,
    "ecp256": 19,
    "ecp384": 20,
    "dhgroup24": 24,
}
AZ_PFS = {
    "none": 0,
    "pfs1": 1,
    "pfs2": 2,
    "pfs2048": 14,
    "pfs14": 14,
    "ecp256": 19,
    "ecp384": 20,
    "pfs24": 24,
}
AZ_PFS_SAME_AS_IKE = "pfsmm"  # "the same group as main mode"

# IANA "Transform Type 4 - Key Exchange Method" numbers, for messages.
GROUP_NAMES = {
    0: "none",
    1: "768-bit MODP",
    2: "1024-bit MODP",
    5: "1536-bit MODP",
    14: "2048-bit MODP",
    15: "3072-bit MODP",
    16: "4096-bit MODP",
    17: "6144-bit MODP",
    18: "8192-bit MODP",
    19: "256-bit ECP",
    20: "384-bit ECP",
    21: "521-bit ECP",
    22: "1024-bit MODP, 160-bit subgroup",
    23: "2048-bit MODP, 224-bit subgroup",
    24: "2048-bit MODP, 256-bit subgroup",
    25: "192-bit ECP",
    26: "224-bit ECP",
    27: "brainpoolP224r1",
    28: "brainpoolP256r1",
    29: "brainpoolP384r1",
    30: "brainpoolP512r1",
    31: "Curve25519",
    32: "Curve448",
}

# Scaleway's cipher, hash and group names (as bascule's config maps them, read 2026-12-01 in
# components/config/interconnect.py and the s2svpn connection's cipher blocks).
SCW_CIPHERS = {
    "aes128": "aes-128-cbc",
    "aes192": "aes-192-cbc",
    "aes256": "aes-256-cbc",
    "aes128gcm": "aes-128-gcm",
    "aes192gcm": "aes-192-gcm",
    "aes256gcm": "aes-256-gcm",
}
SCW_HASHES = {"sha1": "sha1", "sha256": "sha256", "sha384": "sha384", "sha512": "sha512"}
SCW_GROUPS = {
    "modp1024": 2,
    "modp2048": 14,
    "modp3072": 15,
    "modp4096": 16,
    "ecp256": 19,
    "ecp384": 20,
    "ecp521": 21,
    "curve25519": 31,
}

_NEUTRON_CIPHER = re.compile(r"^aes-(128|192|256)(?:-(ctr|ccm|gcm)(?:-(8|12|16))?)?$")


@dataclass(frozen=True)
class Value:
    """One parameter of a suite: its words, where it was read, and how it reads in a
    message. `value` None: not decidable (a preview unknown)."""

    value: Any
    where: str
    raw: str

    @property
    def known(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Suite:
    """One end's proposal, parameter by parameter (an absent parameter reads as its
    documented default, said so in `raw`)."""

    ike_version: Value | None = None
    ike_encryption: Value | None = None
    ike_prf: Value | None = None
    dh_group: Value | None = None
    ike_lifetime: Value | None = None
    esp_protocol: Value | None = None
    esp_encryption: Value | None = None
    esp_integrity: Value | None = None
    pfs_group: Value | None = None
    esp_lifetime: Value | None = None


def group_text(group: int) -> str:
    return f"group {group} ({GROUP_NAMES.get(group, 'unknown')})" if group else "no group"


def _raw(value: Any, default: str | None = None) -> str:
    if value is None:
        return f"not set (defaults to {default})" if default else "not set"
    return p.show(value)


def _enum(props: Mapping[str, Any], key: str, table: Mapping[str, Any], where: str) -> Value:
    raw = props.get(key)
    if p.is_unknown(raw):
        return Value(None, where, "unknown")
    if not isinstance(raw, str):
        return Value("invalid", where, _raw(raw))
    return Value(table.get(raw.strip().lower(), "invalid"), where, _raw(raw))


# -- Azure --------------------------------------------------------------------------------


def azure_policy(props: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The connection's one `ipsecPolicies` entry; None when it has none (Azure then offers
    its default proposals)."""
    policies = [m for m in p.iter_mappings(props.get("ipsecPolicies"))]
    return policies[0] if policies else None


def azure_ike_version(props: Mapping[str, Any]) -> Value:
    raw = props.get("connectionProtocol")
    if p.is_unknown(raw):
        return Value(None, "connectionProtocol", "unknown")
    words = {"ikev2": "ikev2", "ikev1": "ikev1"}
    value = words.get(str(raw).strip().lower(), "invalid") if isinstance(raw, str) else "unset"
    return Value(value, "connectionProtocol", _raw(raw))


def azure_suite(props: Mapping[str, Any]) -> Suite | None:
    """The suite of an Azure connection, or None when it has no explicit policy."""
    policy = azure_policy(props)
    if policy is None:
        return None
    at = "ipsecPolicies[0]."
    dh = _enum(policy, "dhGroup", AZ_DH, at + "dhGroup")
    pfs = _enum(policy, "pfsGroup", {**AZ_PFS, AZ_PFS_SAME_AS_IKE: "mm"}, at + "pfsGroup")
    if pfs.value == "mm":
        pfs = Value(dh.value, pfs.where, pfs.raw + " (the IKE group)")
    encryption = _enum(policy, "ipsecEncryption", AZ_CIPHERS, at + "ipsecEncryption")
    integrity = _enum(policy, "ipsecIntegrity", AZ_HASHES, at + "ipsecIntegrity")
    if isinstance(integrity.value, str) and integrity.value.startswith("gcm-"):
        bits = integrity.value.removeprefix("gcm-")
        same = encryption.value == f"aes-{bits}-gcm"
        integrity = Value("aead" if same else "mismatch", integrity.where, integrity.raw)
    lifetime = policy.get("saLifeTimeSeconds")
    esp_lifetime = (
        Value(None, at + "saLifeTimeSeconds", "unknown")
        if p.is_unknown(lifetime)
        else Value(
            p.to_int(lifetime) if lifetime is not None else AZURE_QM_LIFETIME_DEFAULT,
            at + "saLifeTimeSeconds",
            _raw(lifetime, f"{AZURE_QM_LIFETIME_DEFAULT} s"),
        )
    )
    return Suite(
        ike_version=azure_ike_version(props),
        ike_encryption=_enum(policy, "ikeEncryption", AZ_CIPHERS, at + "ikeEncryption"),
        ike_prf=_enum(policy, "ikeIntegrity", AZ_HASHES, at + "ikeIntegrity"),
        dh_group=dh,
        ike_lifetime=Value(AZURE_IKE_LIFETIME, "IKE SA lifetime", "fixed at 28800 s by Azure"),
        esp_protocol=Value("esp", "ESP", "esp"),
        esp_encryption=encryption,
        esp_integrity=integrity,
        pfs_group=pfs,
        esp_lifetime=esp_lifetime,
    )


# -- neutron-vpnaas -----------------------------------------------------------------------


def _neutron_cipher(raw: str) -> str:
    text = raw.strip().lower()
    if text == "3des":
        return "3des"
    match = _NEUTRON_CIPHER.match(text)
    if match is None:
        return "invalid"
    bits, mode, icv = match.groups()
    if mode is None:
        return f"aes-{bits}-cbc"
    if mode == "gcm" and icv == "16":
        return f"aes-{bits}-gcm"
    return f"aes-{bits}-{mode}" + (f"-{icv}" if icv else "")


def _neutron_value(props: Mapping[str, Any], key: str, default: str, read: Any) -> Value:
    raw = props.get(key)
    if p.is_unknown(raw):
        return Value(None, key, "unknown")
    text = raw if isinstance(raw, str) else (default if raw is None else None)
    value = read(text) if text is not None else "invalid"
    return Value(value, key, _raw(raw, default))


def _neutron_group(text: str) -> Any:
    match = re.fullmatch(r"group(\d+)", text.strip().lower())
    return int(match.group(1)) if match else "invalid"


def _neutron_lifetime(props: Mapping[str, Any]) -> Value:
    entries = props.get("lifetimes")
    if p.is_unknown(entries):
        return Value(None, "lifetimes", "unknown")
    for entry in p.iter_mappings(entries):
        units = str(entry.get("units") or "seconds").lower()
        value = entry.get("value")
        if units != "seconds":
            continue
        if p.is_unknown(value):
            return Value(None, "lifetimes[0].value", "unknown")
        number = p.to_int(value) if value is not None else NEUTRON_LIFETIME_DEFAULT
        return Value(number, "lifetimes[0].value", _raw(value, f"{NEUTRON_LIFETIME_DEFAULT} s"))
    return Value(
        NEUTRON_LIFETIME_DEFAULT, "lifetimes", f"not set (defaults to {NEUTRON_LIFETIME_DEFAULT} s)"
    )


def neutron_ike(props: Mapping[str, Any]) -> Suite:
    return Suite(
        ike_version=_neutron_value(props, "ikeVersion", "v1", lambda t: f"ike{t.strip().lower()}"),
        ike_encryption=_neutron_value(props, "encryptionAlgorithm", "aes-128", _neutron_cipher),
        ike_prf=_neutron_value(props, "authAlgorithm", "sha1", lambda t: t.strip().lower()),
        dh_group=_neutron_value(props, "pfs", "group5", _neutron_group),
        ike_lifetime=_neutron_lifetime(props),
    )


def neutron_esp(props: Mapping[str, Any]) -> Suite:
    encryption = _neutron_value(props, "encryptionAlgorithm", "aes-128", _neutron_cipher)
    integrity = _neutron_value(props, "authAlgorithm", "sha1", lambda t: t.strip().lower())
    if isinstance(encryption.value, str) and encryption.value.endswith("-gcm"):
        integrity = Value("aead", integrity.where, "the cipher's own (AEAD)")
    return Suite(
        esp_protocol=_neutron_value(props, "transformProtocol", "esp", lambda t: t.strip().lower()),
        esp_encryption=encryption,
        esp_integrity=integrity,
        pfs_group=_neutron_value(props, "pfs", "group5", _neutron_group),
        esp_lifetime=_neutron_lifetime(props),
    )


# -- Scaleway s2svpn ----------------------------------------------------------------------


def _scw_block(props: Mapping[str, Any], key: str) -> tuple[Mapping[str, Any] | None, str]:
    """The first cipher block of `ikev2Ciphers`/`espCiphers` and where it was read."""
    blocks = list(p.iter_mappings(props.get(key)))
    return (blocks[0] if blocks else None), f"{key}[0]."


def scaleway_suite(props: Mapping[str, Any]) -> Suite | None:
    """The suite of an s2svpn connection; None when it names no cipher for a phase (or
    a block is not known before the update)."""
    if p.is_unknown(props.get("ikev2Ciphers")) or p.is_unknown(props.get("espCiphers")):
        return None
    ike, at = _scw_block(props, "ikev2Ciphers")
    esp, et = _scw_block(props, "espCiphers")
    if ike is None or esp is None:
        return None
    encryption = _enum(esp, "encryption", SCW_CIPHERS, et + "encryption")
    integrity = _enum(esp, "integrity", SCW_HASHES, et + "integrity")
    aead = isinstance(encryption.value, str) and encryption.value.endswith("-gcm")
    if aead and esp.get("integrity") is None:
        integrity = Value("aead", et + "integrity", "the cipher's own (AEAD)")
    return Suite(
        ike_version=Value("ikev2", "ikev2Ciphers", "IKEv2 (Scaleway's only version)"),
        ike_encryption=_enum(ike, "encryption", SCW_CIPHERS, at + "encryption"),
        ike_prf=_enum(ike, "integrity", SCW_HASHES, at + "integrity"),
        dh_group=_enum(ike, "dhGroup", SCW_GROUPS, at + "dhGroup"),
        esp_protocol=Value("esp", "ESP", "esp"),
        esp_encryption=encryption,
        esp_integrity=integrity,
        pfs_group=_enum(esp, "dhGroup", SCW_GROUPS, et + "dhGroup"),
    )
