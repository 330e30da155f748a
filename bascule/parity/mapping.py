"""The Azure to SecNumCloud correspondence, as data: the one place to read or change it.

- `OBJECTS`: where each capability's logical objects live in each estate (the component or
  resource type that names them).
- `FIELDS`: every canonical field, the capability it belongs to, and how the two sides
  compare (which direction is "better").
- The lookup tables below translate provider vocabularies (SKUs, key types, storage
  policies) into the canonical fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bascule.parity.model import Capability
from bascule.providers import SOURCE as SOURCE
from bascule.providers import TARGET as TARGET
from bascule.providers import Part, target_parity_types
from bascule.providers.openstack import ENCRYPTED_STORAGE_POLICIES as ENCRYPTED_STORAGE_POLICIES
from bascule.providers.openstack import ENCRYPTED_VOLUME_TYPES as ENCRYPTED_VOLUME_TYPES

ESTATE_COMPONENTS = {SOURCE: "bascule:azure:Estate", TARGET: "bascule:target:Estate"}


@dataclass(frozen=True)
class ObjectSource:
    """Objects of a capability: one per component of `component` type (named by the
    component), or one per resource of `resource` type (named by `name_from`)."""

    component: str | None = None
    resource: tuple[str, ...] = ()
    name_from: str = ""  # how a resource-level object is named (see inventory._object_name)


def _components(source: str, target: str) -> dict[str, ObjectSource]:
    """One object per component of type `source` in the source estate, `target` in the target."""
    return {SOURCE: ObjectSource(component=source), TARGET: ObjectSource(component=target)}


OBJECTS: dict[Capability, dict[str, ObjectSource]] = {
    Capability.ZONE: {
        SOURCE: ObjectSource(resource=("azure-native:network:Subnet",), name_from="-subnet"),
        TARGET: ObjectSource(component="bascule:target:Network"),
    },
    Capability.DATASET: _components("bascule:azure:DatasetStorage", "bascule:target:ObjectStorage"),
    Capability.KEY: {
        SOURCE: ObjectSource(resource=("azure-native:keyvault:Key",), name_from="keyName"),
        TARGET: ObjectSource(
            resource=target_parity_types(Part.KEY),
            name_from="key-name",
        ),
    },
    Capability.ENCLAVE: _components("bascule:azure:Enclave", "bascule:target:Enclave"),
    Capability.GATEWAY: _components("bascule:azure:AccessGateway", "bascule:target:AccessGateway"),
    Capability.LOGGING: _components("bascule:azure:Monitoring", "bascule:target:AuditLog"),
    Capability.INTERCONNECT: _components(
        "bascule:azure:Interconnect", "bascule:target:Interconnect"
    ),
}
# Azure's name for a VPN gateway's subnet: the interconnect's, not a zone.
GATEWAY_SUBNET = "GatewaySubnet"


class Order(StrEnum):
    HIGHER = "higher"  # more is better (capacity, retention, key strength)
    LOWER = "lower"  # less is better (days between key rotations)
    TRUE = "true"  # True is better (encrypted, versioned)
    FALSE = "false"  # False is better (public IP, public access)
    SUBSET = "subset"  # fewer is better (keys sharing a store)
    WITHIN = "within"  # narrower is better: every target flow within a source flow (ingress)
    EQUAL = "equal"  # must match (classification, key used)
    INFO = "info"  # shown, never compared (CIDR text, VM size / flavour names)


@dataclass(frozen=True)
class FieldSpec:
    order: Order
    description: str


# Canonical fields, in display order, per capability.
FIELDS: dict[Capability, dict[str, FieldSpec]] = {
    Capability.ZONE: {
        "cidr": FieldSpec(Order.INFO, "address range (differs by design between estates)"),
        "addresses": FieldSpec(Order.HIGHER, "number of addresses in the zone"),
    },
    Capability.DATASET: {
        "classification": FieldSpec(Order.EQUAL, "data classification"),
        "key": FieldSpec(Order.EQUAL, "customer-managed key encrypting it"),
        "customerManagedKey": FieldSpec(Order.TRUE, "encrypted with a customer-held key"),
        "versioning": FieldSpec(Order.TRUE, "previous versions kept"),
        "publicAccess": FieldSpec(Order.FALSE, "readable or reachable from the internet"),
        "replication": FieldSpec(Order.HIGHER, "copies: 1 local, 2 zone, 3 geo, 4 geo-zone"),
    },
    Capability.KEY: {
        "algorithm": FieldSpec(Order.INFO, "key type and size"),
        "strengthBits": FieldSpec(Order.HIGHER, "security strength in bits"),
        "rotationDays": FieldSpec(Order.LOWER, "automatic rotation period (days)"),
        "securityContainer": FieldSpec(Order.TRUE, "held in an HSM or KMS"),
        "storeSharedWith": FieldSpec(Order.SUBSET, "other keys in the same vault/container"),
    },
    Capability.ENCLAVE: {
        "size": FieldSpec(Order.INFO, "VM size or flavour"),
        "instances": FieldSpec(Order.HIGHER, "number of VMs/instances"),
        "vcpu": FieldSpec(Order.HIGHER, "vCPUs per instance"),
        "ramGb": FieldSpec(Order.HIGHER, "RAM per instance (GB)"),
        "gpu": FieldSpec(Order.HIGHER, "GPUs per instance"),
        "diskGb": FieldSpec(Order.HIGHER, "data disk per instance (GB)"),
        "encrypted": FieldSpec(Order.TRUE, "every disk/volume encrypted"),
        "publicIp": FieldSpec(Order.FALSE, "a public or floating IP"),
        "ingress": FieldSpec(Order.WITHIN, "allowed inbound flows (zone or range, protocol/port)"),
    },
    Capability.LOGGING: {
        "retentionDays": FieldSpec(Order.HIGHER, "audit log retention (days)"),
    },
    # The two ends of one tunnel: each proposal must be the other's, each end's ranges the
    # other's peer ranges (the words of bascule/rules/ipsec_suites.py).
    Capability.INTERCONNECT: {
        "ikeVersion": FieldSpec(Order.EQUAL, "IKE version"),
        "ikeEncryption": FieldSpec(Order.EQUAL, "IKE cipher"),
        "ikePrf": FieldSpec(Order.EQUAL, "IKE PRF (integrity)"),
        "dhGroup": FieldSpec(Order.EQUAL, "IKE Diffie-Hellman group"),
        "espEncryption": FieldSpec(Order.EQUAL, "ESP cipher"),
        "espIntegrity": FieldSpec(Order.EQUAL, "ESP integrity (aead: the cipher's own)"),
        "pfsGroup": FieldSpec(Order.EQUAL, "PFS group (0: none)"),
        "sourceRanges": FieldSpec(Order.EQUAL, "source ranges the tunnel carries"),
        "targetRanges": FieldSpec(Order.EQUAL, "target ranges the tunnel carries"),
        "preSharedKey": FieldSpec(Order.TRUE, "a pre-shared key set at this end"),
        "ipsecLifetimeSeconds": FieldSpec(Order.INFO, "IPsec SA lifetime (each end's own)"),
    },
    Capability.NETWORK: {
        "cidr": FieldSpec(Order.INFO, "address space (differs by design between estates)"),
        "subnets": FieldSpec(Order.INFO, "number of subnets"),
        "addresses": FieldSpec(Order.HIGHER, "addresses in its subnets"),
    },
}
FIELDS[Capability.GATEWAY] = FIELDS[Capability.ENCLAVE]
# One VM or instance: an enclave's fields but the instance count.
FIELDS[Capability.SERVER] = {
    name: spec for name, spec in FIELDS[Capability.ENCLAVE].items() if name != "instances"
}

# Azure storage SKU redundancy -> number of fault domains kept.
AZURE_REPLICATION = {"LRS": 1, "ZRS": 2, "GRS": 3, "RAGRS": 3, "GZRS": 4, "RAGZRS": 4}
# Swift storage policies of the SecNumCloud regions -> the same scale. OVHcloud's 3-AZ
# region (EU-WEST-PAR) keeps three replicas across its zones.
SWIFT_REPLICATION = {"encrypted": 2, "default": 2, "encrypted-3az": 2, "single": 1}

# Security strength in bits (NIST SP 800-57 part 1, table 2) by key family and size.
RSA_STRENGTH = {2048: 112, 3072: 128, 4096: 152, 7680: 192, 15360: 256}
EC_STRENGTH = {"P-256": 128, "P-384": 192, "P-521": 256}
AES_STRENGTH = {128: 128, 192: 192, 256: 256}
# Each provider's key-type word -> one family name, so every report says `AES 256` for the
# same key whatever the stack's KMS (read 2026-12-01):
# - Azure Key Vault `kty` uses JWK names; `oct`/`oct-HSM` are its symmetric AES keys, `-HSM`
#   only says where the key is held: learn.microsoft.com/azure/key-vault/keys/about-keys
# - OVHcloud KMS service keys take `type` oct|RSA|EC, `oct` being the JWK name of a symmetric
#   key (RFC 7518 section 6.4): registry pulumi.com/registry/packages/ovh/api-docs/okms/servicekey
#   and github.com/ovh/okms-cli doc/okms_keys_generate.md (`--type oct|rsa|ec`, default oct 256).
#   That OKMS runs AES with them is what bascule relies on (components/target/openstack/kms.py); no
#   OVHcloud page read names the cipher: unknown beyond "symmetric".
# - Barbican orders and secrets carry `algorithm` (aes, rsa, ec...) as free metadata.
KEY_FAMILIES = {
    "oct": "AES",
    "oct-hsm": "AES",
    "aes": "AES",
    "rsa": "RSA",
    "rsa-hsm": "RSA",
    "ec": "EC",
    "ec-hsm": "EC",
}
# Flavour names: `snc.<vcpu>c<ram>g[-gpu<n>]` (the bascule naming); others must be listed.
FLAVOUR_PATTERN = r"^snc\.(?P<vcpu>\d+)c(?P<ram>\d+)g(?:-gpu(?P<gpu>\d+))?$"
KNOWN_FLAVOURS: dict[str, tuple[int, int, int]] = {
    # OVHcloud public-cloud names seen in exports: name -> (vcpu, ram GB, gpu)
    "b3-8": (2, 8, 0),
    "b3-16": (4, 16, 0),
    "b3-32": (8, 32, 0),
    "b3-64": (16, 64, 0),
    "r3-64": (8, 64, 0),
    "r3-128": (16, 128, 0),
}
