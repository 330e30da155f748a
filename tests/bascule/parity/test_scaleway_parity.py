"""Parity on the synthesized Scaleway stack (prod's Azure source, the target on Scaleway
fr-par): no blocking gap with the stack's accepted gaps, exactly the gaps a Scaleway snapshot
cannot settle without them, and each break of a Scaleway resource found alone."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bascule.parity.accepted import accepted_gaps
from bascule.parity.diff import ParityOptions, parity
from bascule.parity.inventory_scaleway import NO_REDUNDANCY, UNENCRYPTED_VOLUMES
from bascule.parity.model import ParityReport
from bascule.snapshot.model import Resource, Snapshot
from bascule.synth import synthesize

ROOT = Path(__file__).resolve().parents[3]
TARGET = "urn:pulumi:scaleway::bascule::bascule:target:Estate$"


@pytest.fixture(scope="module")
def scaleway_snapshot() -> Snapshot:
    """`bascule synth scaleway`: 321 enclaves per estate (~20 s)."""
    return synthesize(ROOT, "scaleway")


def blocking(report: ParityReport) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (str(g.kind), g.object, {k: (d.source, d.target) for k, d in g.fields.items()})
        for g in report.blocking
    ]


def accepted(snapshot: Snapshot) -> ParityOptions:
    return ParityOptions(accepted=tuple(accepted_gaps(snapshot)))


def edited(snapshot: Snapshot, urn: str, change: Callable[[dict[str, Any]], None]) -> Snapshot:
    """The snapshot with one resource's inputs and outputs changed alike."""
    found = False

    def edit(resource: Resource) -> Resource:
        nonlocal found
        if resource.urn != urn:
            return resource
        found = True
        inputs, outputs = dict(resource.inputs), dict(resource.outputs)
        change(inputs)
        change(outputs)
        return replace(resource, inputs=inputs, outputs=outputs)

    out = replace(snapshot, resources=tuple(map(edit, snapshot.resources)))
    assert found, urn
    return out


def test_at_parity_with_the_accepted_manual_gaps(scaleway_snapshot: Snapshot) -> None:
    report = parity(scaleway_snapshot, scaleway_snapshot, accepted(scaleway_snapshot))
    assert blocking(report) == []
    assert report.target_providers == ("Scaleway",)
    kinds = {g.object.split("/")[0] for g in report.gaps if g.accepted_reason}
    assert kinds == {"enclave", "gateway", "dataset"}
    assert sum(1 for g in report.gaps if g.accepted_reason) == 321 + 1 + 12
    stronger = sorted(
        (g.object, {k: (d.source, d.target) for k, d in g.fields.items()})
        for g in report.gaps
        if str(g.kind) == "stronger"
    )
    assert stronger == [
        ("key/datasets-cmk", {"strengthBits": (128, 256)}),
        ("key/disks-cmk", {"strengthBits": (128, 256)}),
        ("key/pseudo-keys", {"strengthBits": (128, 256)}),
        ("key/snds-cmk", {"strengthBits": (152, 256)}),
    ]
    assert sum(p.capability == "enclave" for p in report.pairs) == 321
    assert all(p.source is not None and p.target is not None for p in report.pairs)


def test_without_acceptance_only_what_scaleway_cannot_show_blocks(
    scaleway_snapshot: Snapshot,
) -> None:
    report = parity(scaleway_snapshot, scaleway_snapshot)
    gaps = {g: f for _, g, f in blocking(report)}
    assert len(gaps) == 334
    assert gaps["enclave/pilot-001"] == {"encrypted": (True, UNENCRYPTED_VOLUMES)}
    # The gateway admits less than the source's (no VirtualNetwork-wide rule): stronger.
    assert gaps["gateway/hdh-gateway"] == {
        "encrypted": (True, UNENCRYPTED_VOLUMES),
        "ingress": (
            frozenset({"internet tcp/443", "virtualnetwork any/any (partly denied)"}),
            frozenset({"internet tcp/443"}),
        ),
    }
    assert gaps["dataset/snds-copy"] == {"replication": (2, NO_REDUNDANCY)}
    # Stronger fields ride along (the pattern accepts the weaker ones only).
    assert gaps["enclave/gpu-002"] == {
        "ramGb": (220, 240),
        "encrypted": (True, UNENCRYPTED_VOLUMES),
    }
    assert {g.split("/")[0] for g in gaps} == {"enclave", "gateway", "dataset"}


