"""Every Pulumi file kind bascule reads, from fixtures written to Pulumi's formats (v3.259.0):
a v4 export with `taint`, a checkpoint with encrypted secrets (plain and gzip), `pulumi up
--json`, a preview `--event-log` with replace steps, a `preview --json` with a replace."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from bascule.errors import BadInputError
from bascule.policy.runner import run_policies
from bascule.snapshot.load import load_snapshot, parse_snapshot, parse_snapshot_text
from bascule.snapshot.model import UNKNOWN, SecretValue, Snapshot
from bascule.snapshot.write import dump_snapshot, snapshot_json

DATA = Path(__file__).resolve().parents[2] / "data" / "snapshots"
# The test ciphertext every fixture shares (taken from one, not repeated: the repository's
# secret scan baselines it where it already is).
CT1 = json.loads((DATA / "export-small.json").read_text())["deployment"]["resources"][1]["inputs"][
    "password"
]["ciphertext"]
CT2 = "v1:Yk1zGQ0dW0t0c3Vy:rY3uK7bm2m3Z9V0n3Q3qJm0hV2d4y1o8x8dWk9nYpQ=="
P = "urn:pulumi:prod::hdh-target::"
Q = "urn:pulumi:dev::hdh-source::"
D = "urn:pulumi:dev::defaults::"
R = "urn:pulumi:dev::bascule::"
AZ_DEFAULT = D + "pulumi:providers:azure-native::default_3_29_0"
OS_DEFAULT = D + "pulumi:providers:openstack::default_5_5_3"


def violations(snapshot: Snapshot) -> list[tuple[str, str, str]]:
    run = run_policies(snapshot, in_process=True)
    return sorted((v.rule_id, v.urn, v.message) for v in run.violations)


def _err(data: Any, label: str = "snap.json") -> str:
    with pytest.raises(BadInputError) as info:
        parse_snapshot(data, label)
    assert info.value.exit_code == 2
    return info.value.message


def test_v4_export_with_a_tainted_resource() -> None:
    snapshot = load_snapshot(DATA / "export-v4-taint.json")
    assert (snapshot.kind, snapshot.project, snapshot.stack) == ("export", "hdh-target", "prod")
    assert snapshot.manifest["version"] == "v3.259.0"
    assert [r.urn for r in snapshot] == [
        P + "pulumi:pulumi:Stack::hdh-target-prod",
        P + "pulumi:providers:openstack::default_5_5_3",
        P + "openstack:networking/network:Network::research",
        P + "openstack:compute/instance:Instance::research-001",  # tainted: still the stack's
    ]
    provider = snapshot.resources[1]
    assert provider.inputs["password"] == SecretValue(ciphertext=CT1)
    assert snapshot.provider_of(snapshot.resources[3]) == provider
    # OVHcloud Public Cloud in GRA: outside the allowed regions and hosts, and not a
    # SecNumCloud-qualified offer (the registry's verdict is the same on any date); the instance
    # boots from a local disk, on an image chosen by name, behind the default security group.
    default = P + "pulumi:providers:openstack::default_5_5_3"
    assert violations(snapshot) == [
        (
            "PRT-003",
            P + "openstack:compute/instance:Instance::research-001",
            "boots from its image on the hypervisor's local disk (no blockDevices): the root "
            "disk is not an encrypted volume",
        ),
        (
            "PRT-009",
            P + "openstack:compute/instance:Instance::research-001",
            "a network without a port and no securityGroups: the instance gets the project's "
            "default security group (egress to any address)",
        ),
        (
            "PRT-021",
            P + "openstack:compute/instance:Instance::research-001",
            "imageName 'Debian 12': the image is chosen by name, not pinned by id",
        ),
        (
            "SOV-002",
            default,
            "provider region 'GRA' is not in the allowed regions [eu-west-rbx-snc, "
            "eu-west-sbg-snc]",
        ),
        (
            "SOV-003",
            default,
            "authUrl host 'auth.cloud.ovh.net' is not in the approved auth hosts "
            "[auth.eu-west-rbx-snc.cloud.snc.ovh.net, auth.eu-west-sbg-snc.cloud.snc.ovh.net]",
        ),
        (
            "SOV-010",
            default,
            "authUrl host 'auth.cloud.ovh.net' in region 'GRA' is OVHcloud Public Cloud, which "
            "is not a SecNumCloud-qualified offer; OVHcloud's qualified OpenStack-based offer "
            "is SNC Cloud Platform (eu-west-rbx-snc, eu-west-sbg-snc, valid 2026-07-31 to "
            "2029-07-31)",
        ),
    ]


def test_v4_features_bascule_cannot_interpret_are_named() -> None:
    doc = json.loads((DATA / "export-v4-taint.json").read_text())
    doc["features"] = ["taint", "teleport", "quantumState"]
    assert _err(doc) == (
        "snap.json: uses Pulumi state features bascule cannot interpret: quantumState, "
        "teleport (it reads byteString, extensionParameterization, hooks, "
        "refreshBeforeUpdate, replaceWith, snippets-prototype, taint, views)"
    )
    doc["version"] = 3  # the engine reads features from version 4 on only
    assert len(parse_snapshot(doc, "snap.json")) == 4
    doc["version"] = 5
    assert _err(doc) == (
        "snap.json: unsupported stack export version 5 (bascule reads versions 1, 2, 3 and 4)"
    )


def test_v4_byte_strings_and_special_floats() -> None:
    doc = json.loads((DATA / "export-v4-taint.json").read_text())
    doc["features"] = ["byteString", "taint"]
    network = doc["deployment"]["resources"][2]
    sig = "4dabf18193072939515e22adb298388d"
    network["inputs"]["region"] = {sig: "803fd3297a5875dc03ca845dda5d2a98", "value": "R1JB/w=="}
    network["outputs"]["mtu"] = {
        sig: "8ad145fe-0d11-4827-bfd7-1abcbf086f5c",
        "value": "7ff0000000000000",
    }
    net = parse_snapshot(doc, "snap.json").resources[2]
    assert net.inputs["region"] == "GRA\ufffd"  # never an allowed region, never skipped
    assert net.outputs["mtu"] == float("inf")
    written = json.loads(snapshot_json(parse_snapshot(doc, "snap.json")))
    assert written["deployment"]["resources"][2]["outputs"]["mtu"] == network["outputs"]["mtu"]


def test_checkpoint_keeps_secrets_encrypted(tmp_path: Path) -> None:
    path = DATA / "checkpoint-secrets.json"
    snapshot = load_snapshot(path)
    assert (snapshot.kind, snapshot.project, snapshot.stack) == ("checkpoint", "hdh-source", "dev")
    assert [r.name for r in snapshot] == ["hdh-source-dev", "source-azure", "raw", "pseudo-salt"]
    provider, secret = snapshot.resources[1], snapshot.resources[3]
    assert provider.inputs["clientSecret"] == SecretValue(ciphertext=CT2)
    assert secret.inputs["properties"]["value"] == SecretValue(
        ciphertext="v1:c2FsdHNhbHQ=:Q3Vyc2l2ZVNlY3JldFZhbHVlMDAx"
    )
    dumped = dump_snapshot(snapshot)["deployment"]["resources"][1]["inputs"]["clientSecret"]
    assert dumped["ciphertext"] == CT2
    # A backend with PULUMI_DIY_BACKEND_GZIP stores it compressed, named `.json.gz`.
    packed = tmp_path / "dev.json.gz"
    packed.write_bytes(gzip.compress(path.read_bytes()))
    assert load_snapshot(packed).resources == snapshot.resources
    assert violations(snapshot) == [
        (
            "MIG-003",
            Q + "azure-native:storage:StorageAccount::raw",
            "StorageAccount 'raw' is not cut over and has no CanNotDelete (or ReadOnly) "
            "management lock",
        ),
        (
            "PRT-002",
            Q + "azure-native:storage:StorageAccount::raw",
            "encryption.keySource is not set, must be 'Microsoft.Keyvault' (customer-managed key)",
        ),
        (
            "PRT-005",
            Q + "azure-native:storage:StorageAccount::raw",
            "allowSharedKeyAccess is not set (defaults to true): account keys and SAS tokens "
            "(bearer credentials) reach health data",
        ),
        (
            "PRT-006",
            Q + "azure-native:storage:StorageAccount::raw",
            "storage account 'raw' of classification 'pseudonymised-health' has no "
            "BlobServiceProperties; blob versioning (or immutable storage) is required",
        ),
        (
            "PRT-019",
            Q + "azure-native:storage:StorageAccount::raw",
            "StorageAccount 'raw' has no diagnostic setting sending its logs to a workspace, "
            "storage account or event hub",
        ),
        (
            "PRT-019",
            Q + "pulumi:providers:azure-native::source-azure",
            "subscription '00000000-0000-4000-8000-000000000001' of provider 'source-azure' "
            "exports no activity log (no subscription diagnostic setting)",
        ),
        (
            "SOV-001",
            Q + "azure-native:storage:StorageAccount::raw",
            "location 'westeurope' is not in the allowed locations [francecentral, francesouth]",
        ),
        (
            "SOV-004",
            Q + "azure-native:keyvault:Secret::pseudo-salt",
            "resource type 'azure-native:keyvault:Secret' comes from the forbidden package "
            "'azure-native' outside the Azure source estate",
        ),
        (
            "SOV-004",
            Q + "azure-native:storage:StorageAccount::raw",
            "resource type 'azure-native:storage:StorageAccount' comes from the forbidden "
            "package 'azure-native' outside the Azure source estate",
        ),
    ]


def test_checkpoint_shapes() -> None:
    doc = json.loads((DATA / "checkpoint-secrets.json").read_text())
    latest = doc["checkpoint"]["latest"]
    assert len(parse_snapshot({"stack": "dev", "latest": latest}, "old.json")) == 4  # unversioned
    assert len(parse_snapshot({"version": 3, "checkpoint": {"stack": "dev"}}, "new.json")) == 0
    doc["version"], doc["features"] = 4, ["hooks"]
    assert len(parse_snapshot(doc, "v4.json")) == 4
    doc["version"] = 9
    assert _err(doc) == (
        "snap.json: unsupported checkpoint version 9 (bascule reads versions 1, 2, 3 and 4)"
    )
    assert _err({"version": 3, "checkpoint": []}) == 'snap.json: "checkpoint" is not an object'


def test_pending_creates_are_checked_too() -> None:
    doc = json.loads((DATA / "checkpoint-secrets.json").read_text())
    latest = doc["checkpoint"]["latest"]
    creating = dict(latest["resources"].pop(2))
    latest["pending_operations"] = [
        {"resource": creating, "type": "creating"},
        {"resource": latest["resources"][1], "type": "updating"},
    ]
    snapshot = parse_snapshot(doc, "interrupted.json")
    assert [r.name for r in snapshot] == ["hdh-source-dev", "source-azure", "pseudo-salt", "raw"]


def test_pulumi_up_json_stream_rebuilds_the_default_providers() -> None:
    snapshot = load_snapshot(DATA / "events-up.jsonl")
    assert (snapshot.kind, snapshot.project, snapshot.stack) == ("events", "defaults", "dev")
    assert [r.urn for r in snapshot] == [
        AZ_DEFAULT,
        OS_DEFAULT,
        D + "azure-native:resources:ResourceGroup::rg",
        D + "azure-native:storage:StorageAccount::store",
        D + "openstack:networking/network:Network::net",
        D + "openstack:compute/instance:Instance::bastion",
        D + "pulumi:pulumi:Stack::defaults-dev",
    ]
    azure, openstack = snapshot.resources[0], snapshot.resources[1]
    assert azure.id == "0f6c2a1e-5b7d-4c3e-9a8b-1d2e3f4a5b6c"
    assert azure.inputs == {
        "location": "westus",
        "subscriptionId": "00000000-0000-4000-8000-000000000001",
        "version": "3.29.0",
    }
    assert openstack.inputs == {
        "authUrl": "https://auth.cloud.ovh.net/v3",
        "password": SecretValue(),
        "region": "EU-WEST-PAR",
        "version": "5.5.3",
    }
    store = snapshot.resources[3]
    assert store.inputs["tags"]["wave"] == "1"  # the update's new inputs
    assert store.outputs["tags"]["wave"] == "1"  # from its outputs event
    assert snapshot.resources[5].inputs["adminPass"] == SecretValue()  # blinded by the engine
    assert snapshot.resources[6].outputs == {"account": "hdhstore", "bastion": "10.0.0.12"}
    sov = [v for v in violations(snapshot) if v[0] in ("SOV-001", "PRT-010")]
    assert sov == [
        (
            "PRT-010",
            D + "openstack:compute/instance:Instance::bastion",
            "adminPass is set (password login); use an SSH key pair (keyPair) instead",
        ),
        (
            "SOV-001",
            D + "azure-native:resources:ResourceGroup::rg",
            "location 'westus' is not in the allowed locations [francecentral, francesouth]",
        ),
        (
            "SOV-001",
            D + "azure-native:storage:StorageAccount::store",
            "location 'westus' is not in the allowed locations [francecentral, francesouth]",
        ),
        (
            "SOV-001",
            AZ_DEFAULT,
            "provider location 'westus' is not in the allowed locations "
            "[francecentral, francesouth]",
        ),
    ]


def test_preview_event_log_with_a_replacement_and_a_delete() -> None:
    snapshot = load_snapshot(DATA / "events-preview-log.jsonl")
    assert [r.urn for r in snapshot] == [
        OS_DEFAULT,  # from its own (internal) events: --event-log keeps them
        D + "openstack:networking/network:Network::net",
        D + "openstack:compute/instance:Instance::bastion",
        D + "pulumi:pulumi:Stack::defaults-dev",
    ]  # the deleted volume is gone; the replaced instance is its replacement
    instance = snapshot.resources[2]
    assert instance.inputs["flavorName"] == "b3-16"
    assert instance.id == UNKNOWN and instance.outputs["accessIpV4"] == UNKNOWN
    assert snapshot.resources[0].inputs["password"] == SecretValue()


def _lines(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (DATA / name).read_text().splitlines()]


def _text(events: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(e) + "\n" for e in events)


def test_incomplete_or_failed_streams_are_refused() -> None:
    events = _lines("events-up.jsonl")
    with pytest.raises(BadInputError) as info:
        parse_snapshot_text(_text(events[:-2]), "up.json")
    assert info.value.message == (
        "up.json: the event stream ends before its summaryEvent (an interrupted run or a "
        "partial file; 5 resources seen): give the complete stream, or a stack export"
    )
    failed = {
        "sequence": 20,
        "timestamp": 1787302830,
        "resOpFailedEvent": {"metadata": events[8]["resourcePreEvent"]["metadata"], "status": 2},
    }
    error = {
        "sequence": 21,
        "timestamp": 1787302830,
        "diagnosticEvent": {"message": "quota exceeded\n", "color": "never", "severity": "error"},
    }
    events[-2]["summaryEvent"]["result"] = "failed"
    with pytest.raises(BadInputError) as info:
        parse_snapshot_text(_text([*events[:9], failed, error, *events[-2:]]), "up.json")
    assert info.value.message == (
        "up.json: the update failed (quota exceeded), so resources after the failure are "
        "missing: give a complete run, or a stack export"
    )


def test_json_lines_that_are_not_events() -> None:
    with pytest.raises(BadInputError) as info:
        parse_snapshot_text('{"a": 1}\n{"b": 2}\n', "x.json")
    assert info.value.message == "x.json: JSON lines, but not a Pulumi engine event stream"
    with pytest.raises(BadInputError) as info:
        parse_snapshot_text('{"sequence": 1, "cancelEvent": {}}\nUpdating (dev)\n', "x.json")
    assert info.value.message == ("x.json: not JSON lines (line 2, column 1: Expecting value)")


def test_preview_json_with_a_replace_step() -> None:
    snapshot = load_snapshot(DATA / "preview-replace.json")
    assert [r.urn for r in snapshot] == [
        R + "pulumi:pulumi:Stack::bascule-dev",
        R + "pulumi:providers:openstack::openstack",
        R + "openstack:networking/network:Network::research-net",
        R + "openstack:compute/instance:Instance::proj-001-vm-0",
    ]  # the deleted volume is gone
    instance = snapshot.resources[3]
    assert (instance.inputs["flavorName"], instance.inputs["region"]) == ("snc.8c32g", "GRA")
    assert snapshot.resources[1].inputs["password"] == SecretValue()
    assert violations(snapshot) == [
        (
            "PRT-003",
            R + "openstack:compute/instance:Instance::proj-001-vm-0",
            "boots from its image on the hypervisor's local disk (no blockDevices): the root "
            "disk is not an encrypted volume",
        ),
        (
            "PRT-009",
            R + "openstack:compute/instance:Instance::proj-001-vm-0",
            "a network without a port and no securityGroups: the instance gets the project's "
            "default security group (egress to any address)",
        ),
        (
            "PRT-021",
            R + "openstack:compute/instance:Instance::proj-001-vm-0",
            "imageName 'Debian 12': the image is chosen by name, not pinned by id",
        ),
        (
            "SOV-002",
            R + "openstack:compute/instance:Instance::proj-001-vm-0",
            "region 'GRA' is not in the allowed regions [eu-west-rbx-snc, eu-west-sbg-snc]",
        ),
        (
            "SOV-012",
            R + "pulumi:providers:openstack::openstack",
            "cannot verify the HDS certification: 1 resource with a health-data classification "
            "(proj-001-vm-0) is hosted on OVHcloud SNC Cloud Platform, whose HDS certification "
            "is unknown in the offer registry",
        ),
    ]


def test_preview_json_without_sames_or_failed_is_refused() -> None:
    doc = json.loads((DATA / "preview-replace.json").read_text())
    partial = {**doc, "steps": [s for s in doc["steps"] if s["op"] != "same"]}
    assert _err(partial) == (
        "snap.json: a preview --json without its 3 unchanged resources (pulumi lists them "
        "only with --show-sames): run `pulumi preview --json --show-sames` so that every "
        "resource is checked"
    )
    cut = {k: v for k, v in doc.items() if k != "changeSummary"}
    assert _err(cut) == (
        "snap.json: a preview --json without its changeSummary (the preview did not finish, "
        "or the file was cut): run the preview again"
    )
    failed = {
        "config": doc["config"],
        "diagnostics": [
            {"message": "warning: deprecated\n", "severity": "warning"},
            {"message": "error: Program failed with an unhandled exception:\n  KeyError: 'x'\n",
             "severity": "error"},
        ],
    }  # fmt: skip
    assert _err(failed) == (
        "snap.json: the preview failed (error: Program failed with an unhandled exception: "
        "KeyError: 'x'), so its steps may not list every resource: fix it and run the "
        "preview again"
    )


def test_preview_json_rebuilds_default_providers_from_its_config() -> None:
    doc = json.loads((DATA / "preview-replace.json").read_text())
    doc["config"]["openstack:authUrl"] = "https://keystone.example.com/v3"
    reference = R + "pulumi:providers:openstack::default_5_5_3::" + UNKNOWN
    for step in doc["steps"][2:]:
        step["provider"] = reference
        for key in ("oldState", "newState"):
            if key in step:
                step[key]["provider"] = reference
    snapshot = parse_snapshot(doc, "p.json")
    provider = snapshot.resources[0]
    assert (provider.urn, provider.id) == (R + "pulumi:providers:openstack::default_5_5_3", None)
    assert provider.inputs == {
        "authUrl": "https://keystone.example.com/v3",
        "region": "eu-west-sbg-snc",
        "version": "5.5.3",
    }


@pytest.mark.parametrize(
    ("document", "what"),
    [
        ({"format_version": "1.2", "planned_values": {}}, "a Terraform plan (terraform show "
         "-json), such as `bascule export --to tfplan` writes"),
        ({"$schema": "https://schema.management.azure.com/schemas/2019-04-01/"
          "deploymentTemplate.json#", "resources": []},
         "an ARM template, such as `bascule export --to arm` writes"),
        ([{"kind": "update", "startTime": 1, "resourceChanges": {}}],
         "a `pulumi stack history --json` list of updates (it holds no resource states)"),
        ({"violations": [], "summary": {}}, "a bascule report"),
    ],
)  # fmt: skip
def test_other_documents_are_named(document: Any, what: str) -> None:
    assert _err(document) == (
        f"snap.json: {what}, not a Pulumi stack export, state checkpoint, preview --json or "
        "engine event stream"
    )
