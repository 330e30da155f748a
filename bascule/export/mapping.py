"""Pulumi to Terraform / ARM names, as data: the one place to read or change them.

Pulumi bridges each Terraform provider, so an OpenStack/OVH resource is the Terraform
resource under another name: types map one to one, properties map camelCase to
snake_case except where the bridge renamed a block (Pulumi pluralises repeated blocks).
azure-native flattens ARM's `properties` envelope; the ARM export nests it back.
"""

from __future__ import annotations

import re

TF_TYPES: dict[str, str] = {
    "openstack:compute/instance:Instance": "openstack_compute_instance_v2",
    "openstack:compute/keypair:Keypair": "openstack_compute_keypair_v2",
    "openstack:compute/serverGroup:ServerGroup": "openstack_compute_servergroup_v2",
    "openstack:compute/volumeAttach:VolumeAttach": "openstack_compute_volume_attach_v2",
    "openstack:blockstorage/volume:Volume": "openstack_blockstorage_volume_v3",
    "openstack:networking/network:Network": "openstack_networking_network_v2",
    "openstack:networking/subnet:Subnet": "openstack_networking_subnet_v2",
    "openstack:networking/router:Router": "openstack_networking_router_v2",
    "openstack:networking/routerInterface:RouterInterface": (
        "openstack_networking_router_interface_v2"
    ),
    "openstack:networking/port:Port": "openstack_networking_port_v2",
    "openstack:networking/secGroup:SecGroup": "openstack_networking_secgroup_v2",
    "openstack:networking/secGroupRule:SecGroupRule": "openstack_networking_secgroup_rule_v2",
    "openstack:networking/floatingIp:FloatingIp": "openstack_networking_floatingip_v2",
    "openstack:networking/floatingIpAssociate:FloatingIpAssociate": (
        "openstack_networking_floatingip_associate_v2"
    ),
    "openstack:objectstorage/container:Container": "openstack_objectstorage_container_v1",
    "openstack:keymanager/orderV1:OrderV1": "openstack_keymanager_order_v1",
    "openstack:keymanager/containerV1:ContainerV1": "openstack_keymanager_container_v1",
    "openstack:keymanager/secretV1:SecretV1": "openstack_keymanager_secret_v1",
    "ovh:Okms/okms:Okms": "ovh_okms",
    "ovh:Okms/serviceKey:ServiceKey": "ovh_okms_service_key",
    # pulumiverse-scaleway bridges the scaleway/scaleway Terraform provider: names as that
    # provider's own tests and docs spell them (terraform-provider-scaleway provider_test.go,
    # docs/resources/s2s_vpn_connection.md, read 2026-12-01); the bridge's modules rename
    # `vpc` to `network`, `key_manager` to `keymanager`, `secret` to `secrets`.
    "scaleway:instance/server:Server": "scaleway_instance_server",
    "scaleway:instance/ip:Ip": "scaleway_instance_ip",
    "scaleway:instance/securityGroup:SecurityGroup": "scaleway_instance_security_group",
    "scaleway:instance/securityGroupRules:SecurityGroupRules": (
        "scaleway_instance_security_group_rules"
    ),
    "scaleway:instance/placementGroup:PlacementGroup": "scaleway_instance_placement_group",
    "scaleway:instance/privateNic:PrivateNic": "scaleway_instance_private_nic",
    "scaleway:instance/volume:Volume": "scaleway_instance_volume",
    "scaleway:block/volume:Volume": "scaleway_block_volume",
    "scaleway:network/vpc:Vpc": "scaleway_vpc",
    "scaleway:network/privateNetwork:PrivateNetwork": "scaleway_vpc_private_network",
    "scaleway:network/publicGateway:PublicGateway": "scaleway_vpc_public_gateway",
    "scaleway:object/bucket:Bucket": "scaleway_object_bucket",
    "scaleway:object/bucketAcl:BucketAcl": "scaleway_object_bucket_acl",
    "scaleway:object/bucketPolicy:BucketPolicy": "scaleway_object_bucket_policy",
    "scaleway:object/bucketLockConfiguration:BucketLockConfiguration": (
        "scaleway_object_bucket_lock_configuration"
    ),
    "scaleway:object/bucketServerSideEncryptionConfiguration:"
    "BucketServerSideEncryptionConfiguration": (
        "scaleway_object_bucket_server_side_encryption_configuration"
    ),
    "scaleway:keymanager/key:Key": "scaleway_key_manager_key",
    "scaleway:account/project:Project": "scaleway_account_project",
    "scaleway:secrets/secret:Secret": "scaleway_secret",
    "scaleway:secrets/version:Version": "scaleway_secret_version",
    "scaleway:s2svpn/gateway:Gateway": "scaleway_s2s_vpn_gateway",
    "scaleway:s2svpn/customerGateway:CustomerGateway": "scaleway_s2s_vpn_customer_gateway",
    "scaleway:s2svpn/routingPolicy:RoutingPolicy": "scaleway_s2s_vpn_routing_policy",
    "scaleway:s2svpn/connection:Connection": "scaleway_s2s_vpn_connection",
}
TF_PROVIDERS = {
    "openstack": "registry.terraform.io/terraform-provider-openstack/openstack",
    "ovh": "registry.terraform.io/ovh/ovh",
    "scaleway": "registry.terraform.io/scaleway/scaleway",
}
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
    "pulumi:providers:openstack": "provider configuration (checked by bascule's SOV rules)",
    "pulumi:providers:ovh": "provider configuration (checked by bascule's SOV rules)",
    "pulumi:providers:scaleway": "provider configuration (checked by bascule's SOV rules)",
    "ovh:CloudProject/storage:Storage": "OVHcloud object storage bucket: no checkov check",
    # The migration's own resources (issue 20): not exported yet; MIG-010..017 check them.
    "azure-native:network:VirtualNetworkGateway": "interconnect, checked by MIG-010..013",
    "azure-native:network:LocalNetworkGateway": "interconnect, checked by MIG-013",
    "azure-native:network:VirtualNetworkGatewayConnection": "interconnect, checked by MIG-010..013",
    "openstack:vpnaas/ikePolicy:IkePolicy": "interconnect, checked by MIG-010 and MIG-013",
    "openstack:vpnaas/ipSecPolicy:IpSecPolicy": "interconnect, checked by MIG-011 and MIG-013",
    "openstack:vpnaas/service:Service": "interconnect, checked by MIG-013",
    "openstack:vpnaas/endpointGroup:EndpointGroup": "interconnect, checked by MIG-013",
    "openstack:vpnaas/siteConnection:SiteConnection": "interconnect, checked by MIG-012, MIG-013",
    "openstack:identity/applicationCredential:ApplicationCredential": (
        "transfer credential, checked by MIG-015, MIG-016, MIG-020"
    ),
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
