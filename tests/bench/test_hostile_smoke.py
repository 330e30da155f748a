"""The hostile-files benchmark runs end to end at a small size (no timing asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_hostile_files_small(tmp_path: Path) -> None:
    out = tmp_path / "hostile.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "hostile.py"), "--mb", "2", "--stack", "dev",
         "-o", str(out)],
        capture_output=True, text=True, cwd=ROOT, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    rows = {row["file"]: row for row in json.loads(out.read_text())}
    assert list(rows) == [
        "2 MB of resources", "one 2 MB string", "nested 100,000 deep", "not UTF-8",
        "over a 1 MB limit",
    ]  # fmt: skip
    assert rows["2 MB of resources"]["megabytes"] >= 1
    assert rows["2 MB of resources"]["inventory"]["exit"] == 0
    assert rows["2 MB of resources"]["policy"]["exit"] in (0, 1)
    for refused, message in [
        ("nested 100,000 deep", "file.json: JSON nested too deeply to be a snapshot"),
        ("not UTF-8", "file.json: not JSON (not UTF-8 text)"),
        ("over a 1 MB limit", "exceeds the snapshot size limit of 1.0 MB"),
    ]:
        for step in ("inventory", "policy"):
            assert rows[refused][step]["exit"] == 2
            assert message in rows[refused][step]["error"]
