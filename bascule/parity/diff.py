"""Compare the canonical objects of two estates and list the gaps (pure)."""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from bascule.parity import pairing
from bascule.parity.by_type import typed_objects
from bascule.parity.flows import Flow, covered
from bascule.parity.inventory import canonical_objects, estate_of, has_estate
from bascule.parity.mapping import FIELDS, SOURCE, TARGET, Order
from bascule.parity.model import (
    COMPONENTS,
    RESOURCES,
    WAVED,
    Allowance,
    CannotVerify,
    CanonicalObject,
    Capability,
    FieldDiff,
    Gap,
    GapKind,
    Pair,
    ParityReport,
    WavePlan,
)
from bascule.parity.pairing import PairingRule
from bascule.parity.resources import not_compared
from bascule.parity.vocabulary import vocabularies
from bascule.snapshot.model import Snapshot
from components.azure.sizing import smallest_covering

CAPABILITY_ORDER = {c: i for i, c in enumerate(Capability)}
CAPACITY_FIELDS = ("vcpu", "ramGb", "gpu")
COMPUTE = (Capability.ENCLAVE, Capability.GATEWAY, Capability.SERVER)


@dataclass(frozen=True)
class Tolerance:
    """How much less the target may have of a HIGHER field and still be at parity."""

    absolute: float = 0.0
    relative: float = 0.0  # a fraction of the source value

    def allows(self, source: float, target: float) -> bool:
        slack = max(self.absolute, self.relative * source)
        return target >= source - slack

    def describe(self) -> str:
        """As `--tolerance` takes it: `10%`, `2`, or both."""
        parts = [f"{self.relative * 100:g}%"] if self.relative else []
        if self.absolute or not parts:
            parts.append(f"{self.absolute:g}")
        return " or ".join(parts)


@dataclass(frozen=True)
class AcceptedGap:
    """A gap the stack config declares accepted: `object` and optionally `fields`. The
    object's name may hold `*` (`enclave/*`: every enclave), the config then names the
    fields (components/config/model.py)."""

    object: str
    reason: str
    fields: tuple[str, ...] = ()

    def covers(self, gap: Gap) -> bool:
        if "*" in self.object:
            # A pattern accepts its fields' weaknesses only: what is stronger needs no
            # acceptance, what else is weaker still blocks.
            weaker = {n for n, d in gap.fields.items() if d.verdict is GapKind.WEAKER}
            return (
                fnmatch.fnmatchcase(gap.object, self.object)
                and bool(weaker)
                and (weaker <= set(self.fields))
            )
        if gap.object != self.object:
            return False
        return not self.fields or set(gap.fields) <= set(self.fields)


@dataclass(frozen=True)
class ParityOptions:
    wave: int | None = None
    tolerances: Mapping[str, Tolerance] = field(default_factory=dict)
    # A target flavour is at parity when Azure would have picked the same VM size for it.
    flavour_rounding: bool = True
    accepted: Sequence[AcceptedGap] = ()
    # The migration plan (stack output `waves`), carried into the report; None: unknown.
    plan: tuple[WavePlan, ...] | None = None
    # The pairing file's entries (`--pairing`), applied before tags and names.
    pairing: Sequence[PairingRule] = ()
    # Drift: descriptive fields (size names, CIDRs) that differ are reported as CHANGED.
    compare_info: bool = False
    # COMPONENTS or RESOURCES; None: components when both inputs have bascule's estates.
    reading: str | None = None


