"""Terraform-plan and ARM exports: shapes, names, secrets, and the mapping's coverage."""

from __future__ import annotations

from pathlib import Path

from bascule.export.arm import to_arm
from bascule.export.mapping import ARM_TYPES, TF_TYPES, UNMAPPED, pulumi_property, tf_attribute
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
