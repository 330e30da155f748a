"""Provenance: paths never absolute, git commits only where they describe the files, time."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest

from bascule.errors import BadInputError
from bascule.parity.model import InputRef
from bascule.parity.provenance import (
    describe_input,
    display_path,
    generated_at,
    git_commit,
    input_label,
)
from bascule.snapshot.model import Snapshot


def git(directory: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(directory), "-c", "user.email=t@example.org", "-c", "user.name=t",
         *args],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text("")
    (root / ".gitignore").write_text("venv/\n")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "one")
    return root


def test_paths_are_relative_to_the_working_directory_or_a_bare_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert display_path(tmp_path / "out" / "prod.json") == "out/prod.json"
    assert display_path("out/../prod.json") == "prod.json"
    assert display_path(tmp_path.parent / "elsewhere" / "dev.json") == "dev.json"
    assert input_label(str(tmp_path / "a" / "Pulumi.prod.yaml")) == "a/Pulumi.prod.yaml"
    assert input_label("prod") == "prod"


def test_commit_is_head_and_says_when_tracked_files_changed(repo: Path) -> None:
    head = git(repo, "rev-parse", "HEAD")
    assert git_commit(repo) == head[:12]
    (repo / "untracked.txt").write_text("new")  # untracked files do not count
    assert git_commit(repo) == head[:12]
    (repo / "pkg" / "__init__.py").write_text("x = 1\n")
    assert git_commit(repo) == f"{head[:12]}, modified"
    assert git_commit(repo / "pkg", "__init__.py") == f"{head[:12]}, modified"


def test_no_commit_outside_git_or_for_an_untracked_copy(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "plain"
    outside.mkdir()
    assert git_commit(outside) is None
    # An installed copy inside an ignored virtualenv is not what HEAD describes.
    copy = repo / "venv" / "lib" / "pkg"
    copy.mkdir(parents=True)
    (copy / "__init__.py").write_text("")
    assert git_commit(copy, "__init__.py") is None


def test_time_is_utc_to_the_second_and_reproducible(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    assert generated_at() == "2026-05-28T20:26:40Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(BadInputError) as err:
        generated_at()
    assert err.value.message == (
        "SOURCE_DATE_EPOCH: 'yesterday' is not a number of seconds since 1970"
    )
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert len(generated_at()) == len("2026-05-28T20:26:40Z")


def test_a_snapshot_file_is_named_by_its_digest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "exports" / "prod.json"
    path.parent.mkdir()
    path.write_text('{"version": 3}')
    digest = hashlib.sha256(b'{"version": 3}').hexdigest()[:16]
    snapshot = Snapshot((), str(path), "export")
    assert describe_input(str(path), snapshot, None) == InputRef(
        "exports/prod.json", "export", f"sha256 {digest}"
    )
