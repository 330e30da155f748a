"""Pulumi to Terraform / ARM names, as data: the one place to read or change them.

Pulumi bridges each Terraform provider, so an OpenStack/OVH resource is the Terraform
resource under another name: types map one to one, properties map camelCase to
snake_case except where the bridge renamed a block (Pulumi pluralises repeated blocks).
azure-native flattens ARM's `properties` envelope; the ARM export nests it back.
"""

from __future__ import annotations

import re

from bascule.providers import tf_providers, tf_types, unmapped_types

# The target providers' types and Terraform providers: bascule/providers/<provider>.py.
TF_TYPES: dict[str, str] = tf_types()
TF_PROVIDERS: dict[str, str] = tf_providers()
# Pulumi property -> Terraform attribute where camel_to_snake is not enough.
TF_RENAMES: dict[str, str] = {
    "blockDevices": "block_device",
    "networks": "network",
    "fixedIps": "fixed_ip",
    "allocationPools": "allocation_pool",
    "secretRefs": "secret_refs",
    "schedulerHints": "scheduler_hints",
    "versioningLegacy": "versioning_legacy",
    # Scaleway's repeated blocks, pluralised by the bridge (Terraform `inbound_rule {...}`,
    # `bgp_config_ipv4 {...}`, `prefix_filter_in = [...]` in the provider's docs).
    "inboundRules": "inbound_rule",
    "outboundRules": "outbound_rule",
    "privateNetworks": "private_network",
    "bgpConfigIpv4s": "bgp_config_ipv4",
    "prefixFilterIns": "prefix_filter_in",
    "prefixFilterOuts": "prefix_filter_out",
}

