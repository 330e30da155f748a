"""The per-estate summary: counts that add up, names that stay readable at prod size."""

from __future__ import annotations

import io

import pytest

from bascule.cli.render import render_summary
from bascule.report.summary import name_ranges, summarize
from bascule.snapshot.model import Snapshot


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        ([f"proj-{i:03d}" for i in range(1, 121)], ["proj-001..proj-120"]),
        (["a-1", "a-2"], ["a-1", "a-2"]),  # two are shown as they are
        (
            ["gpu-001", "gpu-002", "gpu-004", "gpu-005", "gpu-006"],
            ["gpu-001", "gpu-002", "gpu-004..gpu-006"],
        ),
        (["x-9", "x-10", "x-11"], ["x-10", "x-11", "x-9"]),  # widths differ: not one run
        (["snds-copy", "dcir", "pmsi", "dcir"], ["dcir", "pmsi", "snds-copy"]),
        ([], []),
    ],
)
def test_name_ranges(names: list[str], expected: list[str]) -> None:
    assert name_ranges(names) == expected


def test_prod_summary_adds_up_and_stays_readable(prod_snapshot: Snapshot) -> None:
    summary = summarize(prod_snapshot)
    assert summary.total == len(prod_snapshot)
    assert summary.outside == 3  # the stack and the two estate components
    assert sum(e.resources for e in summary.estates.values()) + summary.outside == summary.total
    out = io.StringIO()
    render_summary(summary, "text", out)
    lines = out.getvalue().splitlines()
    assert lines[0] == f"bascule/prod: {summary.total:,} resources (Pulumi.prod.yaml)"
    assert (
        "source enclaves (321): bulk-001..bulk-180, cnam-medeco, early-001..early-060, "
        "gpu-001..gpu-030, pilot-001..pilot-020, tail-001..tail-030" in lines
    )
    assert max(len(line) for line in lines) < 200
    table = "\n".join(lines)
    assert "│ total" in table and f"{summary.total:,} │" in table
    assert "│ other (stack, estate roots)" in table
