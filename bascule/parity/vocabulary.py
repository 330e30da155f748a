"""Each provider's resource types, as parity reads an estate bascule did not build (data only).

bascule's own components are read through `mapping.OBJECTS`. Any other estate (one built by
other tools over years, or brought in with `pulumi import`) is read by resource type: every
type parity looks at is listed under the part it plays (`Part`), in the `ProviderFacts` of
each provider: Azure's here, each target provider's in `bascule/providers/<provider>.py`
(adding a provider touches that package only). The readers
in `resources_azure.py` and `resources_openstack.py` ask it for types and never spell one.

Facts the readers rely on (read 2026-12-01; the target providers' sources are in their modules
under bascule/providers):
- azure-native 3.x types and input names: the SDK installed in `.venv` (pulumi_azure_native),
  e.g. `compute.VirtualMachine(vm_name=...)`, `network.SecurityRule(network_security_group_name
  =...)`, `storage.BlobContainer(container_name=...)`.
- pulumi-ovh 2.22 S3 buckets: `ovh:CloudProject/storage:Storage` (encryption.sseAlgorithm,
  versioning.status, objectLock.rule.period) and `ovh:index/cloudStorageObjectBucket:
  CloudStorageObjectBucket` (encryption.algorithm `AES256`|`PLAINTEXT`, versioning.status
  `ENABLED`|`DISABLED`|`SUSPENDED`, objectLock.retentionDays): the SDK in `.venv` and
  pulumi.com/registry/packages/ovh/api-docs/cloudstorageobjectbucket/.
- `Ext-Net` is the OVHcloud public network an instance attaches to for a public IPv4, as
  public OVHcloud programs do (`network { name = "Ext-Net" }`); no OVHcloud page read says so
  in words: the page is `unknown`. Any network the estate declares `external` counts too.
"""

from __future__ import annotations

from bascule.parity.mapping import SOURCE
from bascule.providers import TARGET_PROVIDERS, Part, ProviderFacts

# The source's facts, as parity reads them (the target providers' are in bascule/providers).
AZURE = ProviderFacts(
    name="azure-native",
    label="Azure",
    estate=SOURCE,
    packages=("azure-native",),
    parity_types={
        Part.SERVER: ("azure-native:compute:VirtualMachine",),
        Part.DISK: ("azure-native:compute:Disk",),
        Part.INTERFACE: ("azure-native:network:NetworkInterface",),
        Part.FIREWALL: ("azure-native:network:NetworkSecurityGroup",),
        Part.FIREWALL_RULE: ("azure-native:network:SecurityRule",),
        Part.PUBLIC_ADDRESS: ("azure-native:network:PublicIPAddress",),
        Part.STORAGE_ACCOUNT: ("azure-native:storage:StorageAccount",),
        Part.BLOB_SERVICE: ("azure-native:storage:BlobServiceProperties",),
        Part.CONTAINER: ("azure-native:storage:BlobContainer",),
        Part.KEY: ("azure-native:keyvault:Key",),
        Part.KEY_STORE: ("azure-native:keyvault:Vault",),
        Part.DISK_KEY: ("azure-native:compute:DiskEncryptionSet",),
        Part.NETWORK: ("azure-native:network:VirtualNetwork",),
        Part.NETWORK_PEERING: ("azure-native:network:VirtualNetworkPeering",),
        Part.SUBNET: ("azure-native:network:Subnet",),
        Part.LOG_WORKSPACE: ("azure-native:operationalinsights:Workspace",),
    },
    parity_names={
        "azure-native:compute:VirtualMachine": ("vmName", "name"),
        "azure-native:storage:StorageAccount": ("accountName", "name"),
        "azure-native:storage:BlobContainer": ("containerName", "name"),
        "azure-native:keyvault:Key": ("keyName", "name"),
        "azure-native:keyvault:Vault": ("vaultName", "name"),
        "azure-native:network:VirtualNetwork": ("virtualNetworkName", "name"),
        "azure-native:network:Subnet": ("subnetName", "name"),
        "azure-native:network:NetworkSecurityGroup": ("networkSecurityGroupName", "name"),
        "azure-native:operationalinsights:Workspace": ("workspaceName", "name"),
    },
)


PROVIDERS: tuple[ProviderFacts, ...] = (AZURE, *TARGET_PROVIDERS)

# Networks an instance is public on when attached to them directly (compared lower-cased).
PUBLIC_NETWORKS = frozenset({"ext-net"})
# Labels (tags or metadata) that make a container or bucket an audit-log store rather than
# a dataset: `role` or `classification` with one of these values.
AUDIT_LABEL_KEYS = ("role", "classification")
AUDIT_LABEL_VALUES = frozenset({"audit", "audit-log", "audit-logs", "logging", "logs"})
# Labels that pair objects across estates (`--pairing` first, then these, then names).
PAIRING_TAGS = ("project", "role")
# Leading or trailing name words that only say what a resource is (Microsoft's abbreviations
# for Azure resource names and the usual OpenStack ones): `vm-web-01`, `web-01-instance` and
# `web01` have one normalised name.
NAME_AFFIXES = frozenset(
    {
        "vm",
        "vms",
        "instance",
        "server",
        "srv",
        "nic",
        "port",
        "disk",
        "osdisk",
        "vol",
        "volume",
        "st",
        "sa",
        "storage",
        "container",
        "bucket",
        "blob",
        "kv",
        "key",
        "cmk",
        "vnet",
        "net",
        "network",
        "snet",
        "subnet",
        "nsg",
        "sg",
        "log",
        "logs",
        "law",
    }
)


def vocabularies(estate: str) -> tuple[ProviderFacts, ...]:
    return tuple(v for v in PROVIDERS if v.estate == estate)


def types_of(estate: str, part: Part) -> tuple[str, ...]:
    """Every type playing `part` in `estate`, whatever the provider."""
    return tuple(t for v in vocabularies(estate) for t in v.parity_types.get(part, ()))


def packages_of(estate: str) -> tuple[str, ...]:
    return tuple(p for v in vocabularies(estate) for p in v.packages)


def read_types(estate: str) -> frozenset[str]:
    """Every type parity reads in `estate`: the others are reported as not compared."""
    return frozenset(
        t for v in vocabularies(estate) for types in v.parity_types.values() for t in types
    )


def name_fields(resource_type: str) -> tuple[str, ...]:
    for facts in PROVIDERS:
        if resource_type in facts.parity_names:
            return facts.parity_names[resource_type]
    return ("name",)
