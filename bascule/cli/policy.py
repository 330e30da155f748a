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
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="call the bundled packs' CrossGuard servicers in this process instead of their "
        "analyzer processes over gRPC: same results (tested), faster",
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


def run_packs(
    snapshot: Snapshot,
    packs: Sequence[str] | None,
    config_files: Sequence[str],
    today: dt.date | None,
    in_process: bool = False,
) -> PolicyRun:
    from bascule.policy.runner import DEFAULT_PACKS, run_policies

    for file in config_files:
        if not Path(file).is_file():
            raise UsageError(f"{file}: policy config file not found")
    warn_if_nothing_checked(snapshot)
    return run_policies(
        snapshot,
        packs=tuple(packs or DEFAULT_PACKS),
        config_files=config_files,
        today=today,
        in_process=in_process,
    )


def artifact_of(target: str, snapshot: Snapshot) -> str:
    """What SARIF results point at: the snapshot file, else the stack's config file."""
    if target.endswith(".json"):
        return target
    return f"Pulumi.{snapshot.stack}.yaml" if snapshot.stack else target


def cmd_policy(args: argparse.Namespace) -> int:
    from bascule.cli.commands import emit, obtain_snapshot, require_resources, writes_file
    from bascule.report.formats import render
    from bascule.report.text import print_text

    snapshot = require_resources(
        obtain_snapshot(args.target, args.project_dir, cache=not args.no_cache)
    )
    run = run_packs(snapshot, args.pack, args.policy_config, args.today, args.in_process)
    if args.format == "text" and not writes_file(args.output):
        print_text(run, sys.stdout)
    else:
        document = render(run, args.format, artifact_of(args.target, snapshot))
        emit(document, args.output, f"policy: {run.summary_line()}; report written to")
    return 1 if run.failed else 0


def policy_stage(context: CheckContext) -> int:
    """`check` stage: every pack on the snapshot; exit 1 on any mandatory violation."""
    options: dict[str, Any] = context.options
    run = run_packs(
        context.snapshot,
        options.get("packs"),
        options.get("policy_config", ()),
        options.get("today"),
        bool(options.get("in_process")),
    )
    return context.report_run("policy", "Policies (sovereignty, protection, migration)", run)
