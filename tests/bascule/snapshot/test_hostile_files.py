"""Hostile snapshot files: bounded, refused in one line with exit 2, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def inventory(path: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bascule", "inventory", str(path)],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, **(env or {})}, timeout=120,
    )  # fmt: skip


def deep_values(depth: int) -> str:
    nested = "[" * depth + "]" * depth
    resource = (
        '{"urn": "urn:pulumi:s::p::t:m:R::r", "type": "t:m:R", "custom": true, '
        f'"inputs": {{"x": {nested}}}}}'
    )
    return f'{{"version": 3, "deployment": {{"resources": [{resource}]}}}}'


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'\xff\xfe{"version": 3}', "not JSON (not UTF-8 text)"),
        (("[" * 200_000 + "]" * 200_000).encode(), "JSON nested too deeply to be a snapshot"),
        (deep_values(900).encode(), "values nested too deeply to be a snapshot"),
    ],
    ids=["non-utf8", "deep-json", "deep-values"],
)
def test_refused_in_one_line(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "hostile.json"
    path.write_bytes(content)
    result = inventory(path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"bascule: error: hostile.json: {message}"]


def test_size_limit_is_configurable(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    padding = "x" * (300 * 1024)
    path.write_text(json.dumps({"version": 3, "deployment": {"resources": [], "pad": padding}}))
    result = inventory(path, {"BASCULE_MAX_SNAPSHOT_MB": "0.1"})
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "bascule: error: big.json: 0.3 MB exceeds the snapshot size limit of 0.1 MB "
        "(set BASCULE_MAX_SNAPSHOT_MB to raise it)"
    ]
    assert inventory(path).returncode == 0  # under the default limit it loads
