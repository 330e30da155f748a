"""checkov's own environment: the first use says what it costs, later uses say nothing."""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from bascule.checkov import venv as checkov_venv


def test_the_first_use_says_what_it_creates_then_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = tmp_path / "ckv"
    monkeypatch.setenv(checkov_venv.ENV_DIR, str(directory))
    installs: list[list[str]] = []

    def create(_builder: object, path: Path) -> None:
        (Path(path) / "bin").mkdir(parents=True)
        (Path(path) / "pyvenv.cfg").write_text("")

    def run(command: list[str], **_kwargs: Any) -> subprocess.CompletedProcess[str]:
        installs.append(command)
        (directory / "bin" / "checkov").write_text("")
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(checkov_venv.venv.EnvBuilder, "create", create)
    monkeypatch.setattr(checkov_venv.subprocess, "run", run)
    assert checkov_venv.checkov_command() == [str(directory / "bin" / "checkov")]
    assert capsys.readouterr().err == (
        f"bascule: first use of checkov: installing checkov>=3.2,<4 into {directory} (its own "
        "virtual environment, about 290 MB from the package index, made once)\n"
    )
    assert checkov_venv.checkov_command() == [str(directory / "bin" / "checkov")]
    assert capsys.readouterr().err == ""
    assert len(installs) == 1


def _fake_install(
    monkeypatch: pytest.MonkeyPatch, directory: Path, pause: float = 0.0
) -> list[tuple[str, bool]]:
    """What the installer did: ("create", clear) and ("pip", False), in order."""
    steps: list[tuple[str, bool]] = []

    def create(builder: Any, path: Path) -> None:
        steps.append(("create", bool(builder.clear)))
        (Path(path) / "bin").mkdir(parents=True, exist_ok=True)
        (Path(path) / "pyvenv.cfg").write_text("")

    def run(command: list[str], **_kwargs: Any) -> subprocess.CompletedProcess[str]:
        steps.append(("pip", False))
        time.sleep(pause)
        (directory / "bin" / "checkov").write_text("")
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setenv(checkov_venv.ENV_DIR, str(directory))
    monkeypatch.setattr(checkov_venv.venv.EnvBuilder, "create", create)
    monkeypatch.setattr(checkov_venv.subprocess, "run", run)
    return steps


def test_an_environment_an_interrupted_install_left_is_made_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = tmp_path / "ckv"
    (directory / "bin").mkdir(parents=True)
    (directory / "pyvenv.cfg").write_text("")  # made, then interrupted: no pip, no stamp
    steps = _fake_install(monkeypatch, directory)
    assert checkov_venv.checkov_command() == [str(directory / "bin" / "checkov")]
    assert steps == [("create", True), ("pip", False)]


def test_parallel_first_uses_install_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Two test workers, or two CI jobs, asking at once: CI saw the second one find the first's
    # half-made environment ("No module named pip", "Text file busy").
    directory = tmp_path / "ckv"
    steps = _fake_install(monkeypatch, directory, pause=0.2)
    results: list[list[str]] = []
    threads = [
        threading.Thread(target=lambda: results.append(checkov_venv.checkov_command()))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [[str(directory / "bin" / "checkov")]] * 4
    assert steps == [("create", False), ("pip", False)]