def _verdict(
    order: Order, name: str, source: Any, target: Any, options: ParityOptions
) -> GapKind | None:
    """WEAKER / STRONGER, or None when equal (or not comparable by design)."""
    if source == target:
        return None
    if order is Order.INFO:
        return GapKind.CHANGED if options.compare_info else None
    if isinstance(source, CannotVerify) or isinstance(target, CannotVerify):
        return GapKind.WEAKER  # no evidence on one side: never at parity
    if source is None:
        return GapKind.STRONGER
    if target is None:
        return GapKind.WEAKER
    if order is Order.HIGHER:
        if target > source:
            return GapKind.STRONGER
        tolerance = options.tolerances.get(name)
        if tolerance is not None and tolerance.allows(float(source), float(target)):
            return None
        return GapKind.WEAKER
    if order is Order.LOWER:
        return GapKind.STRONGER if target < source else GapKind.WEAKER
    if order is Order.TRUE:
        return GapKind.STRONGER if target else GapKind.WEAKER
    if order is Order.FALSE:
        return GapKind.WEAKER if target else GapKind.STRONGER
    if order is Order.SUBSET:
        return GapKind.STRONGER if set(target) <= set(source) else GapKind.WEAKER
    if order is Order.WITHIN:
        return GapKind.STRONGER if covered(target, source) else GapKind.WEAKER
    return GapKind.WEAKER  # EQUAL fields that differ: the target is not what was migrated


def _same_catalogue_size(source: Mapping[str, Any], target: Mapping[str, Any]) -> bool:
    counts = [target.get(f) for f in CAPACITY_FIELDS]
    if not all(isinstance(c, int) and not isinstance(c, bool) for c in counts):
        return False
    if not source.get("size"):
        return False
    covering = smallest_covering(target["vcpu"], target["ramGb"], target["gpu"])
    return covering is not None and covering.name == source["size"]


def assess(
    source: CanonicalObject, target: CanonicalObject, options: ParityOptions
) -> tuple[dict[str, FieldDiff], list[Allowance]]:
    """The fields that differ, and the smaller target values judged at parity all the same."""
    specs = FIELDS[source.capability]
    rounded = (
        options.flavour_rounding
        and source.capability in COMPUTE
        and _same_catalogue_size(source.fields, target.fields)
    )
    diffs: dict[str, FieldDiff] = {}
    allowed: list[Allowance] = []
    for name, spec in specs.items():
        s, t = source.fields.get(name), target.fields.get(name)
        if rounded and name in CAPACITY_FIELDS:
            if _smaller(s, t):
                reason = (
                    f"flavour rounding: on Azure, {target.fields['size']} rounds up to "
                    f"{source.fields['size']}, the source's size"
                )
                allowed.append(Allowance(source.capability, target.name, name, s, t, reason))
            continue
        verdict = _verdict(spec.order, name, s, t, options)
        if verdict is not None:
            diffs[name] = FieldDiff(s, t, verdict)
        elif spec.order is Order.HIGHER and _smaller(s, t):
            reason = f"tolerance {name}={options.tolerances[name].describe()}"
            allowed.append(Allowance(source.capability, target.name, name, s, t, reason))
    return diffs, allowed


def _smaller(source: Any, target: Any) -> bool:
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (source, target))
    return numbers and target < source


def _gap_of(pair: Pair, diffs: Mapping[str, FieldDiff], options: ParityOptions) -> Gap | None:
    if pair.source is None:
        gap = Gap(GapKind.EXTRA, pair.capability, pair.name, wave=pair.wave)
    elif pair.target is None:
        gap = Gap(
            GapKind.MISSING,
            pair.capability,
            pair.name,
            wave=pair.wave,
            source_name=pair.renamed,
            paired_by=pair.paired_by,
        )
    elif not diffs:
        if not (options.compare_info and pair.renamed):
            return None
        # Drift: the same object under a new name is a change in itself.
        gap = Gap(
            GapKind.CHANGED,
            pair.capability,
            pair.name,
            {},
            pair.wave,
            source_name=pair.renamed,
            paired_by=pair.paired_by,
        )
    else:
        verdicts = {d.verdict for d in diffs.values()}
        kind = next(k for k in (GapKind.WEAKER, GapKind.STRONGER, GapKind.CHANGED) if k in verdicts)
        gap = Gap(
            kind,
            pair.capability,
            pair.name,
            diffs,
            pair.wave,
            source_name=pair.renamed,
            paired_by=pair.paired_by,
        )
    for accepted in options.accepted:
        if accepted.covers(gap):
            return replace(gap, accepted_reason=accepted.reason)
    return gap


