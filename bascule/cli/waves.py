"""`bascule waves`: each wave's acceptance tests, the moves since an earlier export, and a
wave's rollback plan.

    bascule waves STACK [--wave N] [--format text|json|junit|markdown]
    bascule waves plan STACK --since OLD
    bascule waves rollback-plan STACK --wave N

The parser: `bascule.cli.parser`."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

from bascule.cli.commands import (
    emit,
    is_snapshot_file,
    obtain_snapshot,
    require_resources,
    synth_stack,
)
from bascule.errors import BadInputError, UsageError
from bascule.files import shown_path
from bascule.parity.accepted import accepted_gaps
from bascule.parity.diff import ParityOptions, parity
from bascule.parity.waves import wave_plan
from bascule.snapshot.load import load_snapshot
from bascule.synth.config import parse_yaml
from bascule.synth.run import resolve_stack, synthesize
from bascule.waves.acceptance import Inputs, accept_wave
from bascule.waves.evidence import check_evidence
from bascule.waves.plan import moves, plan_entries
from bascule.waves.report import RENDERERS

# bascule.cli.policy (the policy engine: the Pulumi SDK, grpc) is imported inside the
# acceptance run only: `waves plan` and `waves rollback-plan` do not load it.
from bascule.waves.rollback import rolled_back, snapshot_changes

ACTIONS = ("plan", "rollback-plan")


def cmd_waves(args: argparse.Namespace) -> int:
    words = list(args.words)
    action = words.pop(0) if words[0] in ACTIONS else None
    if len(words) != 1:
        raise UsageError(f"waves {action or ''}: expected one STACK or SNAPSHOT, got {words}")
    target = words[0]
    if action == "plan":
        if not args.since:
            raise UsageError("waves plan: --since OLD (an earlier stack export) is required")
        return _cmd_plan(args, target)
    if action == "rollback-plan":
        if args.wave is None:
            raise UsageError("waves rollback-plan: --wave N is required")
        return _cmd_rollback(args, target)
    if args.since:
        raise UsageError("waves: --since is for `waves plan`")
    return _cmd_accept(args, target)


def _emit(text: str, output: str | None) -> None:
    emit(text, output, f"waves: report written to {output}")


def _evidence(entries: list[Any], project_dir: Path) -> dict[int, Any]:
    return {
        int(e["id"]): check_evidence(e["transferEvidence"], int(e["id"]), project_dir)
        for e in entries
        if isinstance(e.get("transferEvidence"), dict)
    }


def _project_dir(args: argparse.Namespace, target: str) -> Path:
    if args.project_dir:
        return Path(args.project_dir)
    if is_snapshot_file(target):
        return Path.cwd()
    return resolve_stack(target, None)[0]


def _cmd_accept(args: argparse.Namespace, target: str) -> int:
    from bascule.cli.policy import run_packs, stack_context, stack_policy_config

    snapshot = require_resources(obtain_snapshot(target, args.project_dir, cache=not args.no_cache))
    entries = plan_entries(snapshot, target)
    if args.wave is not None:
        entries = [e for e in entries if e["id"] == args.wave]
        if not entries:
            raise BadInputError(f"{target}: the wave plan has no wave {args.wave}")
    today = args.today or dt.date.today()
    files = [*stack_policy_config(target, args.project_dir), *args.policy_config]
    context = stack_context(target, args.project_dir, snapshot)
    run = run_packs(snapshot, None, files, today, True, context)
    options = ParityOptions(accepted=tuple(accepted_gaps(snapshot)), plan=wave_plan(snapshot))
    report = parity(snapshot, snapshot, options)
    inputs = Inputs(
        snapshot=snapshot,
        violations=run.mandatory,
        gaps=report.gaps,
        evidence=_evidence(entries, _project_dir(args, target)),
        today=today,
    )
    results = [accept_wave(entry, inputs) for entry in entries]
    _emit(RENDERERS[args.format](results, target), args.output)
    return 1 if any(r.failed for r in results) else 0


def _cmd_plan(args: argparse.Namespace, target: str) -> int:
    old = plan_entries(load_snapshot(Path(args.since)), args.since)
    new_snapshot = obtain_snapshot(target, args.project_dir, cache=not args.no_cache)
    found = moves(old, plan_entries(new_snapshot, target))
    if args.wave is not None:
        found = [m for m in found if m.wave == args.wave]
    refused = [m for m in found if not m.legal]
    lines = [f"Wave moves: {args.since} -> {target}", *(m.line() for m in found)]
    lines.append(f"{len(refused)} refused" if refused else "every move is legal")
    _emit("\n".join(lines) + "\n", args.output)
    return 1 if refused else 0


def _cmd_rollback(args: argparse.Namespace, target: str) -> int:
    if is_snapshot_file(target):
        raise UsageError("waves rollback-plan: give a STACK (its config is changed), not a file")
    project = Path(args.project_dir) if args.project_dir else None
    directory, name, file = resolve_stack(target, project)
    stack_file = file or directory / f"Pulumi.{name}.yaml"
    # The same reader as the synth: duplicate keys, YAML 1.2 scalars, alias bombs refused.
    label = shown_path(stack_file)
    try:
        text = stack_file.read_text(encoding="utf-8")
    except OSError as err:
        raise BadInputError(f"{label}: cannot read: {err.strerror or err}") from None
    changed = rolled_back(parse_yaml(text, label) or {}, args.wave, label)
    before = synth_stack(target, args.project_dir, cache=not args.no_cache)
    with tempfile.TemporaryDirectory(prefix="bascule-rollback-") as tmp:
        copy = Path(tmp) / stack_file.name
        copy.write_text(yaml.safe_dump(changed, sort_keys=False), encoding="utf-8")
        after = synthesize(directory, name, stack_file=copy)
    changes = snapshot_changes(before, after)
    lines = [
        f"Rollback plan: {target} wave {args.wave}",
        f"config: bascule:waves[id={args.wave}].status: cutover -> rolled-back",
        f"resources: {len(changes)} change(s) "
        "(+ added, - removed, ~ changed inputs; values not shown)",
        *(c.line() for c in changes),
        "then: rolled-back -> replicating to copy again (bascule waves plan shows the move)",
    ]
    _emit("\n".join(lines) + "\n", args.output)
    print(f"waves: {len(changes)} resource change(s) for wave {args.wave}", file=sys.stderr)
    return 0
