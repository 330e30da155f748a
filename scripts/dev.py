#!/usr/bin/env python3
"""One entry point for local runs and CI, needing only Python 3.11+.

    python3 scripts/dev.py check [STACK]   main job: synth both estates, policies, report
    python3 scripts/dev.py test [ARGS...]  whole test suite (extra args go to pytest)
    python3 scripts/dev.py lint            ruff (lint + format check) and mypy

It creates `.venv` (the same one Pulumi.yaml names) and installs into it the packages pinned
with hashes in requirements.lock, then the project, re-installing only when pyproject.toml or
the lock changes. Refresh the lock after changing a dependency range:

    pip-compile --allow-unsafe --extra=dev --generate-hashes --no-emit-index-url \
        --no-emit-find-links --strip-extras -o requirements.lock pyproject.toml
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / ".bascule-installed"
LOCK = "requirements.lock"


def _bin(name: str) -> str:
    return str(VENV / ("Scripts" if os.name == "nt" else "bin") / name)


def _run(*cmd: str) -> int:
    return subprocess.call(cmd, cwd=ROOT)


def ensure_venv() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py itself must say why it stops
        sys.exit(f"dev.py: Python 3.11+ is required, this is {sys.version.split()[0]}")
    # The lock pins every package with its hashes; pyproject.toml only declares ranges.
    wanted = hashlib.sha256(
        (ROOT / "pyproject.toml").read_bytes() + (ROOT / LOCK).read_bytes()
    ).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not (VENV / "pyvenv.cfg").exists():
        print("dev.py: creating .venv", file=sys.stderr)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("dev.py: installing bascule and its locked dependencies into .venv", file=sys.stderr)
    quiet = ["--quiet"] if os.environ.get("CI") else []
    steps = (
        ["--upgrade", "pip"],
        ["--require-hashes", "--requirement", str(ROOT / LOCK)],
        ["--no-deps", "--editable", str(ROOT)],
    )
    for args in steps:
        code = _run(_bin("python"), "-m", "pip", "install", *quiet, *args)
        if code:
            sys.exit(f"dev.py: pip install {' '.join(args)} failed (exit {code})")
    STAMP.write_text(wanted)


def main(argv: list[str]) -> int:
    command, args = (argv[0], argv[1:]) if argv else ("help", [])
    if command not in {"check", "test", "lint"}:
        print(__doc__)
        return 0 if command in {"help", "-h", "--help"} else 2
    ensure_venv()
    if command == "check":
        return _run(_bin("bascule"), "check", *(args or ["dev"]))
    if command == "test":
        return _run(_bin("python"), "-m", "pytest", *args)
    return (
        _run(_bin("ruff"), "check", ".")
        or _run(_bin("ruff"), "format", "--check", ".")
        or _run(_bin("mypy"))
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
