"""bascule's fake cloud: its answers, exactly, and no other set of mocks in the tree."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from pulumi.runtime.mocks import MockCallArgs, MockResourceArgs

from bascule.synth.mocks import SynthMocks, resource_id

ROOT = Path(__file__).resolve().parents[3]
SUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/hdh-dev"


def _new(type_: str, name: str, inputs: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    return SynthMocks().new_resource(MockResourceArgs(type_, name, inputs, "", "", False))


def test_a_key_answers_with_its_uri_and_a_versioned_uri() -> None:
    inputs = {"vaultName": "hdh-dev-keys", "keyName": "disks-cmk", "resourceGroupName": "hdh-dev"}
    id_, state = _new("azure-native:keyvault:Key", "disk-key", inputs)
    assert id_ == f"{SUB}/providers/Microsoft.Keyvault/keys/disks-cmk"
    assert state == {
        **inputs,
        "name": "disks-cmk",
        "id": id_,
        "keyUri": "https://hdh-dev-keys.vault.azure.net/keys/disks-cmk",
        "keyUriWithVersion": "https://hdh-dev-keys.vault.azure.net/keys/disks-cmk/"
        "3a5351bb711af66fb959397dba430903",
    }


def test_a_managed_identity_answers_with_its_guids() -> None:
    inputs = {"resourceGroupName": "hdh-dev", "location": "francecentral"}
    id_, state = _new("azure-native:managedidentity:UserAssignedIdentity", "disk-id", inputs)
    assert id_ == f"{SUB}/providers/Microsoft.Managedidentity/userAssignedIdentitys/disk-id"
    assert (state["principalId"], state["clientId"], state["tenantId"]) == (
        "56062097-4b05-5838-9168-2d3fc1e3d340",
        "ce263dab-ce47-5205-8906-5b4a9d81a184",
        "00000000-0000-0000-0000-0000000000aa",
    )
    assert (
        state["principalId"]
        != _new("azure-native:managedidentity:UserAssignedIdentity", "other-id", inputs)[1][
            "principalId"
        ]
    )


def test_openstack_answers_with_an_address_and_secret_refs() -> None:
    id_, state = _new("openstack:networking/floatingIp:FloatingIp", "hdh-dev-gateway", {})
    assert (id_, state) == (
        "hdh-dev-gateway-id",
        {"name": "hdh-dev-gateway", "address": "203.0.113.25"},
    )
    id_, state = _new("openstack:keymanager/orderV1:OrderV1", "disks-cmk-order", {"type": "key"})
    assert (id_, state["secretRef"]) == (
        "disks-cmk-order-id",
        "https://barbican.example:9311/v1/secrets/b9871fb0-a813-5083-9ed4-352e60623a18",
    )
    given = {"address": "198.51.100.7"}  # an input wins over the computed answer
    assert _new("openstack:networking/floatingIp:FloatingIp", "fip", given)[1]["address"] == (
        "198.51.100.7"
    )


def test_data_sources_echo_the_query_with_an_id() -> None:
    mocks = SynthMocks()
    network = MockCallArgs("openstack:networking/getNetwork:getNetwork", {"name": "Ext-Net"}, "")
    assert mocks.call(network) == ({"name": "Ext-Net", "id": "Ext-Net-id"}, [])
    assert resource_id("Ext-Net") == "Ext-Net-id"


def test_no_other_set_of_mocks_in_the_tree() -> None:
    found = []
    for folder in ("bascule", "components", "tests", "bench", "scripts"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ClassDef) and any(
                    (isinstance(b, ast.Attribute) and b.attr == "Mocks")
                    or (isinstance(b, ast.Name) and b.id == "Mocks")
                    for b in node.bases
                ):
                    found.append(f"{path.relative_to(ROOT)}:{node.name}")
    assert found == ["bascule/synth/mocks.py:SynthMocks"]
