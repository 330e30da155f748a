"""`bascule transfer` on the command line: help, and the plan's files on dev."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("step", [[], ["plan"], ["run"], ["verify"]])
def test_help(step: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bascule", "transfer", *step, "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: bascule transfer")


def test_plan_of_dev_writes_the_plan_and_one_config_per_job(
    dev_snapshot_file: Path, tmp_path: Path
) -> None:
    from bascule.transfer.rehearse import cli

    code, out, err = cli(
        "transfer", "plan", str(dev_snapshot_file), "--wave", "1", "-o", str(tmp_path)
    )
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "plan.json",
        "rclone-datasets.conf",
        "rclone-pseudonymisation-keys.conf",
    ]
    assert json.loads((tmp_path / "plan.json").read_text())["schema"] == "bascule.transfer.plan/v1"
    assert out.splitlines()[:2] == [
        "Transfer plan: stack dev, wave 1, 3 datasets in 2 jobs",
        "Transport: source tls, target tls",
    ]
    assert "    BASCULE_TRANSFER_W1_PSEUDO_KEYS_OS_APP_CRED_SECRET: application credential" in (
        out.splitlines()
    )
