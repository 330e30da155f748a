"""`bascule parity --format html`: the page's provenance and waves as the command writes them."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from cli_support import bascule

ROOT = Path(__file__).resolve().parents[3]
PAIR = ROOT / "tests" / "data" / "parity"
EPOCH = {"SOURCE_DATE_EPOCH": "1780000000"}  # 2026-05-28T20:26:40Z


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def test_page_from_two_exports_names_them_without_absolute_paths(tmp_path: Path) -> None:
    page_path = tmp_path / "parity.html"
    baseline, drifted = PAIR / "baseline.json", PAIR / "drifted.json"
    result = bascule("parity", str(baseline), str(drifted), "--format", "html",
                     "-o", str(page_path), env=EPOCH)  # fmt: skip
    assert result.returncode == 1, result.stderr
    page = page_path.read_text()
    assert str(ROOT) not in page and str(tmp_path) not in page
    assert re.search(
        r'<dl class="provenance" id="provenance"><dt>bascule</dt><dd>0\.1\.0, commit '
        r"[0-9a-f]{12}(, modified)?</dd><dt>generated</dt><dd>2026-05-28T20:26:40Z</dd>"
        r"<dt>source</dt><dd>tests/data/parity/baseline\.json <small>\(export, sha256 "
        rf"{digest(baseline)}\)</small></dd><dt>target</dt><dd>tests/data/parity/drifted\.json "
        rf"<small>\(export, sha256 {digest(drifted)}\)</small></dd></dl>",
        page,
    ), re.search(r'<dl class="provenance".*?</dl>', page)
    assert (
        '<div class="sub">tests/data/parity/baseline.json (source estate) &rarr; '
        "tests/data/parity/drifted.json (target estate)</div>"
    ) in page
    # The plan comes from the target export's `waves` output.
    assert '<section id="wave-1" class="wave s-active"><h2>Wave 1 · pilot ' in page
    assert '<section id="wave-2" class="wave s-planned"><h2>Wave 2 · bulk ' in page


def test_a_stack_input_names_its_stack_file_and_project_commit(tmp_path: Path) -> None:
    page_path = tmp_path / "parity.html"
    result = bascule("parity", "dev", "--format", "html", "-o", str(page_path), env=EPOCH)
    assert result.returncode == 0, result.stderr
    page = page_path.read_text()
    assert re.search(
        r"<dt>source</dt><dd>dev <small>\(stack, Pulumi\.dev\.yaml, project commit "
        r"[0-9a-f]{12}(, modified)?\)</small></dd><dt>target</dt><dd>dev <small>",
        page,
    ), re.search(r'<dl class="provenance".*?</dl>', page)
    assert str(ROOT) not in page


def test_json_labels_are_never_absolute() -> None:
    result = bascule("parity", str(PAIR / "baseline.json"), "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert (document["source"], document["target"]) == (
        "tests/data/parity/baseline.json (source estate)",
        "tests/data/parity/baseline.json (target estate)",
    )
    assert [(w["id"], w["name"], w["verdict"]) for w in document["waves"]] == [
        (1, "pilot", "ready"),
        (2, "bulk", "empty"),
    ]


def test_a_bad_source_date_epoch_is_one_line_exit_2(tmp_path: Path) -> None:
    result = bascule("parity", str(PAIR / "baseline.json"), "--format", "html",
                     "-o", str(tmp_path / "p.html"), env={"SOURCE_DATE_EPOCH": "soon"})  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "bascule: error: SOURCE_DATE_EPOCH: 'soon' is not a number of seconds since 1970"
    ]
