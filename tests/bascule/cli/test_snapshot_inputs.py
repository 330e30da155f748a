"""Every input kind through the CLI: named by content, and refused in one line when it cannot
be read completely."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from cli_support import bascule

ROOT = Path(__file__).resolve().parents[3]
SNAPSHOTS = ROOT / "tests" / "data" / "snapshots"


def test_a_snapshot_without_json_suffix_is_read(tmp_path: Path) -> None:
    for name, copy in [("checkpoint-secrets.json", "dev"), ("events-up.jsonl", "up.log")]:
        shutil.copy(SNAPSHOTS / name, tmp_path / copy)
        result = bascule("inventory", str(tmp_path / copy), "--format", "json")
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["resources"] == {"dev": 4, "up.log": 7}[copy]


def test_a_partial_preview_is_refused_by_every_command(tmp_path: Path) -> None:
    doc = json.loads((SNAPSHOTS / "preview-replace.json").read_text())
    doc["steps"] = [s for s in doc["steps"] if s["op"] != "same"]
    path = tmp_path / "preview.out"
    path.write_text(json.dumps(doc))
    for command in ("inventory", "policy", "checkov", "parity"):
        result = bascule(command, str(path))
        assert result.returncode == 2, (command, result.stderr)
        assert result.stderr.splitlines() == [
            "bascule: error: preview.out: a preview --json without its 3 unchanged resources "
            "(pulumi lists them only with --show-sames): run `pulumi preview --json "
            "--show-sames` so that every resource is checked"
        ]
