"""checkov's own environment: the first use says what it costs, later uses say nothing."""

from __future__ import annotations

import subprocess
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
