"""A `PolicyRun` out to the user, for `bascule policy` and `bascule checkov`: text on stdout,
or a report document (json, sarif, junit, matrix) on stdout or in `-o FILE`."""

from __future__ import annotations

import argparse
import sys

from bascule.cli.commands import artifact_of, emit, writes_file
from bascule.policy.result import PolicyRun
from bascule.report.formats import render
from bascule.report.text import print_text


def report_run(run: PolicyRun, args: argparse.Namespace, done: str) -> int:
    """`run` as `--format` says; `done` is the stderr line's start before the file's name.
    Exit 1 on a mandatory finding."""
    if args.format == "text" and not writes_file(args.output):
        print_text(run, sys.stdout)
    else:
        document = render(run, args.format, artifact_of(args.target, args.project_dir))
        emit(document, args.output, done)
    return 1 if run.failed else 0
