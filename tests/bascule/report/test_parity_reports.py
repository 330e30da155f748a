"""Parity text, Markdown and JSON on hand-built reports: exact lines, escaping, waves.

The HTML page has its own tests (test_parity_html.py, test_parity_html_browser.py)."""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace

import pytest
from parity_support import C, obj, planned_report, platform_blocked_report, sample_report

from bascule.parity.model import FieldDiff, Gap, GapKind, Pair, ParityReport
from bascule.report.parity_formats import PARITY_FORMATS, render_parity
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
    # No wave plan in a hand-built report: statuses unknown, said so (not "planned").
    assert "| 1 |  | unknown (no `waves` output) |  | 2 | 2 | 0 | blocked |" in lines
    assert "| 2 |  | unknown (no `waves` output) |  | 1 | 0 | 1 | ready |" in lines


def test_markdown_readiness_names_each_wave_of_the_plan() -> None:
    lines = render_parity_markdown(planned_report()).splitlines()
    start = lines.index(
        "| Wave | Name | Status | Cutover | Objects | Blocking | Accepted | Readiness |"
    )
    assert lines[start + 2 : start + 6] == [
        "| 1 | pilot | cutover | 2026-10-05 | 2 | 2 | 0 | blocked |",
        "| 2 | early-adopters | migrating | 2027-01-18 | 2 | 0 | 1 | ready |",
        "| 3 | bulk | planned |  | 0 | 0 | 0 | empty |",
        "| 4 | long-tail | Quarantined &lt;b&gt; | 2027-07-05 | 0 | 0 | 0 | empty |",
    ]
    assert "| `enclave/cpu-004` | vcpu | 8 → 4 | tolerance vcpu=4 |" in lines
    platform = render_parity_markdown(platform_blocked_report()).splitlines()
    # A wave with no gap of its own is still held back by a platform gap.
    assert "| 2 | early-adopters | migrating | 2027-01-18 | 2 | 0 | 1 | blocked (platform) |" in (
        platform
    )


def test_text_and_markdown_name_the_source_of_a_role_match() -> None:
    diff = {"ramGb": FieldDiff(8, 4, GapKind.WEAKER)}
    gap = Gap(GapKind.WEAKER, C.GATEWAY, "hdh-gateway", diff, source_name="hdh-dev-gateway")
    source = obj(C.GATEWAY, "hdh-dev-gateway", ramGb=8)
    target = obj(C.GATEWAY, "hdh-gateway", ramGb=4)
    report = ParityReport("dev", "prod", (Pair(C.GATEWAY, "hdh-gateway", source, target),), (gap,))
    assert render_parity_text(report).splitlines()[1:3] == [
        "object               wave  status  source -> target",
        "gateway/hdh-gateway  -     weaker  ramGb: 8 -> 4 (source: hdh-dev-gateway)",
    ]
    assert "| `gateway/hdh-gateway` (source `hdh-dev-gateway`) | weaker |  | ramGb: 8 → 4 |  |" in (
        render_parity_markdown(report).splitlines()
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
    assert document["allowances"] == []
    planned = json.loads(render_parity(planned_report(), "json"))
    assert planned["allowances"] == [
        {"object": "enclave/cpu-004", "field": "vcpu", "source": 8, "target": 4,
         "reason": "tolerance vcpu=4"}
    ]  # fmt: skip
    assert planned["waves"][:2] == [
        {
            "id": 1, "name": "pilot", "status": "cutover", "cutoverDate": "2026-10-05",
            "inPlan": True, "objects": 2,
            "blocking": ["dataset/snds|copy", "enclave/proj-<script>"],
            "accepted": [], "platformBlocking": [], "verdict": "blocked",
        },
        {
            "id": 2, "name": "early-adopters", "status": "migrating", "cutoverDate": "2027-01-18",
            "inPlan": True, "objects": 2, "blocking": [], "accepted": ["enclave/gpu-001"],
            "platformBlocking": [], "verdict": "ready",
        },
    ]  # fmt: skip
    assert [w["verdict"] for w in planned["waves"][2:]] == ["empty", "empty"]
    # Without a plan the waves are still listed, their plan membership unknown (null).
    assert [(w["id"], w["inPlan"], w["status"]) for w in document["waves"]] == [
        (1, None, None),
        (2, None, None),
    ]


def test_dispatch() -> None:
    assert PARITY_FORMATS == ("text", "markdown", "html", "json")
    with pytest.raises(ValueError, match="unknown format 'pdf'"):
        render_parity(sample_report(), "pdf")
