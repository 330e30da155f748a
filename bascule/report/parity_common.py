"""Shared helpers of the parity report formats: status of a pair, value display, waves."""

from __future__ import annotations

from typing import Any

from bascule.parity.diff import CAPABILITY_ORDER
from bascule.parity.model import ROLE, Gap, Pair, ParityReport


def show(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, frozenset | set | tuple | list):
        return ", ".join(sorted(str(v) for v in value)) or "none"
    return str(value)


def ordered_pairs(report: ParityReport) -> list[Pair]:
    """Pairs by capability (zone, dataset, key, enclave, gateway, logging), then name:
    the reports read the same whatever order the diff produced them in."""
    return sorted(report.pairs, key=lambda p: (CAPABILITY_ORDER[p.capability], p.name))


def gap_index(report: ParityReport) -> dict[str, Gap]:
    return {gap.object: gap for gap in report.gaps}


def status(pair: Pair, gap: Gap | None) -> str:
    if gap is None:
        return "ok"
    if gap.accepted_reason is not None:
        return "accepted"
    return str(gap.kind)


def fields_text(gap: Gap) -> str:
    return "; ".join(
        f"{name}: {show(diff.source)} -> {show(diff.target)}" for name, diff in gap.fields.items()
    )


def renamed_text(gap: Gap) -> str:
    """` (source: vm-web-01, paired by tags project=web)`, or "" under one name."""
    if not gap.source_name:
        return ""
    by = f", paired by {gap.paired_by}" if gap.paired_by and gap.paired_by != ROLE else ""
    return f" (source: {gap.source_name}{by})"