def test_public_bucket_acl_is_one_weaker_dataset(scaleway_snapshot: Snapshot) -> None:
    urn = TARGET + "bascule:target:ObjectStorage$scaleway:object/bucketAcl:BucketAcl::dcir-acl"
    weakened = edited(scaleway_snapshot, urn, lambda p: p.update(acl="public-read"))
    report = parity(scaleway_snapshot, weakened, accepted(scaleway_snapshot))
    assert blocking(report) == [
        (
            "weaker",
            "dataset/dcir",
            {"publicAccess": (False, True), "replication": (2, NO_REDUNDANCY)},
        )
    ]


def test_bucket_without_its_kms_key_is_one_weaker_dataset(scaleway_snapshot: Snapshot) -> None:
    urn = (
        TARGET + "bascule:target:ObjectStorage$scaleway:object/"
        "bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration::pmsi-sse"
    )

    def managed(p: dict[str, Any]) -> None:
        p["rules"] = [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]

    report = parity(scaleway_snapshot, edited(scaleway_snapshot, urn, managed),
                    accepted(scaleway_snapshot))  # fmt: skip
    assert blocking(report) == [
        ("weaker", "dataset/pmsi", {
            "key": ("snds-cmk", None),
            "customerManagedKey": (True, False),
            "replication": (2, NO_REDUNDANCY),
        })
    ]  # fmt: skip


def test_accepting_security_group_is_open_ingress(scaleway_snapshot: Snapshot) -> None:
    urn = (
        TARGET + "bascule:target:Enclave$scaleway:instance/securityGroup:SecurityGroup::bulk-042-sg"
    )
    report = parity(
        scaleway_snapshot,
        edited(scaleway_snapshot, urn, lambda p: p.update(inboundDefaultPolicy="accept")),
        accepted(scaleway_snapshot),
    )
    [(kind, name, fields)] = blocking(report)
    assert (kind, name, sorted(fields)) == ("weaker", "enclave/bulk-042", ["encrypted", "ingress"])
    source, target = fields["ingress"]
    assert sorted(target) == sorted({*source, "internet any/any"})


def test_instance_with_a_flexible_ip_is_public(scaleway_snapshot: Snapshot) -> None:
    urn = TARGET + "bascule:target:Enclave$scaleway:instance/server:Server::tail-030-vm-0"
    report = parity(
        scaleway_snapshot,
        edited(scaleway_snapshot, urn, lambda p: p.update(ipIds=["fr-par-1/an-ip"])),
        accepted(scaleway_snapshot),
    )
    assert blocking(report) == [
        ("weaker", "enclave/tail-030", {
            "encrypted": (True, UNENCRYPTED_VOLUMES),
            "publicIp": (False, True),
        })
    ]  # fmt: skip


def test_shorter_object_lock_is_weaker_logging(scaleway_snapshot: Snapshot) -> None:
    urn = (
        TARGET + "bascule:target:AuditLog$scaleway:object/bucketLockConfiguration:"
        "BucketLockConfiguration::hdh-audit-lock"
    )

    def shorter(p: dict[str, Any]) -> None:
        p["rule"] = {"defaultRetention": {"mode": "COMPLIANCE", "days": 90}}

    report = parity(scaleway_snapshot, edited(scaleway_snapshot, urn, shorter),
                    accepted(scaleway_snapshot))  # fmt: skip
    assert blocking(report) == [("weaker", "logging/audit-logs", {"retentionDays": (730, 90)})]


