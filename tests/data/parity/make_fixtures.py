"""Regenerate the parity fixture pair from the bundled dev stack.

    .venv/bin/python tests/data/parity/make_fixtures.py

baseline.json is `bascule synth dev`; drifted.json is the same export with four known
differences on the target estate (asserted in tests/bascule/parity/test_parity_pair.py):
enclave proj-003 missing, container snds-extract unversioned, enclave proj-002 on a smaller
flavour, enclave proj-001 with an extra open port; plus one extra dataset on the target.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

from bascule.snapshot.write import snapshot_json
from bascule.synth import synthesize

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
T = "urn:pulumi:dev::bascule::bascule:target:Estate$"


def drift(doc: dict) -> dict:
    doc = copy.deepcopy(doc)
    resources = doc["deployment"]["resources"]
    # 1. proj-003 was never built on the target: its component and every child are gone.
    gone = T + "bascule:target:Enclave::proj-003"
    resources[:] = [r for r in resources if r["urn"] != gone and r.get("parent") != gone]
    for r in resources:
        props = [r.get("inputs") or {}, r.get("outputs") or {}]
        name = r["urn"].rsplit("::", 1)[-1]
        if name == "snds-extract-container":  # 2. versioning forgotten
            for p in props:
                p["versioning"] = False
        if name == "proj-002-vm-0":  # 3. a smaller flavour than the Azure VM
            for p in props:
                p["flavorName"] = "snc.8c32g-gpu1"
    # 4. an extra port opened on proj-001 (8080 from the gateway zone).
    rule = next(r for r in resources if r["urn"].endswith("::proj-001-in-tcp-22"))
    extra = copy.deepcopy(rule)
    extra["urn"] = rule["urn"].replace("proj-001-in-tcp-22", "proj-001-in-tcp-8080")
    for p in (extra.get("inputs") or {}, extra.get("outputs") or {}):
        p["portRangeMin"] = p["portRangeMax"] = 8080
    resources.append(extra)
    # 5. a scratch dataset that exists only on the target.
    template = next(r for r in resources if r["urn"].endswith("ObjectStorage::open-nomenclatures"))
    container = next(r for r in resources if r["urn"].endswith("::open-nomenclatures-container"))
    scratch = copy.deepcopy(template)
    scratch["urn"] = template["urn"].replace("open-nomenclatures", "scratch")
    scratch_container = copy.deepcopy(container)
    scratch_container["urn"] = container["urn"].replace("open-nomenclatures", "scratch")
    scratch_container["parent"] = scratch["urn"]
    resources += [scratch, scratch_container]
    return doc


def main() -> None:
    baseline = json.loads(snapshot_json(synthesize(ROOT, "dev")))
    (HERE / "baseline.json").write_text(json.dumps(baseline, indent=1) + "\n")
    (HERE / "drifted.json").write_text(json.dumps(drift(baseline), indent=1) + "\n")


if __name__ == "__main__":
    main()
