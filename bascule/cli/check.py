"""`bascule check`: get a snapshot, then run the check stages in order.

Stages are plain functions `(CheckContext) -> int` (an exit code: 0 ok, 1 findings). Later
steps plug in by appending to `CHECK_STAGES` (e.g. the policy stage, then parity); the exit
code of the run is the highest any stage returned. Stages write to `context.out`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

import yaml

from bascule.cli.checkov import checkov_stage
from bascule.cli.commands import is_snapshot_file, obtain_snapshot, require_resources
from bascule.cli.context import CheckContext, CheckOptions, CheckStage
from bascule.cli.parity import check_wave, parity_stage
from bascule.cli.policy import policy_stage
from bascule.cli.render import render_summary
from bascule.report.summary import summarize
from bascule.synth.backend import backend_warnings
from bascule.synth.run import resolve_stack


def summary_stage(context: CheckContext) -> int:
    """Per-estate summary (inventory) of the snapshot."""
    summary = summarize(context.snapshot)
    if context.fmt == "json":
        context.results["summary"] = summary.to_json()
    else:
        render_summary(summary, "text", context.out)
    return 0


# The stage list, in order: inventory summary, the policy packs, parity, then (on request)
# checkov.
CHECK_STAGES: tuple[CheckStage, ...] = (summary_stage, policy_stage, parity_stage, checkov_stage)


def run_check(
    target: str,
    *,
    project_dir: Path | None = None,
    fmt: str = "text",
    out: TextIO | None = None,
    stages: Sequence[CheckStage] | None = None,
    options: CheckOptions | None = None,
    cache: bool = True,
) -> int:
    """Synthesize (or load) `target`, run every stage, return the worst exit code."""
    out = out if out is not None else sys.stdout
    options = options if options is not None else CheckOptions()
    warnings = [] if is_snapshot_file(target) else stack_warnings(target, project_dir)
    for warning in warnings:
        print(f"bascule: warning: {warning}", file=sys.stderr)
    directory = str(project_dir) if project_dir else None
    snapshot = require_resources(obtain_snapshot(target, directory, cache=cache))
    if options.wave is not None:
        check_wave(snapshot, options.wave)
    context = CheckContext(snapshot, target, fmt, out, project_dir, options)
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
    return run_check(
        args.target,
        project_dir=Path(args.project_dir) if args.project_dir else None,
        fmt=args.format,
        options=CheckOptions.from_args(args),
        cache=not args.no_cache,
    )
