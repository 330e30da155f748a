#!/usr/bin/env python3
"""Regenerate docs/parity-report.png, the README's picture of the parity HTML page.

    .venv/bin/python scripts/parity_screenshot.py

It renders the committed drifted pair (tests/data/parity) and photographs it with Debian's
headless chromium.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bascule.parity.accepted import accepted_gaps
from bascule.parity.diff import AcceptedGap, ParityOptions, parity
from bascule.report.parity_html import render_parity_html
from bascule.snapshot.load import load_snapshot

ROOT = Path(__file__).resolve().parent.parent
PAIR = ROOT / "tests" / "data" / "parity"
OUT = ROOT / "docs" / "parity-report.png"


def main() -> int:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print("parity_screenshot: chromium is not installed", file=sys.stderr)
        return 2
    source = load_snapshot(PAIR / "baseline.json")
    target = load_snapshot(PAIR / "drifted.json")
    accepted = [
        *accepted_gaps(target),
        AcceptedGap("dataset/scratch", "scratch space for the CNAM study, target only"),
    ]
    report = parity(
        source, target, ParityOptions(accepted=tuple(accepted)), ("dev (Azure)", "dev (drifted)")
    )
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "parity.html"
        page.write_text(render_parity_html(report), encoding="utf-8")
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             f"--screenshot={OUT}", "--window-size=1280,1500", page.as_uri()],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
    print(f"parity_screenshot: wrote {OUT.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
