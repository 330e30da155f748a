"""Drift: the same parity engine on two exports of one stack taken at two dates (pure).

Each estate of OLD is compared with the same estate of NEW (the Azure estate with itself,
the target with itself), read and paired as parity reads and pairs (components when both
exports have bascule's, else by resource type; `--pairing` for renames). Every difference is
a change: an object `removed` or `added`, a field `weakened` or `strengthened` (the parity
orders: less RAM, versioning lost, a wider ingress...), or `changed` (a descriptive field:
a VM size name, a CIDR). No flavour rounding, no tolerance: drift is exact.

`bascule drift` exits 1 when NEW lost something (an object removed or a field weakened, not
accepted in the pairing file), 0 otherwise; `--fail-on any` fails on any change, `--fail-on
never` only reports (2 stays bad input either way).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bascule.parity.diff import (
    AcceptedGap,
    ParityOptions,
    compare_sides,
    read_side,
    reading_of,
)
from bascule.parity.inventory import has_estate
from bascule.parity.mapping import SOURCE, TARGET
from bascule.parity.model import Gap, GapKind, Pair, counts_line, jsonable
from bascule.parity.pairing import PairingRule
from bascule.parity.resources import has_resources
from bascule.snapshot.model import Snapshot

WORDS = {
    GapKind.MISSING: "removed",
    GapKind.EXTRA: "added",
    GapKind.WEAKER: "weakened",
    GapKind.STRONGER: "strengthened",
    GapKind.CHANGED: "changed",
}
ESTATE_TITLES = {SOURCE: "source estate (Azure)", TARGET: "target estate (SecNumCloud)"}


def word(gap: Gap) -> str:
    return WORDS[gap.kind]


@dataclass(frozen=True)
class EstateDrift:
    estate: str  # SOURCE or TARGET
    reading: str  # COMPONENTS or RESOURCES
    pairs: tuple[Pair, ...]
    gaps: tuple[Gap, ...]
    not_compared: tuple[tuple[str, str, int], ...] = ()

    def counts(self) -> dict[str, int]:
        found = Counter(word(g) for g in self.gaps)
        return {
            "objects": len(self.pairs),
            **{w: found[w] for w in WORDS.values()},
            "accepted": sum(1 for g in self.gaps if g.accepted_reason is not None),
            "blocking": sum(1 for g in self.gaps if g.blocking),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "estate": self.estate,
            "reading": self.reading,
            "changes": [change_dict(g) for g in self.gaps],
            "notCompared": [
                {"estate": e, "type": t, "resources": n} for e, t, n in self.not_compared
            ],
            "summary": self.counts(),
        }


def change_dict(gap: Gap) -> dict[str, Any]:
    out: dict[str, Any] = {
        "change": word(gap),
        "object": gap.object,
        "capability": str(gap.capability),
        "name": gap.name,
        "fields": {
            name: {"old": jsonable(d.source), "new": jsonable(d.target), "change": WORDS[d.verdict]}
            for name, d in gap.fields.items()
        },
        "blocking": gap.blocking,
    }
    if gap.source_name is not None:
        out["oldName"] = gap.source_name
    if gap.paired_by is not None:
        out["pairedBy"] = gap.paired_by
    if gap.accepted_reason is not None:
        out["accepted"] = gap.accepted_reason
    return out


@dataclass(frozen=True)
class DriftReport:
    old_label: str
    new_label: str
    estates: tuple[EstateDrift, ...]
    fail_on: str = "weaker"
    notes: tuple[str, ...] = ()

    @property
    def gaps(self) -> tuple[Gap, ...]:
        return tuple(g for e in self.estates for g in e.gaps)

    @property
    def failed(self) -> bool:
        if self.fail_on == "never":
            return False
        if self.fail_on == "any":
            return any(g.accepted_reason is None for g in self.gaps)
        return any(g.blocking for g in self.gaps)

    def summary(self) -> dict[str, int]:
        totals: Counter[str] = Counter()
        for estate in self.estates:
            totals.update(estate.counts())
        keys = ["objects", *WORDS.values(), "accepted", "blocking"]
        return {k: totals[k] for k in keys}

    def summary_line(self) -> str:
        words = ("removed", "weakened", "added", "strengthened", "changed")
        return counts_line(self.summary(), words)

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": self.old_label,
            "new": self.new_label,
            "estates": [e.to_dict() for e in self.estates],
            "notes": list(self.notes),
            "summary": self.summary(),
            "failOn": self.fail_on,
            "failed": self.failed,
        }


def _present(snapshot: Snapshot, estate: str) -> bool:
    return has_estate(snapshot, estate) or has_resources(snapshot, estate)


def drift(
    old: Snapshot,
    new: Snapshot,
    pairing: Sequence[PairingRule] = (),
    accepted: Sequence[AcceptedGap] = (),
    labels: tuple[str, str] | None = None,
    fail_on: str = "weaker",
) -> DriftReport:
    """Every estate either export holds, OLD against NEW."""
    options = ParityOptions(
        flavour_rounding=False, compare_info=True, pairing=pairing, accepted=accepted
    )
    estates: list[EstateDrift] = []
    unused: list[set[str]] = []
    for estate in (SOURCE, TARGET):
        if not (_present(old, estate) or _present(new, estate)):
            continue
        reading = reading_of([(old, estate), (new, estate)])
        before, after = read_side(old, estate, reading), read_side(new, estate, reading)
        pairs, gaps, _, notes = compare_sides(before, after, options)
        unused.append(set(notes))
        skipped = before.not_compared + after.not_compared
        estates.append(EstateDrift(estate, reading, tuple(pairs), tuple(gaps), _merged(skipped)))
    # A pairing entry is unused when no estate used it.
    notes = sorted(set.intersection(*unused)) if unused else []
    old_label, new_label = labels or (old.source, new.source)
    return DriftReport(old_label, new_label, tuple(estates), fail_on, tuple(notes))


def _merged(rows: Sequence[tuple[str, str, int]]) -> tuple[tuple[str, str, int], ...]:
    """One row per type (the larger count of the two exports)."""
    best: dict[tuple[str, str], int] = {}
    for estate, kind, count in rows:
        best[(estate, kind)] = max(count, best.get((estate, kind), 0))
    return tuple((e, k, n) for (e, k), n in sorted(best.items()))
