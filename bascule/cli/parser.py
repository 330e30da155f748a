"""The command line's shape: every command's arguments and options (`build_parser`).

This module and `bascule.cli.main` are all of bascule that `bascule --help` loads (with
`bascule.rules.base`, for the pack names): the handlers live in the command modules
(`bascule.cli.commands`, `.policy`, `.parity`, `.checkov`, `.check`, `.providers`,
`.transfer`, `.waves`), which `bascule.cli.main` imports on use.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from bascule.rules.base import PACKS

PROG = "bascule"
TARGET_HELP = "stack name, Pulumi.<name>.yaml, or a .json stack export / preview --json file"
PROVIDERS_FORMATS = ("text", "json", "markdown")
LOOPBACK_HELP = (
    "allow plain http to loopback endpoints (127.0.0.1, ::1): test rehearsals against "
    "Azurite and a local Swift only; every other endpoint must be https"
)
PARITY_FORMATS = ("text", "markdown", "html", "json")
CHECKOV_CONFIG_HELP = (
    "levels and suppressions for checkov checks (JSON, shaped like a policy config)"
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Offline tooling for the bascule Pulumi program: synth, inventory, "
        "policy, parity, drift, export, checkov, check, providers, transfer, waves. Exit codes: "
        "0 ok, 1 findings, 2 bad input, 3 internal error.",
    )
    _add_commands(parser, "command", "COMMAND", COMMAND_PARSERS)
    return parser


@dataclass(frozen=True)
class Command:
    """One command (or `transfer` step): its name, help line, description and arguments."""

    name: str
    help: str
    description: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    synthesizes: bool = False  # may synthesize a stack: `--project-dir`, `--no-cache` last


def _add_commands(
    parser: argparse.ArgumentParser, dest: str, metavar: str, commands: tuple[Command, ...]
) -> None:
    sub = parser.add_subparsers(dest=dest, metavar=metavar, required=True)
    for command in commands:
        parser = sub.add_parser(command.name, help=command.help, description=command.description)
        command.add_arguments(parser)
        if command.synthesizes:
            _add_stack_options(parser)


def _add_target(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", metavar="STACK|SNAPSHOT", help=TARGET_HELP)


def _add_snapshot_target(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", metavar="STACK|SNAPSHOT", help="stack name or snapshot .json")


def _add_output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", metavar="FILE", help="output file (default: stdout)")


def _add_today(parser: argparse.ArgumentParser, help_text: str | None = None) -> None:
    parser.add_argument("--today", type=parse_date, metavar="YYYY-MM-DD", help=help_text)


def _synth_arguments(synth: argparse.ArgumentParser) -> None:
    synth.add_argument("stack", metavar="STACK", help="stack name or path to Pulumi.<name>.yaml")
    _add_output(synth)


def _inventory_arguments(inventory: argparse.ArgumentParser) -> None:
    _add_target(inventory)
    inventory.add_argument("--format", choices=("text", "json"), default="text")


def _policy_arguments(policy: argparse.ArgumentParser) -> None:
    _add_target(policy)
    _add_report_options(policy, ("text", "json", "sarif", "junit", "matrix"))
    _add_policy_options(policy)


def _export_arguments(export: argparse.ArgumentParser) -> None:
    _add_snapshot_target(export)
    export.add_argument("--to", choices=("tfplan", "arm"), required=True)
    _add_output(export)


def _checkov_arguments(checkov: argparse.ArgumentParser) -> None:
    _add_snapshot_target(checkov)
    _add_report_options(checkov, ("text", "json", "sarif", "junit"))
    _add_today(checkov)
    _add_checkov_options(checkov)


def _check_arguments(check: argparse.ArgumentParser) -> None:
    _add_target(check)
    check.add_argument("--format", choices=("text", "json"), default="text")
    _add_policy_options(check)
    _add_parity_options(check)
    check.add_argument(
        "--with-checkov", action="store_true", help="also run checkov on the exports (slower)"
    )
    _add_checkov_options(check)


def _add_policy_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by `policy` and `check`."""
    parser.add_argument(
        "--pack",
        action="append",
        metavar="PACK",
        help=f"pack name ({', '.join(PACKS)}) or the directory of any Python pack; "
        "repeatable (default: all three). A pack of another project runs as the engine runs "
        "it: in its PulumiPolicy.yaml virtualenv if it exists, else in its own virtualenv "
        "built once from its requirements.txt (cached), else in bascule's interpreter",
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
        "--stack-config",
        metavar="FILE",
        help="for a SNAPSHOT: the Pulumi.<stack>.yaml whose config the packs get, as the engine "
        "gives it (decrypted, PULUMI_CONFIG_PASSPHRASE[_FILE] for a passphrase stack); the "
        "project name comes from the Pulumi.yaml beside it. A STACK passes its own config",
    )
    path = parser.add_mutually_exclusive_group()
    path.add_argument(
        "--grpc",
        action="store_true",
        help="start each pack's analyzer process and speak Pulumi's analyzer gRPC protocol to "
        "it, as `pulumi preview --policy-pack` does (the default for packs other than "
        "bascule's own; those run in this process by default, with the same results, tested)",
    )
    path.add_argument(
        "--in-process",
        action="store_true",
        help="run every pack in this process: bascule's packs through their CrossGuard "
        "servicers (the default for them), any other Python pack loaded into bascule's "
        "environment (refused, with the reason, when it cannot be)",
    )
    _add_today(
        parser,
        "date the check is made on: suppression expiries and SecNumCloud visas are judged on it "
        "(default: today)",
    )


