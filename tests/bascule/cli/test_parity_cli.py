"""`bascule parity` as architects and CI run it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PAIR = ROOT / "tests" / "data" / "parity"
BASELINE, DRIFTED = str(PAIR / "baseline.json"), str(PAIR / "drifted.json")


def bascule(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bascule", *args], capture_output=True, text=True, cwd=ROOT,
        timeout=300,
    )  # fmt: skip


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


def test_snapshot_without_estates_is_refused() -> None:
    small = str(ROOT / "tests" / "data" / "snapshots" / "preview-small.json")
    result = bascule("parity", small)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"bascule: error: {small}: no source estate (bascule:azure:Estate) in it"
    ]


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


@pytest.mark.parametrize("wave", ["-3", "0", "2"])
@pytest.mark.parametrize("command", ["parity", "check"])
def test_a_wave_no_object_belongs_to_is_refused(command: str, wave: str) -> None:
    result = bascule(command, BASELINE, "--wave", wave)
    assert result.returncode == 2
    assert result.stdout == ""  # refused before any report
    assert result.stderr.splitlines() == [
        f"bascule: error: --wave {wave}: no such wave (known waves: 1)"
    ]


def test_a_known_wave_is_accepted() -> None:
    result = bascule("parity", BASELINE, DRIFTED, "--wave", "1", "--format", "json")
    assert result.returncode == 1
    assert json.loads(result.stdout)["wave"] == 1
