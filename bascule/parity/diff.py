"""Compare the canonical objects of two estates and list the gaps (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from bascule.parity.inventory import canonical_objects, estate_of
from bascule.parity.mapping import FIELDS, SOURCE, TARGET, Order
from bascule.parity.model import (
    WAVED,
    Allowance,
    CanonicalObject,
    Capability,
    FieldDiff,
    Gap,
    GapKind,
    Pair,
    ParityReport,
    WavePlan,
)
from bascule.snapshot.model import Snapshot
from components.azure.sizing import smallest_covering

CAPABILITY_ORDER = {c: i for i, c in enumerate(Capability)}
CAPACITY_FIELDS = ("vcpu", "ramGb", "gpu")
# One object per estate by design: matched by role, not by name.
SINGLETONS = (Capability.GATEWAY, Capability.LOGGING, Capability.INTERCONNECT)


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
    """A gap the stack config declares accepted: `object` and optionally `fields`."""

    object: str
    reason: str
    fields: tuple[str, ...] = ()

    def covers(self, gap: Gap) -> bool:
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


def _verdict(
    order: Order, name: str, source: Any, target: Any, options: ParityOptions
) -> GapKind | None:
    """WEAKER / STRONGER, or None when equal (or not comparable by design)."""
    if order is Order.INFO or source == target:
        return None
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
    return GapKind.WEAKER  # EQUAL fields that differ: the target is not what was migrated


def _same_catalogue_size(source: Mapping[str, Any], target: Mapping[str, Any]) -> bool:
    if any(target.get(f) is None for f in CAPACITY_FIELDS) or not source.get("size"):
        return False
    covering = smallest_covering(target["vcpu"], target["ramGb"], target["gpu"])
    return covering is not None and covering.name == source["size"]


def compare(
    source: CanonicalObject, target: CanonicalObject, options: ParityOptions
) -> dict[str, FieldDiff]:
    return assess(source, target, options)[0]


def assess(
    source: CanonicalObject, target: CanonicalObject, options: ParityOptions
) -> tuple[dict[str, FieldDiff], list[Allowance]]:
    """The fields that differ, and the smaller target values judged at parity all the same."""
    specs = FIELDS[source.capability]
    rounded = (
        options.flavour_rounding
        and source.capability in (Capability.ENCLAVE, Capability.GATEWAY)
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
        gap = Gap(GapKind.MISSING, pair.capability, pair.name, wave=pair.wave)
    elif not diffs:
        return None
    else:
        weaker = any(d.verdict is GapKind.WEAKER for d in diffs.values())
        kind = GapKind.WEAKER if weaker else GapKind.STRONGER
        gap = Gap(kind, pair.capability, pair.name, diffs, pair.wave, source_name=pair.renamed)
    for accepted in options.accepted:
        if accepted.covers(gap):
            return replace(gap, accepted_reason=accepted.reason)
    return gap


def pair_objects(
    source: Mapping[str, CanonicalObject], target: Mapping[str, CanonicalObject]
) -> list[Pair]:
    """Objects paired by key (`capability/name`); a singleton capability's one object per
    estate is paired by its role whatever each stack names it (dev's `hdh-dev-gateway` is
    prod's `hdh-gateway`), under the target's name."""
    pairs: list[Pair] = []
    taken: set[str] = set()
    for capability in SINGLETONS:
        sources = [o for o in source.values() if o.capability is capability]
        targets = [o for o in target.values() if o.capability is capability]
        if len(sources) == 1 and len(targets) == 1 and sources[0].key != targets[0].key:
            pairs.append(Pair(capability, targets[0].name, sources[0], targets[0]))
            taken |= {sources[0].key, targets[0].key}
    for key in sorted((set(source) | set(target)) - taken):
        obj = source.get(key) or target[key]
        pairs.append(Pair(obj.capability, obj.name, source.get(key), target.get(key)))
    return sorted(pairs, key=lambda p: (CAPABILITY_ORDER[p.capability], p.name))


def parity(
    source_snapshot: Snapshot,
    target_snapshot: Snapshot,
    options: ParityOptions | None = None,
    labels: tuple[str, str] | None = None,
) -> ParityReport:
    """The source estate of one snapshot against the target estate of another (or the same)."""
    options = options or ParityOptions()
    source = canonical_objects(estate_of(source_snapshot, SOURCE))
    target = canonical_objects(estate_of(target_snapshot, TARGET))
    pairs = [
        p
        for p in pair_objects(source, target)
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
    source_label, target_label = labels or (source_snapshot.source, target_snapshot.source)
    return ParityReport(
        source_label,
        target_label,
        tuple(pairs),
        tuple(gaps),
        options.wave,
        tuple(allowances),
        options.plan,
    )
