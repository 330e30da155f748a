"""Estates read by resource type, attacked: every other way to expose, open or leave out
evidence is read, and evidence that is named but absent is "cannot verify", never empty."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bascule.parity.by_type import typed_objects
from bascule.parity.diff import parity
from bascule.parity.mapping import SOURCE, TARGET
from bascule.parity.model import CannotVerify, CanonicalObject
from bascule.snapshot.load import parse_snapshot
from bascule.snapshot.model import Resource, Snapshot

FOREIGN = Path(__file__).resolve().parents[2] / "data" / "parity" / "foreign"
RG = "/subscriptions/s/resourceGroups/rg/providers"


def snapshot(*items: tuple[str, str, dict[str, Any]]) -> Snapshot:
    """(type, name, inputs) resources; the id is the name (or `id` in inputs)."""
    resources = tuple(
        Resource(f"urn:pulumi:p::x::{kind}::{name}", kind, custom=True,
                 id=str(inputs.pop("id", name)), inputs=inputs)
        for kind, name, inputs in items
    )  # fmt: skip
    return Snapshot(resources, "t.json", "export")


def read(estate: str, *items: tuple[str, str, dict[str, Any]]) -> dict[str, CanonicalObject]:
    return typed_objects(snapshot(*items), estate)[0]


def fields(objects: dict[str, CanonicalObject], key: str) -> dict[str, Any]:
    return dict(objects[key].fields)


# -- Azure ------------------------------------------------------------------------------------

VM = "azure-native:compute:VirtualMachine"
NIC = "azure-native:network:NetworkInterface"
NSG = "azure-native:network:NetworkSecurityGroup"


def vm(name: str, nics: list[str] | None = None, **more: Any) -> tuple[str, str, dict]:
    profile = {"networkInterfaces": [{"id": f"{RG}/nics/{n}"} for n in nics or []]}
    return (VM, name, {"vmName": name, "hardwareProfile": {"vmSize": "Standard_D2s_v5"},
                       "networkProfile": profile, **more})  # fmt: skip


def nic(name: str, nsg: str | None = None, subnet: str | None = None, **more: Any) -> tuple:
    config: dict[str, Any] = {"name": "ip"}
    if subnet:
        config["subnet"] = {"id": f"{RG}/vnets/v/subnets/{subnet}"}
    inputs: dict[str, Any] = {"id": f"{RG}/nics/{name}", "ipConfigurations": [config], **more}
    if nsg:
        inputs["networkSecurityGroup"] = {"id": f"{RG}/nsgs/{nsg}"}
    return (NIC, name, inputs)


def test_an_nsg_rule_declared_as_its_own_resource_counts() -> None:
    doc = json.loads((FOREIGN / "azure-estate.json").read_text())
    doc["deployment"]["resources"] = [
        r for r in doc["deployment"]["resources"] if not r["urn"].endswith("::allow-rdp-bastion")
    ]
    without = parse_snapshot(doc, "azure.json")
    target = parse_snapshot(json.loads((FOREIGN / "openstack-estate.json").read_text()), "os")
    gap = next(g for g in parity(without, target).gaps if g.object == "server/report-01")
    # Without that SecurityRule the source lets no RDP in: the target's RDP rule is wider.
    assert gap.fields["ingress"].source == frozenset({"subnet-app tcp/443"})
    assert gap.fields["ingress"].target == frozenset(
        {"subnet-app tcp/443", "subnet-bastion tcp/3389"}
    )


def test_absent_evidence_cannot_be_verified() -> None:
    objects = read(
        SOURCE,
        vm("a", ["nic-gone"]),
        vm("b", ["nic-b"]),
        nic("nic-b", nsg="nsg-gone", subnet="snet-gone"),
        vm("c", storageProfile={"dataDisks": [{"managedDisk": {"id": f"{RG}/disks/d1"}}]}),
    )
    assert fields(objects, "server/a")["publicIp"] == CannotVerify(
        "network interface nic-gone not in the snapshot"
    )
    assert fields(objects, "server/a")["ingress"] == CannotVerify(
        "network interface nic-gone not in the snapshot"
    )
    assert fields(objects, "server/b")["publicIp"] is False  # the NIC is there: no public IP
    assert fields(objects, "server/b")["ingress"] == CannotVerify(
        "subnet snet-gone not in the snapshot"
    )
    assert fields(objects, "server/c")["diskGb"] == CannotVerify(
        "size of data disk d1 not in the snapshot"
    )
    assert fields(objects, "server/c")["encrypted"] is False


def test_no_nsg_at_all_lets_everything_in_and_inline_nics_count() -> None:
    inline = {"networkInterfaceConfigurations": [{"name": "c", "ipConfigurations": [
        {"name": "ip", "publicIPAddressConfiguration": {"name": "pip"}}]}]}  # fmt: skip
    objects = read(SOURCE, vm("open", ["nic-open"]), nic("nic-open"),
                   (VM, "inline", {"vmName": "inline", "networkProfile": inline}))  # fmt: skip
    assert fields(objects, "server/open")["ingress"] == frozenset({"internet any/any"})
    assert fields(objects, "server/inline")["publicIp"] is True
    assert fields(objects, "server/inline")["ingress"] == frozenset({"internet any/any"})
    # A size no catalogue knows.
    assert fields(objects, "server/inline")["vcpu"] == CannotVerify(
        "Azure VM size None unknown to bascule"
    )


def test_subnets_inline_and_by_resource_and_duplicate_names() -> None:
    vnet = {"virtualNetworkName": "hub", "id": f"{RG}/vnets/hub",
            "subnets": [{"name": "default", "addressPrefix": "10.0.0.0/24"}]}  # fmt: skip
    other = {"virtualNetworkName": "spoke", "id": f"{RG}/vnets/spoke",
             "addressSpace": {"addressPrefixes": ["10.1.0.0/16"]}}  # fmt: skip
    subnet = {"virtualNetworkName": "spoke", "subnetName": "default",
              "addressPrefixes": ["10.1.0.0/24", "10.1.1.0/24"]}  # fmt: skip
    objects = read(SOURCE, ("azure-native:network:VirtualNetwork", "hub", vnet),
                   ("azure-native:network:VirtualNetwork", "spoke", other),
                   ("azure-native:network:Subnet", "spoke-default", subnet))  # fmt: skip
    assert {k: dict(o.fields) for k, o in objects.items() if o.capability == "zone"} == {
        "zone/spoke/default": {"cidr": "10.1.0.0/24, 10.1.1.0/24", "addresses": 512},
        "zone/hub/default": {"cidr": "10.0.0.0/24", "addresses": 256},
    }
    assert fields(objects, "network/spoke") == {
        "cidr": "10.1.0.0/16",
        "subnets": 1,
        "addresses": 512,
    }


def test_storage_without_its_account_or_without_containers() -> None:
    objects = read(
        SOURCE,
        ("azure-native:storage:BlobContainer", "c", {"accountName": "elsewhere",
                                                    "containerName": "c",
                                                    "publicAccess": "Container"}),
        ("azure-native:storage:StorageAccount", "bare", {"accountName": "bare",
                                                        "sku": {"name": "Standard_LRS"}}),
        ("azure-native:storage:BlobContainer", "logs", {"accountName": "bare", "containerName":
                                                       "logs", "metadata": {"role": "audit"}}),
        ("azure-native:operationalinsights:Workspace", "law", {"workspaceName": "law"}),
    )  # fmt: skip
    why = CannotVerify("storage account elsewhere not in the snapshot")
    assert fields(objects, "dataset/c") == {
        "classification": None, "key": why, "customerManagedKey": why, "versioning": why,
        "publicAccess": True, "replication": why,
    }  # fmt: skip
    # An audit-labelled container is logging, not a dataset; its account then has no dataset.
    assert sorted(objects) == ["dataset/c", "logging/law", "logging/logs"]
    assert fields(objects, "logging/law") == {
        "retentionDays": CannotVerify("no retentionInDays in the snapshot")
    }


# -- OpenStack --------------------------------------------------------------------------------

INSTANCE = "openstack:compute/instance:Instance"
PORT = "openstack:networking/port:Port"
SG = "openstack:networking/secGroup:SecGroup"
RULE = "openstack:networking/secGroupRule:SecGroupRule"
SWIFT = "openstack:objectstorage/container:Container"


def instance(name: str, **inputs: Any) -> tuple[str, str, dict]:
    return (INSTANCE, name, {"name": name, "flavorName": "b3-8", **inputs})


def test_ports_security_groups_and_their_other_attachments() -> None:
    objects = read(
        TARGET,
        instance("off", networks=[{"port": "p-off"}]),
        (PORT, "p-off", {"portSecurityEnabled": False, "securityGroupIds": ["sg"]}),
        instance("assoc", networks=[{"port": "p-assoc"}]),
        (PORT, "p-assoc", {"securityGroupIds": ["sg"]}),
        ("openstack:networking/portSecGroupAssociate:PortSecGroupAssociate", "a",
         {"portId": "p-assoc", "securityGroupIds": ["sg-extra"]}),
        (SG, "sg", {"name": "sg"}),
        (SG, "sg-extra", {"name": "sg-extra"}),
        (RULE, "r1", {"direction": "ingress", "protocol": "tcp", "portRangeMin": 22,
                      "portRangeMax": 22, "remoteIpPrefix": "10.0.0.0/24",
                      "securityGroupId": "sg"}),
        (RULE, "r2", {"direction": "ingress", "protocol": "tcp", "portRangeMin": 5432,
                      "portRangeMax": 5432, "securityGroupId": "sg-extra"}),
        instance("bare", networks=[{"port": "p-bare"}]),
        (PORT, "p-bare", {}),
        instance("nova", networks=[{"name": "private"}], securityGroups=["legacy"]),
        ("openstack:compute/secGroup:SecGroup", "legacy", {"name": "legacy", "rules": [
            {"ipProtocol": "tcp", "fromPort": 80, "toPort": 80, "cidr": "0.0.0.0/0"}]}),
    )  # fmt: skip
    assert fields(objects, "server/off")["ingress"] == frozenset({"internet any/any"})
    assert fields(objects, "server/assoc")["ingress"] == frozenset(
        {"10.0.0.0/24 tcp/22", "internet tcp/5432"}
    )
    # No group named: Neutron's `default` applies, and it is not in the snapshot.
    assert fields(objects, "server/bare")["ingress"] == CannotVerify(
        "security group default not in the snapshot"
    )
    assert fields(objects, "server/nova")["ingress"] == frozenset({"internet tcp/80"})


def test_every_way_to_be_public() -> None:
    objects = read(
        TARGET,
        instance("extnet", networks=[{"name": "Ext-Net"}], securityGroups=["sg"]),
        instance("external", networks=[{"uuid": "pub"}], securityGroups=["sg"]),
        ("openstack:networking/network:Network", "pub", {"name": "public", "external": True}),
        instance("forward", networks=[{"port": "p1"}]),
        (PORT, "p1", {"securityGroupIds": ["sg"]}),
        ("openstack:networking/portForwardingV2:PortForwardingV2", "pf",
         {"floatingipId": "f", "internalPortId": "p1", "internalPort": 22, "externalPort": 2222}),
        instance("nova-fip", networks=[{"port": "p2"}]),
        (PORT, "p2", {"securityGroupIds": ["sg"]}),
        ("openstack:compute/floatingIpAssociate:FloatingIpAssociate", "fa",
         {"floatingIp": "51.0.0.1", "instanceId": "nova-fip"}),
        instance("inline-fip", networks=[{"port": "p3", "floatingIp": "51.0.0.2"}]),
        (PORT, "p3", {"securityGroupIds": ["sg"]}),
        instance("private", networks=[{"port": "p4"}]),
        (PORT, "p4", {"securityGroupIds": ["sg"]}),
        (SG, "sg", {"name": "sg"}),
    )  # fmt: skip
    assert {k.split("/")[1]: o.fields["publicIp"] for k, o in objects.items()
            if o.capability == "server"} == {
        "extnet": True, "external": True, "forward": True, "nova-fip": True, "inline-fip": True,
        "private": False,
    }  # fmt: skip


def test_volumes() -> None:
    objects = read(
        TARGET,
        instance("local"),  # no block device: an ephemeral local disk
        instance("gone", blockDevices=[{"uuid": "v-boot", "sourceType": "volume",
                                        "destinationType": "volume", "bootIndex": 0}]),
        ("openstack:blockstorage/volume:Volume", "v-boot",
         {"size": 20, "volumeType": "encrypted-luks"}),
        ("openstack:compute/volumeAttach:VolumeAttach", "att",
         {"instanceId": "gone", "volumeId": "v-x"}),
        instance("image", blockDevices=[{"sourceType": "image", "destinationType": "volume",
                                         "bootIndex": 0, "volumeSize": 40,
                                         "volumeType": "encrypted-luks"},
                                        {"sourceType": "blank", "destinationType": "volume",
                                         "bootIndex": 1, "volumeSize": 100}]),
        instance("odd", flavorName="gpu-custom"),
    )  # fmt: skip
    assert (
        fields(objects, "server/local")["encrypted"],
        fields(objects, "server/local")["diskGb"],
    ) == (False, 0)
    missing = CannotVerify("volume v-x not in the snapshot")
    assert (
        fields(objects, "server/gone")["encrypted"],
        fields(objects, "server/gone")["diskGb"],
    ) == (missing, missing)
    # A blank volume with no type: not known to be encrypted.
    assert (
        fields(objects, "server/image")["encrypted"],
        fields(objects, "server/image")["diskGb"],
    ) == (False, 100)
    assert fields(objects, "server/odd")["ramGb"] == CannotVerify(
        "flavour gpu-custom unknown to bascule"
    )


def test_swift_acls_and_s3_retention() -> None:
    objects = read(
        TARGET,
        (SWIFT, "pub", {"name": "pub", "containerRead": ".r:*"}),
        (SWIFT, "any", {"name": "any", "containerWrite": "*:*"}),
        ("ovh:index/cloudStorageObjectBucket:CloudStorageObjectBucket", "audit-a",
         {"name": "audit-a", "tags": {"role": "audit"}, "objectLock": {"retentionDays": 400}}),
        ("ovh:CloudProject/storage:Storage", "audit-b",
         {"name": "audit-b", "tags": {"classification": "logs"},
          "objectLock": {"status": "enabled", "rule": {"mode": "compliance", "period": "P1Y"}}}),
        ("ovh:CloudProject/storage:Storage", "repl",
         {"name": "repl", "versioning": {"status": "ENABLED"},
          "replication": {"rules": [{"status": "enabled", "destination": {"region": "GRA"}}]}}),
    )  # fmt: skip
    assert fields(objects, "dataset/pub")["publicAccess"] is True
    assert fields(objects, "dataset/any")["publicAccess"] is True
    assert fields(objects, "logging/audit-a") == {"retentionDays": 400}
    assert fields(objects, "logging/audit-b") == {"retentionDays": 365}
    assert fields(objects, "dataset/repl") == {
        "classification": None, "key": None, "customerManagedKey": False, "versioning": True,
        "publicAccess": False, "replication": 3,
    }  # fmt: skip