def _add_parity_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--wave",
        type=int,
        metavar="N",
        help="only enclaves and datasets of waves up to N (zones, keys, logging always)",
    )
    parser.add_argument(
        "--tolerance",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="how much less the target may have of a capacity field, absolute (vcpu=2) or "
        "relative (ramGb=10%%); repeatable",
    )
    parser.add_argument(
        "--no-flavour-rounding",
        dest="flavour_rounding",
        action="store_false",
        help="compare vCPU/RAM/GPU exactly instead of accepting a target flavour for which "
        "Azure would have chosen the same VM size",
    )


def _add_pairing_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--pairing",
        metavar="FILE",
        help="YAML file pairing source objects with target objects (`pairs: {pattern: "
        "target}`) and accepting gaps (`accepted: [...]`), before tags and names",
    )


def _parity_arguments(parser: argparse.ArgumentParser) -> None:
    """SOURCE [TARGET], the report, the parity options, the pairing file, the stack options."""
    parser.add_argument("source", metavar="SOURCE", help="stack or snapshot of the Azure estate")
    parser.add_argument(
        "target",
        metavar="TARGET",
        nargs="?",
        help="stack or snapshot of the target estate (default: SOURCE)",
    )
    _add_report_options(parser, PARITY_FORMATS)
    _add_parity_options(parser)
    _add_pairing_option(parser)


def _drift_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", metavar="OLD", help="stack export (or stack) at the earlier date")
    parser.add_argument("new", metavar="NEW", help="stack export (or stack) at the later date")
    _add_report_options(parser, PARITY_FORMATS)
    parser.add_argument(
        "--fail-on",
        choices=("weaker", "any", "never"),
        default="weaker",
        help="exit 1 when NEW lost something, an object removed or a field weakened "
        "(weaker, the default), on any change (any), or never (never: report only)",
    )
    _add_pairing_option(parser)


def _add_checkov_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--checkov-config", metavar="FILE", help=CHECKOV_CONFIG_HELP)


def _providers_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=PROVIDERS_FORMATS, default="text")
    _add_today(parser, "date the visas are judged on (default: today)")
    _add_output(parser)


def _add_loopback_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--allow-loopback-http", action="store_true", help=LOOPBACK_HELP)


def _transfer_plan_arguments(plan: argparse.ArgumentParser) -> None:
    _add_snapshot_target(plan)
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
    _add_loopback_option(plan)
    plan.add_argument("--project-dir", metavar="DIR", help="Pulumi project directory")
    plan.add_argument("--no-cache", action="store_true", help="synthesize even if unchanged")


