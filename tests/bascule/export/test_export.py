"""Terraform-plan and ARM exports: shapes, names, secrets, and the mapping's coverage."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from bascule.export.arm import to_arm
from bascule.export.mapping import (
    ARM_NAME_SEGMENTS,
    ARM_TYPES,
    TF_TYPES,
    UNMAPPED,
    pulumi_property,
    tf_attribute,
)
from bascule.export.tfplan import to_tfplan
from bascule.snapshot.load import load_snapshot
from bascule.snapshot.model import Resource, SecretValue, Snapshot

BASELINE = Path(__file__).resolve().parents[2] / "data" / "parity" / "baseline.json"
T = "urn:pulumi:dev::bascule::bascule:target:Estate$bascule:target:Enclave$"


def test_tfplan_shape_and_attribution() -> None:
    exported = to_tfplan(load_snapshot(BASELINE))
    plan = exported.document
    assert plan["format_version"] == "1.2"
    planned = {r["address"]: r for r in plan["planned_values"]["root_module"]["resources"]}
    assert set(planned) == {c["address"] for c in plan["resource_changes"]}
    instance = planned["openstack_compute_instance_v2.proj-001-vm-0"]
    assert instance["provider_name"] == (
        "registry.terraform.io/terraform-provider-openstack/openstack"
    )
    assert instance["values"]["flavor_name"] == "snc.4c16g"
    assert instance["values"]["block_device"][0]["source_type"] == "volume"
    assert exported.urns["openstack_compute_instance_v2.proj-001-vm-0"] == (
        T + "openstack:compute/instance:Instance::proj-001-vm-0"
    )
    assert not any(a.startswith("azurerm") for a in planned)  # the source goes to ARM


def test_arm_nests_properties_and_renames() -> None:
    exported = to_arm(load_snapshot(BASELINE))
    accounts = [r for r in exported.document["resources"] if r["type"].endswith("storageAccounts")]
    account = next(a for a in accounts if a["name"].startswith("hdhdevsndsextract"))
    assert account["apiVersion"] == "2023-01-01"
    assert account["location"] == "francecentral"
    assert account["sku"] == {"name": "Standard_ZRS"}
    assert account["properties"]["supportsHttpsTrafficOnly"] is True
    assert account["properties"]["minimumTlsVersion"] == "TLS1_2"
    assert account["properties"]["networkAcls"]["defaultAction"] == "Deny"
    assert "accountName" not in account["properties"]
    assert "resourceGroupName" not in account["properties"]


def test_secrets_are_never_exported() -> None:
    secret = SecretValue(ciphertext="v1:abc")
    instance = Resource(
        "urn:pulumi:dev::p::openstack:compute/instance:Instance::vm",
        "openstack:compute/instance:Instance",
        True,
        inputs={"adminPass": secret, "name": "vm"},
    )
    exported = to_tfplan(Snapshot((instance,), "s.json", "export"))
    values = exported.document["planned_values"]["root_module"]["resources"][0]["values"]
    assert values == {"admin_pass": "[secret]", "name": "vm"}


def test_attribute_names_round_trip() -> None:
    for name in ("blockDevices", "remoteIpPrefix", "portRangeMin", "containerRead", "fixedIps"):
        assert pulumi_property(tf_attribute(name)) == name
    assert tf_attribute("networks") == "network"


def test_every_type_the_components_create_is_mapped_or_listed(prod_snapshot: Snapshot) -> None:
    dev = load_snapshot(BASELINE)
    created = {r.type for snap in (dev, prod_snapshot) for r in snap.resources if r.custom}
    created |= {r.type for r in prod_snapshot.resources if r.is_provider}
    unmapped = created - set(TF_TYPES) - set(ARM_TYPES) - set(UNMAPPED)
    assert unmapped == set()


UNMAPPED_FIXTURE = Path(__file__).resolve().parents[2] / "data" / "checkov" / "unmapped.json"
E = "urn:pulumi:dev::estate::"


def test_pulumi_bookkeeping_keys_never_reach_the_exports() -> None:
    snapshot = load_snapshot(UNMAPPED_FIXTURE)
    plan = to_tfplan(snapshot).document
    values = {r["address"]: r["values"] for r in plan["planned_values"]["root_module"]["resources"]}
    assert values["openstack_compute_instance_v2.vm"] == {
        "block_device": [
            {
                "boot_index": 0,
                "destination_type": "volume",
                "source_type": "image",
                "uuid": "5f6a7b8c-9d0e-4f1a-b2c3-d4e5f6a7b8c9",
                "volume_size": 20,
            }
        ],
        "flavor_name": "b3-8",
        "key_pair": "admin",
        "name": "estate-vm",
        "network": [{"name": "estate-net"}],
        "stop_before_destroy": False,
    }
    assert values["openstack_networking_network_v2.net"] == {
        "admin_state_up": True,
        "name": "estate-net",
    }
    assert '"__' not in json.dumps(plan)  # nowhere, resource_changes included
    arm = to_arm(snapshot).document
    assert '"__' not in json.dumps(arm)
    vnet = arm["resources"][0]
    assert vnet == {
        "type": "Microsoft.Network/virtualNetworks",
        "apiVersion": "2023-09-01",
        "name": "estate-vnet",
        "location": "francecentral",
        "properties": {"addressSpace": {"addressPrefixes": ["10.1.0.0/16"]}},
    }


def test_arm_nested_resources_are_named_after_their_parents() -> None:
    exported = to_arm(load_snapshot(UNMAPPED_FIXTURE))
    names = {(r["type"], r["name"]): r for r in exported.document["resources"]}
    assert list(names) == [
        ("Microsoft.Network/virtualNetworks", "estate-vnet"),
        ("Microsoft.Network/virtualNetworks/subnets", "estate-vnet/data"),
        ("Microsoft.Storage/storageAccounts", "store010c93fe"),
        ("Microsoft.Storage/storageAccounts/blobServices/containers", "store010c93fe/default/raw"),
        ("Microsoft.KeyVault/vaults", "estate-kv"),
        ("Microsoft.KeyVault/vaults/secrets", "estate-kv/salt"),
    ]
    subnet = names[("Microsoft.Network/virtualNetworks/subnets", "estate-vnet/data")]
    assert subnet["properties"] == {"addressPrefix": "10.1.2.0/24"}
    container = names[
        ("Microsoft.Storage/storageAccounts/blobServices/containers", "store010c93fe/default/raw")
    ]
    assert container["properties"] == {"publicAccess": "None"}
    secret = names[("Microsoft.KeyVault/vaults/secrets", "estate-kv/salt")]
    assert secret["properties"] == {"value": "[secret]"}
    assert exported.urns["Microsoft.Network/virtualNetworks/subnets.estate-vnet/data"] == (
        E + "azure-native:network:Subnet::data"
    )


def test_the_bundled_stacks_nested_names() -> None:
    resources = to_arm(load_snapshot(BASELINE)).document["resources"]
    first: dict[str, Any] = {}
    for r in resources:
        first.setdefault(r["type"], r["name"])
    assert {t: n for t, n in first.items() if t.count("/") > 1} == {
        "Microsoft.KeyVault/vaults/keys": "hdh-dev-keys-570016/datasets-cmk",
        "Microsoft.Storage/storageAccounts/blobServices/containers": (
            "hdhdevopennomenclaff393e/default/data"
        ),
        "Microsoft.Storage/storageAccounts/blobServices": "hdhdevopennomenclaff393e/default",
        "Microsoft.Network/virtualNetworks/subnets": "data-vnet/data-subnet",
        "Microsoft.Network/virtualNetworks/virtualNetworkPeerings": (
            "data-vnet/hub-from-data-peering"
        ),
    }
    for r in resources:
        assert not {"accountName", "vaultName", "virtualNetworkName"} & set(r["properties"])


def test_every_nested_arm_type_has_its_name_segments() -> None:
    for token, (arm_type, _) in ARM_TYPES.items():
        levels = len(arm_type.split("/")) - 1
        segments = ARM_NAME_SEGMENTS.get(token, ((token, None),))
        assert len(segments) == levels, token


def test_types_the_exports_cannot_map_are_named() -> None:
    snapshot = load_snapshot(UNMAPPED_FIXTURE)
    assert to_tfplan(snapshot).dropped == {
        "openstack:images/image:Image": (E + "openstack:images/image:Image::debian",),
        "random:index/randomPassword:RandomPassword": (
            E + "random:index/randomPassword:RandomPassword::db",
        ),
    }
    assert to_arm(snapshot).dropped == {
        "azure-native:storage:Blob": (E + "azure-native:storage:Blob::readme",)
    }
    assert (
        to_tfplan(load_snapshot(BASELINE)).dropped == to_arm(load_snapshot(BASELINE)).dropped == {}
    )


def test_export_names_the_dropped_types_on_stderr(tmp_path: Path) -> None:
    for to, line in [
        ("tfplan", "export: not in the Terraform plan (no mapping for their types; checkov will "
         "not see them): openstack:images/image:Image (1), "
         "random:index/randomPassword:RandomPassword (1)"),
        ("arm", "export: not in the ARM template (no mapping for their types; checkov will not "
         "see them): azure-native:storage:Blob (1)"),
    ]:  # fmt: skip
        out = tmp_path / f"{to}.json"
        result = subprocess.run(
            [sys.executable, "-m", "bascule", "export", str(UNMAPPED_FIXTURE), "--to", to,
             "-o", str(out)],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert result.stderr.splitlines()[-1] == line
