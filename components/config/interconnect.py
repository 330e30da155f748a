"""The migration's config: the IPsec interconnect between the estates, and the transfer
identities and enclaves of each wave (pure: models and provider vocabularies; the checks
across sections are checks.py's).

One proposal (`bascule:interconnect.proposal`) drives both ends, in provider-neutral words;
the tables below translate it into Azure's `IpsecPolicy` enums and neutron-vpnaas' policy
values. Only suites both providers offer can be written (read 2026-12-01 from the installed
SDKs: pulumi_azure_native.network IkeEncryption, IkeIntegrity, DhGroup, IpsecEncryption,
IpsecIntegrity, PfsGroup; pulumi_openstack.vpnaas IkePolicy and IpSecPolicy docstrings).
Whether a suite is acceptable is the migration pack's business (bascule/rules/ipsec.py), so a
weak suite can be written here and is refused there.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Literal

from pydantic import Field, model_validator

from components.config.model import (
    Cidr,
    Classification,
    Dataset,
    EnclaveSize,
    Slug,
    TargetSettings,
    Wave,
    _Model,
)

Cipher = Literal["3des", "aes-128-cbc", "aes-192-cbc", "aes-256-cbc", "aes-128-gcm", "aes-256-gcm"]
EspCipher = Literal[Cipher, "aes-192-gcm"]
Hash = Literal["sha1", "sha256", "sha384"]
EspHash = Literal["sha1", "sha256"]
# Diffie-Hellman groups (IANA numbers) that both Azure and neutron-vpnaas offer.
Group = Literal[2, 14, 19, 20, 24]

# Provider-neutral name -> (Azure enum value, neutron-vpnaas value).
IKE_CIPHERS: dict[str, tuple[str, str]] = {
    "3des": ("DES3", "3des"),
    "aes-128-cbc": ("AES128", "aes-128"),
    "aes-192-cbc": ("AES192", "aes-192"),
    "aes-256-cbc": ("AES256", "aes-256"),
    "aes-128-gcm": ("GCMAES128", "aes-128-gcm-16"),
    "aes-256-gcm": ("GCMAES256", "aes-256-gcm-16"),
}
ESP_CIPHERS: dict[str, tuple[str, str]] = {
    **IKE_CIPHERS,
    "aes-192-gcm": ("GCMAES192", "aes-192-gcm-16"),
}
HASHES: dict[str, tuple[str, str]] = {
    "sha1": ("SHA1", "sha1"),
    "sha256": ("SHA256", "sha256"),
    "sha384": ("SHA384", "sha384"),
}
DH_GROUPS: dict[int, str] = {
    2: "DHGroup2",
    14: "DHGroup14",
    19: "ECP256",
    20: "ECP384",
    24: "DHGroup24",
}
PFS_GROUPS: dict[int, str] = {2: "PFS2", 14: "PFS2048", 19: "ECP256", 20: "ECP384", 24: "PFS24"}
# Scaleway Site-to-Site VPN's cipher words (its API's ConnectionEncryption, ConnectionIntegrity
# and ConnectionDhGroup enums, read 2026-12-01 in scaleway-sdk-go's s2s_vpn API): what the
# neutral names become on a `scaleway` target. A suite missing here cannot be written for it.
SCALEWAY_CIPHERS: dict[str, str] = {
    "aes-128-cbc": "aes128",
    "aes-192-cbc": "aes192",
    "aes-256-cbc": "aes256",
    "aes-128-gcm": "aes128gcm",
    "aes-192-gcm": "aes192gcm",
    "aes-256-gcm": "aes256gcm",
}
SCALEWAY_HASHES: dict[str, str] = {"sha256": "sha256", "sha384": "sha384"}
SCALEWAY_GROUPS: dict[int, str] = {14: "modp2048", 19: "ecp256", 20: "ecp384"}

# With an AEAD cipher (GCM) Azure wants the same GCMAES value as ESP integrity; neutron wants
# an auth_algorithm all the same, which the AEAD transform does not use.
AEAD_NEUTRON_AUTH = "sha256"


def is_aead(cipher: str) -> bool:
    return cipher.endswith("-gcm")


def neutron_group(group: int) -> str:
    return f"group{group}"


class Proposal(_Model):
    """The one IKE (phase 1) and ESP (phase 2) proposal both ends use."""

    ike_encryption: Cipher = "aes-256-gcm"
    # The PRF (and, without GCM, the integrity algorithm) of the IKE SA.
    ike_integrity: Hash = "sha384"
    dh_group: Group = 20
    ipsec_encryption: EspCipher = "aes-256-gcm"
    ipsec_integrity: EspHash | None = None  # only without GCM
    pfs_group: Group = 20
    # Azure's IKE SA lifetime is fixed at 28,800 s; this sets the target end's.
    ike_lifetime_seconds: int = Field(default=28800, ge=60, le=604800)
    ipsec_lifetime_seconds: int = Field(default=3600, ge=60, le=604800)
    ipsec_lifetime_kilobytes: int = Field(default=102400000, ge=1024)

    @model_validator(mode="after")
    def _integrity_fits(self) -> Proposal:
        if is_aead(self.ipsec_encryption) and self.ipsec_integrity is not None:
            raise ValueError(f"ipsecIntegrity: {self.ipsec_encryption} carries its own integrity")
        if not is_aead(self.ipsec_encryption) and self.ipsec_integrity is None:
            raise ValueError(f"ipsecIntegrity: required with {self.ipsec_encryption}")
        return self

    def azure_ipsec_integrity(self) -> str:
        if is_aead(self.ipsec_encryption):
            return ESP_CIPHERS[self.ipsec_encryption][0]
        return HASHES[self.ipsec_integrity or "sha256"][0]

    def neutron_ipsec_auth(self) -> str:
        if self.ipsec_integrity is None:
            return AEAD_NEUTRON_AUTH
        return HASHES[self.ipsec_integrity][1]


class InterconnectSettings(_Model):
    """The site-to-site IPsec link: Azure's VPN gateway in the hub, the target's VPN service
    on its router. Addresses are each end's public address as its provider allocated it
    (record them after the first deployment)."""

    source_address: ipaddress.IPv4Address
    target_address: ipaddress.IPv4Address
    gateway_subnet_cidr: Cidr
    # Every SKU this admits runs BGP, which a Scaleway target needs (Basic does not, nor
    # custom IPsec policies: docs.azure.cn/en-us/vpn-gateway/vpn-gateway-about-vpn-gateway-
    # settings, SKU table, read 2026-12-01).
    gateway_sku: str = Field(default="VpnGw2AZ", pattern=r"^VpnGw[1-5](AZ)?$")
    # Target zones reachable through the tunnel from the source hub.
    target_zones: tuple[Slug, ...] = Field(default=("data",), min_length=1)
    # Keystone and Swift endpoints the transfer enclaves reach over HTTPS.
    target_endpoint_cidrs: tuple[Cidr, ...] = Field(default=(), max_length=16)
    proposal: Proposal = Proposal()

    @model_validator(mode="after")
    def _gateway_subnet_size(self) -> InterconnectSettings:
        if self.gateway_subnet_cidr.prefixlen > 27:
            raise ValueError(
                f"gatewaySubnetCidr: {self.gateway_subnet_cidr} is smaller than the /27 "
                "Azure asks for a VPN gateway"
            )
        return self


# Scaleway's own ASN, the far end of every s2svpn BGP session (pulumiverse-scaleway 1.60
# `s2svpn.CustomerGateway.asn` docstring: "Must be different from Scaleway's ASN (12876)",
# read 2026-12-01 in the installed SDK).
SCALEWAY_ASN = 12876


@dataclass(frozen=True)
class BgpPeering:
    """The BGP session over the tunnel to Scaleway (whose Site-to-Site VPN routes with BGP
    only), read by both ends: the inside link 169.254.21.0/30, Scaleway's end .1, Azure's .2
    (a custom APIPA address; Azure's custom range is said to be 169.254.21.0-169.254.22.255:
    not verified, the Microsoft pages read on 2026-12-01, learn.microsoft.com powershell
    New-AzIpConfigurationBgpPeeringAddressObject and New-AzGatewayCustomBgpIpConfigurationObject,
    only show addresses in 169.254.21.x and 169.254.22.x), each end's ASN."""

    azure_asn: int  # bascule:target.scalewayPeerAsn: Scaleway's customer gateway
    scaleway_asn: int = SCALEWAY_ASN
    scaleway_address: str = "169.254.21.1"
    azure_address: str = "169.254.21.2"
    prefix_length: int = 30

    def scaleway_cidr(self) -> str:
        return f"{self.scaleway_address}/{self.prefix_length}"

    def azure_cidr(self) -> str:
        return f"{self.azure_address}/{self.prefix_length}"


