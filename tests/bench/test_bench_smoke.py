"""The benchmark runs end to end at its smallest size, so it cannot rot (no timing asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_smallest_size(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", "5", "--no-checkov",
         "-o", str(out)],
        capture_output=True, text=True, cwd=ROOT, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    results = json.loads(out.read_text())
    [row] = results["rows"]
    assert row["enclaves"] == 5
    # 5 fleet enclaves plus the standalone cnam-medeco, 8 + 3 resources... on each estate.
    assert row["resources"] > 200
    steps = ("synth", "policyGrpc", "policy", "parity", "checkGrpc", "checkCold", "checkWarm")
    for step in steps:
        assert row[step]["exit"] == 0, step
        assert row[step]["seconds"] > 0 and row[step]["peakMb"] > 0
        # The sum over the command's processes is never below its largest one.
        assert row[step]["allProcessesPeakMb"] >= row[step]["peakMb"], step
        # Only the warm run may reuse a synth: the others measure one.
        assert row[step]["synthReused"] == (step == "checkWarm"), step
    assert set(results["slopes"]) == set()  # one size: no slope
    assert results["machine"]["cpus"] >= 1
    assert result.stdout.startswith("    5 enclaves")


def test_bench_scaleway_stack_smallest_size(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--stack", "scaleway", "--sizes", "5",
         "--no-checkov", "-o", str(out)],
        capture_output=True, text=True, cwd=ROOT, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    results = json.loads(out.read_text())
    [row] = results["rows"]
    assert (results["stack"], row["stack"], row["enclaves"]) == ("scaleway", "scaleway", 5)
    assert row["resources"] > 200
    # The Scaleway target at parity (its accepted manual gaps scale with the fleets).
    assert (row["synth"]["exit"], row["parity"]["exit"]) == (0, 0)
    for step in ("policyGrpc", "policy", "checkGrpc", "checkCold", "checkWarm"):
        assert row[step]["exit"] in (0, 1), step  # findings, never bad input or a crash