def test_pseudonymisation_key_in_the_platform_project_shares_a_store(
    scaleway_snapshot: Snapshot,
) -> None:
    urn = TARGET + (
        "bascule:target:Kms$scaleway:keymanager/key:Key::pseudo-keys-pseudonymisation-key"
    )
    platform = "7d1f6c2a-3b5e-4a9d-8c0f-1e2d3c4b5a69"
    report = parity(
        scaleway_snapshot,
        edited(scaleway_snapshot, urn, lambda p: p.update(projectId=platform)),
        accepted(scaleway_snapshot),
    )
    found = {name: fields["storeSharedWith"] for _, name, fields in blocking(report)}
    # Every key now shares its store with the pseudonymisation key (and it with them all).
    assert found == {
        "key/pseudo-keys": (frozenset(), frozenset({"datasets-cmk", "disks-cmk", "snds-cmk"})),
        "key/datasets-cmk": (
            frozenset({"disks-cmk", "snds-cmk"}),
            frozenset({"disks-cmk", "snds-cmk", "pseudo-keys"}),
        ),
        "key/disks-cmk": (
            frozenset({"datasets-cmk", "snds-cmk"}),
            frozenset({"datasets-cmk", "snds-cmk", "pseudo-keys"}),
        ),
        "key/snds-cmk": (
            frozenset({"datasets-cmk", "disks-cmk"}),
            frozenset({"datasets-cmk", "disks-cmk", "pseudo-keys"}),
        ),
    }


def test_weaker_ike_cipher_breaks_the_interconnect(scaleway_snapshot: Snapshot) -> None:
    urn = (
        TARGET + "bascule:target:Interconnect$scaleway:s2svpn/connection:Connection::"
        "hdh-interconnect-connection"
    )

    def weaker(p: dict[str, Any]) -> None:
        p["ikev2Ciphers"] = [{"encryption": "aes128", "integrity": "sha256", "dhGroup": "modp2048"}]

    report = parity(scaleway_snapshot, edited(scaleway_snapshot, urn, weaker),
                    accepted(scaleway_snapshot))  # fmt: skip
    assert blocking(report) == [
        ("weaker", "interconnect/hdh-interconnect", {
            "ikeEncryption": ("aes-256-gcm", "aes-128-cbc"),
            "ikePrf": ("sha384", "sha256"),
            "dhGroup": (20, 14),
        })
    ]  # fmt: skip


def _fields(report: ParityReport, key: str) -> Mapping[str, Any]:
    pair = next(p for p in report.pairs if p.target is not None and p.target.key == key)
    assert pair.target is not None
    return pair.target.fields


def test_target_fields_read_from_scaleway_resources(scaleway_snapshot: Snapshot) -> None:
    report = parity(scaleway_snapshot, scaleway_snapshot, accepted(scaleway_snapshot))
    assert _fields(report, "zone/research-gpu") == {"cidr": "10.120.48.0/20", "addresses": 4096}
    gpu = _fields(report, "enclave/gpu-001")
    assert {k: gpu[k] for k in ("size", "instances", "vcpu", "ramGb", "gpu", "diskGb")} == {
        "size": "H100-SXM-8-80G", "instances": 1, "vcpu": 128, "ramGb": 960, "gpu": 8,
        "diskGb": 8000,
    }  # fmt: skip
    assert _fields(report, "gateway/hdh-gateway")["ingress"] == frozenset({"internet tcp/443"})
    assert _fields(report, "enclave/bulk-042")["ingress"] == frozenset(
        {"gateway tcp/22", "gateway tcp/3389"}
    )
    assert _fields(report, "key/snds-cmk") == {
        "algorithm": "AES 256",
        "strengthBits": 256,
        "rotationDays": 365,
        "securityContainer": True,
        "storeSharedWith": frozenset({"datasets-cmk", "disks-cmk"}),
    }
    assert _fields(report, "dataset/pseudo-salts")["key"] == "pseudo-keys"
    assert _fields(report, "logging/audit-logs") == {"retentionDays": 730}


