"""checkov's own virtual environment: its pins (packaging<24) clash with pulumi's, so it
never shares bascule's. Created on first use, reused after (keyed by the requirement)."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

from bascule.errors import BasculeError

CHECKOV_REQUIREMENT = "checkov>=3.2,<4"
# What the first use costs, said on stderr then: measured with checkov 3.3.30 (du -sh).
FIRST_USE = "its own virtual environment, about 290 MB from the package index, made once"
DEFAULT_DIR = Path(__file__).resolve().parents[2] / ".venv-checkov"
ENV_DIR = "BASCULE_CHECKOV_VENV"  # override where the environment lives


def checkov_dir() -> Path:
    return Path(os.environ.get(ENV_DIR) or DEFAULT_DIR)


def checkov_command() -> list[str]:
    """The checkov executable, installing it into its environment first if needed."""
    directory = checkov_dir()
    binary = directory / ("Scripts" if os.name == "nt" else "bin") / "checkov"
    stamp = directory / ".bascule-requirement"
    if binary.exists() and stamp.exists() and stamp.read_text() == CHECKOV_REQUIREMENT:
        return [str(binary)]
    print(
        f"bascule: first use of checkov: installing {CHECKOV_REQUIREMENT} into {directory} "
        f"({FIRST_USE})",
        file=sys.stderr,
        flush=True,
    )
    if not (directory / "pyvenv.cfg").exists():
        venv.EnvBuilder(with_pip=True).create(directory)
    python = directory / ("Scripts" if os.name == "nt" else "bin") / "python"
    result = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", CHECKOV_REQUIREMENT],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise BasculeError(f"cannot install {CHECKOV_REQUIREMENT} into {directory}: {last}", 3)
    stamp.write_text(CHECKOV_REQUIREMENT)
    return [str(binary)]