def _transfer_run_arguments(run: argparse.ArgumentParser) -> None:
    run.add_argument("plan", metavar="PLAN", help="plan.json or its directory")
    _add_loopback_option(run)


def _transfer_verify_arguments(verify: argparse.ArgumentParser) -> None:
    verify.add_argument("plan", metavar="PLAN", help="plan.json or its directory")
    _add_report_options(verify, ("text", "json", "junit"))
    verify.add_argument(
        "--stream-source",
        action="store_true",
        help="hash every source blob by streaming it, even where it has a stored Content-MD5",
    )
    _add_loopback_option(verify)


def _transfer_arguments(transfer: argparse.ArgumentParser) -> None:
    _add_commands(transfer, "transfer_command", "STEP", TRANSFER_STEPS)


def _waves_arguments(waves: argparse.ArgumentParser) -> None:
    waves.add_argument(
        "words",
        nargs="+",
        metavar="[plan|rollback-plan] STACK",
        help="STACK or SNAPSHOT, after `plan` or `rollback-plan` for those",
    )
    waves.add_argument("--wave", type=int, metavar="N", help="only wave N")
    waves.add_argument("--since", metavar="OLD", help="`plan`: the earlier stack export")
    _add_report_options(waves, ("text", "json", "junit", "markdown"))
    _add_today(waves, "judge on this date")
    waves.add_argument(
        "--policy-config",
        action="append",
        default=[],
        metavar="FILE",
        help="policy config applied after the stack's own policies/config/<stack>.json",
    )
    waves.add_argument("--project-dir", metavar="DIR", help="Pulumi project directory")
    waves.add_argument("--no-cache", action="store_true", help="synthesize even if unchanged")


def _add_report_options(parser: argparse.ArgumentParser, formats: tuple[str, ...]) -> None:
    """`--format` (default text) and `-o FILE`, for every command that writes a report."""
    parser.add_argument("--format", choices=formats, default="text")
    parser.add_argument("-o", "--output", metavar="FILE", help="report file (default: stdout)")


