"""The synth cache: reused only while nothing that could change the result has changed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bascule.snapshot.model import Snapshot
from bascule.synth import synthesize
from bascule.synth.cache import SynthCache, cache_enabled, synth_key

MINI = Path(__file__).resolve().parents[2] / "data" / "programs" / "mini"
PASSPHRASE = "bascule-test-passphrase"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "mini"
    shutil.copytree(MINI, copy)
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("BASCULE_NO_CACHE", raising=False)
    monkeypatch.delenv("BASCULE_CACHE_DIR", raising=False)
    monkeypatch.delenv("CI", raising=False)
    return copy


def cached_synth(project: Path) -> tuple[Snapshot, SynthCache]:
    cache = SynthCache(project, "dev")
    return synthesize(project, "dev", cache=cache), cache


def test_second_run_is_a_hit_equal_to_a_fresh_synth(project: Path) -> None:
    first, miss = cached_synth(project)
    second, hit = cached_synth(project)
    assert (miss.hit, hit.hit) == (False, True)
    assert hit.path is not None and hit.path.parent == project / ".bascule" / "cache"
    assert second == first == synthesize(project, "dev")


@pytest.mark.parametrize(
    "change",
    [
        lambda p: (p / "__main__.py").write_text((p / "__main__.py").read_text() + "\n# edit\n"),
        lambda p: (p / "Pulumi.dev.yaml").write_text((p / "Pulumi.dev.yaml").read_text() + "\n"),
        lambda p: (p / "data.json").write_text("{}"),  # any file the program could read
    ],
    ids=["program", "stack-file", "new-file"],
)
def test_any_change_misses(project: Path, change: object) -> None:
    cached_synth(project)
    change(project)  # type: ignore[operator]
    _, cache = cached_synth(project)
    assert not cache.hit
    assert len(list((project / ".bascule" / "cache").iterdir())) == 1  # the old entry is gone


def test_tool_dirs_and_bytecode_do_not_change_the_key(project: Path) -> None:
    key = synth_key(project, "dev")
    for noise in (".git/HEAD", "__pycache__/x.pyc", ".bascule/cache/other.json"):
        (project / noise).parent.mkdir(parents=True, exist_ok=True)
        (project / noise).write_text("noise")
    assert synth_key(project, "dev") == key
    assert synth_key(project, "prod") != key


def test_damaged_entry_is_replaced(project: Path) -> None:
    _, cache = cached_synth(project)
    assert cache.path is not None
    cache.path.write_text('{"version": 3, "deployment": {"resources": [')
    again, retry = cached_synth(project)
    assert not retry.hit and len(again) > 0
    _, hit = cached_synth(project)
    assert hit.hit


def test_bad_config_fails_even_when_cached(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cached_synth(project)
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", "wrong")
    with pytest.raises(Exception, match="passphrase"):
        cached_synth(project)


def test_unwritable_cache_is_only_slower(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = project / "not-a-dir"
    blocker.write_text("")
    monkeypatch.setenv("BASCULE_CACHE_DIR", str(blocker / "cache"))
    first, cache = cached_synth(project)
    assert len(first) > 0 and not cache.hit


def test_switches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BASCULE_NO_CACHE", raising=False)
    monkeypatch.delenv("CI", raising=False)
    assert cache_enabled() and not cache_enabled(False)
    monkeypatch.setenv("CI", "false")
    assert cache_enabled()
    monkeypatch.setenv("CI", "true")  # a gate never trusts a cached synth
    assert not cache_enabled()
    monkeypatch.delenv("CI")
    monkeypatch.setenv("BASCULE_NO_CACHE", "1")
    assert not cache_enabled()


def test_cli_says_when_it_reuses_and_no_cache_redoes(project: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("BASCULE_NO_CACHE", "CI")}
    out = str(tmp_path / "out.json")  # outside the project: a new file there is a change

    def synth(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bascule", "synth", "dev", "-o", out, *extra],
            cwd=project, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip

    first, second, forced = synth(), synth(), synth("--no-cache")
    assert [r.returncode for r in (first, second, forced)] == [0, 0, 0]
    assert "reusing" not in first.stderr
    assert "synth: dev unchanged, reusing .bascule/cache/synth-dev-" in second.stderr
    assert "reusing" not in forced.stderr


def test_a_settings_file_outside_the_project_is_part_of_the_key(
    project: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere" / "Pulumi.dev.yaml"
    outside.parent.mkdir()
    outside.write_text((project / "Pulumi.dev.yaml").read_text())
    first = synth_key(project, "dev", outside)
    assert first is not None and first == synth_key(project, "dev", outside)
    outside.write_text(outside.read_text() + "\n")
    assert synth_key(project, "dev", outside) != first
    assert synth_key(project, "dev", tmp_path / "missing.yaml") is None
