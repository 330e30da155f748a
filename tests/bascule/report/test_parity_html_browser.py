"""The parity HTML page opens in headless Chromium and renders something (not blank).

CI installs Debian's chromium (.ci/run); elsewhere the test is skipped when it is absent.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from parity_support import png_pixels, sample_report

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
    colours = {row[i : i + 3] for row in rows[::8] for i in range(0, len(row), 24)}
    # A blank page is one colour; text, tables and badges give many.
    assert len(colours) > 50
    badge_red = bytes((0xC9, 0x2A, 0x2A))
    assert any(badge_red in row for row in rows), "the Blocked verdict is not painted"
