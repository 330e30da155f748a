"""`bascule ARGS` as a user runs it: a fresh `python -m bascule`, from the repository root."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def bascule(*args: str, env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The finished process (exit code, stdout, stderr); `env` is added to this environment."""
    return subprocess.run(
        [sys.executable, "-m", "bascule", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=300,
    )
