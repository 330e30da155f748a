#!/usr/bin/env python3
"""Regenerate docs/parity-report.png, the README's picture of the parity HTML page.

    .venv/bin/python scripts/parity_screenshot.py

It synthesizes the bundled `prod` stack (four waves: one cut over, one migrating, two
planned), drifts its target estate three ways, renders the page and photographs it with
Debian's headless chromium. `SOURCE_DATE_EPOCH` fixes the time the page shows.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from bascule.parity.accepted import accepted_gaps
from bascule.parity.diff import AcceptedGap, ParityOptions, parity
from bascule.parity.model import Provenance
from bascule.parity.provenance import collect
from bascule.parity.waves import wave_plan
from bascule.report.parity_html import render_parity_html
from bascule.snapshot.model import Resource, Snapshot
from bascule.synth import synthesize

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "parity-report.png"
TARGET = "urn:pulumi:prod::bascule::bascule:target:Estate$"
ENCLAVE = TARGET + "bascule:target:Enclave"
SMALLER = ENCLAVE + "$openstack:compute/instance:Instance::pilot-004-vm-0"
GONE = ENCLAVE + "::early-013"
PUBLIC = (
    TARGET + "bascule:target:ObjectStorage$openstack:objectstorage/container:Container::"
    "snds-copy-container"
)
ACCEPTED = AcceptedGap("enclave/early-013", "project closed in November; archive kept on Azure")


def _with(resource: Resource, **changes: Any) -> Resource:
    return replace(
        resource,
        inputs={**resource.inputs, **changes},
        outputs={**resource.outputs, **changes} if resource.outputs else {},
    )


def drifted(prod: Snapshot) -> Snapshot:
    """A wave-1 enclave on half the RAM, a wave-2 enclave never built (accepted), the SNDS
    copy (wave 3) world-readable."""
    resources = []
    for resource in prod.resources:
        if GONE in (resource.urn, resource.parent):
            continue
        if resource.urn == SMALLER:
            resource = _with(resource, flavorName="snc.4c16g")
        elif resource.urn == PUBLIC:
            resource = _with(resource, containerRead=".r:*")
        resources.append(resource)
    return replace(prod, resources=tuple(resources))


def main() -> int:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print("parity_screenshot: chromium is not installed", file=sys.stderr)
        return 2
    prod = synthesize(ROOT, "prod")
    target = drifted(prod)
    options = ParityOptions(accepted=(*accepted_gaps(prod), ACCEPTED), plan=wave_plan(prod))
    report = parity(prod, target, options, ("prod (source estate)", "prod, drifted (target)"))
    origin: Provenance = collect(("prod", prod), ("prod", target), str(ROOT))
    label = "prod, drifted by scripts/parity_screenshot.py"
    report = replace(report, provenance=replace(origin, target=replace(origin.target, label=label)))
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "parity.html"
        page.write_text(render_parity_html(report), encoding="utf-8")
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             f"--screenshot={OUT}", "--window-size=1280,1700", page.as_uri()],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
    print(f"parity_screenshot: wrote {OUT.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
