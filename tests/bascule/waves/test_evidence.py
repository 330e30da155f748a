"""The transfer evidence a wave cites, accepted only on docs/transfer.md's terms: the file is
the one cited (and its .sha256), it passed, for this wave, and its plan.json is the one it
verified. Manifests are written here in the documented `bascule.transfer.manifest/v1` shape."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from bascule.waves.evidence import check_evidence

PLAN = b'{"schema": "bascule.transfer.plan/v1", "stack": "prod", "wave": 1}\n'


def _write(root: Path, **changes: Any) -> dict[str, str]:
    """PLANDIR=root/out/transfer/prod-wave1 with plan.json and verification/manifest.json."""
    plan_dir = root / "out" / "transfer" / "prod-wave1"
    (plan_dir / "verification").mkdir(parents=True)
    (plan_dir / "plan.json").write_bytes(PLAN)
    manifest = {
        "schema": "bascule.transfer.manifest/v1",
        "stack": "prod",
        "wave": 1,
        "plan": {"file": "plan.json", "sha256": hashlib.sha256(PLAN).hexdigest()},
        "verifiedAt": "2026-11-30T18:02:11Z",
        "result": "passed",
        "totals": {"datasets": 3, "objects": 40, "bytes": 123456, "failures": 0},
        "failures": [],
        "datasets": [],
        **changes,
    }
    body = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()
    digest = hashlib.sha256(body).hexdigest()
    path = plan_dir / "verification" / "manifest.json"
    path.write_bytes(body)
    path.with_name("manifest.json.sha256").write_text(f"{digest}  manifest.json\n")
    return {"manifest": "out/transfer/prod-wave1/verification/manifest.json", "sha256": digest}


def test_a_passed_manifest_for_the_wave_is_accepted(tmp_path: Path) -> None:
    citation = _write(tmp_path)
    evidence = check_evidence(citation, 1, tmp_path)
    assert evidence.accepted
    assert (evidence.manifest, evidence.sha256) == (citation["manifest"], citation["sha256"])


def test_a_changed_manifest_is_refused(tmp_path: Path) -> None:
    citation = _write(tmp_path)
    path = tmp_path / citation["manifest"]
    path.write_text(path.read_text().replace('"passed"', '"passed" '))
    assert check_evidence(citation, 1, tmp_path).problems == (
        "the manifest's SHA-256 is not the cited one: it changed",
    )


def test_failed_other_wave_and_changed_plan_each_named(tmp_path: Path) -> None:
    citation = _write(
        tmp_path, result="failed", wave=2, totals={"failures": 1}, schema="bascule.other/v9"
    )
    (tmp_path / "out" / "transfer" / "prod-wave1" / "plan.json").write_bytes(PLAN + b" ")
    assert check_evidence(citation, 1, tmp_path).problems == (
        "schema is 'bascule.other/v9', expected 'bascule.transfer.manifest/v1'",
        "result is 'failed' with 1 failure(s): the verification did not pass",
        "it verifies wave 2, not wave 1",
        "plan.json is not the plan it verified (SHA-256 differs)",
    )


def test_missing_sidecar_plan_and_manifest(tmp_path: Path) -> None:
    citation = _write(tmp_path)
    plan_dir = tmp_path / "out" / "transfer" / "prod-wave1"
    (plan_dir / "verification" / "manifest.json.sha256").unlink()
    (plan_dir / "plan.json").unlink()
    assert check_evidence(citation, 1, tmp_path).problems == (
        "manifest.json.sha256 is missing next to the manifest",
        f"its plan plan.json is not next to it (in {plan_dir})",
    )
    gone = {"manifest": "out/none.json", "sha256": "0" * 64}
    assert check_evidence(gone, 1, tmp_path).problems == ("manifest 'out/none.json' not found",)


def test_a_passed_result_with_failures_counted_is_refused(tmp_path: Path) -> None:
    citation = _write(tmp_path, totals={"datasets": 3, "objects": 40, "failures": 2})
    assert check_evidence(citation, 1, tmp_path).problems == (
        "result is 'passed' with 2 failure(s): the verification did not pass",
    )
