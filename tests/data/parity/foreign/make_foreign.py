"""Write the estates bascule did not build (stack export version 3), for parity and drift.

    .venv/bin/python tests/data/parity/foreign/make_foreign.py

Written here from Pulumi's documented `pulumi stack export` format (version 3: `manifest`,
`secrets_providers`, `resources` with `urn`, `custom`, `id`, `type`, `inputs`, `outputs`,
`parent`, `provider`, `dependencies`, `propertyDependencies`, `created`, `modified`) and the
SDKs' own input names (pulumi_azure_native 3.29, pulumi_openstack 5.5, pulumi_ovh 2.22), on
default providers (`pulumi:providers:<pkg>::default_<version>`) as a program that declares
none gets them. Nothing is copied from another repository.

- azure-estate.json: the `hdh-legacy` Azure estate (4 VMs with managed disks, NICs, NSGs
  on NICs and subnets, a separate SecurityRule; 3 storage accounts, 4 containers; a key
  vault with 2 keys; a VNet with 3 subnets; a Log Analytics workspace), as of 2026-10-01.
- openstack-estate.json: the `hdh-secnum` OpenStack tenancy on OVHcloud (4 instances with
  volumes, ports, security groups, floating IPs; Swift containers, one OVH S3 bucket;
  a Barbican order and an OKMS key; a network with 3 subnets; an audit container).
- azure-estate-later.json: the Azure estate again on 2026-11-01, drifted (asserted in
  tests/bascule/parity/test_drift.py).
- pairing.yaml (hand-written, not generated): the bastion renamed on the target, and one
  gap accepted.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SUB = "/subscriptions/7c1e2d0a-3b4f-4c5d-8e9f-0a1b2c3d4e5f"
RG = f"{SUB}/resourceGroups/rg-hdh-legacy/providers"
CREATED = "2024-03-11T09:12:44.108203Z"


def stack_urn(stack: str, project: str) -> str:
    return f"urn:pulumi:{stack}::{project}::pulumi:pulumi:Stack::{project}-{stack}"


class Estate:
    """Resources of one stack export, each with the default provider of its package."""

    def __init__(self, project: str, stack: str, providers: dict[str, tuple[str, dict]]) -> None:
        self.project, self.stack = project, stack
        self.root = stack_urn(stack, project)
        self.resources: list[dict[str, Any]] = [
            {
                "urn": self.root,
                "custom": False,
                "type": "pulumi:pulumi:Stack",
                "outputs": {},
                "created": CREATED,
                "modified": CREATED,
            }
        ]
        self.providers: dict[str, str] = {}
        for index, (package, (version, config)) in enumerate(providers.items()):
            urn = (
                f"urn:pulumi:{stack}::{project}::pulumi:providers:{package}::"
                f"default_{version.replace('.', '_')}"
            )
            pid = f"5f0c7a2e-1d3b-4e6f-9a8b-{index:012d}"
            inputs = {**config, "version": version}
            self.resources.append(
                {
                    "urn": urn,
                    "custom": True,
                    "id": pid,
                    "type": f"pulumi:providers:{package}",
                    "inputs": inputs,
                    "outputs": inputs,
                    "created": CREATED,
                    "modified": CREATED,
                }
            )
            self.providers[package] = f"{urn}::{pid}"

    def add(
        self,
        kind: str,
        name: str,
        rid: str,
        inputs: dict,
        outputs: dict | None = None,
        depends: tuple[str, ...] = (),
    ) -> str:
        package = kind.split(":", 1)[0]
        urn = f"urn:pulumi:{self.stack}::{self.project}::{kind}::{name}"
        self.resources.append(
            {
                "urn": urn,
                "custom": True,
                "id": rid,
                "type": kind,
                "inputs": inputs,
                "outputs": {**inputs, **(outputs or {})},
                "parent": self.root,
                "provider": self.providers[package],
                "dependencies": list(depends),
                "propertyDependencies": {key: [] for key in inputs},
                "created": CREATED,
                "modified": CREATED,
            }
        )
        return urn

    def document(self, time: str) -> dict[str, Any]:
        return {
            "version": 3,
            "deployment": {
                "manifest": {"time": time, "magic": "", "version": "v3.207.0"},
                "secrets_providers": {
                    "type": "passphrase",
                    "state": {
                        "salt": "v1:fzF3ZQ==:v1:pGXWlF4rH0N7w5xt:Yw8b2b8mUquN5Ac2w3hMU8nFTnWp4g=="
                    },
                },
                "resources": self.resources,
            },
        }


# -- Azure -------------------------------------------------------------------------------------


def arm(kind: str, *names: str) -> str:
    return f"{RG}/{kind}/" + "/".join(names)


def azure_out(name: str, arm_type: str, rid: str, **more: Any) -> dict[str, Any]:
    return {
        "name": name,
        "type": arm_type,
        "id": rid,
        "provisioningState": "Succeeded",
        "azureApiVersion": "2024-05-01",
        **more,
    }


def nsg_rule(
    name: str, priority: int, access: str, source: str | list[str], port: str, protocol: str = "Tcp"
) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "name": name,
        "priority": priority,
        "direction": "Inbound",
        "access": access,
        "protocol": protocol,
        "sourcePortRange": "*",
        "destinationAddressPrefix": "*",
        "destinationPortRange": port,
    }
    rule["sourceAddressPrefixes" if isinstance(source, list) else "sourceAddressPrefix"] = source
    return rule


def azure_network(e: Estate) -> None:
    loc = {"resourceGroupName": "rg-hdh-legacy", "location": "francecentral"}
    e.add(
        "azure-native:resources:ResourceGroup",
        "rg-hdh-legacy",
        f"{SUB}/resourceGroups/rg-hdh-legacy",
        {"resourceGroupName": "rg-hdh-legacy", "location": "francecentral"},
    )
    nsgs = {
        # The app subnet lets the portal's HTTPS in; the VNet default does the rest.
        "nsg-snet-app": [nsg_rule("allow-https-internet", 100, "Allow", "Internet", "443")],
        "nsg-snet-data": [nsg_rule("deny-internet", 4000, "Deny", "Internet", "*", "*")],
        "nsg-web": [
            nsg_rule("allow-https", 100, "Allow", "Internet", "443"),
            nsg_rule("allow-ssh-bastion", 110, "Allow", "10.20.0.0/27", "22"),
            nsg_rule("deny-all-inbound", 4096, "Deny", "*", "*", "*"),
        ],
        "nsg-batch": [
            nsg_rule("allow-postgres-app", 100, "Allow", "10.20.1.0/24", "5432"),
            nsg_rule("deny-all-inbound", 4096, "Deny", "*", "*", "*"),
        ],
        "nsg-report": [
            nsg_rule("allow-https-app", 100, "Allow", "10.20.1.0/24", "443"),
            nsg_rule("deny-all-inbound", 4096, "Deny", "*", "*", "*"),
        ],
        # No deny-all: the VNet default rule lets the whole VNet in.
        "nsg-bastion": [nsg_rule("allow-ssh-partner", 100, "Allow", ["203.0.113.0/24"], "22")],
    }
    for name, rules in nsgs.items():
        rid = arm("Microsoft.Network/networkSecurityGroups", name)
        inputs: dict[str, Any] = {**loc, "networkSecurityGroupName": name, "securityRules": rules}
        e.add(
            "azure-native:network:NetworkSecurityGroup",
            name,
            rid,
            inputs,
            azure_out(name, "Microsoft.Network/networkSecurityGroups", rid),
        )
    # A rule declared as its own resource, not inline: the report VM's RDP from the bastion.
    rule = nsg_rule("allow-rdp-bastion", 120, "Allow", "10.20.0.0/27", "3389")
    rule_id = arm(
        "Microsoft.Network/networkSecurityGroups",
        "nsg-report",
        "securityRules",
        "allow-rdp-bastion",
    )
    e.add(
        "azure-native:network:SecurityRule",
        "allow-rdp-bastion",
        rule_id,
        {
            **{k: v for k, v in rule.items() if k != "name"},
            "resourceGroupName": "rg-hdh-legacy",
            "networkSecurityGroupName": "nsg-report",
            "securityRuleName": "allow-rdp-bastion",
        },
    )
    vnet_id = arm("Microsoft.Network/virtualNetworks", "vnet-hdh")
    subnets = {
        "snet-bastion": ("10.20.0.0/27", None),
        "snet-app": ("10.20.1.0/24", "nsg-snet-app"),
        "snet-data": ("10.20.2.0/24", "nsg-snet-data"),
    }
    inline = [
        {
            "name": name,
            "id": f"{vnet_id}/subnets/{name}",
            "addressPrefix": cidr,
            **(
                {
                    "networkSecurityGroup": {
                        "id": arm("Microsoft.Network/networkSecurityGroups", nsg)
                    }
                }
                if nsg
                else {}
            ),
        }
        for name, (cidr, nsg) in subnets.items()
    ]
    e.add(
        "azure-native:network:VirtualNetwork",
        "vnet-hdh",
        vnet_id,
        {
            **loc,
            "virtualNetworkName": "vnet-hdh",
            "addressSpace": {"addressPrefixes": ["10.20.0.0/16"]},
            "tags": {"project": "platform", "role": "network"},
        },
        azure_out("vnet-hdh", "Microsoft.Network/virtualNetworks", vnet_id, subnets=inline),
    )
    for name, (cidr, nsg) in subnets.items():
        rid = f"{vnet_id}/subnets/{name}"
        inputs = {
            "resourceGroupName": "rg-hdh-legacy",
            "virtualNetworkName": "vnet-hdh",
            "subnetName": name,
            "addressPrefix": cidr,
        }
        if nsg:
            inputs["networkSecurityGroup"] = {
                "id": arm("Microsoft.Network/networkSecurityGroups", nsg)
            }
        e.add(
            "azure-native:network:Subnet",
            name,
            rid,
            inputs,
            azure_out(name, "Microsoft.Network/virtualNetworks/subnets", rid),
        )


def azure_vm(
    e: Estate,
    name: str,
    size: str,
    subnet: str,
    nsg: str | None,
    tags: dict,
    data_disks: list[dict],
    public: bool = False,
) -> None:
    loc = {"resourceGroupName": "rg-hdh-legacy", "location": "francecentral"}
    des = {"id": arm("Microsoft.Compute/diskEncryptionSets", "des-hdh")}
    nic_name = f"nic-{name.removeprefix('vm-')}"
    nic_id = arm("Microsoft.Network/networkInterfaces", nic_name)
    config: dict[str, Any] = {
        "name": "ipconfig1",
        "privateIPAllocationMethod": "Dynamic",
        "subnet": {"id": arm("Microsoft.Network/virtualNetworks", "vnet-hdh", "subnets", subnet)},
    }
    if public:
        pip = f"pip-{name.removeprefix('vm-')}"
        pip_id = arm("Microsoft.Network/publicIPAddresses", pip)
        e.add(
            "azure-native:network:PublicIPAddress",
            pip,
            pip_id,
            {
                **loc,
                "publicIpAddressName": pip,
                "publicIPAllocationMethod": "Static",
                "sku": {"name": "Standard"},
            },
            azure_out(pip, "Microsoft.Network/publicIPAddresses", pip_id, ipAddress="20.19.0.10"),
        )
        config["publicIPAddress"] = {"id": pip_id}
    nic_inputs: dict[str, Any] = {
        **loc,
        "networkInterfaceName": nic_name,
        "ipConfigurations": [config],
        "tags": tags,
    }
    if nsg:
        nic_inputs["networkSecurityGroup"] = {
            "id": arm("Microsoft.Network/networkSecurityGroups", nsg)
        }
    e.add(
        "azure-native:network:NetworkInterface",
        nic_name,
        nic_id,
        nic_inputs,
        azure_out(nic_name, "Microsoft.Network/networkInterfaces", nic_id),
    )
    vm_id = arm("Microsoft.Compute/virtualMachines", name)
    storage = {
        "imageReference": {
            "publisher": "Canonical",
            "offer": "ubuntu-24_04-lts",
            "sku": "server",
            "version": "latest",
        },
        "osDisk": {
            "name": f"osdisk-{name}",
            "createOption": "FromImage",
            "diskSizeGB": 64,
            "managedDisk": {"storageAccountType": "Premium_LRS", "diskEncryptionSet": des},
        },
        "dataDisks": data_disks,
    }
    inputs = {
        **loc,
        "vmName": name,
        "hardwareProfile": {"vmSize": size},
        "tags": tags,
        "storageProfile": storage,
        "networkProfile": {"networkInterfaces": [{"id": nic_id, "primary": True}]},
        "osProfile": {
            "computerName": name,
            "adminUsername": "hdhadmin",
            "linuxConfiguration": {"disablePasswordAuthentication": True},
        },
    }
    e.add(
        "azure-native:compute:VirtualMachine",
        name,
        vm_id,
        inputs,
        azure_out(
            name,
            "Microsoft.Compute/virtualMachines",
            vm_id,
            vmId="0b6f3a9e-5c1d-4b7a-9e2f-3c4d5e6f7a8b",
        ),
    )


def azure_compute(e: Estate) -> None:
    loc = {"resourceGroupName": "rg-hdh-legacy", "location": "francecentral"}
    des_id = arm("Microsoft.Compute/diskEncryptionSets", "des-hdh")
    e.add(
        "azure-native:compute:DiskEncryptionSet",
        "des-hdh",
        des_id,
        {
            **loc,
            "diskEncryptionSetName": "des-hdh",
            "encryptionType": "EncryptionAtRestWithCustomerKey",
            "activeKey": {"keyUrl": "https://kv-hdh-prod.vault.azure.net/keys/cmk-disks/1"},
        },
    )
    disk_id = arm("Microsoft.Compute/disks", "disk-web-01-data")
    e.add(
        "azure-native:compute:Disk",
        "disk-web-01-data",
        disk_id,
        {
            **loc,
            "diskName": "disk-web-01-data",
            "diskSizeGB": 128,
            "creationData": {"createOption": "Empty"},
            "sku": {"name": "Premium_LRS"},
            "encryption": {
                "type": "EncryptionAtRestWithCustomerKey",
                "diskEncryptionSetId": des_id,
            },
        },
    )
    des = {"id": des_id}
    azure_vm(
        e,
        "vm-web-01",
        "Standard_D4s_v5",
        "snet-app",
        "nsg-web",
        {"project": "portal", "role": "web", "wave": "1"},
        [{"lun": 0, "createOption": "Attach", "managedDisk": {"id": disk_id}}],
        public=True,
    )
    azure_vm(
        e,
        "vm-batch-01",
        "Standard_E8s_v5",
        "snet-data",
        "nsg-batch",
        {"project": "snds", "role": "batch", "wave": "2"},
        [
            {
                "lun": 0,
                "name": "data-batch-01",
                "createOption": "Empty",
                "diskSizeGB": 512,
                "managedDisk": {"storageAccountType": "Premium_LRS", "diskEncryptionSet": des},
            }
        ],
    )
    azure_vm(
        e,
        "vm-report-01",
        "Standard_B2ms",
        "snet-app",
        "nsg-report",
        {"project": "reporting", "role": "report", "wave": "2"},
        [],
    )
    azure_vm(
        e,
        "vm-bastion",
        "Standard_D2s_v5",
        "snet-bastion",
        "nsg-bastion",
        {"project": "platform", "role": "bastion"},
        [],
        public=True,
    )


def azure_storage(e: Estate) -> None:
    loc = {"resourceGroupName": "rg-hdh-legacy", "location": "francecentral"}
    accounts = {
        "sthdhraw": {
            "sku": {"name": "Standard_ZRS"},
            "publicNetworkAccess": "Disabled",
            "allowBlobPublicAccess": False,
            "tags": {
                "classification": "pseudonymised-health",
                "project": "snds",
                "role": "dataset",
            },
            "encryption": {
                "keySource": "Microsoft.Keyvault",
                "keyVaultProperties": {
                    "keyName": "cmk-raw",
                    "keyVaultUri": "https://kv-hdh-prod.vault.azure.net/",
                },
            },
        },
        "sthdhopen": {
            "sku": {"name": "Standard_GRS"},
            "publicNetworkAccess": "Enabled",
            "allowBlobPublicAccess": True,
            "tags": {"classification": "open-data", "project": "open", "role": "dataset"},
            "encryption": {"keySource": "Microsoft.Storage"},
        },
    }
    for name, props in accounts.items():
        rid = arm("Microsoft.Storage/storageAccounts", name)
        e.add(
            "azure-native:storage:StorageAccount",
            name,
            rid,
            {
                **loc,
                "accountName": name,
                "kind": "StorageV2",
                "minimumTlsVersion": "TLS1_2",
                **props,
            },
            azure_out(name, "Microsoft.Storage/storageAccounts", rid),
        )
    service = arm("Microsoft.Storage/storageAccounts", "sthdhraw", "blobServices", "default")
    e.add(
        "azure-native:storage:BlobServiceProperties",
        "sthdhraw-blob",
        service,
        {
            "resourceGroupName": "rg-hdh-legacy",
            "accountName": "sthdhraw",
            "blobServicesName": "default",
            "isVersioningEnabled": True,
        },
    )
    containers = {
        "snds-raw": ("sthdhraw", "None"),
        "snds-extracts": ("sthdhraw", "None"),
        "snds-archive": ("sthdhraw", "None"),
        "nomenclatures": ("sthdhopen", "Blob"),
    }
    for name, (account, access) in containers.items():
        rid = arm(
            "Microsoft.Storage/storageAccounts",
            account,
            "blobServices",
            "default",
            "containers",
            name,
        )
        e.add(
            "azure-native:storage:BlobContainer",
            name,
            rid,
            {
                "resourceGroupName": "rg-hdh-legacy",
                "accountName": account,
                "containerName": name,
                "publicAccess": access,
            },
            azure_out(name, "Microsoft.Storage/storageAccounts/blobServices/containers", rid),
        )


def azure_keys_and_logs(e: Estate) -> None:
    loc = {"resourceGroupName": "rg-hdh-legacy", "location": "francecentral"}
    vault = arm("Microsoft.KeyVault/vaults", "kv-hdh-prod")
    e.add(
        "azure-native:keyvault:Vault",
        "kv-hdh-prod",
        vault,
        {
            **loc,
            "vaultName": "kv-hdh-prod",
            "properties": {
                "tenantId": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                "sku": {"family": "A", "name": "premium"},
                "enablePurgeProtection": True,
                "enableRbacAuthorization": True,
            },
        },
    )
    for key, kty, size in (("cmk-raw", "RSA-HSM", 3072), ("cmk-disks", "RSA", 2048)):
        rid = arm("Microsoft.KeyVault/vaults", "kv-hdh-prod", "keys", key)
        e.add(
            "azure-native:keyvault:Key",
            key,
            rid,
            {
                "resourceGroupName": "rg-hdh-legacy",
                "vaultName": "kv-hdh-prod",
                "keyName": key,
                "properties": {"kty": kty, "keySize": size},
            },
        )
    log = arm("Microsoft.OperationalInsights/workspaces", "log-hdh-prod")
    e.add(
        "azure-native:operationalinsights:Workspace",
        "log-hdh-prod",
        log,
        {
            **loc,
            "workspaceName": "log-hdh-prod",
            "sku": {"name": "PerGB2018"},
            "retentionInDays": 365,
        },
    )


def azure_estate() -> Estate:
    e = Estate("hdh-legacy", "prod", {"azure-native": ("3.29.0", {"location": "francecentral"})})
    azure_network(e)
    azure_compute(e)
    azure_storage(e)
    azure_keys_and_logs(e)
    return e


# -- OpenStack on OVHcloud ------------------------------------------------------------------------


def uuid(n: int) -> str:
    return f"3d2c1b0a-9f8e-4d7c-a6b5-{n:012x}"


def openstack_estate() -> Estate:
    e = Estate(
        "hdh-secnum",
        "prod",
        {
            "openstack": (
                "5.5.3",
                {"authUrl": "https://auth.cloud.ovh.net/v3", "region": "EU-WEST-PAR"},
            ),
            "ovh": ("2.22.0", {"endpoint": "ovh-eu"}),
        },
    )
    net = uuid(1)
    e.add(
        "openstack:networking/network:Network",
        "net-hdh",
        net,
        {"name": "net-hdh", "adminStateUp": True, "external": False},
    )
    subnets = {
        "subnet-bastion": (2, "10.30.0.0/27"),
        "subnet-app": (3, "10.30.1.0/24"),
        "subnet-data": (4, "10.30.2.0/24"),
    }
    for name, (n, cidr) in subnets.items():
        e.add(
            "openstack:networking/subnet:Subnet",
            name,
            uuid(n),
            {"name": name, "networkId": net, "cidr": cidr, "ipVersion": 4},
        )
    e.add("openstack:networking/router:Router", "rt-hdh", uuid(5), {"name": "rt-hdh"})
    groups = {
        "sg-web": (10, [("tcp", 443, "0.0.0.0/0"), ("tcp", 22, "10.30.0.0/27")]),
        # The batch host also serves its admin UI to the world: wider than on Azure.
        "sg-batch": (11, [("tcp", 5432, "10.30.1.0/24"), ("tcp", 8080, "0.0.0.0/0")]),
        "sg-report": (12, [("tcp", 443, "10.30.1.0/24"), ("tcp", 3389, "10.30.0.0/27")]),
        # SSH from anywhere where Azure allowed one partner range.
        "sg-bastion": (13, [("tcp", 22, "0.0.0.0/0")]),
    }
    for name, (n, rules) in groups.items():
        e.add(
            "openstack:networking/secGroup:SecGroup",
            name,
            uuid(n),
            {"name": name, "deleteDefaultRules": True},
        )
        for index, (protocol, number, prefix) in enumerate(rules):
            e.add(
                "openstack:networking/secGroupRule:SecGroupRule",
                f"{name}-in-{index}",
                uuid(100 + n * 10 + index),
                {
                    "direction": "ingress",
                    "ethertype": "IPv4",
                    "protocol": protocol,
                    "portRangeMin": number,
                    "portRangeMax": number,
                    "remoteIpPrefix": prefix,
                    "securityGroupId": uuid(n),
                },
            )
    servers = [
        # name, flavour, subnet, group, data GB, data volume type, public, metadata
        (
            "web-01",
            "b3-16",
            3,
            10,
            128,
            "encrypted-luks",
            True,
            {"project": "portal", "role": "web", "wave": "1"},
        ),
        (
            "batch-01",
            "b3-32",
            4,
            11,
            256,
            "classic",
            False,
            {"project": "snds", "role": "batch", "wave": "2"},
        ),
        (
            "report-01",
            "b3-8",
            3,
            12,
            0,
            "",
            False,
            {"project": "reporting", "role": "report", "wave": "2"},
        ),
        ("jump-host", "b3-8", 2, 13, 0, "", True, {"project": "platform", "role": "jump"}),
    ]
    for index, (name, flavour, subnet, group, data_gb, data_type, public, meta) in enumerate(
        servers
    ):
        base = 200 + index * 10
        port, boot, instance = uuid(base), uuid(base + 1), uuid(base + 2)
        e.add(
            "openstack:networking/port:Port",
            f"port-{name}",
            port,
            {
                "name": f"port-{name}",
                "networkId": net,
                "securityGroupIds": [uuid(group)],
                "fixedIps": [{"subnetId": uuid(subnet)}],
            },
        )
        e.add(
            "openstack:blockstorage/volume:Volume",
            f"boot-{name}",
            boot,
            {
                "name": f"boot-{name}",
                "size": 64,
                "volumeType": "encrypted-luks",
                "imageId": "Ubuntu 24.04",
            },
        )
        e.add(
            "openstack:compute/instance:Instance",
            name,
            instance,
            {
                "name": name,
                "flavorName": flavour,
                "keyPair": "hdh-ops",
                "metadata": meta,
                "blockDevices": [
                    {
                        "uuid": boot,
                        "sourceType": "volume",
                        "destinationType": "volume",
                        "bootIndex": 0,
                        "deleteOnTermination": False,
                    }
                ],
                "networks": [{"port": port}],
            },
        )
        if data_gb:
            volume = uuid(base + 3)
            e.add(
                "openstack:blockstorage/volume:Volume",
                f"data-{name}",
                volume,
                {"name": f"data-{name}", "size": data_gb, "volumeType": data_type},
            )
            e.add(
                "openstack:compute/volumeAttach:VolumeAttach",
                f"attach-{name}",
                uuid(base + 4),
                {"instanceId": instance, "volumeId": volume},
            )
        if public:
            fip = uuid(base + 5)
            e.add(
                "openstack:networking/floatingIp:FloatingIp",
                f"fip-{name}",
                fip,
                {"pool": "Ext-Net"},
                {"address": f"51.75.0.{index + 10}"},
            )
            e.add(
                "openstack:networking/floatingIpAssociate:FloatingIpAssociate",
                f"fip-{name}-assoc",
                uuid(base + 6),
                {"floatingIp": f"51.75.0.{index + 10}", "portId": port},
            )
    containers = {
        "snds-raw": {
            "versioning": True,
            "metadata": {
                "classification": "pseudonymised-health",
                "kms-key": "cmk-raw",
                "project": "snds",
                "role": "dataset",
            },
        },
        "snds-extracts": {
            "versioning": False,
            "metadata": {
                "classification": "pseudonymised-health",
                "kms-key": "cmk-raw",
                "project": "snds",
                "role": "dataset",
            },
        },
        "hdh-audit": {
            "versioning": True,
            "metadata": {"role": "audit-logs", "retention-days": "400", "project": "platform"},
        },
    }
    for name, props in containers.items():
        e.add(
            "openstack:objectstorage/container:Container",
            name,
            name,
            {"name": name, "storagePolicy": "encrypted", **props},
        )
    e.add(
        "ovh:CloudProject/storage:Storage",
        "nomenclatures",
        "EU-WEST-PAR/nomenclatures",
        {
            "serviceName": "b1c2d3e4f5a6",
            "regionName": "EU-WEST-PAR",
            "name": "nomenclatures",
            "versioning": {"status": "enabled"},
            "encryption": {"sseAlgorithm": "AES256"},
            "tags": {"classification": "open-data", "project": "open", "role": "dataset"},
        },
    )
    e.add(
        "openstack:keymanager/orderV1:OrderV1",
        "cmk-raw",
        "https://kms.eu-west-par.ovh.net/v1/orders/" + uuid(300),
        {
            "type": "key",
            "meta": {"name": "cmk-raw", "algorithm": "aes", "bitLength": 256, "mode": "cbc"},
        },
    )
    e.add(
        "ovh:Okms/serviceKey:ServiceKey",
        "cmk-disks",
        uuid(301),
        {
            "okmsId": "7e6d5c4b-3a29-4817-9605-f4e3d2c1b0a9",
            "name": "cmk-disks",
            "type": "oct",
            "size": 256,
            "operations": ["encrypt", "decrypt"],
        },
    )
    return e


# -- the Azure estate a month later ------------------------------------------------------------


def later(doc: dict[str, Any]) -> dict[str, Any]:
    """Drifts: a VM downsized, RDP opened to the internet on the bastion, a container
    deleted, a VM added, open data made private, an address range added to the VNet, one VM
    renamed (found again by its tags); and a port opened on a NIC's NSG that the subnet's
    NSG still blocks (no drift: nothing more gets in)."""
    doc = copy.deepcopy(doc)
    doc["deployment"]["manifest"]["time"] = "2026-11-01T06:00:00.000000Z"
    resources = doc["deployment"]["resources"]
    by_name = {r["urn"].rsplit("::", 1)[-1]: r for r in resources}
    for props in (by_name["vm-batch-01"]["inputs"], by_name["vm-batch-01"]["outputs"]):
        props["hardwareProfile"] = {"vmSize": "Standard_E4s_v5"}
    for props in (by_name["nsg-web"]["inputs"], by_name["nsg-web"]["outputs"]):
        props["securityRules"].insert(2, nsg_rule("allow-admin", 120, "Allow", "Internet", "8443"))
    for props in (by_name["nsg-bastion"]["inputs"], by_name["nsg-bastion"]["outputs"]):
        props["securityRules"].append(nsg_rule("allow-rdp", 130, "Allow", "Internet", "3389"))
    for props in (by_name["vnet-hdh"]["inputs"], by_name["vnet-hdh"]["outputs"]):
        props["addressSpace"] = {"addressPrefixes": ["10.20.0.0/16", "10.21.0.0/16"]}
    resources.remove(by_name["snds-archive"])
    for props in (by_name["sthdhopen"]["inputs"], by_name["sthdhopen"]["outputs"]):
        props["allowBlobPublicAccess"] = False
        props["publicNetworkAccess"] = "Disabled"
    for props in (by_name["nomenclatures"]["inputs"], by_name["nomenclatures"]["outputs"]):
        props["publicAccess"] = "None"
    # vm-report-01 rebuilt as vm-reporting-01, same tags.
    old = by_name["vm-report-01"]
    old["urn"] = old["urn"].replace("vm-report-01", "vm-reporting-01")
    for props in (old["inputs"], old["outputs"]):
        props["vmName"] = "vm-reporting-01"
    # A new ETL VM on the data subnet, a copy of the batch VM's shape.
    etl = copy.deepcopy(by_name["vm-batch-01"])
    etl["urn"] = etl["urn"].replace("vm-batch-01", "vm-etl-01")
    etl["id"] = etl["id"].replace("vm-batch-01", "vm-etl-01")
    for props in (etl["inputs"], etl["outputs"]):
        props["vmName"] = "vm-etl-01"
        props["tags"] = {"project": "snds", "role": "etl", "wave": "3"}
    resources.append(etl)
    return doc


def main() -> None:
    azure = azure_estate().document("2026-10-01T06:00:00.000000Z")
    target = openstack_estate().document("2026-10-01T06:05:00.000000Z")
    for name, doc in (
        ("azure-estate.json", azure),
        ("openstack-estate.json", target),
        ("azure-estate-later.json", later(azure)),
    ):
        (HERE / name).write_text(json.dumps(doc, indent=1) + "\n")


if __name__ == "__main__":
    main()
