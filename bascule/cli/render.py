"""Render a per-estate `Summary` as a rich table (text) or JSON."""

from __future__ import annotations

import json
from typing import TextIO

from bascule.files import shown_path
from bascule.report.summary import EstateSummary, Summary, name_ranges

# rich is imported inside the text renderer: JSON output does not load it.

ESTATE_TITLES = {"source": "source (Azure)", "target": "target (SecNumCloud)"}
# Past this many entries a name list ends with "and N more": a summary stays a summary.
MAX_LISTED = 12


def render_summary(summary: Summary, fmt: str, out: TextIO) -> None:
    if fmt == "json":
        out.write(json.dumps(summary.to_json(), indent=2) + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, highlight=False, soft_wrap=True)
    console.print(
        f"{summary.project or '?'}/{summary.stack or '?'}: {summary.total:,} resources "
        f"({shown_path(summary.source)})"
    )
    overview = Table(title="Estates")
    overview.add_column("estate")
    for column in ("resources", "types", "enclaves", "datasets", "keys"):
        overview.add_column(column, justify="right")
    for name, estate in summary.estates.items():
        overview.add_row(
            ESTATE_TITLES.get(name, name),
            f"{estate.resources:,}",
            str(len(estate.by_type)),
            str(len(estate.enclaves)),
            str(len(estate.datasets)),
            str(len(estate.keys)),
        )
    if summary.outside:
        overview.add_row("other (stack, estate roots)", f"{summary.outside:,}")
    overview.add_section()
    overview.add_row("total", f"{summary.total:,}")
    console.print(overview)
    for name, estate in summary.estates.items():
        if not estate.by_type:
            continue
        table = Table(title=f"{ESTATE_TITLES.get(name, name)}: resources by type")
        table.add_column("type")
        table.add_column("count", justify="right")
        for type_, count in sorted(estate.by_type.items()):
            table.add_row(type_, str(count))
        console.print(table)
        for line in name_lines(name, estate):
            console.print(line)


def name_lines(name: str, estate: EstateSummary) -> list[str]:
    """`<estate> <kind> (N): names`, numbered runs shortened, at most MAX_LISTED entries."""
    lines = []
    for label, names in (
        ("enclaves", estate.enclaves),
        ("datasets", estate.datasets),
        ("keys", estate.keys),
    ):
        if not names:
            continue
        entries = name_ranges(names)
        shown = ", ".join(entries[:MAX_LISTED])
        if len(entries) > MAX_LISTED:
            shown += f" and {len(entries) - MAX_LISTED} more"
        lines.append(f"{name} {label} ({len(names)}): {shown}")
    return lines
