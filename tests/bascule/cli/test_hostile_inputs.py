"""Hostile config files, YAML and JSON alike: refused in one line with exit 2, bounded in
time and memory, never a traceback (and never exit 1, which would read as findings)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SNAPSHOT = ROOT / "tests" / "data" / "rules" / "SOV-001" / "fail.json"
PROGRAM = ("Pulumi.yaml", "__main__.py", "components")


def bascule(*args: str, cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bascule", *args], capture_output=True, text=True, cwd=cwd,
        env={**os.environ, **env}, timeout=60,
    )  # fmt: skip


LAUGHS = (
    "config:\n  bascule:platform: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    + "".join(
        f"  bascule:k{i}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
    )
)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            LAUGHS.encode(),
            "not a stack file: its YAML aliases expand to more than 1,000,000 values",
        ),
        (
            b"config:\n  bascule:platform: &a [*a]\n",
            "not a stack file: a YAML alias refers to itself",
        ),
        (
            b"config:\n  bascule:platform: " + b"[" * 5000 + b"]" * 5000,
            "not a stack file: YAML nested too deeply",
        ),
        (
            b"config:\n  bascule:platform: !!python/object/apply:os.system [touch pwned]\n",
            "not YAML (line 2, column 21): could not determine a constructor for the tag "
            "'tag:yaml.org,2002:python/object/apply:os.system'",
        ),
        (b"config:\n  bascule:platform: \xff\n", "not YAML (not UTF-8 text)"),
    ],
    ids=["billion-laughs", "recursive-alias", "deep", "python-tag", "non-utf8"],
)
def test_hostile_stack_files(tmp_path: Path, content: bytes, message: str) -> None:
    for name in PROGRAM:
        (tmp_path / name).symlink_to(ROOT / name)
    (tmp_path / "Pulumi.evil.yaml").write_bytes(content)
    result = bascule("synth", "evil", "--no-cache", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"bascule: error: Pulumi.evil.yaml: {message}"]
    assert not (tmp_path / "pwned").exists()  # YAML is only ever loaded safely


@pytest.mark.parametrize(
    ("option", "what"),
    [("--policy-config", "policy config"), ("--checkov-config", "checkov config")],
)
@pytest.mark.parametrize(
    ("content", "problem"),
    [(b"\xff\xfe{}", "is not UTF-8 text"), (b"[" * 100_000 + b"]" * 100_000, "nested too deeply")],
    ids=["non-utf8", "deep"],
)
def test_hostile_json_configs(
    tmp_path: Path, option: str, what: str, content: bytes, problem: str
) -> None:
    config = tmp_path / "config.json"
    config.write_bytes(content)
    command = "policy" if option == "--policy-config" else "checkov"
    result = bascule(command, str(SNAPSHOT), option, str(config), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"bascule: error: {config}: {what} {problem}"]


def test_an_unexpected_failure_is_exit_3_in_one_line(tmp_path: Path) -> None:
    # A bug must never exit 1 (findings) with a traceback: exit 3 and one line.
    crash = tmp_path / "sitecustomize.py"
    crash.write_text(
        "import bascule.report.summary as s\n"
        "def boom(*a, **k):\n    raise KeyError('planted bug')\n"
        "s.summarize = boom\n"
    )
    result = bascule("inventory", str(SNAPSHOT), PYTHONPATH=str(tmp_path))
    assert result.returncode == 3
    assert result.stderr.splitlines() == [
        "bascule: error: internal error: KeyError: 'planted bug' "
        "(BASCULE_DEBUG=1 for the traceback)"
    ]
    debug = bascule("inventory", str(SNAPSHOT), PYTHONPATH=str(tmp_path), BASCULE_DEBUG="1")
    assert debug.returncode == 3 and "Traceback" in debug.stderr