def pair_objects(
    source: Mapping[str, CanonicalObject], target: Mapping[str, CanonicalObject]
) -> list[Pair]:
    """Objects paired by role, tags and names (pairing.py), without a pairing file."""
    return pairing.pair_objects(source, target)[0]


@dataclass(frozen=True)
class Side:
    """One estate of one input, read as objects."""

    objects: Mapping[str, CanonicalObject]
    not_compared: tuple[tuple[str, str, int], ...] = ()


def reading_of(snapshots: Sequence[tuple[Snapshot, str]]) -> str:
    """bascule's components when every input has its estate's component, else by type."""
    return COMPONENTS if all(has_estate(s, e) for s, e in snapshots) else RESOURCES


def read_side(snapshot: Snapshot, estate: str, reading: str) -> Side:
    if reading == COMPONENTS:
        return Side(canonical_objects(estate_of(snapshot, estate)))
    objects, read = typed_objects(snapshot, estate)
    return Side(objects, tuple(not_compared(read)))


def _zone_names(pairs: Sequence[Pair]) -> dict[str, str]:
    """A source zone's name -> its pair's name, for zones paired under another name."""
    return {
        p.source.name: p.name
        for p in pairs
        if p.capability is Capability.ZONE and p.source and p.target and p.source.name != p.name
    }


def _renamed_flows(obj: CanonicalObject, zones: Mapping[str, str]) -> CanonicalObject:
    flows = obj.fields.get("ingress")
    if not zones or not isinstance(flows, frozenset):
        return obj
    renamed = frozenset(
        replace(f, peer=zones.get(f.peer, f.peer)).text() if f is not None else text
        for text in flows
        for f in [Flow.parse(str(text))]
    )
    return replace(obj, fields={**obj.fields, "ingress": renamed})


def compare_sides(
    source: Side, target: Side, options: ParityOptions
) -> tuple[list[Pair], list[Gap], list[Allowance], list[str]]:
    """Pairs, gaps, allowances and pairing notes of two estates read as objects."""
    paired, notes = pairing.pair_objects(source.objects, target.objects, options.pairing)
    zones = _zone_names(paired)
    pairs = [
        replace(p, source=_renamed_flows(p.source, zones)) if p.source is not None else p
        for p in paired
        if options.wave is None or p.capability not in WAVED or (p.wave or 0) <= options.wave
    ]
    gaps: list[Gap] = []
    allowances: list[Allowance] = []
    for pair in pairs:
        diffs: dict[str, FieldDiff] = {}
        if pair.source is not None and pair.target is not None:
            diffs, allowed = assess(pair.source, pair.target, options)
            allowances += allowed
        if (gap := _gap_of(pair, diffs, options)) is not None:
            gaps.append(gap)
    return pairs, gaps, allowances, notes


def parity(
    source_snapshot: Snapshot,
    target_snapshot: Snapshot,
    options: ParityOptions | None = None,
    labels: tuple[str, str] | None = None,
) -> ParityReport:
    """The source estate of one snapshot against the target estate of another (or the same):
    through bascule's components when both have them, else by resource type."""
    options = options or ParityOptions()
    reading = options.reading or reading_of([(source_snapshot, SOURCE), (target_snapshot, TARGET)])
    source = read_side(source_snapshot, SOURCE, reading)
    target = read_side(target_snapshot, TARGET, reading)
    pairs, gaps, allowances, notes = compare_sides(source, target, options)
    source_label, target_label = labels or (source_snapshot.source, target_snapshot.source)
    return ParityReport(
        source_label,
        target_label,
        tuple(pairs),
        tuple(gaps),
        options.wave,
        tuple(allowances),
        options.plan,
        reading=reading,
        not_compared=source.not_compared + target.not_compared,
        notes=tuple(notes),
        target_providers=target_providers(target_snapshot),
    )


def target_providers(snapshot: Snapshot) -> tuple[str, ...]:
    """The target providers the snapshot's provider resources name, as people name them."""
    labels = {v.name: v.label for v in vocabularies(TARGET)}
    found = {r.type.rsplit(":", 1)[-1] for r in snapshot.resources if r.is_provider}
    return tuple(labels[p] for p in sorted(found & labels.keys()))
