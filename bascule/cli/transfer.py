"""`bascule transfer plan|run|verify`: a wave's data, Azure Blob to Swift, with rclone
(the parser: `bascule.cli.parser`)."""

from __future__ import annotations

import argparse
import sys
from dataclasses import fields
from pathlib import Path

from bascule.cli.commands import emit, obtain_snapshot
from bascule.transfer.model import load_plan
from bascule.transfer.plan import PlanOptions, build_plan
from bascule.transfer.report import render_verification
from bascule.transfer.run import run_plan
from bascule.transfer.verify import verify_plan
from bascule.transfer.write import describe_plan, write_plan


def cmd_transfer(args: argparse.Namespace) -> int:
    handlers = {"plan": _cmd_plan, "run": _cmd_run, "verify": _cmd_verify}
    return handlers[args.transfer_command](args)


def _cmd_plan(args: argparse.Namespace) -> int:
    options = PlanOptions(**{f.name: getattr(args, f.name) for f in fields(PlanOptions)})
    snapshot = obtain_snapshot(args.target, args.project_dir, cache=not args.no_cache)
    plan = build_plan(snapshot, options)
    directory = Path(args.plan_dir or f"out/transfer/{Path(plan.stack).stem}-wave{plan.wave}")
    written = write_plan(plan, directory)
    sys.stdout.write(describe_plan(plan))
    print(f"transfer plan: {', '.join(str(p) for p in written)}", file=sys.stderr)
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    plan = load_plan(args.plan)
    return run_plan(plan, allow_loopback_http=args.allow_loopback_http, out=sys.stdout)


def _cmd_verify(args: argparse.Namespace) -> int:
    plan = load_plan(args.plan)
    result = verify_plan(
        plan, allow_loopback_http=args.allow_loopback_http, stream_source=args.stream_source
    )
    emit(render_verification(result, args.format), args.output, "transfer verify: report in")
    return 0 if result.passed else 1
