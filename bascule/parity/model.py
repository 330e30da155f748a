"""Parity results: the canonical objects of each estate and the gaps between them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Capability(StrEnum):
    ZONE = "zone"
    DATASET = "dataset"
    KEY = "key"
    ENCLAVE = "enclave"
    GATEWAY = "gateway"
    LOGGING = "logging"


class GapKind(StrEnum):
    MISSING = "missing"  # on the source, not on the target: blocks cutover
    EXTRA = "extra"  # on the target only: informational
    WEAKER = "weaker"  # less capacity or protection on the target: blocks cutover
    STRONGER = "stronger"  # more on the target: informational


BLOCKING = frozenset({GapKind.MISSING, GapKind.WEAKER})


@dataclass(frozen=True)
class CanonicalObject:
    """One platform object (an enclave, a dataset...) of one estate, in estate-neutral terms."""

    capability: Capability
    name: str
    fields: Mapping[str, Any]
    wave: int | None = None  # enclaves and datasets belong to a migration wave
    urns: tuple[str, ...] = ()  # the resources it was read from

    @property
    def key(self) -> str:
        return f"{self.capability}/{self.name}"


@dataclass(frozen=True)
class FieldDiff:
    source: Any
    target: Any
    verdict: GapKind  # WEAKER or STRONGER

    def to_dict(self) -> dict[str, Any]:
        return {"source": _jsonable(self.source), "target": _jsonable(self.target)}


@dataclass(frozen=True)
class Gap:
    kind: GapKind
    capability: Capability
    name: str
    fields: Mapping[str, FieldDiff] = field(default_factory=dict)
    wave: int | None = None
    accepted_reason: str | None = None  # declared accepted in the stack config
    source_name: str | None = None  # the source's own name, when matched by role

    @property
    def object(self) -> str:
        return f"{self.capability}/{self.name}"

    @property
    def blocking(self) -> bool:
        return self.kind in BLOCKING and self.accepted_reason is None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": str(self.kind),
            "object": self.object,
            "capability": str(self.capability),
            "name": self.name,
            "fields": {name: diff.to_dict() for name, diff in self.fields.items()},
            "wave": self.wave,
            "blocking": self.blocking,
        }
        if self.accepted_reason is not None:
            out["accepted"] = self.accepted_reason
        if self.source_name is not None:
            out["sourceName"] = self.source_name
        return out


@dataclass(frozen=True)
class Allowance:
    """A smaller target value judged at parity all the same, and why (flavour rounding or a
    tolerance): the reports show these, so "ok" never hides a smaller number."""

    capability: Capability
    name: str
    field: str
    source: Any
    target: Any
    reason: str

    @property
    def object(self) -> str:
        return f"{self.capability}/{self.name}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "object": self.object,
            "field": self.field,
            "source": _jsonable(self.source),
            "target": _jsonable(self.target),
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Pair:
    """The same logical object on both sides (either may be absent)."""

    capability: Capability
    name: str
    source: CanonicalObject | None
    target: CanonicalObject | None

    @property
    def renamed(self) -> str | None:
        """The source's own name when it differs from the pair's (matched by role)."""
        if self.source is not None and self.source.name != self.name:
            return self.source.name
        return None

    @property
    def wave(self) -> int | None:
        for side in (self.source, self.target):
            if side is not None and side.wave is not None:
                return side.wave
        return None


@dataclass(frozen=True)
class ParityReport:
    source_label: str
    target_label: str
    pairs: tuple[Pair, ...]
    gaps: tuple[Gap, ...]
    wave_limit: int | None = None
    allowances: tuple[Allowance, ...] = ()

    @property
    def blocking(self) -> tuple[Gap, ...]:
        return tuple(g for g in self.gaps if g.blocking)

    @property
    def failed(self) -> bool:
        return bool(self.blocking)

    def summary(self) -> dict[str, int]:
        counts = {str(kind): 0 for kind in GapKind}
        for gap in self.gaps:
            counts[str(gap.kind)] += 1
        return {
            "objects": len(self.pairs),
            **counts,
            "accepted": sum(1 for g in self.gaps if g.accepted_reason is not None),
            "blocking": len(self.blocking),
        }

    def summary_line(self) -> str:
        s = self.summary()
        return (
            f"{s['objects']} objects: {s['missing']} missing, {s['weaker']} weaker, "
            f"{s['extra']} extra, {s['stronger']} stronger, {s['accepted']} accepted; "
            f"{s['blocking']} blocking"
        )

    def waves(self) -> list[int]:
        return sorted({p.wave for p in self.pairs if p.wave is not None})

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source_label,
            "target": self.target_label,
            "wave": self.wave_limit,
            "gaps": [g.to_dict() for g in self.gaps],
            "allowances": [a.to_dict() for a in self.allowances],
            "summary": self.summary(),
        }


def _jsonable(value: Any) -> Any:
    if isinstance(value, frozenset | set | tuple):
        return sorted(_jsonable(v) for v in value)
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value
