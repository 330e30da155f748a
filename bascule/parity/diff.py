"""Compare the canonical objects of two estates and list the gaps (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from bascule.parity.inventory import canonical_objects, estate_of
from bascule.parity.mapping import FIELDS, SOURCE, TARGET, Order
from bascule.parity.model import (
    CanonicalObject,
    Capability,
    FieldDiff,
    Gap,
    GapKind,
    Pair,
    ParityReport,
)
from bascule.snapshot.model import Snapshot
from components.azure.sizing import smallest_covering

CAPABILITY_ORDER = {c: i for i, c in enumerate(Capability)}
CAPACITY_FIELDS = ("vcpu", "ramGb", "gpu")
WAVED = (Capability.ENCLAVE, Capability.DATASET)
# One object per estate by design: matched by role, not by name.
SINGLETONS = (Capability.GATEWAY, Capability.LOGGING)


@dataclass(frozen=True)
class Tolerance:
    """How much less the target may have of a HIGHER field and still be at parity."""

    absolute: float = 0.0
    relative: float = 0.0  # a fraction of the source value

    def allows(self, source: float, target: float) -> bool:
        slack = max(self.absolute, self.relative * source)
        return target >= source - slack


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
    specs = FIELDS[source.capability]
    rounded = (
        options.flavour_rounding
        and source.capability in (Capability.ENCLAVE, Capability.GATEWAY)
        and _same_catalogue_size(source.fields, target.fields)
    )
    diffs: dict[str, FieldDiff] = {}
    for name, spec in specs.items():
        if rounded and name in CAPACITY_FIELDS:
            continue
        s, t = source.fields.get(name), target.fields.get(name)
        verdict = _verdict(spec.order, name, s, t, options)
        if verdict is not None:
            diffs[name] = FieldDiff(s, t, verdict)
    return diffs


def _gap_of(pair: Pair, options: ParityOptions) -> Gap | None:
    renamed = pair.renamed
    if pair.source is None:
        gap = Gap(GapKind.EXTRA, pair.capability, pair.name, wave=pair.wave)
    elif pair.target is None:
        gap = Gap(GapKind.MISSING, pair.capability, pair.name, wave=pair.wave)
    else:
        diffs = compare(pair.source, pair.target, options)
        if not diffs:
            return None
        weaker = any(d.verdict is GapKind.WEAKER for d in diffs.values())
        kind = GapKind.WEAKER if weaker else GapKind.STRONGER
        gap = Gap(kind, pair.capability, pair.name, diffs, pair.wave, source_name=renamed)
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
    gaps = tuple(g for p in pairs if (g := _gap_of(p, options)) is not None)
    source_label, target_label = labels or (source_snapshot.source, target_snapshot.source)
    return ParityReport(source_label, target_label, tuple(pairs), gaps, options.wave)
