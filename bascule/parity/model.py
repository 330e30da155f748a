"""Parity results: the canonical objects of each estate and the gaps between them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Capability(StrEnum):
    NETWORK = "network"  # a virtual network and its subnets (estates read by resource type)
    ZONE = "zone"
    DATASET = "dataset"
    KEY = "key"
    ENCLAVE = "enclave"
    SERVER = "server"  # one VM or instance (estates read by resource type)
    GATEWAY = "gateway"
    LOGGING = "logging"
    INTERCONNECT = "interconnect"  # the IPsec link between the estates (issue 20)


class GapKind(StrEnum):
    MISSING = "missing"  # on the source, not on the target: blocks cutover
    EXTRA = "extra"  # on the target only: informational
    WEAKER = "weaker"  # less capacity or protection on the target: blocks cutover
    STRONGER = "stronger"  # more on the target: informational
    CHANGED = "changed"  # drift only: a descriptive field (a size name, a CIDR) differs


BLOCKING = frozenset({GapKind.MISSING, GapKind.WEAKER})
PARITY_KINDS = (GapKind.MISSING, GapKind.EXTRA, GapKind.WEAKER, GapKind.STRONGER)
# Enclaves, servers and datasets move in migration waves; the rest is the platform every
# wave uses.
WAVED = (Capability.ENCLAVE, Capability.DATASET, Capability.SERVER)
ROLE = "role"  # the one gateway / audit trail of each estate, paired whatever their names
# How the two estates were read: bascule's own components (the richer mapping), or any
# estate's resources by type (bascule/parity/vocabulary.py).
COMPONENTS, RESOURCES = "components", "resources"


@dataclass(frozen=True)
class CannotVerify:
    """A field value the snapshot holds no evidence for (a VM size no catalogue knows, an
    NSG referenced but absent from the export). It is never at parity with a value: a field
    that cannot be verified counts as weaker, so it blocks until a person accepts it."""

    reason: str

    def __str__(self) -> str:
        return f"cannot verify: {self.reason}"


@dataclass(frozen=True)
class CanonicalObject:
    """One platform object (an enclave, a dataset...) of one estate, in estate-neutral terms."""

    capability: Capability
    name: str  # pairs by name when no pairing-file entry, role or tag pairs it (pairing.py)
    fields: Mapping[str, Any]  # what parity compares, field by field
    wave: int | None = None  # enclaves and datasets belong to a migration wave
    urns: tuple[str, ...] = ()  # the resources it was read from
    labels: Mapping[str, str] = field(default_factory=dict)  # tags or metadata, for pairing

    @property
    def key(self) -> str:
        return f"{self.capability}/{self.name}"


@dataclass(frozen=True)
class FieldDiff:
    source: Any
    target: Any
    verdict: GapKind  # WEAKER or STRONGER (or CHANGED, in a drift report)

    def to_dict(self) -> dict[str, Any]:
        return {"source": jsonable(self.source), "target": jsonable(self.target)}


@dataclass(frozen=True)
class Gap:
    kind: GapKind
    capability: Capability
    name: str
    fields: Mapping[str, FieldDiff] = field(default_factory=dict)
    wave: int | None = None
    accepted_reason: str | None = None  # declared accepted in the stack config
    source_name: str | None = None  # the source's own name, when matched by role
    paired_by: str | None = None  # how source and target were paired, when not by name

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
        if self.paired_by is not None and self.paired_by != ROLE:
            out["pairedBy"] = self.paired_by
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
            "source": jsonable(self.source),
            "target": jsonable(self.target),
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Pair:
    """The same logical object on both sides (either may be absent). `paired_by` says how
    the two were matched when not by an identical name: `role`, `pairing file`, `tags
    project=..., role=...`, `normalised name`."""

    capability: Capability
    name: str
    source: CanonicalObject | None
    target: CanonicalObject | None
    paired_by: str | None = None

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
    reading: str = COMPONENTS  # how the estates were read (COMPONENTS or RESOURCES)
    # Resource types of either estate no capability reads: (estate, type, count), so a
    # reviewer knows what the comparison did not look at.
    not_compared: tuple[tuple[str, str, int], ...] = ()
    notes: tuple[str, ...] = ()  # warnings of the pairing (an entry that matched nothing)
    # The target's cloud providers, by their provider resources (`OpenStack`, `Scaleway`...).
    target_providers: tuple[str, ...] = ()

    @property
    def blocking(self) -> tuple[Gap, ...]:
        return tuple(g for g in self.gaps if g.blocking)

    @property
    def failed(self) -> bool:
        return bool(self.blocking)

    def unpaired(self) -> dict[str, list[str]]:
        """Objects left without a counterpart: source-only (missing) and target-only (extra)."""
        return {
            "source": [p.source.key for p in self.pairs if p.target is None and p.source],
            "target": [p.target.key for p in self.pairs if p.source is None and p.target],
        }

    def summary(self) -> dict[str, int]:
        counts = {str(kind): 0 for kind in PARITY_KINDS}
        for gap in self.gaps:
            counts[str(gap.kind)] = counts.get(str(gap.kind), 0) + 1
        return {
            "objects": len(self.pairs),
            **counts,
            "accepted": sum(1 for g in self.gaps if g.accepted_reason is not None),
            "blocking": len(self.blocking),
        }

    def summary_line(self) -> str:
        return counts_line(self.summary(), ("missing", "weaker", "extra", "stronger"))

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
            "reading": self.reading,
            "unpaired": self.unpaired(),
            "notCompared": [
                {"estate": estate, "type": kind, "resources": count}
                for estate, kind, count in self.not_compared
            ],
            "notes": list(self.notes),
            "targetProviders": list(self.target_providers),
        }


def jsonable(value: Any) -> Any:
    if isinstance(value, CannotVerify):
        return {"cannotVerify": value.reason}
    if isinstance(value, frozenset | set | tuple):
        return sorted(jsonable(v) for v in value)
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    return value


def counts_line(summary: Mapping[str, int], words: Sequence[str]) -> str:
    """`N objects: n <word>, ..., n accepted; n blocking`, from a parity or drift summary."""
    counts = ", ".join(f"{summary[word]} {word}" for word in (*words, "accepted"))
    return f"{summary['objects']} objects: {counts}; {summary['blocking']} blocking"
