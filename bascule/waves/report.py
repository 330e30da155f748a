"""`bascule waves` reports: text, JSON, JUnit (one suite per wave) and markdown."""

from __future__ import annotations

import json
from collections.abc import Sequence
from xml.etree import ElementTree as ET

from bascule.waves.acceptance import FAILED, SKIPPED, WaveAcceptance

MARK = {"passed": "PASS", "failed": "FAIL", "skipped": "SKIP"}


def _title(wave: WaveAcceptance) -> str:
    return f"wave {wave.id} {wave.name} ({wave.status})"


def _verdict(wave: WaveAcceptance) -> str:
    return "not accepted" if wave.failed else "accepted"


def render_text(waves: Sequence[WaveAcceptance], stack: str) -> str:
    lines = [f"Wave acceptance: {stack}"]
    for wave in waves:
        lines.append(f"\n{_title(wave)}: {_verdict(wave)}")
        width = max(len(c.name) for c in wave.cases)
        lines += [f"  {MARK[c.status]}  {c.name:<{width}}  {c.message}" for c in wave.cases]
    accepted = sum(1 for w in waves if not w.failed)
    lines.append(f"\n{accepted} of {len(waves)} wave(s) accepted")
    return "\n".join(lines) + "\n"


def to_dict(waves: Sequence[WaveAcceptance], stack: str) -> dict[str, object]:
    return {
        "stack": stack,
        "waves": [
            {
                "id": w.id,
                "name": w.name,
                "status": w.status,
                "accepted": not w.failed,
                "tests": [
                    {"name": c.name, "result": c.status, "message": c.message} for c in w.cases
                ],
                "transferEvidence": (
                    {"manifest": w.evidence.manifest, "sha256": w.evidence.sha256}
                    if w.evidence is not None
                    else None
                ),
            }
            for w in waves
        ],
    }


def render_json(waves: Sequence[WaveAcceptance], stack: str) -> str:
    return json.dumps(to_dict(waves, stack), indent=2, ensure_ascii=False) + "\n"


def _suite(wave: WaveAcceptance, stack: str) -> ET.Element:
    failures = sum(1 for c in wave.cases if c.status == FAILED)
    skipped = sum(1 for c in wave.cases if c.status == SKIPPED)
    suite = ET.Element(
        "testsuite",
        name=f"{stack} wave {wave.id} {wave.name}".strip(),
        tests=str(len(wave.cases)),
        failures=str(failures),
        errors="0",
        skipped=str(skipped),
    )
    props = ET.SubElement(suite, "properties")
    ET.SubElement(props, "property", name="status", value=wave.status)
    if wave.evidence is not None:
        ET.SubElement(props, "property", name="manifest", value=wave.evidence.manifest)
        ET.SubElement(props, "property", name="manifest-sha256", value=wave.evidence.sha256)
    for case in wave.cases:
        element = ET.SubElement(
            suite, "testcase", name=case.name, classname=f"bascule.waves.wave{wave.id}"
        )
        if case.status == FAILED:
            ET.SubElement(element, "failure", message=case.message).text = case.message
        elif case.status == SKIPPED:
            ET.SubElement(element, "skipped", message=case.message)
        else:
            ET.SubElement(element, "system-out").text = case.message
    return suite


def render_junit(waves: Sequence[WaveAcceptance], stack: str) -> str:
    root = ET.Element("testsuites", name=f"bascule waves {stack}")
    for wave in waves:
        root.append(_suite(wave, stack))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(waves: Sequence[WaveAcceptance], stack: str) -> str:
    lines = [f"## Wave acceptance: {stack}"]
    for wave in waves:
        lines += ["", f"### {_title(wave)}: {_verdict(wave)}", "", "| test | result | detail |"]
        lines.append("|---|---|---|")
        lines += [f"| {c.name} | {c.status} | {_cell(c.message)} |" for c in wave.cases]
    return "\n".join(lines) + "\n"


RENDERERS = {
    "text": render_text,
    "json": render_json,
    "junit": render_junit,
    "markdown": render_markdown,
}
