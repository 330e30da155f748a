"""scripts/dev.py installs quietly: one line per step, pip's whole output with -v or when a
step fails. A stand-in `python` plays pip here (no package index is touched)."""

from __future__ import annotations

import importlib.util
import os
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOISY_PIP = """#!/bin/sh
i=0
while [ $i -lt 230 ]; do echo "Collecting package-$i"; i=$((i+1)); done
echo "a setuptools deprecation warning" >&2
exit ${PIP_EXIT:-0}
"""


def _dev_in(tmp_path: Path) -> Path:
    """A copy of dev.py whose project is `tmp_path`, with a .venv whose python is NOISY_PIP."""
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "dev.py").write_text((ROOT / "scripts" / "dev.py").read_text())
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "requirements.lock").write_text("")
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    (tmp_path / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    for name, script in (("python", NOISY_PIP), ("bascule", "#!/bin/sh\necho checked\n")):
        (bin_dir / name).write_text(script)
        (bin_dir / name).chmod(stat.S_IRWXU)
    return tmp_path / "scripts" / "dev.py"


def _install(dev: Path, *flags: str, exit_code: int = 0) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(dev), *flags, "check"],
        capture_output=True, text=True, timeout=60,
        env={**os.environ, "PIP_EXIT": str(exit_code)},
    )  # fmt: skip


def test_an_install_is_one_line_per_step(tmp_path: Path) -> None:
    result = _install(_dev_in(tmp_path))
    lines = result.stderr.splitlines()
    assert [line.rsplit(" done in ", 1)[0] for line in lines] == [
        "dev.py: upgrading pip in .venv...",
        "dev.py: installing the locked dependencies into .venv (hashes checked; a few minutes "
        "the first time)...",
        "dev.py: installing bascule into .venv (editable)...",
    ]
    assert all(line.endswith(" s") for line in lines)
    assert "Collecting" not in result.stderr and "deprecation" not in result.stderr
    assert result.stdout == "checked\n"  # then the command itself


def test_a_failed_step_shows_pips_whole_output(tmp_path: Path) -> None:
    result = _install(_dev_in(tmp_path), exit_code=1)
    assert result.returncode == 1
    assert result.stderr.count("Collecting package-") == 230
    assert "a setuptools deprecation warning" in result.stderr
    assert result.stderr.splitlines()[-1] == (
        "dev.py: upgrading pip in .venv failed (pip exit 1; its output is above)"
    )


def test_verbose_shows_pips_whole_output(tmp_path: Path) -> None:
    result = _install(_dev_in(tmp_path), "-v")
    assert result.stdout.count("Collecting package-") == 3 * 230


def test_the_package_metadata_uses_an_spdx_license() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["license"] == "Apache-2.0"  # a table is deprecated by setuptools
    assert "setuptools>=77" in project["build-system"]["requires"]


def test_dev_py_imports_without_side_effects() -> None:
    spec = importlib.util.spec_from_file_location("dev", ROOT / "scripts" / "dev.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert callable(module.ensure_venv)
