"""The Terraform-plan export of a Scaleway target: Scaleway's Terraform names, its blocks,
its provider, and no secret in the plan (dev's stack with the target on Scaleway fr-par)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bascule.export.mapping import TF_TYPES, UNMAPPED, pulumi_property, tf_attribute
from bascule.export.tfplan import to_tfplan
from bascule.snapshot.model import Snapshot
from bascule.synth import synthesize

ROOT = Path(__file__).resolve().parents[3]
SCALEWAY_TARGET = {
    "provider": "scaleway",
    "region": "fr-par",
    "allowedRegions": ["fr-par"],
    "scalewayProjectId": "7d1f6c2a-3b5e-4a9d-8c0f-1e2d3c4b5a69",
    "scalewayAllowedZones": ["fr-par-1", "fr-par-2"],
    "scalewayZone": "fr-par-1",
    "scalewayGpuZone": "fr-par-2",
    "imageId": "607b12c2-685d-45f7-905f-57bc23863834",
    "auditRetentionDays": 365,
}


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    document = yaml.safe_load((ROOT / "Pulumi.dev.yaml").read_text())
    document["config"]["bascule:target"] = SCALEWAY_TARGET
    stack_file = tmp_path_factory.mktemp("stack") / "Pulumi.devscw.yaml"
    stack_file.write_text(yaml.safe_dump(document))
    return synthesize(ROOT, "devscw", stack_file=stack_file)


def planned(snapshot: Snapshot) -> dict[str, dict[str, Any]]:
    plan = to_tfplan(snapshot).document
    return {r["address"]: r for r in plan["planned_values"]["root_module"]["resources"]}


def test_every_scaleway_type_is_mapped_or_listed(snapshot: Snapshot) -> None:
    created = {r.type for r in snapshot.resources if r.package == "scaleway" or r.is_provider}
    assert "scaleway:instance/server:Server" in created
    assert created - set(TF_TYPES) - set(UNMAPPED) == set()


def test_scaleway_resources_under_their_terraform_names(snapshot: Snapshot) -> None:
    resources = planned(snapshot)
    server = resources["scaleway_instance_server.proj-001-vm-0"]
    assert server["provider_name"] == "registry.terraform.io/scaleway/scaleway"
    values = server["values"]
    assert (values["type"], values["zone"], values["enable_dynamic_ip"]) == (
        "POP2-4C-16G",
        "fr-par-1",
        False,
    )
    assert list(values["private_network"][0]) == ["pn_id"]
    assert "ip_id" not in values
    group = resources["scaleway_instance_security_group.proj-001-sg"]["values"]
    assert group["inbound_default_policy"] == "drop"
    assert group["inbound_rule"] == [
        {"action": "accept", "protocol": "TCP", "port": 22, "ip_range": "10.110.1.0/24"}
    ]
    assert resources["scaleway_block_volume.proj-001-data-0"]["values"]["size_in_gb"] == 100
    assert {a.split(".")[0] for a in resources if a.startswith("scaleway_object")} == {
        "scaleway_object_bucket",
        "scaleway_object_bucket_acl",
        "scaleway_object_bucket_lock_configuration",
        "scaleway_object_bucket_policy",
        "scaleway_object_bucket_server_side_encryption_configuration",
    }
    key = resources["scaleway_key_manager_key.pseudo-keys-pseudonymisation-key"]["values"]
    assert (key["algorithm"], key["rotation_policy"]) == (
        "aes_256_gcm",
        {"rotation_period": "8760h"},
    )
    routes = resources["scaleway_s2s_vpn_routing_policy.hdh-dev-interconnect-routes"]["values"]
    assert routes["prefix_filter_in"] == ["10.10.0.0/24"]


def test_the_psk_never_reaches_the_plan(snapshot: Snapshot) -> None:
    version = planned(snapshot)["scaleway_secret_version.hdh-dev-interconnect-psk-version"]
    assert version["values"]["data"] == "[secret]"


def test_scaleway_blocks_round_trip() -> None:
    for name in ("inboundRules", "outboundRules", "privateNetworks", "bgpConfigIpv4s",
                 "prefixFilterIns", "additionalVolumeIds", "rootVolume"):  # fmt: skip
        assert pulumi_property(tf_attribute(name)) == name
    assert tf_attribute("inboundRules") == "inbound_rule"
