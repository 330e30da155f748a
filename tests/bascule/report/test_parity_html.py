"""The architect's parity page as HTML text: waves, blocking gaps first, marks, provenance."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from parity_support import (
    C,
    obj,
    planned_report,
    platform_blocked_report,
    sample_report,
)

from bascule.parity.model import Gap, GapKind, InputRef, Pair, ParityReport, Provenance
from bascule.report.parity_html import render_parity_html
from bascule.report.parity_html_style import status_look
from bascule.report.parity_html_tables import anchor


def section(page: str, ident: str) -> str:
    match = re.search(rf'<section id="{ident}"[^>]*>.*?</section>', page, re.S)
    assert match, f"no section {ident}"
    return match.group(0)


def test_self_contained_and_escaped() -> None:
    page = render_parity_html(planned_report())
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page and "proj-&lt;script&gt;" in page
    assert "http://" not in page and "https://" not in page  # nothing fetched
    assert "<link" not in page and "<img" not in page and "url(" not in page
    assert "Quarantined <b>" not in page and "Quarantined &lt;b&gt;" in page
    assert '<div class="verdict blocked">Blocked for cutover</div>' in page


def test_every_link_lands_on_an_element_of_the_page() -> None:
    for report in (sample_report(), planned_report(), platform_blocked_report()):
        page = render_parity_html(report)
        ids = re.findall(r' id="([^"]+)"', page)
        assert len(ids) == len(set(ids)), "an id is used twice"
        targets = set(re.findall(r'href="#([^"]+)"', page))
        assert targets and targets <= set(ids)


def test_blocking_gaps_come_first_platform_first_each_linking_to_its_row() -> None:
    page = render_parity_html(platform_blocked_report())
    order = [page.index(f'<section id="{s}"') for s in ("blocking", "waves", "wave-1", "platform")]
    assert order == sorted(order)
    assert section(page, "blocking") == (
        '<section id="blocking"><h2>Blocking gaps (3)</h2><ol class="blocking">'
        '<li><a href="#o-zone-data">zone/data</a> <span class="badge b-missing">missing</span> '
        "<span>shared platform</span>: absent on the target</li>"
        '<li><a href="#o-dataset-snds_7c_copy">dataset/snds|copy</a> '
        '<span class="badge b-weaker">weaker</span> <span>wave 1</span>: versioning: yes → no'
        "</li>"
        '<li><a href="#o-enclave-proj-_3c_script_3e_">enclave/proj-&lt;script&gt;</a> '
        '<span class="badge b-missing">missing</span> <span>wave 1</span>: absent on the target'
        "</li></ol></section>"
    )
    assert '<tr id="o-zone-data" class="gap g-missing blocking">' in page
    assert '<tr id="o-dataset-snds_7c_copy" class="gap g-weaker blocking">' in page
    none = render_parity_html(replace(sample_report(), gaps=()))
    assert section(none, "blocking") == (
        '<section id="blocking"><h2>Blocking gaps (0)</h2><p class="note">None: every object '
        "is at parity, or its gap is accepted.</p></section>"
    )


def test_each_wave_has_name_status_date_verdict_and_why() -> None:
    page = render_parity_html(planned_report())
    heads = re.findall(r'<section id="wave-\d" class="[^"]+"><h2>.*?</p>', page)
    assert heads == [
        '<section id="wave-1" class="wave s-done"><h2>Wave 1 · pilot '
        '<span class="chip s-done">cutover</span><span class="date">cutover 2026-10-05</span> '
        '<span class="badge v-blocked">Blocked</span></h2><p class="why">Blocked by 2 blocking '
        'gaps in this wave: <a href="#o-dataset-snds_7c_copy">dataset/snds|copy</a>, '
        '<a href="#o-enclave-proj-_3c_script_3e_">enclave/proj-&lt;script&gt;</a>.</p>',
        '<section id="wave-2" class="wave s-active"><h2>Wave 2 · early-adopters '
        '<span class="chip s-active">migrating</span><span class="date">cutover 2027-01-18'
        '</span> <span class="badge v-ready">Ready</span></h2><p class="why">Ready: no blocking '
        "gap among its 2 objects; 1 accepted gap, reasons in the note column.</p>",
        '<section id="wave-3" class="wave s-planned"><h2>Wave 3 · bulk '
        '<span class="chip s-planned">planned</span><span class="date">no cutover date set'
        '</span> <span class="badge v-empty">Empty</span></h2><p class="why">No enclave or '
        "dataset is in this wave: nothing to compare yet.</p>",
        # A status no look knows is written out, in the neutral look.
        '<section id="wave-4" class="wave s-other"><h2>Wave 4 · long-tail '
        '<span class="chip s-other">Quarantined &lt;b&gt;</span><span class="date">cutover '
        '2027-07-05</span> <span class="badge v-empty">Empty</span></h2><p class="why">No '
        "enclave or dataset is in this wave: nothing to compare yet.</p>",
    ]


def test_objects_are_grouped_under_their_wave_and_the_platform() -> None:
    page = render_parity_html(planned_report())
    rows = {
        ident: re.findall(r'<tr id="(o-[^"]+)"', section(page, ident))
        for ident in ("wave-1", "wave-2", "wave-3", "wave-4", "platform")
    }
    assert rows == {
        "wave-1": ["o-dataset-snds_7c_copy", "o-enclave-proj-_3c_script_3e_"],
        "wave-2": ["o-enclave-cpu-004", "o-enclave-gpu-001"],
        "wave-3": [],
        "wave-4": [],
        "platform": ["o-zone-hub", "o-key-scratch-key", "o-gateway-hdh-gateway",
                     "o-logging-audit-logs"],
    }  # fmt: skip
    titles = re.findall(r'<h3 id="([^"]+)">([^<]*)</h3>', page)
    assert titles == [
        ("wave-1-dataset", "Datasets (1)"),
        ("wave-1-enclave", "Enclaves (1)"),
        ("wave-2-enclave", "Enclaves (2)"),
        ("platform-zone", "Network zones (1)"),
        ("platform-key", "Keys (1)"),
        ("platform-gateway", "Access gateway (1)"),
        ("platform-logging", "Audit logging (1)"),
    ]


def test_a_platform_gap_blocks_every_wave_and_says_so() -> None:
    page = render_parity_html(platform_blocked_report())
    whys = re.findall(r'<p class="why">(.*?)</p>', page)
    link = '<a href="#o-zone-data">zone/data</a>'
    platform = f"1 blocking gap on the shared platform every wave uses: {link}"
    assert whys == [
        "Blocked by 2 blocking gaps in this wave: "
        '<a href="#o-dataset-snds_7c_copy">dataset/snds|copy</a>, '
        '<a href="#o-enclave-proj-_3c_script_3e_">enclave/proj-&lt;script&gt;</a>; '
        f"and {platform}.",
        f"Blocked by {platform}.",
        f"Blocked by {platform}.",
        f"Blocked by {platform}.",
        f"Blocks every wave: {link}.",
    ]


def test_a_blocked_wave_names_twelve_gaps_then_counts_the_rest() -> None:
    report = sample_report()
    lost = [obj(C.ENCLAVE, f"e-{i:02d}", 1) for i in range(14)]
    report = replace(
        report,
        pairs=tuple(Pair(C.ENCLAVE, o.name, o, None) for o in lost),
        gaps=tuple(Gap(GapKind.MISSING, C.ENCLAVE, o.name, {}, 1) for o in lost),
    )
    found = re.search(r'<p class="why">(.*?)</p>', render_parity_html(report))
    assert found is not None
    why = found.group(1)
    assert why.startswith("Blocked by 14 blocking gaps in this wave: ")
    assert why.count("<a ") == 12 and why.endswith("e-11</a> and 2 more.")


def test_without_a_plan_the_page_says_waves_are_unknown() -> None:
    page = render_parity_html(sample_report())
    assert (
        '<p class="note">Neither input has the stack output <code>waves</code>: wave names, '
        "statuses and cutover dates are unknown, only wave numbers are known.</p>"
    ) in section(page, "waves")
    chips = r'<span class="chip ([^"]+)">([^<]*)</span><span class="date">([^<]*)'
    assert re.findall(chips, page) == [
        ("s-other", "status unknown", "cutover date unknown"),
        ("s-other", "status unknown", "cutover date unknown"),
    ]


def test_weaker_stronger_and_allowed_cells_differ_in_class_and_mark() -> None:
    page = render_parity_html(planned_report())
    assert (
        '<td class="weaker" title="weaker on the target"><span class="mark">▼</span>yes &rarr; no'
        "</td>"
    ) in page
    assert (
        '<td class="stronger" title="stronger on the target"><span class="mark">▲</span>180 '
        "&rarr; 365</td>"
    ) in page
    # Smaller yet at parity (a tolerance here): marked in its cell, said in the note column.
    row = re.search(r'<tr id="o-enclave-cpu-004".*?</tr>', page)
    assert row is not None
    assert row.group(0) == (
        '<tr id="o-enclave-cpu-004" class="at-parity"><td>cpu-004</td><td><span class="badge '
        'b-ok">ok</span></td><td>-</td><td>-</td><td class="allowed" title="smaller, at parity: '
        'tolerance vcpu=4"><span class="mark">≈</span>8 &rarr; 4</td><td>32</td><td>-</td>'
        "<td>-</td><td>-</td><td>-</td><td>-</td><td>at parity by tolerance vcpu=4</td></tr>"
    )
    assert section(page, "allowances").endswith(
        "<details open><summary>1 object</summary><table><thead><tr><th>object</th><th>source "
        "&rarr; target</th><th>why at parity</th></tr></thead><tbody><tr><td>"
        '<a href="#o-enclave-cpu-004">enclave/cpu-004</a></td><td>vcpu 8 → 4</td>'
        "<td>tolerance vcpu=4</td></tr></tbody></table></details></section>"
    )
    assert "allowances" not in render_parity_html(sample_report())  # nothing to note


def test_a_role_match_shows_both_names() -> None:
    row = re.search(r'<tr id="o-gateway-hdh-gateway".*?</tr>', render_parity_html(planned_report()))
    assert row is not None
    assert row.group(0).startswith(
        '<tr id="o-gateway-hdh-gateway" class="at-parity"><td>hdh-gateway<small class="renamed">'
        "source: hdh-dev-gateway (matched by role)</small></td>"
    )


def test_provenance_names_version_commit_time_and_both_inputs() -> None:
    provenance = Provenance(
        "0.1.0", "0123456789ab, modified", "2026-12-01T10:00:00Z",
        InputRef("dev", "stack", "Pulumi.dev.yaml, project commit 0123456789ab"),
        InputRef("out/prod.json", "export", "sha256 00ff00ff00ff00ff"),
    )  # fmt: skip
    page = render_parity_html(replace(planned_report(), provenance=provenance))
    assert (
        '<dl class="provenance" id="provenance"><dt>bascule</dt><dd>0.1.0, commit '
        "0123456789ab, modified</dd><dt>generated</dt><dd>2026-12-01T10:00:00Z</dd>"
        "<dt>source</dt><dd>dev <small>(stack, Pulumi.dev.yaml, project commit 0123456789ab)"
        "</small></dd><dt>target</dt><dd>out/prod.json <small>(export, sha256 "
        "00ff00ff00ff00ff)</small></dd></dl>"
    ) in page
    unknown = replace(provenance, bascule_commit=None)
    assert "<dd>0.1.0, commit unknown</dd>" in render_parity_html(
        replace(planned_report(), provenance=unknown)
    )
    assert (
        '<p class="note" id="provenance">Provenance not recorded: this page was rendered outside '
        "the <code>bascule parity</code> command.</p>"
    ) in render_parity_html(planned_report())


def test_unknown_fields_are_shown_not_dropped() -> None:
    source = obj(C.LOGGING, "audit-logs", retentionDays=180, immutable=True)
    report = ParityReport("a", "b", (Pair(C.LOGGING, "audit-logs", source, source),), ())
    assert "<th>retentionDays</th><th>immutable</th><th>note</th>" in render_parity_html(report)


def test_enclaves_and_datasets_in_no_wave_get_their_own_section() -> None:
    stray = obj(C.ENCLAVE, "stray")
    report = ParityReport("a", "b", (Pair(C.ENCLAVE, "stray", stray, stray),), ())
    page = render_parity_html(report)
    assert re.findall(r'<tr id="(o-[^"]+)"', section(page, "unwaved")) == ["o-enclave-stray"]
    assert '<a href="#unwaved">In no wave</a>' in page
    assert 'id="unwaved"' not in render_parity_html(sample_report())


@pytest.mark.parametrize(
    ("status", "look"),
    [
        ("planned", "planned"),
        ("migrating", "active"),
        ("replicating", "active"),
        ("parallel", "active"),
        ("cutover", "done"),
        ("Cutover ", "done"),
        ("rolled-back", "rollback"),
        ("decommissioned", "retired"),
        ("paused", "other"),
        ('x" onmouseover="y', "other"),  # never the input itself in a class
        (None, "other"),
    ],
)
def test_status_looks(status: str | None, look: str) -> None:
    assert status_look(status) == look


def test_anchors_are_distinct_and_plain() -> None:
    names = ["a/b", "a_2f_b", "a b", "a-b", "é", "a_b"]
    ids = [anchor(f"enclave/{n}") for n in names]
    assert ids == [
        "o-enclave-a_2f_b", "o-enclave-a_5f_2f_5f_b", "o-enclave-a_20_b", "o-enclave-a-b",
        "o-enclave-_e9_", "o-enclave-a_5f_b",
    ]  # fmt: skip
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", i) for i in ids)


@pytest.mark.parametrize(
    ("providers", "shown"),
    [
        (("Scaleway",), "target provider: Scaleway"),
        (("OpenStack", "OVHcloud"), "target provider: OpenStack, OVHcloud"),
        ((), "target provider: unknown (no target provider resource)"),
    ],
)
def test_the_page_names_the_target_provider(providers: tuple[str, ...], shown: str) -> None:
    page = render_parity_html(replace(planned_report(), target_providers=providers))
    header = re.search(r"<header>.*?</header>", page, re.S)
    assert header is not None and f'<div class="sub">{shown}</div>' in header.group(0)
