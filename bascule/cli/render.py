"""Render a per-estate `Summary` as a rich table (text) or JSON."""

from __future__ import annotations

import json
from typing import TextIO

from bascule.report.summary import Summary

ESTATE_TITLES = {"source": "source (Azure)", "target": "target (SecNumCloud)"}


def render_summary(summary: Summary, fmt: str, out: TextIO) -> None:
    if fmt == "json":
        out.write(json.dumps(summary.to_json(), indent=2) + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, highlight=False, soft_wrap=True)
    console.print(
        f"{summary.project or '?'}/{summary.stack or '?'}: {summary.total} resources "
        f"({summary.source})"
    )
    overview = Table(title="Estates")
    overview.add_column("estate")
    for column in ("resources", "types", "enclaves", "datasets", "keys"):
        overview.add_column(column, justify="right")
    for name, estate in summary.estates.items():
        overview.add_row(
            ESTATE_TITLES.get(name, name),
            str(estate.resources),
            str(len(estate.by_type)),
            str(len(estate.enclaves)),
            str(len(estate.datasets)),
            str(len(estate.keys)),
        )
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
        for label, names in (
            ("enclaves", estate.enclaves),
            ("datasets", estate.datasets),
            ("keys", estate.keys),
        ):
            if names:
                console.print(f"{name} {label}: {', '.join(names)}")
