"""`bascule policy` and the policy stage of `bascule check`, as CI runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from cli_support import bascule

from bascule.rules.catalog import ALL_RULES

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data"
# A sovereignty sample of its own (the rule fixtures grow with the rules).
FAIL = DATA / "cli" / "sovereignty-fail.json"
PASS = DATA / "cli" / "sovereignty-pass.json"
SOV_001 = "sov-001-azure-location-allowed"
RAW_ACCOUNT = (
    "urn:pulumi:dev::bascule::bascule:azure:Estate$azure-native:storage:StorageAccount::sthdhraw01"
)
AZURE_PROVIDER = "urn:pulumi:dev::bascule::pulumi:providers:azure-native::source"


def test_json_contract_and_exit_1_on_mandatory() -> None:
    result = bascule("policy", str(FAIL), "--pack", "sovereignty", "--format", "json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert [
        {k: v[k] for k in ("policy", "urn", "level", "message")} for v in report["violations"]
    ] == [
        {
            "policy": SOV_001,
            "urn": RAW_ACCOUNT,
            "level": "mandatory",
            "message": "location 'eastus' is not in the allowed locations "
            "[francecentral, francesouth]",
        },
        {
            "policy": SOV_001,
            "urn": AZURE_PROVIDER,
            "level": "mandatory",
            "message": "provider location 'westeurope' is not in the allowed locations "
            "[francecentral, francesouth]",
        },
    ]
    assert report["summary"]["mandatory"] == 2


def test_passing_snapshot_exits_0() -> None:
    result = bascule("policy", str(PASS), "--pack", "sovereignty", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["violations"] == []


def test_policy_config_downgrades_to_advisory(tmp_path: Path) -> None:
    config = tmp_path / "policy.json"
    config.write_text(json.dumps({SOV_001: "advisory"}))
    result = bascule(
        "policy", str(FAIL), "--pack", "sovereignty", "--policy-config", str(config), "-o", "-"
    )
    assert result.returncode == 0, result.stderr
    assert "0 mandatory, 2 advisory, 0 suppressed on 6 resources" in result.stdout


def test_suppression_is_listed_in_the_text_report(tmp_path: Path) -> None:
    config = tmp_path / "policy.json"
    suppression = {
        "urn": RAW_ACCOUNT,
        "reason": "replica, deleted in wave 2",
        "expires": "2027-01-31",
    }
    config.write_text(json.dumps({SOV_001: {"suppressions": [suppression]}}))
    result = bascule(
        "policy", str(FAIL), "--pack", "sovereignty", "--policy-config", str(config),
        "--today", "2026-11-24",
    )  # fmt: skip
    assert result.returncode == 1  # the provider's violation is not suppressed
    assert (
        f"  - [active] {SOV_001} {RAW_ACCOUNT} until 2027-01-31: replica, deleted in wave 2"
        in result.stdout.splitlines()
    )
    assert "1 mandatory, 0 advisory, 1 suppressed on 6 resources" in result.stdout


def test_sarif_file_validates(tmp_path: Path) -> None:
    out = tmp_path / "bascule.sarif"
    result = bascule("policy", str(FAIL), "--format", "sarif", "-o", str(out))
    assert result.returncode == 1
    assert result.stderr.startswith("policy: ")
    assert result.stderr.rstrip().endswith(f"report written to {out}")
    sarif = json.loads(out.read_text())
    schema = json.loads((DATA / "sarif-2.1.0-rtm.5.json").read_text())
    jsonschema.validate(sarif, schema)
    results = sarif["runs"][0]["results"]
    assert {r["ruleId"] for r in results} >= {"SOV-001"}
    locations = {
        json.dumps(r["locations"][0]["physicalLocation"]["artifactLocation"]) for r in results
    }
    assert locations == {
        '{"uri": "tests/data/cli/sovereignty-fail.json", "uriBaseId": "PROJECTROOT"}'
    }
    assert str(ROOT) not in out.read_text()  # no absolute path of this machine


def test_sarif_of_a_stack_points_at_its_settings_file_in_its_project() -> None:
    mini = "tests/data/programs/mini"
    result = subprocess.run(
        [sys.executable, "-m", "bascule", "policy", f"{mini}/Pulumi.dev.yaml", "--format", "sarif"],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
        env={**os.environ, "PULUMI_CONFIG_PASSPHRASE": "bascule-test-passphrase"},
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    run = json.loads(result.stdout)["runs"][0]
    locations = {
        json.dumps(r["locations"][0]["physicalLocation"]["artifactLocation"])
        for r in run["results"]
    }
    assert locations == {'{"uri": "Pulumi.dev.yaml", "uriBaseId": "PROJECTROOT"}'}
    assert run["originalUriBaseIds"]["PROJECTROOT"] == {"uri": f"{mini}/", "uriBaseId": "%SRCROOT%"}
    assert str(ROOT) not in result.stdout


def test_junit_and_matrix(tmp_path: Path) -> None:
    junit = bascule("policy", str(FAIL), "--pack", "sovereignty", "--format", "junit")
    assert junit.returncode == 1
    root = ET.fromstring(junit.stdout)
    assert int(root.get("failures", "-1")) == 2
    matrix = bascule("policy", str(FAIL), "--pack", "sovereignty", "--format", "matrix")
    assert matrix.returncode == 1
    assert (
        "| 19.2 | Data location | SOV-001, SOV-002, SOV-003, SOV-010, SOV-011, SOV-012 "
        "| 4 | 2 | 0 | FAIL |" in matrix.stdout.splitlines()
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--policy-config", "missing.json"], "missing.json: policy config file not found"),
        (["--pack", "nope"], f"unknown policy pack 'nope': no directory {ROOT}/policies/nope"),
        (["--today", "24/11/2026"], None),
    ],
)
def test_bad_input_is_one_line_exit_2(args: list[str], message: str | None) -> None:
    result = bascule("policy", str(FAIL), *args)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    if message is None:  # argparse's own usage error
        assert lines[-1].endswith("not a YYYY-MM-DD date: '24/11/2026'")
    else:
        assert lines == [f"bascule: error: {message}"]


def test_bad_json_policy_config(tmp_path: Path) -> None:
    config = tmp_path / "policy.json"
    config.write_text("{\n")
    result = bascule("policy", str(FAIL), "--policy-config", str(config))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"bascule: error: {config}: invalid JSON at line 2 column 1: "
        "Expecting property name enclosed in double quotes"
    ]


def test_check_dev_runs_every_pack_and_parity_with_zero_findings() -> None:
    result = bascule("check", "dev", "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    # One advisory, by design: dev's target is plain OpenStack, whose Swift has no object
    # lock, so its audit trail is versioned, not write-once (PRT-018).
    assert [(v["rule"], v["level"]) for v in report["policy"]["violations"]] == [
        ("PRT-018", "advisory")
    ]
    assert report["policy"]["summary"] == {
        "mandatory": 0,
        "advisory": 1,
        # SOV-012 and PRT-008 (the VPN gateway and its address), by dev's recorded
        # derogations (policies/config/dev.json)
        "suppressed": 3,
        "resources": report["summary"]["resources"],
        "policies": len(ALL_RULES),
    }
    assert [(s["policy"], s["status"]) for s in report["policy"]["suppressions"]] == [
        ("prt-008-no-public-ip-on-enclaves", "active"),
        ("prt-008-no-public-ip-on-enclaves", "active"),
        ("sov-012-health-data-on-hds-offer", "active"),
    ]
    assert report["parity"]["summary"]["blocking"] == 0
    # 4 zones, 3 datasets, 3 keys, 3 enclaves, the gateway, the audit trail, the interconnect.
    assert report["parity"]["summary"]["objects"] == 16


def test_the_default_path_and_the_grpc_path_give_the_same_report() -> None:
    default = bascule("policy", str(FAIL), "--format", "json")
    over_grpc = bascule("policy", str(FAIL), "--format", "json", "--grpc")
    in_process = bascule("policy", str(FAIL), "--format", "json", "--in-process")
    assert (default.returncode, default.stdout) == (over_grpc.returncode, over_grpc.stdout)
    assert (in_process.returncode, in_process.stdout) == (default.returncode, default.stdout)
    assert json.loads(default.stdout)["summary"]["mandatory"] == 9


def test_the_bundled_packs_run_in_process_unless_asked_otherwise(tmp_path: Path) -> None:
    from bascule.cli.policy import runs_in_process

    fork = tmp_path / "policies" / "sovereignty"  # a copy elsewhere is someone else's code
    fork.mkdir(parents=True)
    sample = str(ROOT / "tests" / "data" / "packs" / "sample")
    assert runs_in_process(()) is True
    assert runs_in_process(["sovereignty", str(ROOT / "policies" / "protection")]) is True
    assert runs_in_process(["sovereignty", sample]) is False
    assert runs_in_process([str(fork)]) is False
    assert runs_in_process((), grpc=True) is False
    assert runs_in_process([sample], in_process=True) is True  # refused by the session


def test_grpc_and_in_process_together_is_a_usage_error() -> None:
    result = bascule("policy", str(FAIL), "--grpc", "--in-process")
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        "bascule policy: error: argument --in-process: not allowed with argument --grpc"
    )


def test_in_process_runs_a_foreign_pack_as_the_grpc_path() -> None:
    pack = str(ROOT / "tests" / "data" / "packs" / "sample")
    over_grpc = bascule("policy", str(FAIL), "--pack", pack, "--format", "json")
    in_process = bascule("policy", str(FAIL), "--pack", pack, "--format", "json", "--in-process")
    assert (in_process.returncode, in_process.stdout) == (over_grpc.returncode, over_grpc.stdout)
    assert json.loads(in_process.stdout)["summary"]["mandatory"] == 2


def test_in_process_says_why_it_cannot_load_a_pack(tmp_path: Path) -> None:
    pack = tmp_path / "needs-boto"
    pack.mkdir()
    (pack / "PulumiPolicy.yaml").write_text("runtime: python\n")
    (pack / "requirements.txt").write_text("pulumi-policy>=1.21\nboto3>=1.30\n")
    (pack / "__main__.py").write_text("import boto3\n")
    result = bascule("policy", str(FAIL), "--pack", str(pack), "--in-process")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "bascule: error: --in-process cannot run policy pack needs-boto: its requirements.txt "
        "needs boto3>=1.30 (not installed) in bascule's environment; drop --in-process to run "
        "it in its own virtualenv, as the engine does"
    ]


def _one_resource_export(tmp_path: Path, type_: str) -> Path:
    resource = {"urn": f"urn:pulumi:dev::p::{type_}::r", "type": type_, "custom": True, "id": "r"}
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"version": 3, "deployment": {"resources": [resource]}}))
    return path


def test_nothing_checkable_is_reported(tmp_path: Path) -> None:
    path = _one_resource_export(tmp_path, "random:index/randomString:RandomString")
    result = bascule("policy", str(path), "--in-process")
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        f"bascule: warning: {path}: no resource of a package the rules read (azure, "
        "azure-native, azuread, kubernetes, openstack, outscale, ovh, scaleway): the rules had "
        "nothing to check"
    ]


def test_a_scaleway_only_export_is_checked_without_warning(tmp_path: Path) -> None:
    # The packages come from the rules: a target exported alone from Scaleway is read.
    path = _one_resource_export(tmp_path, "scaleway:object/bucket:Bucket")
    result = bascule("policy", str(path), "--in-process", "--format", "json")
    assert "nothing to check" not in result.stderr
    assert result.returncode == 1  # a bucket with no encryption, versioning, lock...


def test_rules_with_nothing_to_check_are_named_not_passed() -> None:
    # An Azure-only snapshot: the target-estate rules saw nothing, which is not a pass.
    text = bascule("policy", str(FAIL), "--pack", "sovereignty").stdout.splitlines()
    start = text.index(
        "Nothing to check (not a pass: no resource of the kinds these rules examine):"
    )
    providers = "pulumi:providers:openstack or pulumi:providers:ovh"
    every = f"{providers} or pulumi:providers:scaleway or pulumi:providers:outscale"
    assert text[start + 1 : start + 7] == [
        "  - SOV-002 sov-002-target-region-allowed: no openstack or ovh or scaleway",
        f"  - SOV-003 sov-003-target-endpoint-approved: no {providers} or "
        "pulumi:providers:scaleway",
        f"  - SOV-010 sov-010-target-offer-qualified: no {every}",
        f"  - SOV-011 sov-011-target-offer-visa-current: no {every}",
        "  - SOV-012 sov-012-health-data-on-hds-offer: no openstack or ovh or scaleway or outscale",
        "",
    ]
    assert text[-1] == (
        "2 mandatory, 0 advisory, 0 suppressed on 6 resources; 5 rules had nothing to check"
    )
    doc = json.loads(
        bascule("policy", str(FAIL), "--pack", "sovereignty", "--format", "json").stdout
    )
    kinds = ["pulumi:providers:openstack", "pulumi:providers:ovh"]
    kinds_all = [*kinds, "pulumi:providers:scaleway", "pulumi:providers:outscale"]
    assert [(e["rule"], e["kinds"]) for e in doc["nothingToCheck"]] == [
        ("SOV-002", ["openstack", "ovh", "scaleway"]),
        ("SOV-003", [*kinds, "pulumi:providers:scaleway"]),
        ("SOV-010", kinds_all),
        ("SOV-011", kinds_all),
        ("SOV-012", ["openstack", "ovh", "scaleway", "outscale"]),
    ]
    volumes = DATA / "cli" / "volumes.json"  # only target volumes and a network
    matrix = bascule("policy", str(volumes), "--format", "matrix").stdout.splitlines()
    assert (
        "| 10.1 | Encryption of stored data | PRT-002, PRT-003, PRT-015, PRT-022, PRT-023, "
        "PRT-026 | 2 | 2 | 0 | FAIL |" in (matrix)
    )
    assert "| 9.6 | Access to administration interfaces | PRT-009 | 0 | 0 | 0 | NO RESOURCE |" in (
        matrix
    )
    # issue 20's rules are in the matrix rows they serve, with nothing to check here
    assert (
        "| 9.3 | Access rights management | MIG-014, MIG-015, MIG-020 | 0 | 0 | 0 | NO RESOURCE |"
        in (matrix)
    )


def _watcher_export(tmp_path: Path) -> Path:
    """An Azure export: a storage account (read by many rules), network watchers (by none)."""
    prefix = "urn:pulumi:dev::bascule::"
    provider = prefix + "pulumi:providers:azure-native::default_3_29_0"
    sub = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/"
    watcher: dict[str, object] = {
        "location": "francecentral",
        "id": sub + "Microsoft.Network/networkWatchers/w",
    }

    def resource(type_: str, name: str, props: dict[str, object]) -> dict[str, object]:
        return {
            "urn": f"{prefix}{type_}::{name}",
            "type": type_,
            "custom": True,
            "id": name,
            "provider": f"{provider}::7e3c1b2a-0d4f-4e5a-9b8c-6f1e2d3c4b5a",
            "inputs": props,
            "outputs": props,
        }

    doc = {
        "version": 3,
        "deployment": {
            "resources": [
                {
                    "urn": provider,
                    "type": "pulumi:providers:azure-native",
                    "custom": True,
                    "id": "7e3c1b2a-0d4f-4e5a-9b8c-6f1e2d3c4b5a",
                },
                resource(
                    "azure-native:storage:StorageAccount", "acct", {"location": "francecentral"}
                ),
                resource("azure-native:network:NetworkWatcher", "w1", watcher),
                resource("azure-native:network:NetworkWatcher", "w2", watcher),
            ]
        },
    }
    path = tmp_path / "watchers.json"
    path.write_text(json.dumps(doc))
    return path


def test_kinds_no_rule_reads_are_listed_not_passed(tmp_path: Path) -> None:
    path = _watcher_export(tmp_path)
    doc = json.loads(bascule("policy", str(path), "--in-process", "--format", "json").stdout)
    urn = "urn:pulumi:dev::bascule::azure-native:network:NetworkWatcher::"
    assert doc["notRead"] == [
        {"type": "azure-native:network:NetworkWatcher", "urns": [urn + "w1", urn + "w2"]}
    ]
    text = bascule("policy", str(path), "--in-process").stdout
    assert (
        "Kinds no rule reads (not a pass: only the package-wide rules, location and tags, and "
        "the all-kinds ones saw them):\n"
        "  - azure-native:network:NetworkWatcher: 2 resources\n\n"
    ) in text


def test_a_disabled_rule_reads_nothing(tmp_path: Path) -> None:
    # Every rule off but SOV-001 (package-wide): the storage account's kind is named by none.
    config = tmp_path / "config.json"
    config.write_text(
        json.dumps({"all": "disabled", "sov-001-azure-location-allowed": "mandatory"})
    )
    path = _watcher_export(tmp_path)
    result = bascule(
        "policy", str(path), "--in-process", "--format", "json", "--policy-config", str(config)
    )
    kinds = [entry["type"] for entry in json.loads(result.stdout)["notRead"]]
    assert kinds == ["azure-native:network:NetworkWatcher", "azure-native:storage:StorageAccount"]