def parse_date(text: str) -> dt.date:
    """`--today YYYY-MM-DD` (argparse turns the error into a usage error, exit 2)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {text!r}") from None


def _add_stack_options(parser: argparse.ArgumentParser) -> None:
    """`--project-dir` and `--no-cache`, for every command that may synthesize a stack."""
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


COMMAND_PARSERS = (
    Command(
        "synth",
        "run the program under mocks and write its snapshot (stack export JSON)",
        "Run the Pulumi program offline under mocks for STACK and write the resulting snapshot "
        "as `pulumi stack export` JSON. Secrets are never written.",
        _synth_arguments,
        synthesizes=True,
    ),
    Command(
        "inventory",
        "per-estate summary of a stack or snapshot",
        "Summarise each estate (source Azure, target SecNumCloud): resource counts by type, "
        "enclaves, datasets and keys.",
        _inventory_arguments,
        synthesizes=True,
    ),
    Command(
        "policy",
        "run the CrossGuard policy packs offline on a stack or snapshot",
        "Run the policy packs (sovereignty, protection, migration) through Pulumi's analyzer "
        "gRPC protocol, as `pulumi preview --policy-pack` does, on a synthesized stack or a "
        "snapshot (stack export or preview --json). Exit 1 when any mandatory violation "
        "remains.",
        _policy_arguments,
        synthesizes=True,
    ),
    Command(
        "parity",
        "diff the source Azure estate against the target SecNumCloud estate",
        "Map both estates onto platform capabilities (zones, datasets, keys, enclaves, gateway, "
        "logging) and report every gap: missing, extra, weaker or stronger on the target. "
        "SOURCE and TARGET are stacks or snapshots; with one argument, its two estates are "
        "compared. Exit 1 when a missing or weaker gap is not accepted.",
        _parity_arguments,
        synthesizes=True,
    ),
    Command(
        "drift",
        "diff two exports of one stack taken at two dates (each estate with itself)",
        "Read each estate of OLD and NEW as parity does and list every change: objects removed "
        "or added, fields weakened, strengthened or changed. Exit 1 when NEW lost something (an "
        "object removed, a field weakened), unless --fail-on says otherwise.",
        _drift_arguments,
        synthesizes=True,
    ),
    Command(
        "export",
        "write a stack's resources for checkov: Terraform plan JSON or ARM template",
        "Export the target estate (OpenStack/OVH) as `terraform show -json` plan JSON, or the "
        "source estate (azure-native) as an ARM template.",
        _export_arguments,
        synthesizes=True,
    ),
    Command(
        "checkov",
        "scan a stack with checkov (built-in checks plus policies/checkov)",
        "Export the stack, run checkov in its own virtual environment (created on first use, "
        "always --skip-download) with the built-in checks and bascule's custom checks, and "
        "report the findings on Pulumi URNs. Exit 1 on a mandatory finding.",
        _checkov_arguments,
        synthesizes=True,
    ),
    Command(
        "check",
        "the main job: synth the stack and run every check stage",
        "Synthesize STACK offline (or load a snapshot) and run the check stages: per-estate "
        "summary, every policy pack, then parity between the two estates. Exit 0 ok, "
        "1 findings, 2 bad input.",
        _check_arguments,
        synthesizes=True,
    ),
    Command(
        "providers",
        "the SecNumCloud offer registry, with each offer's standing on a date",
        "Print the offer registry (bascule/registry/offers.yaml, or BASCULE_REGISTRY): "
        "provider, offer, OpenStack, SecNumCloud standing and visa, ANSSI decision, HDS and "
        "regions, every fact with its sources (markdown, json).",
        _providers_arguments,
    ),
    Command(
        "transfer",
        "plan, run and verify a wave's data transfer (Azure Blob to Swift, rclone)",
        "Rehearse or run a wave's data transfer: plan, run, verify.",
        _transfer_arguments,
    ),
    Command(
        "waves",
        "each migration wave's acceptance tests; `plan` and `rollback-plan`",
        "Run each wave's acceptance tests (parity of its objects, policy on its resources, "
        "transfer identities scoped, interconnect compliant and matching, sign-offs for its "
        "status, its transfer verification manifest, a rollback path). `waves plan STACK "
        "--since OLD` lists the status moves since an earlier export and refuses illegal ones; "
        "`waves rollback-plan STACK --wave N` shows what rolling wave N back changes. Exit 0 "
        "accepted / legal, 1 not, 2 bad input.",
        _waves_arguments,
    ),
)
TRANSFER_STEPS = (
    Command(
        "plan",
        "derive a wave's transfer job from the stack: plan.json and rclone configs",
        "From the synthesized stack (or a snapshot), write the wave's job: per dataset the "
        "source account and container, the target container, its storage policy and key, the "
        "transfer identities (by reference: secrets come from environment variables), the "
        "integrity method; pseudonymisation-key datasets get their own job and identities. "
        "Writes DIR/plan.json and one rclone configuration per job.",
        _transfer_plan_arguments,
    ),
    Command(
        "run",
        "copy the plan's datasets with rclone (checksums, bounded retries, resumable)",
        "Check the target containers (storage policy, key), then copy every dataset with "
        "rclone: checksums on, bounded retries and timeouts, progress on a terminal. A rerun "
        "copies only what is missing or different, and again whatever the last verification "
        "found corrupted. Logs every object in PLANDIR/logs/. Exit 0 when everything is copied, "
        "1 when an object failed.",
        _transfer_run_arguments,
    ),
    Command(
        "verify",
        "object-level parity of source and target; writes the manifest and its SHA-256",
        "Check every source object is on the target with the same size and content (every "
        "target object streamed and hashed; source blobs without a stored MD5 streamed too), no "
        "extra object, and the target containers' storage policy and key. An object that could "
        "not be checked is a failure. Writes PLANDIR/verification/manifest.json and "
        "manifest.json.sha256. Exit 0 passed, 1 failed.",
        _transfer_verify_arguments,
    ),
)
