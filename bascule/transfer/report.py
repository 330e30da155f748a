"""The verification report: text (one line per failure, named), JSON (the manifest document
plus where it was written and its SHA-256) or JUnit (one testcase per dataset check and
per object)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from bascule.transfer.manifest import manifest_document
from bascule.transfer.verify import DatasetResult, Verification


def _evidence(v: Verification) -> str:
    return f"manifest: {v.manifest} sha256 {v.manifest_sha256}"


def render_text(v: Verification) -> str:
    lines = [f"Transfer verification: stack {v.plan.stack}, wave {v.plan.wave}"]
    for r in v.datasets:
        size = sum(o.size for o in r.records)
        state = f"FAILED ({len(r.findings)})" if r.findings else "ok"
        lines.append(
            f"  {r.dataset.name} -> {r.dataset.target.container}: {len(r.records)} objects, "
            f"{size} bytes: {state}"
        )
        lines += [f"    {f.kind}: {f.message}" for f in r.findings]
    objects = sum(len(r.records) for r in v.datasets)
    verdict = "FAILED" if v.findings else "PASSED"
    lines.append(
        f"{verdict}: {objects} objects in {len(v.datasets)} datasets, {len(v.findings)} failures"
    )
    lines.append(_evidence(v))
    return "\n".join(lines) + "\n"


def render_json(v: Verification) -> str:
    document = manifest_document(v)
    document["manifestFile"] = str(v.manifest)
    document["manifestSha256"] = v.manifest_sha256
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def _suite(root: ET.Element, r: DatasetResult, manifest_sha256: str) -> None:
    suite = ET.SubElement(root, "testsuite", name=f"transfer-{r.dataset.name}")
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", name="manifest-sha256", value=manifest_sha256)
    by_object: dict[str | None, list[str]] = {}
    for f in r.findings:
        by_object.setdefault(f.object, []).append(f"{f.kind}: {f.message}")
    names: list[str | None] = [None, *(o.name for o in r.records)]
    names += sorted({f.object for f in r.findings if f.object} - {o.name for o in r.records})
    for name in names:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=f"bascule.transfer.{r.dataset.name}",
            name=f"container {r.dataset.target.container}" if name is None else name,
        )
        for message in by_object.get(name, []):
            ET.SubElement(case, "failure", message=message)
    suite.set("tests", str(len(names)))
    suite.set("failures", str(sum(1 for n in names if n in by_object)))


def render_junit(v: Verification) -> str:
    root = ET.Element("testsuites", name="bascule-transfer")
    for r in v.datasets:
        _suite(root, r, str(v.manifest_sha256))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def render_verification(v: Verification, fmt: str) -> str:
    return {"text": render_text, "json": render_json, "junit": render_junit}[fmt](v)
