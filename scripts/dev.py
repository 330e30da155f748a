#!/usr/bin/env python3
"""One entry point for local runs and CI, needing only Python 3.11+.

    python3 scripts/dev.py check [STACK]   main job: synth both estates, policies, report
    python3 scripts/dev.py test [ARGS...]  whole test suite (extra args go to pytest)
    python3 scripts/dev.py lint            ruff (lint + format check) and mypy
    python3 scripts/dev.py -v COMMAND ...  the same, with pip's whole output when installing

It creates `.venv` (the same one Pulumi.yaml names) and installs into it the packages pinned
with hashes in requirements.lock, then the project, re-installing only when pyproject.toml or
the lock changes. Each install step prints one line; pip's own output is shown in full with
-v, or when a step fails. Refresh the lock after changing a dependency range:

    pip-compile --allow-unsafe --extra=dev --generate-hashes --no-emit-index-url \
        --no-emit-find-links --strip-extras -o requirements.lock pyproject.toml
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import time
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


def _say(text: str, end: str = "\n") -> None:
    print(f"dev.py: {text}", file=sys.stderr, end=end, flush=True)


def _pip(label: str, args: list[str], verbose: bool) -> None:
    """One pip step: one line, pip's output only with -v or when it fails."""
    _say(f"{label}...", end="\n" if verbose else "")
    command = [_bin("python"), "-m", "pip", "install", "--disable-pip-version-check", *args]
    started = time.monotonic()
    if verbose:
        code = subprocess.call(command, cwd=ROOT)
    else:
        with tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as log:
            code = subprocess.call(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
            if code:
                log.seek(0)
                sys.stderr.write("\n" + log.read())
    if code:
        sys.exit(f"dev.py: {label} failed (pip exit {code}; its output is above)")
    done = f" done in {time.monotonic() - started:.0f} s"
    print(f"dev.py: {label}:{done}" if verbose else done, file=sys.stderr, flush=True)


def ensure_venv(verbose: bool = False) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py itself must say why it stops
        sys.exit(f"dev.py: Python 3.11+ is required, this is {sys.version.split()[0]}")
    # The lock pins every package with its hashes; pyproject.toml only declares ranges.
    wanted = hashlib.sha256(
        (ROOT / "pyproject.toml").read_bytes() + (ROOT / LOCK).read_bytes()
    ).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not (VENV / "pyvenv.cfg").exists():
        _say("creating .venv")
        venv.EnvBuilder(with_pip=True).create(VENV)
    steps = (
        ("upgrading pip in .venv", ["--upgrade", "pip"]),
        (
            "installing the locked dependencies into .venv (hashes checked; a few minutes "
            "the first time)",
            ["--require-hashes", "--requirement", str(ROOT / LOCK)],
        ),
        ("installing bascule into .venv (editable)", ["--no-deps", "--editable", str(ROOT)]),
    )
    for label, args in steps:
        _pip(label, args, verbose)
    STAMP.write_text(wanted)


def main(argv: list[str]) -> int:
    verbose = bool(argv) and argv[0] in {"-v", "--verbose"}
    argv = argv[1:] if verbose else argv
    command, args = (argv[0], argv[1:]) if argv else ("help", [])
    if command not in {"check", "test", "lint"}:
        print(__doc__)
        return 0 if command in {"help", "-h", "--help"} else 2
    ensure_venv(verbose)
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
