"""The shape of one provider's facts (data only, no imports of bascule's other packages)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

SOURCE, TARGET = "source", "target"


class Part(StrEnum):
    """The part a resource type plays in an estate parity reads by type."""

    SERVER = "server"  # one VM or instance: one `server` object
    DISK = "disk"  # a managed disk / a block volume
    DISK_ATTACHMENT = "disk-attachment"  # a volume attached to an instance
    INTERFACE = "interface"  # a NIC / a port
    INTERFACE_ATTACHMENT = "interface-attachment"  # a port attached to an instance later
    FIREWALL = "firewall"  # an NSG / a security group
    FIREWALL_RULE = "firewall-rule"  # a rule declared as its own resource
    FIREWALL_ATTACHMENT = "firewall-attachment"  # security groups attached to a port later
    PUBLIC_ADDRESS = "public-address"  # a public IP / a floating IP
    PUBLIC_ADDRESS_ATTACHMENT = "public-address-attachment"  # a floating IP associated
    PORT_FORWARDING = "port-forwarding"  # a floating IP's port forwarded to an instance
    STORAGE_ACCOUNT = "storage-account"
    BLOB_SERVICE = "blob-service"  # account-wide blob settings (versioning)
    CONTAINER = "container"  # a blob container / a Swift container
    BUCKET = "bucket"  # an S3 bucket
    KEY = "key"
    KEY_STORE = "key-store"  # a vault / a Barbican container (keys sharing a store)
    DISK_KEY = "disk-key"  # a disk encryption set (evidence only)
    NETWORK = "network"
    NETWORK_PEERING = "network-peering"  # what Azure's `VirtualNetwork` tag stands for
    SUBNET = "subnet"
    LOG_WORKSPACE = "log-workspace"


@dataclass(frozen=True)
class ProviderFacts:
    """What bascule knows of one provider, read by parity, the exports and the rules."""

    name: str  # the `bascule:target.provider` value (or the source's provider)
    estate: str  # SOURCE or TARGET
    label: str  # as reports name the provider: "OpenStack", "OVHcloud", "Scaleway"
    packages: tuple[str, ...]  # the Pulumi packages its resources come from
    # The provider resource that must state the region (None: its resources state it).
    region_provider: str | None = None
    # tfplan export: the bridged Terraform provider's source address, and type by type
    # the Pulumi type -> its Terraform type; types with no checkov counterpart, and why.
    tf_provider: str | None = None
    tf_types: Mapping[str, str] = field(default_factory=dict)
    unmapped: Mapping[str, str] = field(default_factory=dict)
    # parity: the types it reads, by the part they play, and the properties naming them.
    parity_types: Mapping[Part, tuple[str, ...]] = field(default_factory=dict)
    parity_names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def provider_type(self) -> str:
        """The type of its Pulumi provider resource (`pulumi:providers:<package>`)."""
        return f"pulumi:providers:{self.packages[0]}"

    def types(self) -> frozenset[str]:
        """Every resource type these facts name."""
        parity = {t for types in self.parity_types.values() for t in types}
        return frozenset({*self.tf_types, *self.unmapped, *self.parity_names, *parity})
