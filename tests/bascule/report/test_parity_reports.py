"""Parity report formats on a hand-built report: exact lines, escaping, readiness per wave."""

from __future__ import annotations

import json

import pytest
from parity_support import sample_report

from bascule.report.parity_formats import PARITY_FORMATS, render_parity
from bascule.report.parity_html import render_parity_html
from bascule.report.parity_markdown import render_parity_markdown
from bascule.report.parity_text import render_parity_text


def test_text_lists_gaps_and_counts_objects_at_parity() -> None:
    assert render_parity_text(sample_report()).splitlines() == [
        "prod.json -> prod.json",
        "object                 wave  status    source -> target",
        "dataset/snds|copy      1     weaker    versioning: yes -> no",
        "key/scratch-key        -     extra     absent on source",
        "enclave/gpu-001        2     accepted  ramGb: 64 -> 32 (accepted: A100 quota granted in "
        "wave 4)",
        "enclave/proj-<script>  1     missing   absent on target",
        "logging/audit-logs     -     stronger  retentionDays: 180 -> 365",
        "at parity: 1 zone",
        "6 objects: 1 missing, 2 weaker, 1 extra, 1 stronger, 1 accepted; 2 blocking",
    ]


def test_markdown_gap_rows_are_escaped_and_ordered() -> None:
    lines = render_parity_markdown(sample_report()).splitlines()
    assert lines[0] == "## Parity: blocked"
    assert "| 6 | 1 | 2 | 1 | 1 | 1 | 2 |" in lines
    rows = [line for line in lines if line.startswith("| `")]
    assert rows == [
        "| `enclave/proj-<script>` | missing | 1 |  |  |",
        "| `dataset/snds\\|copy` | weaker | 1 | versioning: yes → no |  |",
        "| `enclave/gpu-001` | weaker | 2 | ramGb: 64 → 32 | A100 quota granted in wave 4 |",
        "| `key/scratch-key` | extra |  |  |  |",
        "| `logging/audit-logs` | stronger |  | retentionDays: 180 → 365 |  |",
    ]
    assert "| 1 | 2 | 2 | 0 | blocked |" in lines  # wave 1: the dataset and the lost enclave
    assert "| 2 | 1 | 0 | 1 | ready |" in lines


def test_html_is_self_contained_escaped_and_has_wave_readiness() -> None:
    page = render_parity_html(sample_report())
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page and "proj-&lt;script&gt;" in page
    assert "http://" not in page and "https://" not in page  # nothing fetched
    assert '<div class="verdict blocked">Blocked for cutover</div>' in page
    assert (
        '<tr><td>1</td><td>2</td><td>2</td><td>0</td><td><span class="badge missing">Blocked'
        "</span></td></tr>" in page
    )
    assert (
        '<tr><td>2</td><td>1</td><td>0</td><td>1</td><td><span class="badge ok">Ready</span>'
        "</td></tr>" in page
    )
    assert '<td class="diff">64 &rarr; 32</td>' in page


def test_json_is_the_report_contract() -> None:
    report = sample_report()
    document = json.loads(render_parity(report, "json"))
    assert document == json.loads(json.dumps(report.to_dict()))
    assert document["gaps"][0] == {
        "kind": "weaker",
        "object": "dataset/snds|copy",
        "capability": "dataset",
        "name": "snds|copy",
        "fields": {"versioning": {"source": True, "target": False}},
        "wave": 1,
        "blocking": True,
    }
    assert document["gaps"][2]["accepted"] == "A100 quota granted in wave 4"


def test_dispatch() -> None:
    assert PARITY_FORMATS == ("text", "markdown", "html", "json")
    with pytest.raises(ValueError, match="unknown format 'pdf'"):
        render_parity(sample_report(), "pdf")
