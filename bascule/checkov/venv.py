"""checkov's own virtual environment: its pins (packaging<24) clash with pulumi's, so it
never shares bascule's. Created on first use, reused after (keyed by the requirement)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import venv
from collections.abc import Iterator
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
    if _installed(directory, binary):
        return [str(binary)]
    with _install_lock(directory):
        if not _installed(directory, binary):  # another process may have made it meanwhile
            _install(directory)
    return [str(binary)]


def _installed(directory: Path, binary: Path) -> bool:
    stamp = directory / ".bascule-requirement"
    return binary.exists() and stamp.exists() and stamp.read_text() == CHECKOV_REQUIREMENT


@contextlib.contextmanager
def _install_lock(directory: Path) -> Iterator[None]:
    """One installer at a time (parallel test workers, two CI jobs on one machine): the
    others wait, then find it made. Where there is no flock (Windows) there is no lock."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    directory.parent.mkdir(parents=True, exist_ok=True)
    with open(directory.parent / f"{directory.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _install(directory: Path) -> None:
    print(
        f"bascule: first use of checkov: installing {CHECKOV_REQUIREMENT} into {directory} "
        f"({FIRST_USE})",
        file=sys.stderr,
        flush=True,
    )
    # Under the lock, an environment without the stamp is one an interrupted install left
    # (pip missing, checkov half there): made again from scratch.
    venv.EnvBuilder(with_pip=True, clear=(directory / "pyvenv.cfg").exists()).create(directory)
    python = directory / ("Scripts" if os.name == "nt" else "bin") / "python"
    result = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", CHECKOV_REQUIREMENT],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise BasculeError(f"cannot install {CHECKOV_REQUIREMENT} into {directory}: {last}", 3)
    (directory / ".bascule-requirement").write_text(CHECKOV_REQUIREMENT)