def bgp_peering(target: TargetSettings) -> BgpPeering | None:
    """The BGP session a target provider needs on the tunnel (None: static routing)."""
    if target.provider != "scaleway":
        return None
    return BgpPeering(azure_asn=target.scaleway_peer_asn)


class TransferSettings(_Model):
    """The per-wave transfer identities and the transfer enclaves that hold them."""

    # Keystone roles an application credential gets: those the provider's Swift treats as
    # write access (its keystoneauth `operator_roles`); confirm them at delivery.
    object_store_roles: tuple[str, ...] = Field(default=("member",), min_length=1)
    enclave_size: EnclaveSize = EnclaveSize(vcpu=4, ram_gb=16, disk_gb=64)


# A moving wave's transfer runs as two jobs, each with its own identities and enclave:
# pseudonymisation keys never travel with the datasets they unlock.
TRANSFER_JOBS = ("datasets", "pseudonymisation-keys")


def transfer_job(classification: Classification) -> str:
    """The job that moves a dataset of this classification."""
    is_keys = classification is Classification.PSEUDONYMISATION_KEYS
    return TRANSFER_JOBS[1] if is_keys else TRANSFER_JOBS[0]


def transfer_name(platform: str, wave: int, job: str) -> str:
    """`<platform>-wave<N>-<job>-transfer`: a wave's transfer identity of one job, its component
    on every estate and its target credential (bascule/rules/transfer.py reads the wave from it).
    """
    return f"{platform}-wave{wave}-{job}-transfer"


@dataclass(frozen=True)
class TransferJob:
    """One job of a wave whose transfer identities exist, with the datasets it moves."""

    wave: Wave
    job: str
    datasets: tuple[Dataset, ...]

    def component_name(self, platform: str) -> str:
        """Its transfer identity's name, component and target identity alike, the same on every
        estate (`transfer_name`)."""
        return transfer_name(platform, self.wave.id, self.job)

    def description(self) -> str:
        """What a target write identity of this job says it is (its `description`)."""
        return f"bascule transfer of wave {self.wave.id} ({self.job}): write only"
