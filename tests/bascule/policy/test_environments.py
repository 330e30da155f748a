"""Which interpreter runs a pack, and the pack's own virtualenv, as the engine decides."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bascule.policy.environments import (
    cache_root,
    ensure_venv,
    pack_interpreter,
    read_pack_project,
    venv_python,
)
from bascule.policy.errors import PolicyConfigError, PolicyRunError


def pack(tmp_path: Path, yaml: str, requirements: str | None = None) -> Path:
    directory = tmp_path / "pack"
    directory.mkdir()
    (directory / "PulumiPolicy.yaml").write_text(yaml)
    if requirements is not None:
        (directory / "requirements.txt").write_text(requirements)
    return directory


def test_project_file_forms(tmp_path: Path) -> None:
    project = read_pack_project(
        pack(
            tmp_path,
            "runtime:\n  name: python\n  options:\n    virtualenv: .venv\nversion: 1.2.3\n",
        )
    )
    assert (project.runtime, dict(project.options), project.version) == (
        "python",
        {"virtualenv": ".venv"},
        "1.2.3",
    )


def test_no_project_file_is_not_a_pack(tmp_path: Path) -> None:
    with pytest.raises(
        PolicyConfigError, match=r"PulumiPolicy.yaml: no such file \(not a policy pack directory\)"
    ):
        read_pack_project(tmp_path)


def test_a_node_pack_is_refused_offline(tmp_path: Path) -> None:
    project = read_pack_project(pack(tmp_path, "runtime: nodejs\n"))
    with pytest.raises(PolicyConfigError) as err:
        pack_interpreter(project, bundled=False)
    assert err.value.message == (
        "policy pack pack: runtime 'nodejs' is not supported offline (bascule runs Python "
        "packs; run it with `pulumi preview --policy-pack`)"
    )


def test_no_virtualenv_and_no_requirements_is_the_ambient_interpreter(tmp_path: Path) -> None:
    project = read_pack_project(pack(tmp_path, "runtime: python\n"))
    assert pack_interpreter(project, bundled=False) == sys.executable


def test_an_existing_virtualenv_is_used_as_it_is(tmp_path: Path) -> None:
    directory = pack(tmp_path, "runtime:\n  name: python\n  options:\n    virtualenv: env\n", "x\n")
    python = venv_python(directory / "env")
    python.parent.mkdir(parents=True)
    python.write_text("")
    assert pack_interpreter(read_pack_project(directory), bundled=False) == str(python)


def test_a_missing_virtualenv_without_requirements_says_so(tmp_path: Path) -> None:
    directory = pack(tmp_path, "runtime:\n  name: python\n  options:\n    virtualenv: venv\n")
    with pytest.raises(PolicyConfigError) as err:
        pack_interpreter(read_pack_project(directory), bundled=False)
    assert err.value.message == (
        "policy pack pack: its virtualenv 'venv' does not exist and bascule cannot build it "
        "(toolchain 'pip', no requirements.txt)"
    )


def test_the_cache_follows_bascule_cache_dir(tmp_path: Path) -> None:
    assert cache_root({"BASCULE_CACHE_DIR": str(tmp_path)}) == tmp_path / "policy-venvs"


def test_a_virtualenv_is_built_once_then_reused(tmp_path: Path) -> None:
    project = read_pack_project(pack(tmp_path, "runtime: python\n", "# nothing to install\n"))
    logged: list[str] = []
    venv = ensure_venv(project, tmp_path / "cache", logged.append)
    assert venv_python(venv).is_file() and (venv / ".bascule-ready").is_file()
    assert ensure_venv(project, tmp_path / "cache", logged.append) == venv
    assert len(logged) == 1 and logged[0].startswith("policy: building the virtualenv of pack pack")
    # Another requirements.txt is another virtualenv.
    (project.directory / "requirements.txt").write_text("# other\n")
    assert ensure_venv(project, tmp_path / "cache") != venv


def test_a_requirement_pip_cannot_install_is_one_line(tmp_path: Path) -> None:
    project = read_pack_project(
        pack(tmp_path, "runtime: python\n", "bascule-no-such-package-for-tests==0.0.0\n")
    )
    with pytest.raises(PolicyRunError) as err:
        ensure_venv(project, tmp_path / "cache")
    assert err.value.message.startswith("policy pack pack: cannot install its requirements.txt: ")
    assert "bascule-no-such-package-for-tests" in err.value.message
    assert not any((tmp_path / "cache").glob("*/.bascule-ready"))
