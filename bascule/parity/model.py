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
    INTERCONNECT = "interconnect"  # the IPsec link between the estates (issue 20)


class GapKind(StrEnum):
    MISSING = "missing"  # on the source, not on the target: blocks cutover
    EXTRA = "extra"  # on the target only: informational
    WEAKER = "weaker"  # less capacity or protection on the target: blocks cutover
    STRONGER = "stronger"  # more on the target: informational


BLOCKING = frozenset({GapKind.MISSING, GapKind.WEAKER})
# Enclaves and datasets move in migration waves; the rest is the platform every wave uses.
WAVED = (Capability.ENCLAVE, Capability.DATASET)


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
    def key(self) -> str:
        return f"{self.capability}/{self.name}"

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
class WavePlan:
    """One migration wave as the stack config declares it (stack output `waves`). The status
    is any word the config uses (planned, migrating, cutover, and more to come)."""

    id: int
    name: str | None = None
    status: str | None = None
    cutover_date: str | None = None  # ISO 8601 date (YYYY-MM-DD), as in the stack config

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "status": self.status,
            "cutoverDate": self.cutover_date,
        }


@dataclass(frozen=True)
class WaveReadiness:
    """Whether a wave can cut over: its own objects and the shared platform all at parity."""

    wave: int
    plan: WavePlan | None  # None: objects carry this wave, the stack's plan does not
    objects: tuple[str, ...]  # `capability/name` of the wave's objects
    blocking: tuple[str, ...]  # those with a blocking gap
    accepted: tuple[str, ...]  # those with an accepted gap
    platform_blocking: tuple[str, ...]  # shared objects (zones, keys...) with a blocking gap
    plan_known: bool = True  # False: no input had the stack's plan (`plan` is then None)

    @property
    def verdict(self) -> str:
        """`ready`, `blocked`, or `empty` (no object to judge: never "ready" by default)."""
        if self.blocking or self.platform_blocking:
            return "blocked"
        return "ready" if self.objects else "empty"

    @property
    def ready(self) -> bool:
        return self.verdict == "ready"

    def to_dict(self) -> dict[str, Any]:
        plan = self.plan.to_dict() if self.plan else WavePlan(self.wave).to_dict()
        return {
            **plan,
            "inPlan": self.plan is not None if self.plan_known else None,
            "objects": len(self.objects),
            "blocking": list(self.blocking),
            "accepted": list(self.accepted),
            "platformBlocking": list(self.platform_blocking),
            "verdict": self.verdict,
        }


@dataclass(frozen=True)
class InputRef:
    """One input of a parity run as a report may name it: never an absolute path."""

    label: str  # the stack name, or the snapshot file relative to the working directory
    kind: str  # "stack" (synthesized here), or the file's kind: "export", "preview"
    detail: str | None = None  # stack file and project commit, or the file's sha256


@dataclass(frozen=True)
class Provenance:
    """Which bascule made a report, when, from what."""

    bascule_version: str
    bascule_commit: str | None  # git commit of bascule's own sources, when known
    generated_at: str  # ISO 8601, UTC, to the second
    source: InputRef
    target: InputRef


@dataclass(frozen=True)
class ParityReport:
    source_label: str
    target_label: str
    pairs: tuple[Pair, ...]
    gaps: tuple[Gap, ...]
    wave_limit: int | None = None
    allowances: tuple[Allowance, ...] = ()
    plan: tuple[WavePlan, ...] | None = None  # the stack's waves; None when no input had them
    provenance: Provenance | None = None

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
        """Every wave of the plan or of an object, up to the wave limit."""
        ids = {p.wave for p in self.pairs if p.wave is not None} | {w.id for w in self.plan or ()}
        return sorted(w for w in ids if self.wave_limit is None or w <= self.wave_limit)

    def readiness(self) -> list[WaveReadiness]:
        gaps = {g.object: g for g in self.gaps}
        blocking = {key for key, gap in gaps.items() if gap.blocking}
        plan = {w.id: w for w in self.plan or ()}
        shared = sorted(
            key for p in self.pairs if p.capability not in WAVED and (key := p.key) in blocking
        )
        out = []
        for wave in self.waves():
            keys = tuple(p.key for p in self.pairs if p.wave == wave)
            accepted = tuple(k for k in keys if k in gaps and gaps[k].accepted_reason is not None)
            out.append(
                WaveReadiness(
                    wave,
                    plan.get(wave),
                    keys,
                    tuple(k for k in keys if k in blocking),
                    accepted,
                    tuple(shared),
                    self.plan is not None,
                )
            )
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source_label,
            "target": self.target_label,
            "wave": self.wave_limit,
            "gaps": [g.to_dict() for g in self.gaps],
            "allowances": [a.to_dict() for a in self.allowances],
            "waves": [w.to_dict() for w in self.readiness()],
            "summary": self.summary(),
        }


def _jsonable(value: Any) -> Any:
    if isinstance(value, frozenset | set | tuple):
        return sorted(_jsonable(v) for v in value)
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value
