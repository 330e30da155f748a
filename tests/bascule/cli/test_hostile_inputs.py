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
        (
            b"config:\n  bascule:platform: hdh\n  bascule:zones: []\n  bascule:platform: evil\n",
            "line 4: duplicate key 'bascule:platform' (already at line 2)",
        ),
        (
            b"config:\n  bascule:gateway:\n    port: 443\n    zone: gateway\n    port: 22\n",
            "line 5: duplicate key 'port' (already at line 3)",
        ),
        (
            b"config:\n  bascule:platform: hdh\nconfig:\n  bascule:platform: evil\n",
            "line 3: duplicate key 'config' (already at line 1)",
        ),
    ],
    ids=[
        "billion-laughs",
        "recursive-alias",
        "deep",
        "python-tag",
        "non-utf8",
        "duplicate-key",
        "duplicate-nested-key",
        "duplicate-section",
    ],
)
def test_hostile_stack_files(tmp_path: Path, content: bytes, message: str) -> None:
    for name in PROGRAM:
        (tmp_path / name).symlink_to(ROOT / name)
    (tmp_path / "Pulumi.evil.yaml").write_bytes(content)
    result = bascule("synth", "evil", "--no-cache", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"bascule: error: Pulumi.evil.yaml: {message}"]
    assert not (tmp_path / "pwned").exists()  # YAML is only ever loaded safely


def test_a_duplicate_key_in_the_project_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: bascule\nruntime: python\nname: other\n")
    (tmp_path / "Pulumi.dev.yaml").write_text("config: {}\n")
    result = bascule("synth", "dev", "--no-cache", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "bascule: error: Pulumi.yaml: line 3: duplicate key 'name' (already at line 1)"
    ]


def test_merge_keys_may_repeat_what_they_merge() -> None:
    from bascule.synth.config import parse_yaml

    text = "base: &b {port: 443, zone: gateway}\ngateway:\n  <<: *b\n  port: 8443\n"
    assert parse_yaml(text, "Pulumi.dev.yaml")["gateway"] == {"port": 8443, "zone": "gateway"}


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
