"""`bascule parity` and the parity stage of `bascule check`."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from bascule.errors import BadInputError, UsageError

if TYPE_CHECKING:
    from bascule.cli.check import CheckContext
    from bascule.parity.diff import AcceptedGap, ParityOptions, Tolerance
    from bascule.parity.model import ParityReport
    from bascule.snapshot.model import Snapshot

PARITY_FORMATS = ("text", "markdown", "html", "json")


def add_parity_options(parser: argparse.ArgumentParser) -> None:
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


def empty_capabilities(report: ParityReport) -> list[str]:
    """Capabilities neither estate has: reported, so "no gap" never means "nothing looked at"."""
    from bascule.parity.model import Capability

    present = {p.capability for p in report.pairs}
    core = (Capability.ZONE, Capability.DATASET, Capability.KEY, Capability.ENCLAVE)
    return [str(c) for c in core if c not in present]


def _warn_empty(report: ParityReport) -> None:
    for capability in empty_capabilities(report):
        print(f"bascule: warning: parity: no {capability} in either estate", file=sys.stderr)


def parse_tolerances(specs: list[str]) -> dict[str, Tolerance]:
    from bascule.parity.diff import Tolerance
    from bascule.parity.mapping import FIELDS, Order

    higher = sorted(
        {
            name
            for fields in FIELDS.values()
            for name, f in fields.items()
            if f.order is Order.HIGHER
        }
    )
    tolerances: dict[str, Tolerance] = {}
    for spec in specs:
        name, sep, value = spec.partition("=")
        if not sep or name not in higher:
            raise UsageError(
                f"--tolerance {spec!r}: expected FIELD=VALUE with FIELD one of {', '.join(higher)}"
            )
        try:
            amount = float(value.removesuffix("%"))
        except ValueError:
            raise UsageError(f"--tolerance {spec!r}: {value!r} is not a number") from None
        if amount < 0:
            raise UsageError(f"--tolerance {spec!r}: must not be negative")
        tolerances[name] = (
            Tolerance(relative=amount / 100) if value.endswith("%") else Tolerance(absolute=amount)
        )
    return tolerances


def waved_parity(
    source: Snapshot, target: Snapshot, options: ParityOptions, labels: tuple[str, str]
) -> ParityReport:
    """Parity up to `options.wave`, which must be a wave the estates' enclaves or datasets
    belong to (a wave of 0, below 1, or one nothing belongs to is a usage error naming them)."""
    from dataclasses import replace

    from bascule.parity.diff import parity

    everything = parity(source, target, replace(options, wave=None), labels)
    if options.wave is None:
        return everything
    _require_known_wave(options.wave, everything)
    return parity(source, target, options, labels)


def check_wave(snapshot: Snapshot, wave: int | None) -> None:
    """`check --wave N`, before any stage runs: N must be one of the snapshot's waves."""
    from bascule.parity.diff import parity

    if wave is not None:
        _require_known_wave(wave, parity(snapshot, snapshot))


def _require_known_wave(wave: int, everything: ParityReport) -> None:
    from bascule.parity.diff import WAVED

    known = sorted({p.wave for p in everything.pairs if p.capability in WAVED and p.wave})
    if wave not in known:
        names = ", ".join(map(str, known)) or "none: no enclave or dataset carries a wave"
        raise UsageError(f"--wave {wave}: no such wave (known waves: {names})")


def _options(args: argparse.Namespace, accepted: list[AcceptedGap]) -> ParityOptions:
    from bascule.parity.diff import ParityOptions

    return ParityOptions(
        wave=args.wave,
        tolerances=parse_tolerances(args.tolerance),
        flavour_rounding=args.flavour_rounding,
        accepted=tuple(accepted),
    )


def cmd_parity(args: argparse.Namespace) -> int:
    from bascule.cli.commands import emit, obtain_snapshot, writes_file
    from bascule.parity.accepted import accepted_gaps
    from bascule.parity.inventory import has_estate
    from bascule.parity.mapping import ESTATE_COMPONENTS, SOURCE, TARGET
    from bascule.report.parity_formats import render_parity
    from bascule.report.parity_text import print_parity_text

    source = obtain_snapshot(args.source, args.project_dir, cache=not args.no_cache)
    target = (
        source
        if args.target in (None, args.source)
        else obtain_snapshot(args.target, args.project_dir, cache=not args.no_cache)
    )
    for snapshot, estate in ((source, SOURCE), (target, TARGET)):
        if not has_estate(snapshot, estate):
            raise BadInputError(
                f"{snapshot.source}: no {estate} estate ({ESTATE_COMPONENTS[estate]}) in it"
            )
    options = _options(args, accepted_gaps(target))
    from bascule.files import shown_path

    labels = (
        f"{shown_path(args.source)} (source estate)",
        f"{shown_path(args.target or args.source)} (target estate)",
    )
    report = waved_parity(source, target, options, labels)
    _warn_empty(report)
    if args.format == "text" and not writes_file(args.output):
        print_parity_text(report, sys.stdout)
    else:
        emit(render_parity(report, args.format), args.output,
             f"parity: {report.summary_line()}; written to")  # fmt: skip
    return 1 if report.failed else 0


def parity_stage(context: CheckContext) -> int:
    """`check` stage: the stack's source estate against its own target estate."""
    from bascule.parity.accepted import accepted_gaps
    from bascule.parity.diff import ParityOptions
    from bascule.parity.inventory import has_estate
    from bascule.parity.mapping import SOURCE, TARGET
    from bascule.report.parity_text import print_parity_text

    if not (has_estate(context.snapshot, SOURCE) and has_estate(context.snapshot, TARGET)):
        # Not a bascule program (or one estate only): say so rather than "at parity".
        note = "skipped: the snapshot does not hold both bascule estates"
        if context.fmt == "json":
            context.results["parity"] = {"skipped": note}
        else:
            context.out.write(f"\nParity: {note}\n")
        return 0
    options = ParityOptions(
        wave=context.options.get("wave"),
        tolerances=parse_tolerances(context.options.get("tolerance") or []),
        flavour_rounding=context.options.get("flavour_rounding", True),
        accepted=tuple(accepted_gaps(context.snapshot)),
    )
    report = waved_parity(context.snapshot, context.snapshot, options, ("source", "target"))
    _warn_empty(report)
    if context.fmt == "json":
        context.results["parity"] = report.to_dict()
    else:
        context.out.write("\nParity (source Azure estate -> target SecNumCloud estate)\n")
        context.out.flush()
        print_parity_text(report, context.out)
    return 1 if report.failed else 0
