"""Dispatch: `render_parity(report, fmt)` for `bascule parity --format ...`."""

from __future__ import annotations

from collections.abc import Callable

from bascule.parity.model import ParityReport
from bascule.report.parity_html import render_parity_html
from bascule.report.parity_json import render_parity_json
from bascule.report.parity_markdown import render_parity_markdown
from bascule.report.parity_text import render_parity_text

PARITY_RENDERERS: dict[str, Callable[[ParityReport], str]] = {
    "text": render_parity_text,
    "markdown": render_parity_markdown,
    "html": render_parity_html,
    "json": render_parity_json,
}
PARITY_FORMATS = tuple(PARITY_RENDERERS)


def render_parity(report: ParityReport, fmt: str) -> str:
    try:
        return PARITY_RENDERERS[fmt](report)
    except KeyError:
        raise ValueError(
            f"unknown format {fmt!r}, expected one of {', '.join(PARITY_FORMATS)}"
        ) from None
