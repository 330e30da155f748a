"""`bascule check`: get a snapshot, then run the check stages in order.

Stages are plain functions `(CheckContext) -> int` (an exit code: 0 ok, 1 findings). Later
steps plug in by appending to `CHECK_STAGES` (e.g. the policy stage, then parity); the exit
code of the run is the highest any stage returned. Stages write to `context.out`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from bascule.snapshot.model import Snapshot

if TYPE_CHECKING:
    from bascule.policy.result import PolicyRun


@dataclass
class CheckContext:
    snapshot: Snapshot
    target: str
    fmt: str  # "text" | "json"
    out: TextIO
    project_dir: Path | None = None
    # Stages may put their JSON-able results here; `--format json` prints them all at the end.
    results: dict[str, Any] = field(default_factory=dict)
    # Stage options from the command line (e.g. packs, policy config files, today).
    options: dict[str, Any] = field(default_factory=dict)

    def report_run(self, key: str, heading: str, run: PolicyRun) -> int:
        """A stage's PolicyRun: under `key` in JSON, else printed under `heading`. Exit 1 on
        a mandatory violation."""
        from bascule.report.json_report import report_dict
        from bascule.report.text import print_text

        if self.fmt == "json":
            self.results[key] = report_dict(run)
        else:
            self.out.write(f"\n{heading}\n")
            self.out.flush()
            print_text(run, self.out)
        return 1 if run.failed else 0


CheckStage = Callable[[CheckContext], int]


def summary_stage(context: CheckContext) -> int:
    """Per-estate summary (inventory) of the snapshot."""
    from bascule.report.summary import summarize

    summary = summarize(context.snapshot)
    if context.fmt == "json":
        context.results["summary"] = summary.to_json()
    else:
        from bascule.cli.render import render_summary

        render_summary(summary, "text", context.out)
    return 0


def _policy_stage(context: CheckContext) -> int:
    from bascule.cli.policy import policy_stage

    return policy_stage(context)


def _parity_stage(context: CheckContext) -> int:
    from bascule.cli.parity import parity_stage

    return parity_stage(context)


def _checkov_stage(context: CheckContext) -> int:
    from bascule.cli.checkov import checkov_stage

    return checkov_stage(context)


# The stage list, in order: inventory summary, the policy packs, parity, then (on request)
# checkov.
CHECK_STAGES: tuple[CheckStage, ...] = (
    summary_stage,
    _policy_stage,
    _parity_stage,
    _checkov_stage,
)


def run_check(
    target: str,
    *,
    project_dir: Path | None = None,
    fmt: str = "text",
    out: TextIO | None = None,
    stages: Sequence[CheckStage] | None = None,
    options: dict[str, Any] | None = None,
    cache: bool = True,
) -> int:
    """Synthesize (or load) `target`, run every stage, return the worst exit code."""
    import json

    from bascule.cli.commands import is_snapshot_file, obtain_snapshot, require_resources

    out = out if out is not None else sys.stdout
    warnings = [] if is_snapshot_file(target) else stack_warnings(target, project_dir)
    for warning in warnings:
        print(f"bascule: warning: {warning}", file=sys.stderr)
    directory = str(project_dir) if project_dir else None
    snapshot = require_resources(obtain_snapshot(target, directory, cache=cache))
    if (options or {}).get("wave") is not None:
        from bascule.cli.parity import check_wave

        check_wave(snapshot, (options or {})["wave"])
    context = CheckContext(
        snapshot=snapshot,
        target=target,
        fmt=fmt,
        out=out,
        project_dir=project_dir,
        options=dict(options or {}),
    )
    if warnings:
        context.results["warnings"] = warnings
    code = 0
    for stage in CHECK_STAGES if stages is None else stages:
        code = max(code, stage(context))
    if fmt == "json":
        out.write(json.dumps(context.results, indent=2) + "\n")
    return code


def stack_warnings(target: str, project_dir: Path | None) -> list[str]:
    """Sovereignty concerns about where the stack keeps its state and secrets key."""
    import os

    import yaml

    from bascule.synth.backend import backend_warnings
    from bascule.synth.run import resolve_stack

    directory, _, stack_file = resolve_stack(target, project_dir)
    try:
        project = yaml.safe_load((directory / "Pulumi.yaml").read_text()) or {}
        stack = yaml.safe_load(stack_file.read_text()) or {}
    except (OSError, ValueError, RecursionError, yaml.YAMLError):  # ValueError: not UTF-8
        return []  # the synth that follows reports unreadable files, with their names
    if not isinstance(project, dict) or not isinstance(stack, dict):
        return []
    return backend_warnings(project, stack_file.name, stack, os.environ)


def cmd_check(args: argparse.Namespace) -> int:
    project_dir = Path(args.project_dir) if args.project_dir else None
    options = {
        "packs": args.pack,
        "policy_config": args.policy_config,
        "today": args.today,
        "in_process": args.in_process,
        "stack_config": args.stack_config,
        "grpc": args.grpc,
        "wave": args.wave,
        "tolerance": args.tolerance,
        "flavour_rounding": args.flavour_rounding,
        "with_checkov": args.with_checkov,
        "checkov_config": args.checkov_config,
    }
    return run_check(
        args.target,
        project_dir=project_dir,
        fmt=args.format,
        options=options,
        cache=not args.no_cache,
    )
