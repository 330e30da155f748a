"""`bascule` command line: `bascule` (the console script) and `python -m bascule` both run
`entry`. This module imports only the parsers (`bascule.cli.parser`) so `--help` stays fast;
a command's module, and with it pulumi, the cloud SDKs, grpc or rich, is imported when the
command runs (`COMMANDS`)."""

from __future__ import annotations

import importlib
import os
import sys
import traceback
from collections.abc import Sequence

from bascule.cli.parser import PROG, build_parser
from bascule.errors import BasculeError
from bascule.files import check_output_path
from bascule.process import exit_now

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


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        output = getattr(args, "output", None)
        if output and output != "-":  # every command that writes a file: refused up front
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


if __name__ == "__main__":
    entry()
