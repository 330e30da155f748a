"""checkov scans this repository itself: secrets in every file, the CI workflow
(github_actions) and any Dockerfile. The scan must find the workflow and report no failed
check; the known false positives (Pulumi's public signature constants, test values) are in
.checkov.baseline, which matches each by file and a hash of the value, so a new secret in
the same file is still reported."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from bascule.checkov.venv import checkov_command
from bascule.errors import BasculeError

ROOT = Path(__file__).resolve().parents[1]


# Local state that is not part of the repository (a clean clone has none of it). checkov reads
# these as regexes: unescaped, ".bascule" would also skip "/bascule/" and ".git" ".github".
# .ci/node: Azurite, installed by .ci/run for the transfer tests (node_modules, its lock).
NOT_IN_REPO = (r"\.venv", r"\.bascule", r"\.hypothesis", r"\.mypy_cache", r"\.ruff_cache",
               r"\.pytest_cache", r"\.egg-info",
               r"node_modules", r"package-lock\.json")  # fmt: skip
BASELINE = ROOT / ".checkov.baseline"


def checkov() -> list[str]:
    try:
        return checkov_command()
    except BasculeError as err:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"checkov unavailable: {err.message}")


def scan(directory: Path, *args: str) -> tuple[list[dict[str, Any]], int]:
    skips = [arg for path in NOT_IN_REPO for arg in ("--skip-path", path)]
    result = subprocess.run(
        [*checkov(), "-d", str(directory), *args, *skips, "--enable-secret-scan-all-files",
         "--skip-download", "--compact", "-o", "json"],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    reports = json.loads(result.stdout)
    return (reports if isinstance(reports, list) else [reports]), result.returncode


def failed_checks(reports: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return sorted(
        (f["check_id"], f["file_path"])
        for r in reports
        for f in r.get("results", {}).get("failed_checks", [])
    )


def test_secret_scan_finds_a_planted_key(tmp_path: Path) -> None:
    # The scans below passing means something only if the scanner works offline.
    key = "AKIA" + "IOSFODNN7EXAMPLE"  # split, or the repository scan would report this line
    (tmp_path / "settings.py").write_text(f'AWS_ACCESS_KEY_ID = "{key}"\n')
    reports, code = scan(tmp_path, "--framework", "secrets")
    assert failed_checks(reports) == [("CKV_SECRET_2", "/settings.py")]
    assert code == 1


def test_repository_secrets_are_exactly_the_baselined_false_positives() -> None:
    # Pulumi's public signature constants, a test ciphertext, a Terraform type name, a
    # credential planted on purpose (the config must refuse it) and the mock Secret Manager id
    # (`fr-par/<uuid>`) of MIG-013's Scaleway fixtures: nothing else, none stale.
    reports, _ = scan(ROOT, "--framework", "secrets")
    baseline = json.loads(BASELINE.read_text())["failed_checks"]
    assert failed_checks(reports) == sorted(
        (check, entry["file"])
        for entry in baseline
        for finding in entry["findings"]
        for check in finding["check_ids"]
    )


def test_repository_scan_with_the_baseline_passes() -> None:
    reports, code = scan(ROOT, "--framework", "secrets", "--baseline", str(BASELINE))
    assert failed_checks(reports) == []
    assert code == 0


def test_checkov_passes_on_the_workflow() -> None:
    reports, code = scan(ROOT, "--framework", "github_actions", "dockerfile")
    summaries = {r["check_type"]: r["summary"] for r in reports if "check_type" in r}
    assert summaries["github_actions"]["passed"] > 0, "the workflow was not scanned"
    assert failed_checks(reports) == []
    assert code == 0
