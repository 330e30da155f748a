"""Parity report formats on a hand-built report: exact lines, escaping, readiness per wave."""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace

import pytest
from parity_support import C, obj, sample_report

from bascule.parity.model import Pair, ParityReport
from bascule.report.parity_formats import PARITY_FORMATS, render_parity
from bascule.report.parity_html import render_parity_html
from bascule.report.parity_markdown import render_parity_markdown
from bascule.report.parity_text import print_parity_text, render_parity_text


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


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_print_text_is_plain_in_a_pipe_and_coloured_on_a_terminal() -> None:
    report, plain = sample_report(), render_parity_text(sample_report())
    pipe = io.StringIO()
    print_parity_text(report, pipe)
    assert pipe.getvalue() == plain
    terminal = Terminal()
    print_parity_text(report, terminal)
    coloured = terminal.getvalue()
    # The same lines, none cut at rich's default width of 80; the verdict in bold red.
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain
    assert coloured.endswith("\x1b[1;31m" + plain.splitlines()[-1] + "\x1b[0m\n")


def shuffled_with_more_at_parity() -> ParityReport:
    """The sample with its pairs reversed and two more objects at parity."""
    report = sample_report()
    gateway = obj(C.GATEWAY, "hdh-gateway", vcpu=2)
    zone = obj(C.ZONE, "data", cidr="10.0.2.0/24", addresses=256)
    pairs = (
        Pair(C.GATEWAY, "hdh-gateway", gateway, gateway),
        *reversed(report.pairs),
        Pair(C.ZONE, "data", zone, zone),
    )
    return replace(report, pairs=pairs)


def test_text_sorts_pairs_by_capability_then_name() -> None:
    lines = render_parity_text(shuffled_with_more_at_parity()).splitlines()
    assert [line.split()[0] for line in lines[2:7]] == [
        "dataset/snds|copy",
        "key/scratch-key",
        "enclave/gpu-001",
        "enclave/proj-<script>",
        "logging/audit-logs",
    ]
    assert lines[7:] == [
        "at parity: 2 zone, 1 gateway",
        "8 objects: 1 missing, 2 weaker, 1 extra, 1 stronger, 1 accepted; 2 blocking",
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
    readiness = page.split("<h2>Readiness per wave</h2>")[1].split("</table>")[0]
    assert readiness.count("<tr><td>") == 2  # waves 1 and 2, nothing else


def test_html_sorts_pairs_and_shows_fields_the_mapping_does_not_know() -> None:
    page = render_parity_html(shuffled_with_more_at_parity())
    titles = re.findall(r"<h2>([^<]*)</h2>", page)
    assert titles == [
        "Readiness per wave",
        "Network zones (2)",
        "Datasets (1)",
        "Keys (1)",
        "Enclaves (2)",
        "Access gateway (1)",
        "Audit logging (1)",
    ]
    names = re.findall(r"<tr><td>([^<]*)</td><td>\d*</td><td><span", page)
    assert names == [
        "data", "hub", "snds|copy", "scratch-key", "gpu-001", "proj-&lt;script&gt;",
        "hdh-gateway", "audit-logs",
    ]  # fmt: skip
    source = obj(C.LOGGING, "audit-logs", retentionDays=180, immutable=True)
    report = ParityReport("a", "b", (Pair(C.LOGGING, "audit-logs", source, source),), ())
    assert "<th>retentionDays</th><th>immutable</th><th>accepted reason</th>" in (
        render_parity_html(report)
    )


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
