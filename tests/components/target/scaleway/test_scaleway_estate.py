"""The target on Scaleway, built from the dev stack with `bascule:target.provider: scaleway`
under bascule's fake cloud: exact resources, names and the properties the rules read."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import cast

import pytest
from target_harness import SCALEWAY_SETTINGS, TargetRun, dev_config

from bascule.snapshot.model import SECRET_SIG, SIG_KEY
from components.config.stack import StackConfig

PROJECT = SCALEWAY_SETTINGS["scalewayProjectId"]
ESTATE = "urn:pulumi:test::bascule::bascule:target:Estate"


@pytest.fixture(scope="module")
def scw(build_target: Callable[[StackConfig], TargetRun]) -> TargetRun:
    return build_target(dev_config(**SCALEWAY_SETTINGS))


def names(run: TargetRun, full_type: str) -> list[str]:
    return sorted(r.name for r in run.typed(full_type))


def one(run: TargetRun, full_type: str, name: str) -> dict[str, object]:
    found = [r for r in run.typed(full_type) if r.name == name]
    assert len(found) == 1, f"{full_type} {name}: {len(found)}"
    return found[0].inputs


def test_exact_resource_counts(scw: TargetRun) -> None:
    counts = Counter(r.type for r in scw.custom())
    assert counts == {
        "scaleway:network/vpc:Vpc": 1,
        "scaleway:network/privateNetwork:PrivateNetwork": 4,
        "scaleway:account/project:Project": 1,
        "scaleway:keymanager/key:Key": 3,
        "scaleway:object/bucket:Bucket": 4,
        "scaleway:object/bucketAcl:BucketAcl": 4,
        "scaleway:object/bucketServerSideEncryptionConfiguration:"
        "BucketServerSideEncryptionConfiguration": 4,
        "scaleway:object/bucketLockConfiguration:BucketLockConfiguration": 1,
        "scaleway:instance/securityGroup:SecurityGroup": 4,
        "scaleway:instance/placementGroup:PlacementGroup": 3,
        "scaleway:instance/ip:Ip": 1,
        "scaleway:instance/server:Server": 4,
        "scaleway:block/volume:Volume": 3,
        "scaleway:s2svpn/gateway:Gateway": 1,
        "scaleway:s2svpn/customerGateway:CustomerGateway": 1,
        "scaleway:s2svpn/routingPolicy:RoutingPolicy": 1,
        "scaleway:secrets/secret:Secret": 1,
        "scaleway:secrets/version:Version": 1,
        "scaleway:s2svpn/connection:Connection": 1,
        # Wave 1 (replicating) moves its health datasets and its pseudonymisation tables.
        "scaleway:iam/application:Application": 2,
        "scaleway:iam/policy:Policy": 2,
        "scaleway:iam/apiKey:ApiKey": 2,
        "scaleway:object/bucketPolicy:BucketPolicy": 3,
    }
    assert not [r for r in scw.registrations if r.type.startswith(("openstack:", "ovh:"))]


def test_component_tokens_are_the_capabilities(scw: TargetRun) -> None:
    components = Counter(r.type for r in scw.registrations if not r.custom)
    assert components == {
        "bascule:target:Estate": 1,
        "bascule:target:Network": 4,
        "bascule:target:Kms": 1,
        "bascule:target:ObjectStorage": 3,
        "bascule:target:AuditLog": 1,
        "bascule:target:Interconnect": 1,
        "bascule:target:AccessGateway": 1,
        "bascule:target:Enclave": 3,
        "bascule:target:TransferIdentity": 2,
    }


def test_one_explicit_provider_with_region_zone_project_and_secret_keys(scw: TargetRun) -> None:
    providers = scw.typed("pulumi:providers:scaleway")
    assert [p.urn for p in providers] == [f"{ESTATE}$pulumi:providers:scaleway::target-scaleway"]
    provider = providers[0]
    assert {k: provider.inputs[k] for k in ("region", "zone", "projectId")} == {
        "region": "fr-par",
        "zone": "fr-par-1",
        "projectId": PROJECT,
    }
    assert provider.secret_inputs == {"accessKey", "secretKey"}
    assert {r.provider_type for r in scw.custom()} == {"pulumi:providers:scaleway"}


def test_private_network_per_zone_on_its_target_range(scw: TargetRun) -> None:
    networks = {
        r.name: r.inputs for r in scw.typed("scaleway:network/privateNetwork:PrivateNetwork")
    }
    assert {n: i["ipv4Subnet"] for n, i in networks.items()} == {
        "hub-net": {"subnet": "10.110.0.0/24"},
        "gateway-net": {"subnet": "10.110.1.0/24"},
        "data-net": {"subnet": "10.110.2.0/24"},
        "research-net": {"subnet": "10.110.16.0/20"},
    }
    vpc = scw.typed("scaleway:network/vpc:Vpc")[0]
    assert {i["vpcId"] for i in networks.values()} == {f"fr-par/{_uuid(vpc)}"}
    assert {i["region"] for i in networks.values()} == {"fr-par"}


def _uuid(registration: object) -> str:
    from bascule.synth.mocks import fake_uuid

    return fake_uuid(registration.type, registration.name)  # type: ignore[attr-defined]


def test_security_groups_drop_by_default_both_ways(scw: TargetRun) -> None:
    groups = {r.name: r.inputs for r in scw.typed("scaleway:instance/securityGroup:SecurityGroup")}
    assert sorted(groups) == ["hdh-dev-gateway-sg", "proj-001-sg", "proj-002-sg", "proj-003-sg"]
    platform = ["10.110.0.0/24", "10.110.1.0/24", "10.110.2.0/24", "10.110.16.0/20"]
    for inputs in groups.values():
        assert inputs["inboundDefaultPolicy"] == "drop"
        assert inputs["outboundDefaultPolicy"] == "drop"
        assert inputs["stateful"] is True
        assert inputs["enableDefaultSecurity"] is True
        assert [r["ipRange"] for r in inputs["outboundRules"]] == platform
        assert {r["action"] for r in inputs["outboundRules"]} == {"accept"}
    assert groups["proj-001-sg"]["inboundRules"] == [
        {"action": "accept", "protocol": "TCP", "port": 22.0, "ipRange": "10.110.1.0/24"}
    ]
    assert groups["hdh-dev-gateway-sg"]["inboundRules"] == [
        {"action": "accept", "protocol": "TCP", "port": 443.0, "ipRange": "0.0.0.0/0"}
    ]


def test_only_the_gateway_has_a_public_address(scw: TargetRun) -> None:
    ips = scw.typed("scaleway:instance/ip:Ip")
    assert [(i.name, i.parent_type, i.inputs["type"]) for i in ips] == [
        ("hdh-dev-gateway-ip", "bascule:target:AccessGateway", "routed_ipv4")
    ]
    servers = {r.name: r for r in scw.typed("scaleway:instance/server:Server")}
    assert sorted(servers) == ["hdh-dev-gateway-vm", "proj-001-vm-0", "proj-002-vm-0",
                               "proj-003-vm-0"]  # fmt: skip
    for name, server in servers.items():
        assert server.inputs["enableDynamicIp"] is False
        assert "publicIps" not in server.inputs and "ipIds" not in server.inputs
        assert ("ipId" in server.inputs) == (name == "hdh-dev-gateway-vm")


def test_instances_types_zones_volumes_and_state(scw: TargetRun) -> None:
    servers = {r.name: r.inputs for r in scw.typed("scaleway:instance/server:Server")}
    assert {n: (i["type"], i["zone"], i["state"]) for n, i in servers.items()} == {
        "hdh-dev-gateway-vm": ("POP2-2C-8G", "fr-par-1", "started"),
        # Wave 1 is replicating: its enclaves are built, powered off until `parallel`.
        "proj-001-vm-0": ("POP2-4C-16G", "fr-par-1", "stopped"),
        "proj-002-vm-0": ("L40S-1-48G", "fr-par-2", "stopped"),
        "proj-003-vm-0": ("POP2-4C-16G", "fr-par-1", "stopped"),
    }
    volumes = {r.name: r.inputs for r in scw.typed("scaleway:block/volume:Volume")}
    assert {n: (i["sizeInGb"], i["zone"]) for n, i in volumes.items()} == {
        "proj-001-data-0": (100.0, "fr-par-1"),
        "proj-002-data-0": (500.0, "fr-par-2"),
        "proj-003-data-0": (100.0, "fr-par-1"),
    }
    for name, inputs in servers.items():
        assert inputs["image"] == SCALEWAY_SETTINGS["imageId"]
        assert inputs["rootVolume"]["volumeType"] == "sbs_volume"
        assert inputs["rootVolume"]["deleteOnTermination"] is False
        assert inputs["projectId"] == PROJECT
        assert len(inputs["privateNetworks"]) == 1
        assert len(inputs["additionalVolumeIds"]) == (0 if "gateway" in name else 1)


def test_buckets_private_versioned_encrypted_with_their_key(scw: TargetRun) -> None:
    buckets = {r.name: r.inputs for r in scw.typed("scaleway:object/bucket:Bucket")}
    assert {n: i["name"] for n, i in buckets.items()} == {
        "snds-extract-bucket": "hdh-dev-snds-extract",
        "open-nomenclatures-bucket": "hdh-dev-open-nomenclatures",
        "pseudo-tables-bucket": "hdh-dev-pseudo-tables",
        "hdh-dev-audit-bucket": "hdh-dev-audit-logs",
    }
    for inputs in buckets.values():
        assert inputs["versioning"] == {"enabled": True}
        assert inputs["forceDestroy"] is False
        assert "acl" not in inputs
    assert {r.inputs["acl"] for r in scw.typed("scaleway:object/bucketAcl:BucketAcl")} == {
        "private"
    }
    assert buckets["snds-extract-bucket"]["tags"]["kms-key"] == "datasets-cmk"
    sse = {
        r.name: r.inputs["rules"][0]["applyServerSideEncryptionByDefault"]
        for r in scw.typed(
            "scaleway:object/bucketServerSideEncryptionConfiguration:"
            "BucketServerSideEncryptionConfiguration"
        )
    }
    keys = {r.inputs["name"]: r for r in scw.typed("scaleway:keymanager/key:Key")}
    assert sse["snds-extract-sse"] == {
        "sseAlgorithm": "aws:kms",
        "kmsMasterKeyId": f"fr-par/{_uuid(keys['datasets-cmk'])}",
    }
    assert sse["pseudo-tables-sse"]["kmsMasterKeyId"] == f"fr-par/{_uuid(keys['pseudo-keys'])}"
    assert sse["hdh-dev-audit-sse"] == {"sseAlgorithm": "AES256"}


def test_audit_bucket_object_locked_in_compliance_mode(scw: TargetRun) -> None:
    bucket = one(scw, "scaleway:object/bucket:Bucket", "hdh-dev-audit-bucket")
    assert bucket["objectLockEnabled"] is True
    lock = one(scw, "scaleway:object/bucketLockConfiguration:BucketLockConfiguration",
               "hdh-dev-audit-lock")  # fmt: skip
    assert lock["rule"] == {"defaultRetention": {"mode": "COMPLIANCE", "days": 365.0}}


def test_keys_per_purpose_pseudonymisation_in_its_own_project(scw: TargetRun) -> None:
    keys = {r.name: r.inputs for r in scw.typed("scaleway:keymanager/key:Key")}
    # The purpose in the name unless the key's name says it (as Barbican orders are named).
    assert sorted(keys) == ["datasets-cmk-key", "disks-cmk-key",
                            "pseudo-keys-pseudonymisation-key"]  # fmt: skip
    project = scw.typed("scaleway:account/project:Project")[0]
    assert project.inputs["name"] == "hdh-dev-pseudo"
    assert {n: i["projectId"] for n, i in keys.items()} == {
        "datasets-cmk-key": PROJECT,
        "disks-cmk-key": PROJECT,
        "pseudo-keys-pseudonymisation-key": _uuid(project),
    }
    for inputs in keys.values():
        assert (inputs["usage"], inputs["algorithm"]) == ("symmetric_encryption", "aes_256_gcm")
        assert inputs["rotationPolicy"] == {"rotationPeriod": "8760h"}
        assert inputs["unprotected"] is False
    pseudo_bucket = one(scw, "scaleway:object/bucket:Bucket", "pseudo-tables-bucket")
    assert pseudo_bucket["projectId"] == _uuid(project)


def test_interconnect_suite_and_secret_key(scw: TargetRun) -> None:
    connection = one(
        scw, "scaleway:s2svpn/connection:Connection", "hdh-dev-interconnect-connection"
    )
    assert connection["ikev2Ciphers"] == [
        {"encryption": "aes256gcm", "integrity": "sha384", "dhGroup": "ecp384"}
    ]
    assert connection["espCiphers"] == [{"encryption": "aes256gcm", "dhGroup": "ecp384"}]
    # The BGP session's inside addresses: Scaleway's .1, the Azure gateway's APIPA .2.
    (bgp,) = cast(list[dict[str, str]], connection["bgpConfigIpv4s"])
    assert (bgp["privateIp"], bgp["peerPrivateIp"]) == ("169.254.21.1/30", "169.254.21.2/30")
    routes = one(scw, "scaleway:s2svpn/routingPolicy:RoutingPolicy", "hdh-dev-interconnect-routes")
    assert (routes["prefixFilterIns"], routes["prefixFilterOuts"]) == (
        ["10.10.0.0/24"],
        ["10.110.2.0/24"],
    )
    peer = one(scw, "scaleway:s2svpn/customerGateway:CustomerGateway", "hdh-dev-interconnect-peer")
    assert (peer["ipv4Public"], peer["asn"]) == ("198.51.100.10", 65515.0)
    version = scw.typed("scaleway:secrets/version:Version")[0]
    assert version.secret_inputs == {"data"}
    # No key in the stack: a secret not known yet (as a preview records it), never plaintext.
    assert version.inputs["data"] == {SIG_KEY: SECRET_SIG, "value": None}


def test_inventory_derived_from_what_is_built(scw: TargetRun) -> None:
    inventory = scw.inventory
    assert sorted(inventory) == ["datasets", "enclaves", "keys", "zones"]
    assert inventory["enclaves"]["proj-002"]["flavor"] == "L40S-1-48G"
    assert inventory["enclaves"]["proj-002"]["encrypted"] is None
    assert inventory["keys"]["pseudo-keys"]["project"] == "hdh-dev-pseudo"
    assert inventory["keys"]["datasets-cmk"]["project"] == "hdh-dev-keys"
    assert inventory["datasets"]["pseudo-tables"]["keyStore"] == "hdh-dev-pseudo"
