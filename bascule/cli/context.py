"""What every stage of `bascule check` is given: the snapshot, where to write, and the
command line's options, typed.

The stages (`bascule.cli.policy`, `bascule.cli.parity`, `bascule.cli.checkov`) import this
module; it imports none of them, so `bascule.cli.check` can import them all without a cycle.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, TextIO

from bascule.policy.result import PolicyRun
from bascule.report.json_report import report_dict
from bascule.report.text import print_text
from bascule.snapshot.model import Snapshot


@dataclass(frozen=True)
class CheckOptions:
    """`bascule check`'s options for its stages, as the command line gives them."""

    packs: tuple[str, ...] = ()  # empty: every bundled pack
    policy_config: tuple[str, ...] = ()
    stack_config: str | None = None
    grpc: bool = False
    in_process: bool = False
    today: dt.date | None = None
    wave: int | None = None
    tolerance: tuple[str, ...] = ()
    flavour_rounding: bool = True
    with_checkov: bool = False
    checkov_config: str | None = None

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> CheckOptions:
        """Every option under its own name, the repeatable ones (lists) as tuples."""
        repeated: dict[str, Any] = {
            "packs": tuple(args.pack or ()),
            "policy_config": tuple(args.policy_config),
            "tolerance": tuple(args.tolerance),
        }
        same = {f.name: getattr(args, f.name) for f in fields(cls) if f.name not in repeated}
        return cls(**same, **repeated)


@dataclass(frozen=True)
class CheckContext:
    snapshot: Snapshot
    target: str
    fmt: str  # "text" | "json"
    out: TextIO
    project_dir: Path | None = None
    options: CheckOptions = CheckOptions()
    # Stages put their JSON-able results here; `--format json` prints them all at the end.
    results: dict[str, Any] = field(default_factory=dict)

    def report_run(self, key: str, heading: str, run: PolicyRun) -> int:
        """A stage's PolicyRun: under `key` in JSON, else printed under `heading`. Exit 1 on
        a mandatory violation."""
        if self.fmt == "json":
            self.results[key] = report_dict(run)
        else:
            self.out.write(f"\n{heading}\n")
            self.out.flush()
            print_text(run, self.out)
        return 1 if run.failed else 0


CheckStage = Callable[[CheckContext], int]
