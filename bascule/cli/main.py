"""`bascule` command line. Imports nothing heavy at module level so `--help` stays fast:
pulumi, the cloud SDKs, grpc and rich are imported inside the command handlers."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
import traceback
from collections.abc import Sequence
from typing import NoReturn

from bascule.cli.checkov import add_checkov_options
from bascule.cli.parity import add_drift_arguments, add_pairing_option, add_parity_options
from bascule.cli.policy import _parse_date as _date
from bascule.cli.policy import add_policy_options
from bascule.cli.providers import add_providers_options
from bascule.cli.transfer import add_transfer_parser
from bascule.cli.waves import add_waves_parser
from bascule.errors import BasculeError

PROG = "bascule"
# command -> (module, handler), imported on use so `--help` loads no cloud SDK.
COMMANDS = {
    "synth": ("bascule.cli.commands", "cmd_synth"),
    "inventory": ("bascule.cli.commands", "cmd_inventory"),
    "policy": ("bascule.cli.policy", "cmd_policy"),
    "parity": ("bascule.cli.parity", "cmd_parity"),
    "drift": ("bascule.cli.parity", "cmd_drift"),
    "export": ("bascule.cli.checkov", "cmd_export"),
    "checkov": ("bascule.cli.checkov", "cmd_checkov"),
    "check": ("bascule.cli.check", "cmd_check"),
    "providers": ("bascule.cli.providers", "cmd_providers"),
    "transfer": ("bascule.cli.transfer", "cmd_transfer"),
    "waves": ("bascule.cli.waves", "cmd_waves"),
}


def _add_stack_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--project-dir",
        metavar="DIR",
        help="Pulumi project directory (default: the stack file's directory, else the cwd)",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="synthesize even if the project is unchanged since the last run "
        "(cache: <project>/.bascule/cache; also BASCULE_NO_CACHE=1)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Offline tooling for the bascule Pulumi program: synth, inventory, "
        "policy, parity, drift, export, checkov, check, providers, transfer, waves. Exit codes: "
        "0 ok, 1 findings, 2 bad input, 3 internal error.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    synth = sub.add_parser(
        "synth",
        help="run the program under mocks and write its snapshot (stack export JSON)",
        description="Run the Pulumi program offline under mocks for STACK and write the "
        "resulting snapshot as `pulumi stack export` JSON. Secrets are never written.",
    )
    synth.add_argument("stack", metavar="STACK", help="stack name or path to Pulumi.<name>.yaml")
    synth.add_argument("-o", "--output", metavar="FILE", help="output file (default: stdout)")
    _add_stack_options(synth)

    inventory = sub.add_parser(
        "inventory",
        help="per-estate summary of a stack or snapshot",
        description="Summarise each estate (source Azure, target SecNumCloud): resource "
        "counts by type, enclaves, datasets and keys.",
    )
    inventory.add_argument(
        "target",
        metavar="STACK|SNAPSHOT",
        help="stack name, Pulumi.<name>.yaml, or a .json stack export / preview --json file",
    )
    inventory.add_argument("--format", choices=("text", "json"), default="text")
    _add_stack_options(inventory)

    policy = sub.add_parser(
        "policy",
        help="run the CrossGuard policy packs offline on a stack or snapshot",
        description="Run the policy packs (sovereignty, protection, migration) through "
        "Pulumi's analyzer gRPC protocol, as `pulumi preview --policy-pack` does, on a "
        "synthesized stack or a snapshot (stack export or preview --json). "
        "Exit 1 when any mandatory violation remains.",
    )
    policy.add_argument(
        "target",
        metavar="STACK|SNAPSHOT",
        help="stack name, Pulumi.<name>.yaml, or a .json stack export / preview --json file",
    )
    policy.add_argument(
        "--format", choices=("text", "json", "sarif", "junit", "matrix"), default="text"
    )
    policy.add_argument("-o", "--output", metavar="FILE", help="report file (default: stdout)")
    add_policy_options(policy)
    _add_stack_options(policy)

    parity = sub.add_parser(
        "parity",
        help="diff the source Azure estate against the target SecNumCloud estate",
        description="Map both estates onto platform capabilities (zones, datasets, keys, "
        "enclaves, gateway, logging) and report every gap: missing, extra, weaker or stronger "
        "on the target. SOURCE and TARGET are stacks or snapshots; with one argument, its two "
        "estates are compared. Exit 1 when a missing or weaker gap is not accepted.",
    )
    parity.add_argument("source", metavar="SOURCE", help="stack or snapshot of the Azure estate")
    parity.add_argument(
        "target",
        metavar="TARGET",
        nargs="?",
        help="stack or snapshot of the target estate (default: SOURCE)",
    )
    parity.add_argument("--format", choices=("text", "markdown", "html", "json"), default="text")
    parity.add_argument("-o", "--output", metavar="FILE", help="report file (default: stdout)")
    add_parity_options(parity)
    add_pairing_option(parity)
    _add_stack_options(parity)

    drift = sub.add_parser(
        "drift",
        help="diff two exports of one stack taken at two dates (each estate with itself)",
        description="Read each estate of OLD and NEW as parity does and list every change: "
        "objects removed or added, fields weakened, strengthened or changed. Exit 1 when "
        "NEW lost something (an object removed, a field weakened), unless --fail-on says "
        "otherwise.",
    )
    add_drift_arguments(drift)
    _add_stack_options(drift)

    export = sub.add_parser(
        "export",
        help="write a stack's resources for checkov: Terraform plan JSON or ARM template",
        description="Export the target estate (OpenStack/OVH) as `terraform show -json` plan "
        "JSON, or the source estate (azure-native) as an ARM template.",
    )
    export.add_argument("target", metavar="STACK|SNAPSHOT", help="stack name or snapshot .json")
    export.add_argument("--to", choices=("tfplan", "arm"), required=True)
    export.add_argument("-o", "--output", metavar="FILE", help="output file (default: stdout)")
    _add_stack_options(export)

    checkov = sub.add_parser(
        "checkov",
        help="scan a stack with checkov (built-in checks plus policies/checkov)",
        description="Export the stack, run checkov in its own virtual environment (created "
        "on first use, always --skip-download) with the built-in checks and bascule's custom "
        "checks, and report the findings on Pulumi URNs. Exit 1 on a mandatory finding.",
    )
    checkov.add_argument("target", metavar="STACK|SNAPSHOT", help="stack name or snapshot .json")
    checkov.add_argument("--format", choices=("text", "json", "sarif", "junit"), default="text")
    checkov.add_argument("-o", "--output", metavar="FILE", help="report file (default: stdout)")
    checkov.add_argument("--today", type=_date, metavar="YYYY-MM-DD")
    add_checkov_options(checkov)
    _add_stack_options(checkov)

    check = sub.add_parser(
        "check",
        help="the main job: synth the stack and run every check stage",
        description="Synthesize STACK offline (or load a snapshot) and run the check stages: "
        "per-estate summary, every policy pack, then parity between the two estates. "
        "Exit 0 ok, 1 findings, 2 bad input.",
    )
    check.add_argument(
        "target",
        metavar="STACK|SNAPSHOT",
        help="stack name, Pulumi.<name>.yaml, or a .json stack export / preview --json file",
    )
    check.add_argument("--format", choices=("text", "json"), default="text")
    add_policy_options(check)
    add_parity_options(check)
    check.add_argument(
        "--with-checkov", action="store_true", help="also run checkov on the exports (slower)"
    )
    add_checkov_options(check)
    _add_stack_options(check)

    providers = sub.add_parser(
        "providers",
        help="the SecNumCloud offer registry, with each offer's standing on a date",
        description="Print the offer registry (bascule/registry/offers.yaml, or "
        "BASCULE_REGISTRY): provider, offer, OpenStack, SecNumCloud standing and visa, ANSSI "
        "decision, HDS and regions, every fact with its sources (markdown, json).",
    )
    add_providers_options(providers)
    add_transfer_parser(sub)
    add_waves_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        output = getattr(args, "output", None)
        if output and output != "-":  # every command that writes a file: refused up front
            from bascule.files import check_output_path

            check_output_path(output)
        module, function = COMMANDS[args.command]
        handler = getattr(importlib.import_module(module), function)
        return int(handler(args))
    except BasculeError as exc:
        lines: tuple[str, ...] = getattr(exc, "lines", ())
        if lines:  # several errors (policy config): each on its own line, verbatim
            for line in lines:
                print(f"{PROG}: error: {line}", file=sys.stderr)
            return exc.exit_code
        return _fail(exc.message, exc.exit_code)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        # Other packages' errors carrying a one-line message and exit code (policy runner).
        code = getattr(exc, "exit_code", None)
        message = getattr(exc, "message", None)
        if isinstance(code, int) and isinstance(message, str):
            return _fail(message, code)
        # Anything else is a bug: exit 3, never Python's 1, which would read as "findings".
        if os.environ.get("BASCULE_DEBUG"):
            traceback.print_exc()
        where = "" if os.environ.get("BASCULE_DEBUG") else " (BASCULE_DEBUG=1 for the traceback)"
        return _fail(f"internal error: {type(exc).__name__}: {exc}{where}", 3)


def _fail(message: str, code: int) -> int:
    print(f"{PROG}: error: {' '.join(message.split())}", file=sys.stderr)
    return code


def entry() -> None:
    exit_now(main())


def exit_now(code: int) -> NoReturn:
    """Exit without the interpreter's teardown: freeing a synthesized estate object by object
    takes longer than anything left to do (0.6 s on prod). Every file is closed by then."""
    for stream in (sys.stdout, sys.stderr):
        # A reader that went away, or a closed stream: nothing more can be said anyway.
        with contextlib.suppress(BrokenPipeError, ValueError):
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    entry()
