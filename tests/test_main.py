"""The whole Pulumi program (`__main__.py`) under mocks, for both bundled stacks."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from bascule.snapshot.model import ROOT_STACK_TYPE, Resource, Snapshot
from bascule.synth import synthesize

ROOT = Path(__file__).resolve().parents[1]
REQUIRED = ("project", "classification", "wave")
UNTAGGABLE = {
    # These OpenStack types have neither `tags` nor `metadata`.
    "openstack:networking/secGroupRule:SecGroupRule",
    "openstack:networking/routerInterface:RouterInterface",
    "openstack:compute/volumeAttach:VolumeAttach",
    "openstack:compute/serverGroup:ServerGroup",
    "openstack:keymanager/containerV1:ContainerV1",
    "openstack:networking/floatingIpAssociate:FloatingIpAssociate",
    "openstack:compute/keypair:Keypair",
    "openstack:keymanager/orderV1:OrderV1",
    # neutron-vpnaas and Keystone application credentials take neither (pulumi_openstack
    # 3.x: no `tags` or `metadata` argument); the components name them by platform and wave.
    "openstack:vpnaas/endpointGroup:EndpointGroup",
    "openstack:vpnaas/ikePolicy:IkePolicy",
    "openstack:vpnaas/ipSecPolicy:IpSecPolicy",
    "openstack:vpnaas/service:Service",
    "openstack:vpnaas/siteConnection:SiteConnection",
    "openstack:identity/applicationCredential:ApplicationCredential",
    # These azure-native types take no `tags` (sub-resources and RBAC/monitor extensions).
    "azure-native:network:Subnet",
    "azure-native:network:VirtualNetworkPeering",
    "azure-native:storage:BlobServiceProperties",
    "azure-native:monitor:DiagnosticSetting",
    "azure-native:authorization:RoleAssignment",
    "azure-native:authorization:ManagementLockByScope",
    "azure-native:monitor:SubscriptionDiagnosticSetting",
}


@pytest.fixture(scope="module")
def dev() -> Snapshot:
    return synthesize(ROOT, "dev")


def _labels(resource: Resource) -> Mapping[str, Any] | None:
    props = resource.inputs
    if isinstance(props.get("tags"), Mapping):
        return props["tags"]
    if isinstance(props.get("metadata"), Mapping):
        return props["metadata"]
    if isinstance(props.get("tags"), list):
        return dict(item.split("=", 1) for item in props["tags"])
    return None


def _under(snapshot: Snapshot, component_type: str) -> list[Resource]:
    """Resources whose ancestor chain contains a component of `component_type`."""
    by_urn = snapshot.by_urn()

    def inside(resource: Resource) -> bool:
        parent = resource.parent
        while parent:
            if by_urn[parent].type == component_type:
                return True
            parent = by_urn[parent].parent
        return False

    return [r for r in snapshot if inside(r)]


def test_dev_resource_counts_per_type(dev: Snapshot) -> None:
    counts = Counter(r.type for r in dev)
    assert counts == DEV_COUNTS


def test_every_resource_but_the_estates_is_parented_to_a_component(dev: Snapshot) -> None:
    by_urn = dev.by_urn()
    for resource in dev:
        if resource.type == ROOT_STACK_TYPE:
            continue
        assert resource.parent, resource.urn
        parent_type = by_urn[resource.parent].type
        if resource.type in {"bascule:azure:Estate", "bascule:target:Estate"}:
            assert parent_type == ROOT_STACK_TYPE
        else:
            assert parent_type.startswith("bascule:"), resource.urn
            assert not by_urn[resource.parent].custom


def test_every_custom_resource_uses_an_explicit_provider(dev: Snapshot) -> None:
    by_urn = dev.by_urn()
    for resource in dev:
        if not resource.custom or resource.is_provider:
            continue
        provider = by_urn.get(resource.provider_urn or "")
        assert provider is not None and provider.is_provider, resource.urn
        assert provider.package == resource.package, resource.urn


def test_enclaves_have_no_public_ip_and_encrypted_disks(dev: Snapshot) -> None:
    for kind in ("bascule:azure:Enclave", "bascule:target:Enclave"):
        inside = _under(dev, kind)
        assert inside, kind
        types = {r.type for r in inside}
        assert not types & {
            "azure-native:network:PublicIPAddress",
            "openstack:networking/floatingIp:FloatingIp",
            "openstack:networking/floatingIpAssociate:FloatingIpAssociate",
        }
        for r in inside:
            if r.type == "azure-native:network:NetworkInterface":
                for ip in r.inputs.get("ipConfigurations", []):
                    assert "publicIPAddress" not in ip, r.urn
            if r.type == "azure-native:compute:VirtualMachine":
                storage = r.inputs["storageProfile"]
                disks = [storage["osDisk"], *storage.get("dataDisks", [])]
                for disk in disks:
                    assert disk["managedDisk"]["diskEncryptionSet"]["id"], r.urn
            if r.type == "openstack:blockstorage/volume:Volume":
                assert r.inputs["volumeType"] == "encrypted-luks", r.urn


def test_dataset_containers_are_private(dev: Snapshot) -> None:
    containers = [r for r in dev if r.type == "openstack:objectstorage/container:Container"]
    assert containers
    for c in containers:
        assert ".r:" not in str(c.inputs.get("containerRead", "")), c.urn
    accounts = [r for r in dev if r.type == "azure-native:storage:StorageAccount"]
    assert len(accounts) == 4  # the 3 datasets and the log archive
    for a in accounts:
        assert a.inputs["allowBlobPublicAccess"] is False
        assert a.inputs["publicNetworkAccess"] == "Disabled"
    for b in (r for r in dev if r.type == "azure-native:storage:BlobContainer"):
        assert b.inputs.get("publicAccess", "None") == "None"


def test_every_taggable_resource_carries_required_metadata(dev: Snapshot) -> None:
    for resource in dev:
        if not resource.custom or resource.is_provider or resource.type in UNTAGGABLE:
            continue
        labels = _labels(resource)
        assert labels is not None, f"{resource.urn} has no tags/metadata"
        missing = [k for k in REQUIRED if k not in labels]
        assert not missing, f"{resource.urn} lacks {missing}"


def test_inventory_lists_both_estates_by_logical_name(dev: Snapshot) -> None:
    stack = next(r for r in dev if r.type == ROOT_STACK_TYPE)
    for estate in ("source", "target"):
        inventory = stack.outputs[estate]
        assert sorted(inventory["enclaves"]) == ["proj-001", "proj-002", "proj-003"]
        assert sorted(inventory["datasets"]) == [
            "open-nomenclatures",
            "pseudo-tables",
            "snds-extract",
        ]
        assert sorted(inventory["keys"]) == ["datasets-cmk", "disks-cmk", "pseudo-keys"]
        assert sorted(inventory["zones"]) == ["data", "gateway", "hub", "research"]


def test_prod_builds_every_enclave(prod_snapshot: Snapshot) -> None:
    prod = prod_snapshot
    for kind in ("bascule:azure:Enclave", "bascule:target:Enclave"):
        assert sum(r.type == kind for r in prod) == 321


# dev: 4 zones (hub, gateway, data, research), 3 datasets, 3 keys, 3 enclaves + 1 gateway.
DEV_COUNTS: Counter[str] = Counter(
    {
        "azure-native:authorization:ManagementLockByScope": 6,
        "azure-native:authorization:RoleAssignment": 8,
        "azure-native:compute:DiskEncryptionSet": 1,
        "azure-native:compute:VirtualMachine": 6,
        "azure-native:keyvault:Key": 3,
        "azure-native:keyvault:Vault": 2,
        "azure-native:managedidentity:UserAssignedIdentity": 7,
        "azure-native:monitor:DiagnosticSetting": 6,
        "azure-native:monitor:SubscriptionDiagnosticSetting": 1,
        "azure-native:network:FlowLog": 4,
        "azure-native:network:LocalNetworkGateway": 1,
        "azure-native:network:NetworkInterface": 6,
        "azure-native:network:NetworkSecurityGroup": 10,
        "azure-native:network:NetworkWatcher": 1,
        "azure-native:network:PrivateEndpoint": 8,
        "azure-native:network:PublicIPAddress": 2,
        "azure-native:network:Subnet": 5,
        "azure-native:network:VirtualNetwork": 4,
        "azure-native:network:VirtualNetworkGateway": 1,
        "azure-native:network:VirtualNetworkGatewayConnection": 1,
        "azure-native:network:VirtualNetworkPeering": 10,  # 3 spokes, 2 direct pairs
        "azure-native:operationalinsights:Workspace": 1,
        "azure-native:resources:ResourceGroup": 1,
        "azure-native:storage:BlobContainer": 3,
        "azure-native:storage:BlobServiceProperties": 4,
        "azure-native:storage:StorageAccount": 4,
        "bascule:azure:AccessGateway": 1,
        "bascule:azure:DatasetStorage": 3,
        "bascule:azure:Enclave": 3,
        "bascule:azure:Estate": 1,
        "bascule:azure:Interconnect": 1,
        "bascule:azure:KeyVault": 2,
        "bascule:azure:LogArchive": 1,
        "bascule:azure:Monitoring": 1,
        "bascule:azure:Network": 1,
        "bascule:azure:TransferEnclave": 2,
        "bascule:azure:TransferIdentity": 2,
        "bascule:target:AccessGateway": 1,
        "bascule:target:AuditLog": 1,
        "bascule:target:Enclave": 3,
        "bascule:target:Estate": 1,
        "bascule:target:Interconnect": 1,
        "bascule:target:Kms": 1,
        "bascule:target:Network": 4,
        "bascule:target:ObjectStorage": 3,
        "bascule:target:TransferIdentity": 2,
        "openstack:blockstorage/volume:Volume": 7,
        "openstack:compute/instance:Instance": 4,
        "openstack:compute/keypair:Keypair": 1,
        "openstack:compute/serverGroup:ServerGroup": 3,
        "openstack:compute/volumeAttach:VolumeAttach": 3,
        "openstack:identity/applicationCredential:ApplicationCredential": 2,
        "openstack:keymanager/containerV1:ContainerV1": 2,
        "openstack:keymanager/orderV1:OrderV1": 3,
        "openstack:networking/floatingIp:FloatingIp": 1,
        "openstack:networking/floatingIpAssociate:FloatingIpAssociate": 1,
        "openstack:networking/network:Network": 4,
        "openstack:networking/port:Port": 4,
        "openstack:networking/router:Router": 1,
        "openstack:networking/routerInterface:RouterInterface": 4,
        "openstack:networking/secGroup:SecGroup": 5,
        "openstack:networking/secGroupRule:SecGroupRule": 8,
        "openstack:networking/subnet:Subnet": 4,
        "openstack:objectstorage/container:Container": 4,
        "openstack:vpnaas/endpointGroup:EndpointGroup": 2,
        "openstack:vpnaas/ikePolicy:IkePolicy": 1,
        "openstack:vpnaas/ipSecPolicy:IpSecPolicy": 1,
        "openstack:vpnaas/service:Service": 1,
        "openstack:vpnaas/siteConnection:SiteConnection": 1,
        "pulumi:providers:azure-native": 1,
        "pulumi:providers:openstack": 1,
        "pulumi:pulumi:Stack": 1,
    }
)
