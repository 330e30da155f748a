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
        help="date the check is made on: suppression expiries and SecNumCloud visas are judged "
        "on it (default: today)",
    )


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {text!r}") from None


def stack_policy_config(target: str, project_dir: str | Path | None) -> list[str]:
    """`<project>/policies/config/<stack>.json` for a STACK target, when it exists: the levels,
    parameters and derogations recorded for that stack, applied before any --policy-config
    (later files win). `pulumi preview --policy-pack-config` takes the same file."""
    if target.endswith(".json"):
        return []
    from bascule.synth.run import resolve_stack

    directory, name = resolve_stack(target, Path(project_dir) if project_dir else None)
    path = directory / "policies" / "config" / f"{name}.json"
    if not path.is_file():
        return []
    print(f"bascule: applying the stack's policy config {path}", file=sys.stderr)
    return [str(path)]


def run_packs(
    snapshot: Snapshot,
    packs: Sequence[str] | None,
    config_files: Sequence[str],
    today: dt.date | None,
    in_process: bool = False,
) -> PolicyRun:
    from dataclasses import replace

    from bascule.policy.runner import DEFAULT_PACKS, run_policies

    for file in config_files:
        if not Path(file).is_file():
            raise UsageError(f"{file}: policy config file not found")
    warn_if_nothing_checked(snapshot)
    run = run_policies(
        snapshot,
        packs=tuple(packs or DEFAULT_PACKS),
        config_files=config_files,
        today=today,
        in_process=in_process,
    )
    return replace(run, offers=offer_report(snapshot, today or dt.date.today()))


def offer_report(snapshot: Snapshot, on: dt.date) -> Any:
    """The registry offers the snapshot's target providers resolve to, judged on `on`."""
    from bascule.registry.load import default_registry
    from bascule.registry.uses import OfferReport, offer_uses

    providers = ((r.urn, r.name, r.type, r.inputs) for r in snapshot.resources if r.is_provider)
    registry = default_registry()
    return OfferReport(registry, on, offer_uses(providers, registry, on))


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
    files = [*stack_policy_config(args.target, args.project_dir), *args.policy_config]
    run = run_packs(snapshot, args.pack, files, args.today, args.in_process)
    if args.format == "text" and not writes_file(args.output):
        print_text(run, sys.stdout)
    else:
        document = render(run, args.format, artifact_of(args.target, snapshot))
        emit(document, args.output, f"policy: {run.summary_line()}; report written to")
    return 1 if run.failed else 0


def policy_stage(context: CheckContext) -> int:
    """`check` stage: every pack on the snapshot; exit 1 on any mandatory violation."""
    options: dict[str, Any] = context.options
    files = [
        *stack_policy_config(context.target, context.project_dir),
        *options.get("policy_config", ()),
    ]
    run = run_packs(
        context.snapshot,
        options.get("packs"),
        files,
        options.get("today"),
        bool(options.get("in_process")),
    )
    return context.report_run("policy", "Policies (sovereignty, protection, migration)", run)
