"""Rehearsal fixtures: dev's snapshot, a Swift per test session (many tempauth accounts), an
Azurite per test with dev's storage accounts, and a `Wave` driving the real CLI.

Servers listen on 127.0.0.1 only, on free ports, in pytest's temp dirs, and are stopped by
pid (xdist-safe: each worker has its own). Tests that need them are skipped only where the
servers are not installed (`.ci/run` installs them), saying which is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bascule.snapshot.write import write_snapshot
from bascule.synth import synthesize
from bascule.transfer.loopback import (
    Rehearsal,
    Swift,
    missing_tools,
    start_azurite,
    start_swift,
)
from bascule.transfer.plan import PlanOptions, build_plan
from bascule.transfer.rehearse import Wave, prepare_wave

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def dev_snapshot_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("dev") / "dev.json"
    write_snapshot(synthesize(ROOT, "dev"), path)
    return path


@pytest.fixture(scope="session")
def dev_accounts(dev_snapshot_file: Path) -> list[str]:
    from bascule.snapshot.load import load_snapshot

    options = PlanOptions(wave=1, source_auth="sas", source_endpoint="https://127.0.0.1:1")
    plan = build_plan(load_snapshot(str(dev_snapshot_file)), options)
    return [d.source.account for d in plan.datasets]


@pytest.fixture(scope="session")
def swift_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Swift]:
    reason = missing_tools()
    if reason:
        pytest.skip(f"loopback rehearsal servers: {reason}")
    swift = start_swift(tmp_path_factory.mktemp("swift"))
    yield swift
    swift.stop()


@pytest.fixture(scope="session")
def swift_users(swift_server: Swift) -> Iterator[tuple[str, str]]:
    return iter(swift_server.users)


@pytest.fixture
def rehearsal(
    tmp_path: Path,
    swift_server: Swift,
    swift_users: Iterator[tuple[str, str]],
    dev_accounts: list[str],
) -> Iterator[Rehearsal]:
    azurite = start_azurite(tmp_path / "azurite", dev_accounts)
    yield Rehearsal(azurite, swift_server, next(swift_users))
    azurite.stop()


@pytest.fixture
def wave(
    rehearsal: Rehearsal, tmp_path: Path, dev_snapshot_file: Path, monkeypatch: pytest.MonkeyPatch
) -> Wave:
    prepared = prepare_wave(rehearsal, dev_snapshot_file, tmp_path / "plan")
    for variable, value in prepared.environment.items():
        monkeypatch.setenv(variable, value)
    return prepared
