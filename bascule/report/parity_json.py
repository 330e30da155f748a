"""Parity as JSON: `{"gaps": [{"kind", "object", "fields", ...}], "summary": {...}}`."""

from __future__ import annotations

import json

from bascule.parity.model import ParityReport


def render_parity_json(report: ParityReport) -> str:
    return json.dumps(report.to_dict(), indent=2) + "\n"
