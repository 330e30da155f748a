"""`bascule parity` as architects and CI run it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import bascule

ROOT = Path(__file__).resolve().parents[3]
PAIR = ROOT / "tests" / "data" / "parity"
BASELINE, DRIFTED = str(PAIR / "baseline.json"), str(PAIR / "drifted.json")


def test_json_contract_and_exit_1_on_blocking_gaps() -> None:
    result = bascule("parity", BASELINE, DRIFTED, "--format", "json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    blocking = [(g["kind"], g["object"], g["fields"]) for g in report["gaps"] if g["blocking"]]
    assert blocking == [
        ("weaker", "dataset/snds-extract", {"versioning": {"source": True, "target": False}}),
        (
            "weaker",
            "enclave/proj-001",
            {
                "ingress": {
                    "source": ["gateway tcp/22"],
                    "target": ["gateway tcp/22", "gateway tcp/8080"],
                }
            },
        ),
        (
            "weaker",
            "enclave/proj-002",
            {"vcpu": {"source": 16, "target": 8}, "ramGb": {"source": 110, "target": 32}},
        ),
        ("missing", "enclave/proj-003", {}),
    ]
    assert report["summary"]["blocking"] == 4


def test_one_snapshot_compares_its_two_estates() -> None:
    result = bascule("parity", BASELINE, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["summary"]["blocking"] == 0


def test_html_and_markdown_files(tmp_path: Path) -> None:
    html = tmp_path / "parity.html"
    result = bascule("parity", BASELINE, DRIFTED, "--format", "html", "-o", str(html))
    assert result.returncode == 1
    assert result.stderr.startswith("parity: 16 objects: 1 missing, 3 weaker")
    assert html.read_text().lstrip().lower().startswith("<!doctype html>")
    markdown = bascule("parity", BASELINE, DRIFTED, "--format", "markdown")
    assert "enclave/proj-003" in markdown.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--tolerance", "colour=1"],
            "--tolerance 'colour=1': expected FIELD=VALUE with FIELD one of addresses, diskGb, "
            "gpu, instances, ramGb, replication, retentionDays, strengthBits, vcpu",
        ),
        (["--tolerance", "ramGb=lots"], "--tolerance 'ramGb=lots': 'lots' is not a number"),
    ],
)
def test_bad_tolerance_is_one_line_exit_2(args: list[str], message: str) -> None:
    result = bascule("parity", BASELINE, DRIFTED, *args)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"bascule: error: {message}"]


def test_missing_snapshot_is_one_line_exit_2() -> None:
    result = bascule("parity", BASELINE, "nope.json")
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("bascule: error: nope.json")


def test_a_snapshot_without_bascule_components_is_read_by_resource_type() -> None:
    small = str(ROOT / "tests" / "data" / "snapshots" / "preview-small.json")
    result = bascule("parity", small, "--format", "json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["reading"] == "resources"
    assert [(g["kind"], g["object"]) for g in report["gaps"]] == [
        ("extra", "network/hdh-dev-hub"),
        ("weaker", "dataset/snds-extract"),
    ]
    assert result.stderr.splitlines() == [
        "bascule: warning: parity: no zone in either estate",
        "bascule: warning: parity: no key in either estate",
        "bascule: warning: parity: no server in either estate",
    ]


def test_snapshot_without_estates_is_refused(tmp_path: Path) -> None:
    doc = json.loads(Path(BASELINE).read_text())
    doc["deployment"]["resources"] = [
        r for r in doc["deployment"]["resources"] if r["type"] == "pulumi:pulumi:Stack"
    ]
    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps(doc))
    result = bascule("parity", str(empty))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"bascule: error: {empty}: no source estate in it (no bascule:azure:Estate component "
        "and no azure-native resource)"
    ]
    result = bascule("drift", str(empty), BASELINE)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"bascule: error: {empty}: no source or target estate in it (no bascule:azure:Estate "
        "or bascule:target:Estate component and no azure-native or openstack or ovh or "
        "scaleway resource)"
    ]


FOREIGN = ROOT / "tests" / "data" / "parity" / "foreign"
AZURE, OPENSTACK = str(FOREIGN / "azure-estate.json"), str(FOREIGN / "openstack-estate.json")


def test_foreign_estates_with_a_pairing_file() -> None:
    pairing = str(FOREIGN / "pairing.yaml")
    result = bascule("parity", AZURE, OPENSTACK, "--pairing", pairing, "--format", "json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["summary"] == {"objects": 15, "missing": 1, "extra": 0, "weaker": 5,
                                 "stronger": 3, "accepted": 1, "blocking": 5}  # fmt: skip
    assert report["unpaired"] == {"source": ["dataset/snds-archive"], "target": []}
    assert result.stderr.splitlines() == [
        "bascule: warning: parity: not compared in the source estate: "
        "azure-native:resources:ResourceGroup (1)",
        "bascule: warning: parity: not compared in the target estate: "
        "openstack:networking/router:Router (1)",
    ]


def test_bad_pairing_file_is_one_line_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "pairing.yaml"
    bad.write_text("pairs:\n  vm-*: web\n")
    result = bascule("parity", AZURE, OPENSTACK, "--pairing", str(bad))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "bascule: error: pairing.yaml: pairs['vm-*']: matches 4 source objects (server/vm-bastion, "
        "server/vm-batch-01, server/vm-report-01, server/vm-web-01) for one target; use `*` in "
        "the target to pair each with its own"
    ]


@pytest.mark.parametrize(("fail_on", "code"), [(None, 1), ("weaker", 1), ("any", 1), ("never", 0)])
def test_drift_exit_codes(fail_on: str | None, code: int) -> None:
    later = str(FOREIGN / "azure-estate-later.json")
    options = ["--fail-on", fail_on] if fail_on else []
    result = bascule("drift", AZURE, later, "--format", "json", *options)
    assert result.returncode == code, result.stderr
    assert json.loads(result.stdout)["summary"]["blocking"] == 3


def test_drift_of_an_unchanged_export_is_0_even_on_any_change() -> None:
    result = bascule("drift", AZURE, AZURE, "--fail-on", "any")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == (
        "15 objects: 0 removed, 0 weakened, 0 added, 0 strengthened, 0 changed, 0 accepted; "
        "0 blocking"
    )


def test_missing_capability_is_reported_not_silent(tmp_path: Path) -> None:
    doc = json.loads(Path(BASELINE).read_text())
    doc["deployment"]["resources"] = [
        r
        for r in doc["deployment"]["resources"]
        if "bascule:azure:Enclave" not in r["urn"] and "bascule:target:Enclave" not in r["urn"]
    ]
    path = tmp_path / "no-enclaves.json"
    path.write_text(json.dumps(doc))
    result = bascule("parity", str(path))
    assert result.returncode == 0
    assert result.stderr.splitlines() == ["bascule: warning: parity: no enclave in either estate"]


def test_check_compares_an_export_without_components_by_type() -> None:
    small = str(ROOT / "tests" / "data" / "snapshots" / "export-small.json")
    result = bascule("check", small, "--in-process", "--format", "json")
    parity = json.loads(result.stdout)["parity"]
    assert parity["reading"] == "resources"
    assert [(g["kind"], g["object"]) for g in parity["gaps"]] == [("extra", "network/hdh-dev-hub")]
    assert parity["summary"]["objects"] == 2


@pytest.mark.parametrize("wave", ["-3", "0", "3"])
@pytest.mark.parametrize("command", ["parity", "check"])
def test_a_wave_the_stack_does_not_define_is_refused(command: str, wave: str) -> None:
    result = bascule(command, BASELINE, "--wave", wave)
    assert result.returncode == 2
    assert result.stdout == ""  # refused before any report
    assert result.stderr.splitlines() == [
        f"bascule: error: --wave {wave}: no such wave (known waves: 1, 2)"
    ]


def test_a_known_wave_is_accepted() -> None:
    result = bascule("parity", BASELINE, DRIFTED, "--wave", "1", "--format", "json")
    assert result.returncode == 1
    assert json.loads(result.stdout)["wave"] == 1


def test_a_declared_wave_without_objects_is_accepted() -> None:
    # dev declares wave 2 ("bulk") with nothing in it yet: a valid, empty selection.
    result = bascule("parity", BASELINE, "--wave", "2", "--format", "json")
    assert result.returncode == 0
    assert json.loads(result.stdout)["wave"] == 2
