"""The parity HTML page in headless Chromium: it renders (not blank), and a probe script
added to a copy of the page reads the DOM as the browser laid it out: wave looks, cell
colours, links, filters, anchors, at the sample's size and at prod's 321 enclaves.

CI installs Debian's chromium (.ci/run); elsewhere the test is skipped when it is absent.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from parity_support import planned_report, png_pixels, sample_report, write_png

from bascule.parity.accepted import accepted_gaps
from bascule.parity.diff import ParityOptions, parity
from bascule.parity.waves import wave_plan
from bascule.report.parity_html import render_parity_html
from bascule.snapshot.model import Snapshot


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: .ci/run must install it")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return found


def screenshot(browser: str, page: Path, png: Path, size: str = "1280,1200") -> None:
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         f"--screenshot={png}", f"--window-size={size}", page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip


def test_html_renders_in_chromium(tmp_path: Path) -> None:
    browser = chromium()
    page = tmp_path / "parity.html"
    page.write_text(render_parity_html(sample_report()), encoding="utf-8")
    png = tmp_path / "parity.png"
    screenshot(browser, page, png)
    width, height, rows = png_pixels(png)
    assert (width, height) == (1280, 1200)
    first = rows[0][:3]
    assert any(row != first * width for row in rows), "every pixel is the same colour"
    colours = {row[i : i + 3] for row in rows[::8] for i in range(0, len(row), 24)}
    # A blank page is one colour; text, tables and badges give many.
    assert len(colours) > 50
    badge_red = bytes((0xC9, 0x2A, 0x2A))
    assert any(badge_red in row for row in rows), "the Blocked verdict is not painted"


@pytest.mark.parametrize("filter_kind", [0, 1, 2, 3, 4])
@pytest.mark.parametrize("colour", [2, 6])
def test_png_reader_undoes_every_filter(tmp_path: Path, filter_kind: int, colour: int) -> None:
    bpp = 3 if colour == 2 else 4
    rows = [bytes((x * 37 + y * 11 + c * 101) % 256 for x in range(5) for c in range(bpp))
            for y in range(4)]  # fmt: skip
    png = tmp_path / "sample.png"
    write_png(png, 5, rows, colour, filter_kind)
    rgb = [b"".join(row[i : i + 3] for i in range(0, len(row), bpp)) for row in rows]
    assert png_pixels(png) == (5, 4, rgb)


# Test-only: appended to a copy of the page (the page itself has no script). Filters are used
# as a user would, by clicking their labels; a link is followed by setting the location hash.
PROBE = """<script>
(() => {
  const style = (el, ...props) => el ? props.map(p => getComputedStyle(el)[p]) : null;
  const rows = () => [...document.querySelectorAll("main tbody tr")]
    .filter(r => getComputedStyle(r).display !== "none").map(r => r.id);
  const out = {waves: {}, sections: {}};
  for (const s of document.querySelectorAll("main section.wave")) {
    out.waves[s.id] = style(s, "borderLeftStyle", "borderLeftColor", "backgroundColor")
      .concat(style(s.querySelector(".chip"), "backgroundColor"));
    out.sections[s.id] = [...s.querySelectorAll("tbody tr")].map(r => r.id);
  }
  out.cells = Object.fromEntries(["weaker", "stronger", "allowed"].map(
    k => [k, style(document.querySelector("td." + k), "backgroundColor")]));
  out.allowedCells = document.querySelectorAll("td.allowed").length;
  const links = [...document.querySelectorAll('a[href^="#"]')].map(a => a.getAttribute("href"));
  out.links = links.length;
  out.broken = links.filter(h => !document.getElementById(h.slice(1)));
  out.blockingLinks = [...document.querySelectorAll("#blocking a")]
    .map(a => a.getAttribute("href"));
  out.visible = {all: rows()};
  document.querySelector("label[for=show-gaps]").click();
  out.visible.gaps = rows();
  document.querySelector("label[for=show-blocking]").click();
  out.visible.blocking = rows();
  out.selectedLabel = style(document.querySelector("label[for=show-blocking]"), "backgroundColor");
  location.hash = "#o-zone-hub";
  out.targetVisible = rows().includes("o-zone-hub");
  out.targetOutline = style(document.getElementById("o-zone-hub"), "outlineStyle");
  const pre = document.createElement("pre");
  pre.id = "bascule-probe";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>"""


def probe(browser: str, page: str, tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "probe.html"
    path.write_text(page.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    done = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", path.as_uri()],
        check=True, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    match = re.search(r'<pre id="bascule-probe">(.*?)</pre>', done.stdout, re.S)
    assert match, "the probe did not run"
    result: dict[str, Any] = json.loads(html.unescape(match.group(1)))
    return result


GREEN, BLUE, GREY = "rgb(47, 158, 68)", "rgb(28, 126, 214)", "rgb(173, 181, 189)"


def test_the_browser_sees_waves_marks_links_and_filters(tmp_path: Path) -> None:
    seen = probe(chromium(), render_parity_html(planned_report()), tmp_path)
    # Cut over and planned do not look alike; an unknown status gets the neutral look.
    assert seen["waves"] == {
        "wave-1": ["solid", GREEN, "rgb(244, 252, 245)", GREEN],
        "wave-2": ["solid", BLUE, "rgb(243, 249, 255)", BLUE],
        "wave-3": ["dashed", GREY, "rgb(252, 252, 253)", "rgb(255, 255, 255)"],
        "wave-4": ["dotted", "rgb(134, 142, 150)", "rgb(255, 255, 255)", "rgb(255, 255, 255)"],
        "platform": ["double", "rgb(95, 61, 196)", "rgb(255, 255, 255)", None],
    }
    assert seen["cells"] == {
        "weaker": ["rgb(255, 227, 227)"],
        "stronger": ["rgb(211, 249, 216)"],
        "allowed": ["rgb(255, 243, 191)"],
    }
    # 9 in the nav, 2 blocking gaps, 1 allowance, 4 waves, 2 in wave 1's why: none broken.
    assert seen["broken"] == [] and seen["links"] == 18
    assert seen["blockingLinks"] == ["#o-dataset-snds_7c_copy", "#o-enclave-proj-_3c_script_3e_"]
    every = [
        "o-dataset-snds_7c_copy", "o-enclave-proj-_3c_script_3e_", "o-enclave-cpu-004",
        "o-enclave-gpu-001", "o-zone-hub", "o-key-scratch-key", "o-gateway-hdh-gateway",
        "o-logging-audit-logs",
    ]  # fmt: skip
    assert seen["visible"] == {
        "all": every,
        "gaps": [r for r in every if r not in ("o-enclave-cpu-004", "o-zone-hub",
                                               "o-gateway-hdh-gateway")],
        "blocking": ["o-dataset-snds_7c_copy", "o-enclave-proj-_3c_script_3e_"],
    }  # fmt: skip
    assert seen["selectedLabel"] == ["rgb(31, 41, 51)"]
    # A followed link shows its row even under a filter that hides it.
    assert seen["targetVisible"] is True and seen["targetOutline"] == ["solid"]


def drifted_prod(prod: Snapshot) -> Snapshot:
    """prod's target with enclave bulk-042 deleted and the SNDS copy made world-readable."""
    target = "urn:pulumi:prod::bascule::bascule:target:Estate$"
    gone = target + "bascule:target:Enclave::bulk-042"
    container = (
        target + "bascule:target:ObjectStorage$openstack:objectstorage/container:Container::"
        "snds-copy-container"
    )

    def drift(resource: Any) -> Any:
        if resource.urn != container:
            return resource
        inputs = {**resource.inputs, "containerRead": ".r:*"}
        return replace(resource, inputs=inputs, outputs={**resource.outputs, **inputs})

    kept = (drift(r) for r in prod.resources if gone not in (r.urn, r.parent))
    return replace(prod, resources=tuple(kept))


def test_the_prod_page_holds_321_enclaves_under_their_waves(
    prod_snapshot: Snapshot, tmp_path: Path
) -> None:
    # With the gaps prod accepts (Pulumi.prod.yaml: the target keys do not rotate by themselves).
    options = ParityOptions(plan=wave_plan(prod_snapshot),
                            accepted=tuple(accepted_gaps(prod_snapshot)))  # fmt: skip
    report = parity(prod_snapshot, drifted_prod(prod_snapshot), options)
    seen = probe(chromium(), render_parity_html(report), tmp_path)
    counts = {ident: len(rows) for ident, rows in seen["sections"].items()}
    # Enclaves plus datasets of each wave (Pulumi.prod.yaml), then zones, keys, gateway, logs
    # and the interconnect.
    assert counts == {"wave-1": 20 + 3, "wave-2": 61 + 3, "wave-3": 180 + 5, "wave-4": 60 + 1,
                      "platform": 7 + 4 + 1 + 1 + 1}  # fmt: skip
    enclaves = [r for rows in seen["sections"].values() for r in rows if r.startswith("o-enclave")]
    assert len(enclaves) == len(set(enclaves)) == 321
    assert "o-enclave-bulk-042" in seen["sections"]["wave-3"]
    assert [w[:2] for w in seen["waves"].values()] == [
        # cutover, parallel, replicating, planned (Pulumi.prod.yaml)
        ["solid", GREEN], ["solid", BLUE], ["solid", BLUE], ["dashed", GREY],
        ["double", "rgb(95, 61, 196)"],
    ]  # fmt: skip
    assert seen["broken"] == []
    assert seen["blockingLinks"] == ["#o-dataset-snds-copy", "#o-enclave-bulk-042"]
    assert seen["visible"]["blocking"] == ["o-dataset-snds-copy", "o-enclave-bulk-042"]
    assert len(seen["visible"]["all"]) == 23 + 64 + 185 + 61 + 14
    # The 30 GPU enclaves: vCPU and RAM smaller than the Azure size, at parity by rounding.
    assert seen["allowedCells"] == 60
