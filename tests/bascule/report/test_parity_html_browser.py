"""The parity HTML page opens in headless Chromium and renders something (not blank).

CI installs Debian's chromium (.ci/run); elsewhere the test is skipped when it is absent.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from parity_support import png_pixels, sample_report, write_png

from bascule.report.parity_html import render_parity_html


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
