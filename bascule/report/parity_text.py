"""Parity as a side-by-side text table: gaps in full, objects at parity counted."""

from __future__ import annotations

import sys
from collections import Counter
from typing import IO

from bascule.parity.model import RESOURCES, ParityReport
from bascule.report.parity_common import (
    fields_text,
    gap_index,
    ordered_pairs,
    renamed_text,
    status,
)

HEADER = ("object", "wave", "status", "source -> target")


def render_parity_text(report: ParityReport) -> str:
    gaps = gap_index(report)
    rows: list[tuple[str, str, str, str]] = []
    at_parity: Counter[str] = Counter()
    for pair in ordered_pairs(report):
        key = f"{pair.capability}/{pair.name}"
        gap = gaps.get(key)
        if gap is None:
            at_parity[str(pair.capability)] += 1
            continue
        detail = fields_text(gap) or (
            "absent on target" if pair.target is None else "absent on source"
        )
        detail += renamed_text(gap)
        if gap.accepted_reason:
            detail += f" (accepted: {gap.accepted_reason})"
        wave = "-" if pair.wave is None else str(pair.wave)
        rows.append((key, wave, status(pair, gap), detail))
    lines = [f"{report.source_label} -> {report.target_label}"]
    if report.wave_limit is not None:
        lines.append(f"waves up to {report.wave_limit}")
    if report.reading == RESOURCES:
        lines.append("estates read by resource type (no bascule components in both inputs)")
    if rows:
        widths = [max(len(r[i]) for r in [HEADER, *rows]) for i in range(3)]
        for row in [HEADER, *rows]:
            lines.append(
                "  ".join(c.ljust(w) for c, w in zip(row[:3], widths, strict=True)) + "  " + row[3]
            )
    if at_parity:
        counts = ", ".join(f"{n} {cap}" for cap, n in at_parity.items())
        lines.append(f"at parity: {counts}")
    lines.append(report.summary_line())
    return "\n".join(lines) + "\n"


def print_parity_text(report: ParityReport, file: IO[str] | None = None) -> None:
    """Plain text everywhere; on a terminal the verdict line is coloured."""
    out = file or sys.stdout
    text = render_parity_text(report)
    if not out.isatty():
        out.write(text)
        return
    # Imported on use (start-up time): rich only for a terminal.
    from rich.console import Console
    from rich.markup import escape

    # soft_wrap: the terminal wraps long gap lines, rich does not cut them into two.
    console = Console(file=out, highlight=False, soft_wrap=True)
    *body, last = text.rstrip("\n").split("\n")
    for line in body:
        console.print(escape(line))
    console.print(f"[{'bold red' if report.failed else 'bold green'}]{escape(last)}[/]")
