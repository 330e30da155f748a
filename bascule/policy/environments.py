"""Which Python runs a policy pack, as the engine decides it, and the pack's own virtualenv.

The engine reads the pack's `PulumiPolicy.yaml`; for a Python pack its language host runs
`python -u -m pulumi.policy` with the interpreter of the `virtualenv` runtime option
(relative to the pack), or the ambient one when the option is absent. `pulumi install` (or
the engine, for a published pack) builds that virtualenv from the pack's `requirements.txt`.

bascule does the same without writing into the pack's directory:
- bascule's own packs (`policies/<name>` of this checkout) run in bascule's interpreter,
  whose environment has everything their `requirements.txt` lists;
- a pack whose `virtualenv` exists runs in it;
- otherwise a pack with a `requirements.txt` runs in a virtualenv built from it, once, in
  the cache (`$BASCULE_CACHE_DIR/policy-venvs`, else `~/.cache/bascule/policy-venvs`),
  keyed by the file's content and the Python version;
- a pack with neither runs in bascule's interpreter (the ambient one).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bascule.policy.errors import PolicyConfigError, PolicyRunError
from bascule.synth.config import parse_yaml

PIP_TIMEOUT = 1800.0
_READY = ".bascule-ready"


@dataclass(frozen=True)
class PackProject:
    """A pack's `PulumiPolicy.yaml`."""

    directory: Path
    runtime: str
    options: Mapping[str, Any] = field(default_factory=dict)
    version: str = ""
    description: str = ""

    @property
    def requirements(self) -> Path:
        return self.directory / "requirements.txt"


def read_pack_project(directory: Path) -> PackProject:
    """Parse `PulumiPolicy.yaml` (`runtime: python` or `runtime: {name, options}`)."""

    path = directory / "PulumiPolicy.yaml"
    if not path.is_file():
        raise PolicyConfigError(f"{path}: no such file (not a policy pack directory)")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyConfigError(f"{path}: cannot read ({exc})") from None
    try:
        doc = parse_yaml(text, str(path)) or {}
    except Exception as exc:  # BadInputError: same one-line message, the policy's exit code
        raise PolicyConfigError(str(exc)) from None
    if not isinstance(doc, dict):
        raise PolicyConfigError(f"{path}: not a mapping")
    runtime: Any = doc.get("runtime")
    options: Any = {}
    if isinstance(runtime, dict):
        runtime, options = runtime.get("name"), runtime.get("options") or {}
    if not isinstance(runtime, str) or not isinstance(options, dict):
        raise PolicyConfigError(f'{path}: "runtime" must be a name or {{name, options}}')
    version = doc.get("version")
    description = doc.get("description")
    return PackProject(
        directory=directory,
        runtime=runtime,
        options=options,
        version=str(version) if version is not None else "",
        description=str(description) if isinstance(description, str) else "",
    )


def cache_root(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    base = env.get("BASCULE_CACHE_DIR")
    if base:
        return Path(base) / "policy-venvs"
    return Path.home() / ".cache" / "bascule" / "policy-venvs"


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def pack_interpreter(
    project: PackProject,
    *,
    bundled: bool,
    root: Path | None = None,
    log: Callable[[str], None] | None = None,
) -> str:
    """The interpreter that runs the pack (see the module docstring)."""
    name = project.directory.name
    if project.runtime != "python":
        raise PolicyConfigError(
            f"policy pack {name}: runtime {project.runtime!r} is not supported offline "
            "(bascule runs Python packs; run it with `pulumi preview --policy-pack`)"
        )
    if bundled:
        return sys.executable
    virtualenv = project.options.get("virtualenv")
    if virtualenv is not None and not isinstance(virtualenv, str):
        raise PolicyConfigError(f"policy pack {name}: the virtualenv option must be a string")
    if virtualenv and venv_python(project.directory / virtualenv).is_file():
        return str(venv_python(project.directory / virtualenv))
    toolchain = project.options.get("toolchain", "pip")
    if project.requirements.is_file() and toolchain in ("pip", "uv"):
        return str(venv_python(ensure_venv(project, root or cache_root(), log)))
    if virtualenv or toolchain not in ("pip", "uv"):
        has = "a" if project.requirements.is_file() else "no"
        raise PolicyConfigError(
            f"policy pack {name}: its virtualenv {virtualenv or '(none)'!r} does not exist and "
            f"bascule cannot build it (toolchain {toolchain!r}, {has} requirements.txt)"
        )
    return sys.executable


def venv_key(requirements: bytes) -> str:
    digest = hashlib.sha256()
    digest.update(requirements)
    digest.update(sys.version.encode())
    digest.update(os.path.realpath(sys.executable).encode())
    return digest.hexdigest()[:20]


def ensure_venv(project: PackProject, root: Path, log: Callable[[str], None] | None = None) -> Path:
    """The pack's virtualenv, built from its requirements.txt on first use (under a lock, so
    concurrent runs build it once; a half-built one is never used)."""
    requirements = project.requirements.read_bytes()
    venv = root / venv_key(requirements)
    if (venv / _READY).is_file():
        return venv
    root.mkdir(parents=True, exist_ok=True)
    with open(root / f"{venv.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (venv / _READY).is_file():
            if log is not None:
                log(
                    f"policy: building the virtualenv of pack {project.directory.name} from its "
                    f"requirements.txt (once): {venv}"
                )
            _build(project, venv)
    return venv


def _build(project: PackProject, venv: Path) -> None:
    shutil.rmtree(venv, ignore_errors=True)
    name = project.directory.name
    steps = [
        [sys.executable, "-m", "venv", str(venv)],
        [
            str(venv_python(venv)),
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "--quiet",
            "-r",
            str(project.requirements),
        ],
    ]
    for command in steps:
        try:
            done = subprocess.run(
                command,
                cwd=project.directory,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=PIP_TIMEOUT,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            message = f"policy pack {name}: cannot build its virtualenv: {exc}"
            raise PolicyRunError(message) from None
        if done.returncode != 0:
            lines = [ln.strip() for ln in (done.stderr or done.stdout).splitlines() if ln.strip()]
            detail = lines[-1] if lines else f"exit {done.returncode}"
            shutil.rmtree(venv, ignore_errors=True)
            raise PolicyRunError(
                f"policy pack {name}: cannot install its requirements.txt: {detail}"
            )
    (venv / _READY).write_text(project.requirements.read_text(encoding="utf-8"), encoding="utf-8")
