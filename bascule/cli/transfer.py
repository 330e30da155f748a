"""`bascule transfer plan|run|verify`: a wave's data, Azure Blob to Swift, with rclone.

Module level imports only argparse: the handlers import the transfer package on use."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

LOOPBACK_HELP = (
    "allow plain http to loopback endpoints (127.0.0.1, ::1): test rehearsals against "
    "Azurite and a local Swift only; every other endpoint must be https"
)


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--allow-loopback-http", action="store_true", help=LOOPBACK_HELP)


def _add_plan(sub: Any) -> None:
    plan = sub.add_parser(
        "plan",
        help="derive a wave's transfer job from the stack: plan.json and rclone configs",
        description="From the synthesized stack (or a snapshot), write the wave's job: per "
        "dataset the source account and container, the target container, its storage policy "
        "and key, the transfer identities (by reference: secrets come from environment "
        "variables), the integrity method; pseudonymisation-key datasets get their own job "
        "and identities. Writes DIR/plan.json and one rclone configuration per job.",
    )
    plan.add_argument("target", metavar="STACK|SNAPSHOT", help="stack name or snapshot .json")
    plan.add_argument("--wave", type=int, required=True, metavar="N")
    plan.add_argument(
        "-o",
        "--output",
        dest="plan_dir",
        metavar="DIR",
        help="plan directory (default: out/transfer/STACK-waveN)",
    )
    plan.add_argument(
        "--source-auth",
        choices=("msi", "sas"),
        default="msi",
        help="source identity: the wave's Azure managed identity (default) or a container SAS "
        "URL per dataset, read from the environment",
    )
    plan.add_argument(
        "--source-endpoint",
        metavar="URL",
        help="path-style blob service for every account, URL/<account> (Azurite); "
        "default https://<account>.blob.core.windows.net",
    )
    plan.add_argument(
        "--target-auth",
        choices=("keystone", "tempauth"),
        default="keystone",
        help="target identity: a Keystone v3 application credential (default) or tempauth",
    )
    plan.add_argument(
        "--target-auth-url", metavar="URL", help="default: the stack's OpenStack provider authUrl"
    )
    _add_common(plan)
    plan.add_argument("--project-dir", metavar="DIR", help="Pulumi project directory")
    plan.add_argument("--no-cache", action="store_true", help="synthesize even if unchanged")


def _add_run(sub: Any) -> None:
    run = sub.add_parser(
        "run",
        help="copy the plan's datasets with rclone (checksums, bounded retries, resumable)",
        description="Check the target containers (storage policy, key), then copy every "
        "dataset with rclone: checksums on, bounded retries and timeouts, progress on a "
        "terminal. A rerun copies only what is missing or different, and again whatever the "
        "last verification found corrupted. Logs every object in PLANDIR/logs/. "
        "Exit 0 when everything is copied, 1 when an object failed.",
    )
    run.add_argument("plan", metavar="PLAN", help="plan.json or its directory")
    _add_common(run)


def _add_verify(sub: Any) -> None:
    verify = sub.add_parser(
        "verify",
        help="object-level parity of source and target; writes the manifest and its SHA-256",
        description="Check every source object is on the target with the same size and "
        "content (every target object streamed and hashed; source blobs without a stored MD5 "
        "streamed too), no extra object, and the target containers' storage policy and key. "
        "An object that could not be checked is a failure. Writes "
        "PLANDIR/verification/manifest.json and manifest.json.sha256. Exit 0 passed, "
        "1 failed.",
    )
    verify.add_argument("plan", metavar="PLAN", help="plan.json or its directory")
    verify.add_argument("--format", choices=("text", "json", "junit"), default="text")
    verify.add_argument("-o", "--output", metavar="FILE", help="report file (default: stdout)")
    verify.add_argument(
        "--stream-source",
        action="store_true",
        help="hash every source blob by streaming it, even where it has a stored Content-MD5",
    )
    _add_common(verify)


def add_transfer_parser(sub: Any) -> None:
    transfer = sub.add_parser(
        "transfer",
        help="plan, run and verify a wave's data transfer (Azure Blob to Swift, rclone)",
        description="Rehearse or run a wave's data transfer: plan, run, verify.",
    )
    commands = transfer.add_subparsers(dest="transfer_command", metavar="STEP", required=True)
    _add_plan(commands)
    _add_run(commands)
    _add_verify(commands)


def cmd_transfer(args: argparse.Namespace) -> int:
    handlers = {"plan": _cmd_plan, "run": _cmd_run, "verify": _cmd_verify}
    return handlers[args.transfer_command](args)


def _cmd_plan(args: argparse.Namespace) -> int:
    from bascule.cli.commands import obtain_snapshot
    from bascule.transfer.plan import PlanOptions, build_plan
    from bascule.transfer.write import describe_plan, write_plan

    options = PlanOptions(
        wave=args.wave,
        source_endpoint=args.source_endpoint,
        source_auth=args.source_auth,
        target_auth_url=args.target_auth_url,
        target_auth=args.target_auth,
        allow_loopback_http=args.allow_loopback_http,
    )
    snapshot = obtain_snapshot(args.target, args.project_dir, cache=not args.no_cache)
    plan = build_plan(snapshot, options)
    directory = Path(args.plan_dir or f"out/transfer/{Path(plan.stack).stem}-wave{plan.wave}")
    written = write_plan(plan, directory)
    sys.stdout.write(describe_plan(plan))
    print(f"transfer plan: {', '.join(str(p) for p in written)}", file=sys.stderr)
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    from bascule.transfer.model import load_plan
    from bascule.transfer.run import run_plan

    plan = load_plan(args.plan)
    return run_plan(plan, allow_loopback_http=args.allow_loopback_http, out=sys.stdout)


def _cmd_verify(args: argparse.Namespace) -> int:
    from bascule.cli.commands import emit
    from bascule.transfer.model import load_plan
    from bascule.transfer.report import render_verification
    from bascule.transfer.verify import verify_plan

    plan = load_plan(args.plan)
    result = verify_plan(
        plan, allow_loopback_http=args.allow_loopback_http, stream_source=args.stream_source
    )
    emit(render_verification(result, args.format), args.output, "transfer verify: report in")
    return 0 if result.passed else 1
