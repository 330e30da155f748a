"""`bascule parity` and the parity stage of `bascule check`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import replace

from bascule.cli.commands import emit, obtain_snapshot, writes_file
from bascule.cli.context import CheckContext
from bascule.errors import BadInputError, UsageError
from bascule.parity.accepted import accepted_gaps
from bascule.parity.diff import WAVED, AcceptedGap, ParityOptions, Tolerance, parity
from bascule.parity.drift import drift
from bascule.parity.inventory import has_estate
from bascule.parity.mapping import ESTATE_COMPONENTS, FIELDS, SOURCE, TARGET, Order
from bascule.parity.model import RESOURCES, Capability, ParityReport, WavePlan
from bascule.parity.pairing import PairingRule
from bascule.parity.pairing_file import load_pairing
from bascule.parity.provenance import collect, input_label
from bascule.parity.resources import has_resources
from bascule.parity.vocabulary import packages_of
from bascule.parity.waves import first_plan, wave_plan
from bascule.report.parity_drift import render_drift
from bascule.report.parity_formats import render_parity
from bascule.report.parity_text import print_parity_text
from bascule.snapshot.model import Snapshot


def empty_capabilities(report: ParityReport) -> list[str]:
    """Capabilities neither estate has: reported, so "no gap" never means "nothing looked at"."""
    present = {p.capability for p in report.pairs}
    core: tuple[Capability, ...] = (
        Capability.ZONE,
        Capability.DATASET,
        Capability.KEY,
        Capability.ENCLAVE,
    )
    if report.reading == RESOURCES:
        core = (
            Capability.NETWORK,
            Capability.ZONE,
            Capability.DATASET,
            Capability.KEY,
            Capability.SERVER,
        )
    return [str(c) for c in core if c not in present]


def warn(message: str) -> None:
    print(f"bascule: warning: {message}", file=sys.stderr)


def not_compared_text(rows: Sequence[tuple[str, str, int]], estate: str) -> str | None:
    own = [f"{kind} ({count})" for e, kind, count in rows if e == estate]
    return f"not compared in the {estate} estate: {', '.join(own)}" if own else None


def _warn_empty(report: ParityReport) -> None:
    for capability in empty_capabilities(report):
        warn(f"parity: no {capability} in either estate")
    for note in report.notes:
        warn(f"parity: {note}")
    for estate in ("source", "target"):
        if (text := not_compared_text(report.not_compared, estate)) is not None:
            warn(f"parity: {text}")


def read_pairing(path: str | None) -> tuple[tuple[PairingRule, ...], tuple[AcceptedGap, ...]]:
    if path is None:
        return (), ()

    return load_pairing(path)


def require_estate(snapshot: Snapshot, *estates: str) -> None:
    """Refuse an input holding no resource of any of `estates` (one line, exit 2)."""
    if any(has_estate(snapshot, e) or has_resources(snapshot, e) for e in estates):
        return
    components = " or ".join(ESTATE_COMPONENTS[e] for e in estates)
    packages = " or ".join(p for e in estates for p in packages_of(e))
    raise BadInputError(
        f"{snapshot.source}: no {' or '.join(estates)} estate in it (no {components} "
        f"component and no {packages} resource)"
    )


def parse_tolerances(specs: Sequence[str]) -> dict[str, Tolerance]:
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
    """Parity up to `options.wave`, which must be a wave the stack declares or the estates'
    enclaves or datasets belong to (0, below 1, or an unknown wave is a usage error naming
    the known ones)."""
    if options.wave is None:
        return parity(source, target, options, labels)
    everything = parity(source, target, replace(options, wave=None), labels)
    _require_known_wave(options.wave, everything, options.plan)
    return parity(source, target, options, labels)


def check_wave(snapshot: Snapshot, wave: int | None) -> None:
    """`check --wave N`, before any stage runs: N must be one of the snapshot's waves."""
    if wave is not None:
        _require_known_wave(wave, parity(snapshot, snapshot), wave_plan(snapshot))