# Packages of the source estate, exported to ARM; every other package goes to the Terraform plan.
ARM_PACKAGES = ("azure-native", "azure")
ARM_TYPES: dict[str, tuple[str, str]] = {
    # azure-native token -> (ARM type, apiVersion checkov's checks expect)
    "azure-native:storage:StorageAccount": ("Microsoft.Storage/storageAccounts", "2023-01-01"),
    "azure-native:storage:BlobContainer": (
        "Microsoft.Storage/storageAccounts/blobServices/containers",
        "2023-01-01",
    ),
    "azure-native:storage:BlobServiceProperties": (
        "Microsoft.Storage/storageAccounts/blobServices",
        "2023-01-01",
    ),
    "azure-native:keyvault:Vault": ("Microsoft.KeyVault/vaults", "2023-07-01"),
    "azure-native:keyvault:Key": ("Microsoft.KeyVault/vaults/keys", "2023-07-01"),
    "azure-native:keyvault:Secret": ("Microsoft.KeyVault/vaults/secrets", "2023-07-01"),
    "azure-native:compute:VirtualMachine": ("Microsoft.Compute/virtualMachines", "2023-09-01"),
    "azure-native:compute:Disk": ("Microsoft.Compute/disks", "2023-04-02"),
    "azure-native:compute:DiskEncryptionSet": (
        "Microsoft.Compute/diskEncryptionSets",
        "2023-04-02",
    ),
    "azure-native:network:NetworkSecurityGroup": (
        "Microsoft.Network/networkSecurityGroups",
        "2023-09-01",
    ),
    "azure-native:network:NetworkInterface": ("Microsoft.Network/networkInterfaces", "2023-09-01"),
    "azure-native:network:VirtualNetwork": ("Microsoft.Network/virtualNetworks", "2023-09-01"),
    "azure-native:network:Subnet": ("Microsoft.Network/virtualNetworks/subnets", "2023-09-01"),
    "azure-native:network:PublicIPAddress": ("Microsoft.Network/publicIPAddresses", "2023-09-01"),
    "azure-native:network:PrivateEndpoint": ("Microsoft.Network/privateEndpoints", "2023-09-01"),
    "azure-native:network:VirtualNetworkPeering": (
        "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
        "2023-09-01",
    ),
    "azure-native:operationalinsights:Workspace": (
        "Microsoft.OperationalInsights/workspaces",
        "2022-10-01",
    ),
    "azure-native:resources:ResourceGroup": ("Microsoft.Resources/resourceGroups", "2022-09-01"),
    "azure-native:managedidentity:UserAssignedIdentity": (
        "Microsoft.ManagedIdentity/userAssignedIdentities",
        "2023-01-31",
    ),
    "azure-native:monitor:DiagnosticSetting": (
        "Microsoft.Insights/diagnosticSettings",
        "2021-05-01-preview",
    ),
    "azure-native:authorization:RoleAssignment": (
        "Microsoft.Authorization/roleAssignments",
        "2022-04-01",
    ),
    "azure-native:authorization:ManagementLockByScope": (
        "Microsoft.Authorization/locks",
        "2020-05-01",
    ),
    "azure-native:network:NetworkWatcher": ("Microsoft.Network/networkWatchers", "2023-09-01"),
    "azure-native:network:FlowLog": ("Microsoft.Network/networkWatchers/flowLogs", "2023-09-01"),
    "azure-native:monitor:SubscriptionDiagnosticSetting": (
        "Microsoft.Insights/diagnosticSettings",
        "2021-05-01-preview",
    ),
}
# Nested ARM types are named after their parents, one segment per level of the type, as in a
# template: `Microsoft.Network/virtualNetworks/subnets` is `<vnet>/<subnet>`. Each segment is
# (the azure-native input holding it, the value ARM uses when that input is absent); the last
# one falls back to the Pulumi name (azure-native auto-names), a missing parent one is written
# as Pulumi's unknown sentinel.
ARM_NAME_SEGMENTS: dict[str, tuple[tuple[str, str | None], ...]] = {
    "azure-native:storage:BlobContainer": (
        ("accountName", None),
        ("blobServicesName", "default"),
        ("containerName", None),
    ),
    "azure-native:storage:BlobServiceProperties": (
        ("accountName", None),
        ("blobServicesName", "default"),
    ),
    "azure-native:keyvault:Key": (("vaultName", None), ("keyName", None)),
    "azure-native:keyvault:Secret": (("vaultName", None), ("secretName", None)),
    "azure-native:network:Subnet": (("virtualNetworkName", None), ("subnetName", None)),
    "azure-native:network:VirtualNetworkPeering": (
        ("virtualNetworkName", None),
        ("virtualNetworkPeeringName", None),
    ),
    "azure-native:network:FlowLog": (("networkWatcherName", None), ("flowLogName", None)),
}
# Keys that sit beside `properties` in an ARM resource, not inside it.
ARM_TOP_LEVEL = frozenset(
    {"location", "tags", "sku", "kind", "identity", "zones", "plan", "extendedLocation"}
)
# azure-native input -> ARM property where they differ.
ARM_RENAMES: dict[str, str] = {
    "enableHttpsTrafficOnly": "supportsHttpsTrafficOnly",
    "networkRuleSet": "networkAcls",
}
# Inputs that only address the resource (they become its ARM name or scope, not properties).
ARM_ADDRESSING = frozenset(
    {"resourceGroupName", "subscriptionId", "scope", "blobServicesName", "containerName"}
)

# Types the components create that have no scanner counterpart, and why.
UNMAPPED: dict[str, str] = {
    "pulumi:pulumi:Stack": "the stack itself, not a cloud resource",
    "pulumi:providers:azure-native": "provider configuration (checked by bascule's SOV rules)",
    # The migration's own resources (issue 20): not exported yet; MIG-010..017 check them.
    "azure-native:network:VirtualNetworkGateway": "interconnect, checked by MIG-010..013",
    "azure-native:network:LocalNetworkGateway": "interconnect, checked by MIG-013",
    "azure-native:network:VirtualNetworkGatewayConnection": "interconnect, checked by MIG-010..013",
    **unmapped_types(),
}

_CAMEL = re.compile(r"(?<=[a-z0-9])([A-Z])")


def camel_to_snake(name: str) -> str:
    return _CAMEL.sub(r"_\1", name).lower()


def tf_attribute(name: str) -> str:
    return TF_RENAMES.get(name) or camel_to_snake(name)


def pulumi_property(attribute: str) -> str:
    """Terraform attribute -> Pulumi property (the inverse of `tf_attribute`)."""
    for pulumi_name, tf_name in TF_RENAMES.items():
        if tf_name == attribute:
            return pulumi_name
    head, *rest = attribute.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)