def test_a_port_forwarding_makes_every_enclave_unverifiable(scaleway_snapshot: Snapshot) -> None:
    """A Public Gateway PAT rule reaches a private address, not a server id: no enclave can
    be said private any more (an attacker's way past `ipId`)."""
    estate = TARGET.removesuffix("$") + "::target"
    pat = Resource(
        TARGET + "scaleway:network/publicGatewayPatRule:PublicGatewayPatRule::ssh-in",
        "scaleway:network/publicGatewayPatRule:PublicGatewayPatRule",
        True,
        inputs={"publicPort": 2222, "privateIp": "10.120.16.5", "privatePort": 22},
        parent=estate,
    )
    forwarded = replace(scaleway_snapshot, resources=(*scaleway_snapshot.resources, pat))
    report = parity(scaleway_snapshot, forwarded, accepted(scaleway_snapshot))
    gaps = {name: fields for _, name, fields in blocking(report)}
    assert len(gaps) == 321 and all(name.startswith("enclave/") for name in gaps)
    source, target = gaps["enclave/pilot-001"]["publicIp"]
    assert source is False
    assert str(target) == (
        "cannot verify: the estate forwards public traffic to private addresses "
        "(PublicGatewayPatRule): which instance it reaches is not in the snapshot"
    )


def test_a_grant_to_all_users_is_public_whatever_the_canned_acl(
    scaleway_snapshot: Snapshot,
) -> None:
    urn = TARGET + "bascule:target:ObjectStorage$scaleway:object/bucketAcl:BucketAcl::oscour-acl"

    def grant(p: dict[str, Any]) -> None:
        p["accessControlPolicy"] = {
            "grants": [
                {
                    "grantee": {
                        "type": "Group",
                        "uri": "http://acs.amazonaws.com/groups/global/AllUsers",
                    },
                    "permission": "READ",
                }
            ]
        }

    report = parity(scaleway_snapshot, edited(scaleway_snapshot, urn, grant),
                    accepted(scaleway_snapshot))  # fmt: skip
    assert blocking(report) == [
        (
            "weaker",
            "dataset/oscour",
            {"publicAccess": (False, True), "replication": (2, NO_REDUNDANCY)},
        )
    ]


def test_a_second_public_bucket_in_a_dataset_is_not_hidden(scaleway_snapshot: Snapshot) -> None:
    component = TARGET.removesuffix("$") + "$bascule:target:ObjectStorage::nomenclatures"
    bucket = Resource(
        component.replace("::nomenclatures", "$scaleway:object/bucket:Bucket::nomenclatures-copy"),
        "scaleway:object/bucket:Bucket",
        True,
        inputs={"name": "hdh-nomenclatures-copy", "acl": "public-read"},
        parent=component,
    )
    extended = replace(scaleway_snapshot, resources=(*scaleway_snapshot.resources, bucket))
    report = parity(scaleway_snapshot, extended, accepted(scaleway_snapshot))
    [(kind, name, fields)] = blocking(report)
    assert (kind, name) == ("weaker", "dataset/nomenclatures")
    assert {k: fields[k] for k in ("publicAccess", "customerManagedKey")} == {
        "publicAccess": (False, True),
        "customerManagedKey": (True, False),
    }


@pytest.mark.parametrize(
    "retention",
    [
        pytest.param({"mode": "GOVERNANCE", "days": 730}, id="governance-mode"),
        pytest.param({"days": 730}, id="no-mode"),
    ],
)
def test_a_lock_an_account_can_lift_keeps_nothing(
    scaleway_snapshot: Snapshot, retention: dict[str, Any]
) -> None:
    urn = (
        TARGET + "bascule:target:AuditLog$scaleway:object/bucketLockConfiguration:"
        "BucketLockConfiguration::hdh-audit-lock"
    )
    weakened = edited(
        scaleway_snapshot, urn, lambda p: p.update(rule={"defaultRetention": retention})
    )
    report = parity(scaleway_snapshot, weakened, accepted(scaleway_snapshot))
    assert blocking(report) == [("weaker", "logging/audit-logs", {"retentionDays": (730, None)})]


def test_a_lock_on_a_bucket_without_object_lock_keeps_nothing(scaleway_snapshot: Snapshot) -> None:
    urn = TARGET + "bascule:target:AuditLog$scaleway:object/bucket:Bucket::hdh-audit-bucket"
    weakened = edited(scaleway_snapshot, urn, lambda p: p.update(objectLockEnabled=False))
    report = parity(scaleway_snapshot, weakened, accepted(scaleway_snapshot))
    assert blocking(report) == [("weaker", "logging/audit-logs", {"retentionDays": (730, None)})]