def _require_known_wave(
    wave: int, everything: ParityReport, plan: tuple[WavePlan, ...] | None
) -> None:
    known = {p.wave for p in everything.pairs if p.capability in WAVED and p.wave}
    known |= {entry.id for entry in plan or ()}
    if wave not in known:
        names = ", ".join(map(str, sorted(known))) or "none: no enclave or dataset carries a wave"
        raise UsageError(f"--wave {wave}: no such wave (known waves: {names})")


def _options(
    args: argparse.Namespace, accepted: list[AcceptedGap], plan: tuple[WavePlan, ...] | None
) -> ParityOptions:
    rules, more = read_pairing(args.pairing)
    return ParityOptions(
        wave=args.wave,
        tolerances=parse_tolerances(args.tolerance),
        flavour_rounding=args.flavour_rounding,
        accepted=(*accepted, *more),
        plan=plan,
        pairing=rules,
    )


def cmd_parity(args: argparse.Namespace) -> int:
    source = obtain_snapshot(args.source, args.project_dir, cache=not args.no_cache)
    target = (
        source
        if args.target in (None, args.source)
        else obtain_snapshot(args.target, args.project_dir, cache=not args.no_cache)
    )
    for snapshot, estate in ((source, SOURCE), (target, TARGET)):
        require_estate(snapshot, estate)
    options = _options(args, accepted_gaps(target), first_plan(target, source))
    target_arg = args.target or args.source
    # Reports name their inputs, never by an absolute path.
    labels = (
        f"{input_label(args.source)} (source estate)",
        f"{input_label(target_arg)} (target estate)",
    )
    report = waved_parity(source, target, options, labels)
    if args.format == "html":
        origin = collect((args.source, source), (target_arg, target), args.project_dir)
        report = replace(report, provenance=origin)
    _warn_empty(report)
    if args.format == "text" and not writes_file(args.output):
        print_parity_text(report, sys.stdout)
    else:
        emit(
            render_parity(report, args.format),
            args.output,
            f"parity: {report.summary_line()}; written to",
        )
    return 1 if report.failed else 0


def parity_stage(context: CheckContext) -> int:
    """`check` stage: the stack's source estate against its own target estate."""
    snapshot = context.snapshot
    if not all(has_estate(snapshot, e) or has_resources(snapshot, e) for e in (SOURCE, TARGET)):
        # One estate only (or none): say so rather than "at parity".
        note = "skipped: the snapshot does not hold both a source and a target estate"
        if context.fmt == "json":
            context.results["parity"] = {"skipped": note}
        else:
            context.out.write(f"\nParity: {note}\n")
        return 0
    options = ParityOptions(
        wave=context.options.wave,
        tolerances=parse_tolerances(context.options.tolerance),
        flavour_rounding=context.options.flavour_rounding,
        accepted=tuple(accepted_gaps(snapshot)),
        plan=wave_plan(snapshot),
    )
    report = waved_parity(snapshot, snapshot, options, ("source", "target"))
    _warn_empty(report)
    if context.fmt == "json":
        context.results["parity"] = report.to_dict()
    else:
        context.out.write("\nParity (source Azure estate -> target SecNumCloud estate)\n")
        context.out.flush()
        print_parity_text(report, context.out)
    return 1 if report.failed else 0


def cmd_drift(args: argparse.Namespace) -> int:
    old = obtain_snapshot(args.old, args.project_dir, cache=not args.no_cache)
    new = obtain_snapshot(args.new, args.project_dir, cache=not args.no_cache)
    for snapshot in (old, new):
        require_estate(snapshot, SOURCE, TARGET)
    rules, accepted = read_pairing(args.pairing)
    labels = (input_label(args.old), input_label(args.new))
    report = drift(old, new, rules, accepted, labels, args.fail_on)
    for note in report.notes:
        warn(f"drift: {note}")
    for estate in report.estates:
        if (text := not_compared_text(estate.not_compared, estate.estate)) is not None:
            warn(f"drift: {text}")
    emit(
        render_drift(report, args.format),
        args.output,
        f"drift: {report.summary_line()}; written to",
    )
    return 1 if report.failed else 0
