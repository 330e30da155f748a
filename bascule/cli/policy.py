"""`bascule policy` and the policy stage of `bascule check`: the packs on a snapshot, offline."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from bascule.cli.commands import is_snapshot_file, obtain_snapshot, require_resources
from bascule.cli.context import CheckContext
from bascule.cli.progress import elapsed, live_line
from bascule.cli.reporting import report_run
from bascule.errors import UsageError
from bascule.policy.result import PolicyRun
from bascule.policy.runner import (
    DEFAULT_PACKS,
    REPO_ROOT,
    is_bundled,
    resolve_pack_dirs,
    run_policies,
)
from bascule.policy.stack import StackContext, read_stack_config, snapshot_context
from bascule.registry.load import default_registry
from bascule.registry.uses import OfferReport, offer_uses
from bascule.rules.base import PACKS
from bascule.rules.catalog import packages_read
from bascule.snapshot.model import Snapshot
from bascule.synth.config import load_stack_config, read_project
from bascule.synth.run import resolve_stack


def warn_if_nothing_checked(snapshot: Snapshot) -> None:
    """Say so when no resource is of a package the rules read: they passed vacuously."""
    read = packages_read()
    if not any(r.package in read for r in snapshot.resources if r.custom):
        print(
            f"bascule: warning: {snapshot.source}: no resource of a package the rules read "
            f"({', '.join(read)}): the rules had nothing to check",
            file=sys.stderr,
        )


STACK_CONFIG_FOR_SNAPSHOTS = "--stack-config is for a SNAPSHOT: a STACK passes its own config"


def stack_context(
    target: str,
    project_dir: str | Path | None,
    snapshot: Snapshot,
    stack_config: str | None = None,
) -> StackContext:
    """What the packs are told about the stack: a STACK's own names and decrypted config
    (the program ran as an update under mocks: not a dry run); a SNAPSHOT's names, with the
    config of `--stack-config` when given, a dry run for a preview."""
    if not is_snapshot_file(target):
        if stack_config:
            raise UsageError(STACK_CONFIG_FOR_SNAPSHOTS)

        directory, name, file = resolve_stack(target, Path(project_dir) if project_dir else None)
        project = read_project(directory)
        config, secret_keys = load_stack_config(project, name, stack_file=file)
        return StackContext(project.name, name, config=config, secret_keys=tuple(secret_keys))
    if stack_config:
        project_name, name, config, secret_keys = read_stack_config(stack_config)
        context = snapshot_context(snapshot, config, secret_keys, project=project_name)
        return StackContext(
            project_name,
            name,
            config=context.config,
            secret_keys=context.secret_keys,
            dry_run=context.dry_run,
        )
    return snapshot_context(snapshot)


def _bundled_only(packs: Sequence[str]) -> bool:
    return all(is_bundled(p, d) for p, d in resolve_pack_dirs(packs, REPO_ROOT).items())


def check_resources(snapshot: Snapshot, packs: Sequence[str]) -> None:
    """bascule's packs refuse a snapshot with no cloud resource (a gate cannot pass on
    nothing) and warn when no rule has its kind of resource; with other packs the run goes
    on as the engine's does (its stack policies still run), with a warning."""
    if _bundled_only(packs):
        require_resources(snapshot)
        warn_if_nothing_checked(snapshot)
        return
    if not any(r.custom and not r.is_provider for r in snapshot.resources):
        print(
            f"bascule: warning: {snapshot.source}: no resources (empty stack or snapshot): "
            "only stack policies have something to check",
            file=sys.stderr,
        )
    elif any(p in PACKS for p in packs):
        warn_if_nothing_checked(snapshot)


def stack_policy_config(target: str, project_dir: str | Path | None) -> list[str]:
    """`<project>/policies/config/<stack>.json` for a STACK target, when it exists: the levels,
    parameters and derogations recorded for that stack, applied before any --policy-config
    (later files win). `pulumi preview --policy-pack-config` takes the same file."""
    if is_snapshot_file(target):
        return []

    directory, name, _ = resolve_stack(target, Path(project_dir) if project_dir else None)
    path = directory / "policies" / "config" / f"{name}.json"
    if not path.is_file():
        return []
    print(f"bascule: applying the stack's policy config {path}", file=sys.stderr)
    return [str(path)]


def runs_in_process(packs: Sequence[str], grpc: bool = False, in_process: bool = False) -> bool:
    """Which path runs the packs: `--grpc` asks for the analyzer processes, `--in-process`
    for this process; by default bascule's own packs run in this process (the fastest path,
    held equal to the gRPC one by the tests) and any other pack over gRPC, as the engine
    runs it."""
    if grpc or in_process:
        return in_process
    return _bundled_only(tuple(packs) or DEFAULT_PACKS)


def run_packs(
    snapshot: Snapshot,
    packs: Sequence[str] | None,
    config_files: Sequence[str],
    today: dt.date | None,
    in_process: bool = False,
    context: StackContext | None = None,
) -> PolicyRun:
    for file in config_files:
        if not Path(file).is_file():
            raise UsageError(f"{file}: policy config file not found")
    chosen = tuple(packs or DEFAULT_PACKS)
    check_resources(snapshot, chosen)
    how = "in this process" if in_process else "over gRPC"
    label = f"policy: {len(chosen)} packs {how} on {len(snapshot):,} resources"
    with live_line(elapsed(label)):
        run = run_policies(
            snapshot,
            packs=chosen,
            config_files=config_files,
            today=today,
            in_process=in_process,
            context=context,
        )
    return replace(run, offers=offer_report(snapshot, today or dt.date.today()))


def offer_report(snapshot: Snapshot, on: dt.date) -> Any:
    """The registry offers the snapshot's target providers resolve to, judged on `on`."""
    providers = ((r.urn, r.name, r.type, r.inputs) for r in snapshot.resources if r.is_provider)
    registry = default_registry()
    return OfferReport(registry, on, offer_uses(providers, registry, on))


def cmd_policy(args: argparse.Namespace) -> int:
    if args.stack_config and not is_snapshot_file(args.target):
        raise UsageError(STACK_CONFIG_FOR_SNAPSHOTS)  # before a synth, not after
    snapshot = obtain_snapshot(args.target, args.project_dir, cache=not args.no_cache)
    context = stack_context(args.target, args.project_dir, snapshot, args.stack_config)
    files = [*stack_policy_config(args.target, args.project_dir), *args.policy_config]
    in_process = runs_in_process(args.pack or (), args.grpc, args.in_process)
    run = run_packs(snapshot, args.pack, files, args.today, in_process, context)
    return report_run(run, args, f"policy: {run.summary_line()}; report written to")


def policy_stage(context: CheckContext) -> int:
    """`check` stage: every pack on the snapshot; exit 1 on any mandatory violation."""
    options = context.options
    stack = stack_context(
        context.target, context.project_dir, context.snapshot, options.stack_config
    )
    files = [*stack_policy_config(context.target, context.project_dir), *options.policy_config]
    in_process = runs_in_process(options.packs, options.grpc, options.in_process)
    run = run_packs(context.snapshot, options.packs, files, options.today, in_process, stack)
    return context.report_run("policy", "Policies (sovereignty, protection, migration)", run)
