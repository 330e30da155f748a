"""Dispatch: `render(run, fmt)` for the CLI (`bascule policy --format ...`)."""

from __future__ import annotations

from collections.abc import Callable

from bascule.policy.result import PolicyRun
from bascule.report.json_report import render_json
from bascule.report.junit import render_junit
from bascule.report.matrix import render_matrix
from bascule.report.sarif import Artifact, render_sarif
from bascule.report.text import render_text

FORMATS: dict[str, Callable[[PolicyRun], str]] = {
    "text": render_text,
    "json": render_json,
    "sarif": render_sarif,
    "junit": render_junit,
    "matrix": render_matrix,
}


def render(run: PolicyRun, fmt: str, artifact: Artifact | None = None) -> str:
    if fmt == "sarif":
        return render_sarif(run, artifact)
    try:
        return FORMATS[fmt](run)
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}, expected one of {', '.join(FORMATS)}") from None
