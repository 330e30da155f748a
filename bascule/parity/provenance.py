"""Where a parity report comes from (I/O: package metadata, git, the clock, input files).

Reports show paths relative to the working directory, or a file name alone: never an
absolute path. `SOURCE_DATE_EPOCH` (the reproducible-builds convention) fixes the time.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import bascule
from bascule.errors import BadInputError
from bascule.parity.model import InputRef, Provenance
from bascule.snapshot.model import Snapshot
from bascule.synth.run import resolve_stack

GIT_TIMEOUT_S = 10
EPOCH_ENV = "SOURCE_DATE_EPOCH"


def display_path(path: str | Path) -> str:
    """`path` relative to the working directory when it is inside it, else its file name."""
    resolved = Path(path).resolve()
    try:
        return resolved.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return resolved.name


def input_label(arg: str) -> str:
    """A STACK|SNAPSHOT argument for a report: a stack name as given, a file as displayed."""
    path = Path(arg)
    return display_path(path) if path.suffix in (".json", ".yaml", ".yml") else arg


def git_commit(directory: Path, tracked: str = ".") -> str | None:
    """HEAD of the git work tree holding `directory` (12 hex digits, then `, modified` when
    tracked files under it differ), or None: not in git, `tracked` not under version control
    there (a copy inside an ignored virtualenv), or no git at all."""
    head = _git(directory, "rev-parse", "--verify", "HEAD")
    if head is None or _git(directory, "ls-files", "--error-unmatch", "--", tracked) is None:
        return None
    changes = _git(directory, "status", "--porcelain", "--untracked-files=no", "--", ".")
    return head[:12] + (", modified" if changes else "")


def _git(directory: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(directory), *args],
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def generated_at() -> str:
    epoch = os.environ.get(EPOCH_ENV)
    if epoch is None:
        moment = datetime.now(UTC)
    elif epoch.isdigit():
        moment = datetime.fromtimestamp(int(epoch), UTC)
    else:
        raise BadInputError(f"{EPOCH_ENV}: {epoch!r} is not a number of seconds since 1970")
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def describe_input(arg: str, snapshot: Snapshot, project_dir: str | None) -> InputRef:
    """A STACK|SNAPSHOT argument as the report names it."""
    path = Path(arg)
    if snapshot.kind == "synth" and path.suffix != ".json":
        directory, name, _ = resolve_stack(arg, Path(project_dir) if project_dir else None)
        label = input_label(arg)
        commit = git_commit(directory)
        where = f"project commit {commit}" if commit else "project not in git"
        return InputRef(label, "stack", f"Pulumi.{name}.yaml, {where}")
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return InputRef(display_path(path), snapshot.kind)
    return InputRef(display_path(path), snapshot.kind, f"sha256 {digest[:16]}")


def collect(
    source: tuple[str, Snapshot], target: tuple[str, Snapshot], project_dir: str | None
) -> Provenance:
    try:
        version = metadata.version("bascule")
    except metadata.PackageNotFoundError:
        version = "unknown"
    package = Path(bascule.__file__).resolve().parent
    return Provenance(
        bascule_version=version,
        bascule_commit=git_commit(package, "__init__.py"),
        generated_at=generated_at(),
        source=describe_input(*source, project_dir),
        target=describe_input(*target, project_dir),
    )
