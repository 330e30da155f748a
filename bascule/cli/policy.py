"""`bascule policy` and the policy stage of `bascule check`: the packs on a snapshot, offline."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bascule.errors import UsageError

if TYPE_CHECKING:
    from bascule.cli.check import CheckContext
    from bascule.policy.result import PolicyRun
    from bascule.snapshot.model import Snapshot

POLICY_FORMATS = ("text", "json", "sarif", "junit", "matrix")
# The packages whose resources the rules inspect; anything else passes them vacuously.
CHECKED_PACKAGES = ("azure-native", "openstack", "ovh")


def warn_if_nothing_checked(snapshot: Snapshot) -> None:
    if not any(r.package in CHECKED_PACKAGES for r in snapshot.resources if r.custom):
        print(
            f"bascule: warning: {snapshot.source}: no Azure, OpenStack or OVH resource: the "
            "rules had nothing to check",
            file=sys.stderr,
        )


PACK_NAMES = ("sovereignty", "protection", "migration")


def add_policy_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by `policy` and `check`."""
    parser.add_argument(
        "--pack",
        action="append",
        metavar="PACK",
        help=f"pack name ({', '.join(PACK_NAMES)}) or pack directory; repeatable "
        "(default: all three)",
    )
    parser.add_argument(
        "--policy-config",
        "--policy-pack-config",
        dest="policy_config",
        action="append",
        default=[],
        metavar="FILE",
        help="policy config JSON, as `pulumi preview --policy-pack-config`: enforcement "
        "levels, rule parameters, suppressions; repeatable, later files win",
    )
    path = parser.add_mutually_exclusive_group()
    path.add_argument(
        "--grpc",
        action="store_true",
        help="start each pack's analyzer process and speak Pulumi's analyzer gRPC protocol to "
        "it, as `pulumi preview --policy-pack` does (default for packs outside policies/; "
        "the bundled packs run in this process, with the same results, tested)",
    )
    path.add_argument(
        "--in-process",
        action="store_true",
        help="the default for the bundled packs: their CrossGuard servicers called in this "
        "process (kept for compatibility; refuses other packs)",
    )
    parser.add_argument(
        "--today",
        type=_parse_date,
        metavar="YYYY-MM-DD",
        help="date against which suppression expiries are judged (default: today)",
    )


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {text!r}") from None


def runs_in_process(packs: Sequence[str], grpc: bool = False, in_process: bool = False) -> bool:
    """Which path runs the packs: `--grpc` asks for the analyzer processes, `--in-process`
    for this process; by default the bundled packs run in this process (the fastest path,
    held equal to the gRPC one by the tests) and any other pack over gRPC."""
    if grpc or in_process:
        return in_process
    return all(_is_bundled(pack) for pack in packs)


def _is_bundled(pack: str) -> bool:
    """A bundled pack's name, or its very directory: a copy elsewhere (a fork, even one in
    another policies/ directory) is someone else's code and runs as such, over gRPC."""
    from bascule.policy.runner import DEFAULT_PACKS, REPO_ROOT

    if "/" not in pack:
        return pack in DEFAULT_PACKS
    path = Path(pack).resolve()
    return path.name in DEFAULT_PACKS and path == (REPO_ROOT / "policies" / path.name).resolve()


def run_packs(
    snapshot: Snapshot,
    packs: Sequence[str] | None,
    config_files: Sequence[str],
    today: dt.date | None,
    in_process: bool = True,
) -> PolicyRun:
    from bascule.cli.progress import elapsed, live_line
    from bascule.policy.runner import DEFAULT_PACKS, run_policies

    for file in config_files:
        if not Path(file).is_file():
            raise UsageError(f"{file}: policy config file not found")
    warn_if_nothing_checked(snapshot)
    chosen = tuple(packs or DEFAULT_PACKS)
    how = "in this process" if in_process else "over gRPC"
    label = f"policy: {len(chosen)} packs {how} on {len(snapshot):,} resources"
    with live_line(elapsed(label)):
        return run_policies(
            snapshot, packs=chosen, config_files=config_files, today=today, in_process=in_process
        )


def cmd_policy(args: argparse.Namespace) -> int:
    from bascule.cli.commands import (
        artifact_of,
        emit,
        obtain_snapshot,
        require_resources,
        writes_file,
    )
    from bascule.report.formats import render
    from bascule.report.text import print_text

    snapshot = require_resources(
        obtain_snapshot(args.target, args.project_dir, cache=not args.no_cache)
    )
    packs = args.pack or ()
    in_process = runs_in_process(packs, args.grpc, args.in_process)
    run = run_packs(snapshot, args.pack, args.policy_config, args.today, in_process)
    if args.format == "text" and not writes_file(args.output):
        print_text(run, sys.stdout)
    else:
        document = render(run, args.format, artifact_of(args.target, args.project_dir))
        emit(document, args.output, f"policy: {run.summary_line()}; report written to")
    return 1 if run.failed else 0


def policy_stage(context: CheckContext) -> int:
    """`check` stage: every pack on the snapshot; exit 1 on any mandatory violation."""
    options: dict[str, Any] = context.options
    packs = options.get("packs") or ()
    in_process = runs_in_process(packs, bool(options.get("grpc")), bool(options.get("in_process")))
    run = run_packs(
        context.snapshot, packs, options.get("policy_config", ()), options.get("today"), in_process
    )
    return context.report_run("policy", "Policies (sovereignty, protection, migration)", run)
