"""A wave rehearsed on the loopback servers, driven through the real `bascule` CLI: plan
against Azurite and Swift, the target containers made as the program declares them, the
source containers made and filled, the identities' variables produced. The tests and
bench/transfer.py use it."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bascule.cli.main import main
from bascule.transfer.loopback import Rehearsal, provision_target, rehearsal_environment
from bascule.transfer.model import DatasetJob, Plan, load_plan


def cli(*args: str) -> tuple[int, str, str]:
    """`bascule ARGS` in this process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def plan_wave(
    rehearsal: Rehearsal, snapshot: Path, directory: Path, wave: int = 1
) -> tuple[int, str, str]:
    return cli(
        "transfer",
        "plan",
        str(snapshot),
        f"--wave={wave}",
        f"--output={directory}",
        "--source-auth=sas",
        f"--source-endpoint={rehearsal.azurite.endpoint}",
        "--target-auth=tempauth",
        f"--target-auth-url={rehearsal.swift.auth_url}",
        "--allow-loopback-http",
    )


@dataclass
class Wave:
    rehearsal: Rehearsal
    directory: Path
    plan: Plan
    environment: dict[str, str]

    def dataset(self, name: str) -> DatasetJob:
        return next(d for d in self.plan.datasets if d.name == name)

    def put(self, dataset: str, name: str, data: bytes) -> None:
        d = self.dataset(dataset)
        self.rehearsal.azurite.client(d.source.account).put_blob(d.source.container, name, data)

    def put_blocks(self, dataset: str, name: str, blocks: list[bytes]) -> None:
        d = self.dataset(dataset)
        client = self.rehearsal.azurite.client(d.source.account)
        client.put_blocks(d.source.container, name, blocks)

    def run(self, *options: str) -> tuple[int, str, str]:
        return cli("transfer", "run", str(self.directory), "--allow-loopback-http", *options)

    def verify(self, *options: str) -> tuple[int, str, str]:
        return cli("transfer", "verify", str(self.directory), "--allow-loopback-http", *options)

    def manifest(self) -> dict[str, Any]:
        return json.loads((self.directory / "verification" / "manifest.json").read_text())

    def objects_log(self, dataset: str) -> list[dict[str, Any]]:
        path = self.directory / "logs" / f"{dataset}.objects.jsonl"
        return [json.loads(line) for line in path.read_text().splitlines()]


def prepare_wave(rehearsal: Rehearsal, snapshot: Path, directory: Path, wave: int = 1) -> Wave:
    """Plan the wave, make both sides' containers; the caller sets `environment` for run."""
    code, _, err = plan_wave(rehearsal, snapshot, directory, wave)
    if code != 0:
        raise RuntimeError(f"transfer plan failed ({code}): {err.strip()}")
    plan = load_plan(str(directory))
    provision_target(rehearsal, plan)
    for d in plan.datasets:
        rehearsal.azurite.client(d.source.account).create_container(d.source.container)
    return Wave(rehearsal, directory, plan, rehearsal_environment(rehearsal, plan))
