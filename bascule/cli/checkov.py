"""`bascule export`, `bascule checkov` and the checkov stage of `bascule check --with-checkov`."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping

from bascule.checkov.config import load_checkov_config
from bascule.cli.commands import emit, obtain_snapshot, require_resources
from bascule.cli.context import CheckContext
from bascule.cli.reporting import report_run
from bascule.export.arm import to_arm
from bascule.export.common import dropped_line
from bascule.export.tfplan import to_tfplan

# bascule.checkov.run (the Pulumi SDK, grpc) is imported inside the checkov handlers only:
# `bascule export` does not load it.


def cmd_export(args: argparse.Namespace) -> int:
    snapshot = obtain_snapshot(args.target, args.project_dir, cache=not args.no_cache)
    exported = to_tfplan(snapshot) if args.to == "tfplan" else to_arm(snapshot)
    text = json.dumps(exported.document, indent=2) + "\n"
    emit(text, args.output, f"export: {len(exported.urns)} resources written to")
    if exported.dropped:
        what = "Terraform plan" if args.to == "tfplan" else "ARM template"
        print(
            f"export: not in the {what} (no mapping for their types; checkov will not see "
            f"them): {dropped_line(exported.dropped)}",
            file=sys.stderr,
        )
    return 0


def report_not_scanned(command: str, not_scanned: Mapping[str, tuple[str, ...]] | None) -> None:
    """Every resource checkov did not see, by type, on stderr."""
    if not_scanned:
        print(
            f"{command}: not scanned by checkov (no Terraform or ARM mapping): "
            f"{dropped_line(not_scanned)}",
            file=sys.stderr,
        )


def cmd_checkov(args: argparse.Namespace) -> int:
    from bascule.checkov.run import findings

    levels, suppressions = load_checkov_config(args.checkov_config)
    snapshot = require_resources(
        obtain_snapshot(args.target, args.project_dir, cache=not args.no_cache)
    )
    run = findings(snapshot, levels, suppressions, args.today)
    report_not_scanned("checkov", run.not_scanned)
    return report_run(run, args, f"checkov: {run.summary_line()}; written to")


def checkov_stage(context: CheckContext) -> int:
    if not context.options.with_checkov:
        return 0
    from bascule.checkov.run import findings

    levels, suppressions = load_checkov_config(context.options.checkov_config)
    run = findings(context.snapshot, levels, suppressions, context.options.today)
    report_not_scanned("check", run.not_scanned)
    heading = "checkov (built-in checks and policies/checkov on the exports)"
    return context.report_run("checkov", heading, run)
