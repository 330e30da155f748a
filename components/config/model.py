"""The parts of the stack configuration, as validated models.

Pure logic: no Pulumi and no file I/O here, so the model is testable on plain dicts.
Keys are camelCase, as in Pulumi stack files (`bascule:zones`, `ramGb`...).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from enum import StrEnum
from typing import Annotated, Literal, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_camel

# Re-exported: the lifecycle lives in components/lifecycle.py (stdlib only, for the packs).
from components.lifecycle import WaveStatus as WaveStatus

SLUG = r"^[a-z][a-z0-9-]{0,38}[a-z0-9]$"
Slug = Annotated[str, Field(pattern=SLUG)]


def _cidr_text(value: object) -> object:
    # pydantic would read an integer as a /32 address: a CIDR must be written as text.
    if not isinstance(value, str | ipaddress.IPv4Network):
        raise ValueError(f"expected a CIDR string such as 10.0.0.0/24, got {value!r}")
    return value


Cidr = Annotated[ipaddress.IPv4Network, BeforeValidator(_cidr_text)]


def _is_number(annotation: object) -> bool:
    return annotation in (int, float) or any(a in (int, float) for a in get_args(annotation))


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", alias_generator=to_camel, populate_by_name=True, frozen=True
    )

    @field_validator("*", mode="before")
    @classmethod
    def _no_boolean_for_a_number(cls, value: object, info: ValidationInfo) -> object:
        # pydantic reads `true` as 1: `count: true` in a stack file is a mistake, not a count.
        field = cls.model_fields.get(info.field_name or "")
        if isinstance(value, bool) and field is not None and _is_number(field.annotation):
            raise ValueError(f"expected a number, got {str(value).lower()}")
        return value


class Classification(StrEnum):
    PSEUDONYMISED_HEALTH = "pseudonymised-health"
    OPEN_DATA = "open-data"
    PSEUDONYMISATION_KEYS = "pseudonymisation-keys"
    AUDIT_LOGS = "audit-logs"


class KeyPurpose(StrEnum):
    DATASET = "dataset"
    DISK = "disk"
    PSEUDONYMISATION = "pseudonymisation"


class ZoneRole(StrEnum):
    HUB = "hub"
    GATEWAY = "gateway"
    DATA = "data"
    ENCLAVES = "enclaves"
    MANAGEMENT = "management"


class Zone(_Model):
    """A network zone, present on both estates with its own address range on each."""

    name: Slug
    role: ZoneRole
    azure_cidr: Cidr
    target_cidr: Cidr


class Key(_Model):
    """A customer-managed key. `pseudonymisation` keys live in their own vault/container."""

    name: Slug
    purpose: KeyPurpose
    algorithm: Literal["RSA", "AES"] = "RSA"
    size: Literal[256, 2048, 3072, 4096] = 3072
    # End of the key's crypto-period where the store takes a date (Barbican); Key Vault keys
    # rotate on their rotation policy, OVHcloud KMS keys by procedure.
    expires: dt.date | None = None


class Dataset(_Model):
    name: Slug
    classification: Classification
    size_gb: int = Field(gt=0)
    raw: bool = False
    key: Slug
    wave: int = Field(ge=0)


class SignOff(_Model):
    """An authority's recorded approval of a wave's step (e.g. the CNIL's for a cutover)."""

    authority: str = Field(min_length=2, max_length=80)
    reference: str = Field(min_length=3, max_length=200)
    date: dt.date


class TransferEvidence(_Model):
    """The wave's transfer verification manifest (`bascule transfer verify`), cited by its
    path (relative to the project directory) and the SHA-256 recorded when it was reviewed."""

    manifest: str = Field(min_length=1, max_length=400)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class Wave(_Model):
    id: int = Field(ge=0)
    name: str
    status: WaveStatus = WaveStatus.PLANNED
    cutover_date: dt.date | None = None
    sign_offs: tuple[SignOff, ...] = ()
    transfer_evidence: TransferEvidence | None = None


class EnclaveSize(_Model):
    vcpu: int = Field(ge=1, le=256)
    ram_gb: int = Field(ge=1, le=4096)
    gpu: int = Field(default=0, ge=0, le=16)
    disk_gb: int = Field(ge=10, le=65536)


class Enclave(_Model):
    """A research project's compute enclave, reachable from the access gateway only."""

    name: Slug
    zone: Slug
    wave: int = Field(ge=0)
    classification: Classification = Classification.PSEUDONYMISED_HEALTH
    size: EnclaveSize
    instances: int = Field(default=1, ge=1, le=16)
    ingress_ports: tuple[int, ...] = (22,)


class EnclaveOverride(_Model):
    """One enclave by name: overrides a fleet-generated enclave, or adds a complete new one."""

    name: Slug
    zone: Slug | None = None
    wave: int | None = Field(default=None, ge=0)
    classification: Classification | None = None
    size: EnclaveSize | None = None
    instances: int | None = Field(default=None, ge=1, le=16)
    ingress_ports: tuple[int, ...] | None = None


class EnclaveFleet(_Model):
    """Compact notation: `count` enclaves named `<prefix>-<NNN>` sharing one template."""

    prefix: Slug
    count: int = Field(ge=1, le=2000)
    start: int = Field(default=1, ge=0)
    zone: Slug
    wave: int = Field(ge=0)
    classification: Classification = Classification.PSEUDONYMISED_HEALTH
    size: EnclaveSize
    instances: int = Field(default=1, ge=1, le=16)
    ingress_ports: tuple[int, ...] = (22,)


class Gateway(_Model):
    """The access gateway: the only entry point exposed beyond the platform."""

    zone: Slug
    allowed_source_cidrs: tuple[Cidr, ...]
    port: int = Field(default=443, ge=1, le=65535)
    size: EnclaveSize = EnclaveSize(vcpu=2, ram_gb=4, disk_gb=40)


class AzureSettings(_Model):
    subscription_id: str = Field(pattern=r"^[0-9a-f-]{36}$")
    tenant_id: str = Field(pattern=r"^[0-9a-f-]{36}$")
    # Declared before `location` so its validator can see it.
    allowed_locations: tuple[str, ...] = ("francecentral", "francesouth")
    location: str
    resource_group: Slug
    log_retention_days: int = Field(default=365, ge=1, le=4383)
    admin_ssh_public_key: str
    vm_image: str = "Canonical:ubuntu-24_04-lts:server:latest"

    @field_validator("location")
    @classmethod
    def _location_allowed(cls, location: str, info: ValidationInfo) -> str:
        allowed = info.data.get("allowed_locations", ())
        if location not in allowed:
            raise ValueError(f"{location!r} is not in allowedLocations {list(allowed)}")
        return location


UUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
# What each provider needs beyond the common keys (checked by TargetSettings; one line
# naming the missing keys).
REQUIRED_BY_PROVIDER: dict[str, tuple[str, ...]] = {
    "openstack": ("authUrl", "tenantName"),
    "ovh": ("authUrl", "tenantName", "ovhEndpoint", "ovhServiceName", "ovhOkmsRegion"),
    "scaleway": ("scalewayProjectId", "scalewayZone", "imageId"),
}


class TargetSettings(_Model):
    provider: Literal["openstack", "ovh", "scaleway"]
    # OpenStack (and OVHcloud): Keystone. Required for those providers (see _complete).
    auth_url: str | None = Field(default=None, pattern=r"^https://")
    allowed_regions: tuple[str, ...]  # before `region`, whose validator reads it
    region: str
    tenant_name: str | None = None
    user_domain_name: str = "Default"
    project_domain_name: str = "Default"
    external_network: str = "Ext-Net"
    image_name: str = "Ubuntu 24.04"
    # The id of the reviewed image (Glance id; on Scaleway the zone's local image id):
    # instances boot from exactly it. Without one the OpenStack program looks the image up
    # by name (most recent), which policy PRT-021 refuses.
    image_id: str | None = Field(default=None, pattern=UUID)
    volume_type: str = "encrypted-luks"
    storage_policy: str = "encrypted"
    ovh_endpoint: str | None = None
    ovh_service_name: str | None = None
    ovh_okms_region: str | None = None
    # Scaleway: the project everything is created in, the availability zones allowed (of
    # `region`), the zone instances and volumes go to, and the zone of GPU instances
    # (Scaleway's GPU types are not in every zone of a region).
    scaleway_project_id: str | None = Field(default=None, pattern=UUID)
    scaleway_allowed_zones: tuple[str, ...] = ()  # before the zones, whose validator reads it
    scaleway_zone: str | None = None
    scaleway_gpu_zone: str | None = None
    scaleway_vpn_gateway_type: str = "VGW-S"
    # The interconnect's peer (the Azure VPN gateway) as a BGP speaker; 65515 is Azure's
    # default VPN gateway ASN.
    scaleway_peer_asn: int = Field(default=65515, ge=1, le=4294967295)
    audit_retention_days: int = Field(default=365, ge=1, le=4383)

    @field_validator("region")
    @classmethod
    def _region_allowed(cls, region: str, info: ValidationInfo) -> str:
        allowed = info.data.get("allowed_regions", ())
        if region not in allowed:
            raise ValueError(f"{region!r} is not in allowedRegions {list(allowed)}")
        return region

    @field_validator("scaleway_zone", "scaleway_gpu_zone")
    @classmethod
    def _zone_allowed(cls, zone: str | None, info: ValidationInfo) -> str | None:
        allowed = info.data.get("scaleway_allowed_zones", ())
        if zone is not None and zone not in allowed:
            raise ValueError(f"{zone!r} is not in scalewayAllowedZones {list(allowed)}")
        return zone

    @model_validator(mode="after")
    def _complete(self) -> TargetSettings:
        missing = [
            alias
            for alias in REQUIRED_BY_PROVIDER[self.provider]
            if not getattr(self, _snake(alias))
        ]
        if missing:
            raise ValueError(f"provider {self.provider!r} requires {', '.join(missing)}")
        if self.provider == "scaleway":
            prefix = f"{self.region}-"
            outside = [z for z in self.scaleway_allowed_zones if not z.startswith(prefix)]
            if outside:
                raise ValueError(
                    f"scalewayAllowedZones: {outside[0]!r} is not a zone of region {self.region!r}"
                )
        return self

    @property
    def gpu_zone(self) -> str | None:
        """Where GPU instances go (Scaleway): the GPU zone, else the instances' zone."""
        return self.scaleway_gpu_zone or self.scaleway_zone


def _snake(alias: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in alias)


PARITY_OBJECT = (
    r"^(zone|dataset|key|enclave|gateway|logging|interconnect)/[A-Za-z0-9*][A-Za-z0-9._*-]*$"
)


class AcceptedGap(_Model):
    """A known difference between the estates, accepted on purpose (shown, never blocking).
    `*` in the name stands for any characters (`enclave/*`), for the fields named only."""

    object: str = Field(pattern=PARITY_OBJECT)  # e.g. "enclave/gpu-001"
    fields: tuple[str, ...] = ()  # empty: any field of that object
    reason: str = Field(min_length=10)

    @model_validator(mode="after")
    def _wildcard_names_fields(self) -> AcceptedGap:
        if "*" in self.object and not self.fields:
            raise ValueError(f"{self.object}: a name with '*' accepts named fields only")
        return self


class ParitySettings(_Model):
    accepted_gaps: tuple[AcceptedGap, ...] = ()
