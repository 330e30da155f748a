"""The Pulumi type tokens (with each provider's deprecated aliases) that more than one rule
module reads, each defined once. A token only one module reads stays beside its rule."""

from __future__ import annotations

# Azure (azure-native)
AZ_LOCAL_GATEWAY = "azure-native:network:LocalNetworkGateway"
AZ_PUBLIC_IP = "azure-native:network:PublicIPAddress"
AZ_SUBNET = "azure-native:network:Subnet"
AZ_VNET = "azure-native:network:VirtualNetwork"
BLOB_CONTAINER = "azure-native:storage:BlobContainer"
COSMOS_ACCOUNT = "azure-native:documentdb:DatabaseAccount"
DISK = "azure-native:compute:Disk"
KEY = "azure-native:keyvault:Key"
MANAGED_HSM = "azure-native:keyvault:ManagedHsm"
MYSQL_SERVER = "azure-native:dbformysql:Server"
NIC = "azure-native:network:NetworkInterface"
NSG = "azure-native:network:NetworkSecurityGroup"
POSTGRES_SERVER = "azure-native:dbforpostgresql:Server"
PRIVATE_ENDPOINT = "azure-native:network:PrivateEndpoint"
REDIS = "azure-native:redis:Redis"
SQL_SERVER = "azure-native:sql:Server"
STORAGE_ACCOUNT = "azure-native:storage:StorageAccount"
VAULT = "azure-native:keyvault:Vault"
VM = "azure-native:compute:VirtualMachine"
VMSS = "azure-native:compute:VirtualMachineScaleSet"
WORKSPACE = "azure-native:operationalinsights:Workspace"

# OpenStack
BARBICAN_ORDER = "openstack:keymanager/orderV1:OrderV1"
BARBICAN_SECRET = "openstack:keymanager/secretV1:SecretV1"
FLOATING_IP = "openstack:networking/floatingIp:FloatingIp"
INSTANCE = "openstack:compute/instance:Instance"
NETWORK = "openstack:networking/network:Network"
OS_SUBNET = "openstack:networking/subnet:Subnet"
PORT = "openstack:networking/port:Port"
ROUTER = "openstack:networking/router:Router"
SEC_GROUP = "openstack:networking/secGroup:SecGroup"
SWIFT = "openstack:objectstorage/container:Container"
VOLUME = "openstack:blockstorage/volume:Volume"

# OVHcloud
OKMS_KEY = "ovh:Okms/serviceKey:ServiceKey"
OVH_BUCKETS = (
    "ovh:CloudProject/storage:Storage",
    "ovh:index/cloudStorageObjectBucket:CloudStorageObjectBucket",
)
OVH_CLOUD_INSTANCE = "ovh:index/cloudInstance:CloudInstance"
OVH_INSTANCE = "ovh:CloudProject/instance:Instance"


def aliased(token: str, alias: str) -> tuple[str, str]:
    """A pulumiverse-scaleway type and its deprecated `index/` alias, each spelt once:
    `aliased("object/bucket:Bucket", "objectBucket")` gives `scaleway:object/bucket:Bucket`
    and `scaleway:index/objectBucket:ObjectBucket` (the alias's class is its module,
    capitalised), so a type and its alias cannot drift apart."""
    return f"scaleway:{token}", f"scaleway:index/{alias}:{alias[0].upper()}{alias[1:]}"


# Scaleway (pulumiverse-scaleway: each type with its deprecated `index/` alias)
SCW_BUCKETS = aliased("object/bucket:Bucket", "objectBucket")
SCW_GATEWAYS = aliased("network/publicGateway:PublicGateway", "vpcPublicGateway")
SCW_INSTANCE_IPS = aliased("instance/ip:Ip", "instanceIp")
# Scaleway (pulumiverse-scaleway 1.60): Key Manager keys, and the bucket encryption
# configuration (the bucket itself has no encryption setting); with the deprecated aliases.
SCW_KEYS = aliased("keymanager/key:Key", "keyManagerKey")
SCW_LOAD_BALANCERS = aliased("loadbalancers/loadBalancer:LoadBalancer", "loadbalancer")
SCW_PAT_RULES = aliased(
    "network/publicGatewayPatRule:PublicGatewayPatRule", "vpcPublicGatewayPatRule"
)
SCW_SECURITY_GROUPS = aliased("instance/securityGroup:SecurityGroup", "instanceSecurityGroup")
SCW_SERVERS = aliased("instance/server:Server", "instanceServer")
SCW_SNAPSHOTS = aliased("block/snapshot:Snapshot", "blockSnapshot")
SCW_SSE = (
    "scaleway:object/bucketServerSideEncryptionConfiguration:"
    "BucketServerSideEncryptionConfiguration",
)
SCW_VOLUMES = aliased("block/volume:Volume", "blockVolume")
# Scaleway IAM (pulumiverse-scaleway 1.60): what a transfer application is and holds, read by
# MIG-015 and MIG-016, by MIG-018 and by the wave acceptance tests.
SCW_API_KEYS = aliased("iam/apiKey:ApiKey", "iamApiKey")
SCW_APPLICATIONS = aliased("iam/application:Application", "iamApplication")
SCW_GROUPS = aliased("iam/group:Group", "iamGroup")
SCW_MEMBERSHIPS = aliased("iam/groupMembership:GroupMembership", "iamGroupMembership")
SCW_POLICIES = aliased("iam/policy:Policy", "iamPolicy")
