"""Regenerate misconfigured.json from the dev baseline (tests/data/parity/baseline.json).

    .venv/bin/python tests/data/checkov/make_fixtures.py

The fixed counterpart is the baseline itself. The misconfigurations, one per line below,
are asserted check by check in tests/bascule/checkov/test_checkov_scan.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BASELINE = HERE.parent / "parity" / "baseline.json"

BREAKS: dict[str, dict[str, Any]] = {
    # SSH open to the world on an enclave (checkov CKV_OPENSTACK_2).
    "proj-001-in-tcp-22": {"remoteIpPrefix": "0.0.0.0/0"},
    # An admin password in the instance inputs (checkov CKV_OPENSTACK_4).
    "proj-002-vm-0": {"adminPass": "Sant3-Publique!"},
    # An Azure storage account reachable from the internet (checkov CKV_AZURE_59).
    "snds-extract-account": {"publicNetworkAccess": "Enabled", "allowBlobPublicAccess": True},
    # A world-readable Swift container (bascule CKV_BSC_1 = PRT-005).
    "snds-extract-container": {"containerRead": ".r:*,.rlistings"},
    # An unencrypted Cinder volume (bascule CKV_BSC_2 = PRT-003).
    "proj-003-data-0": {"volumeType": "classic"},
    # A public address on an enclave instance (bascule CKV_BSC_3 = PRT-008).
    "proj-003-vm-0": {"networks": [{"port": "proj-003-port-0-id", "floatingIp": "51.68.20.7"}]},
    # A volume in a region outside the SecNumCloud allow-list (bascule CKV_BSC_4 = SOV-002).
    "proj-001-boot-0": {"region": "US-EAST-1"},
    # A volume without the required metadata (bascule CKV_BSC_5 = PRT-012).
    "proj-002-data-0": {"metadata": {"managed-by": "bascule"}},
}


def main() -> None:
    doc = json.loads(BASELINE.read_text())
    for resource in doc["deployment"]["resources"]:
        change = BREAKS.get(resource["urn"].rsplit("::", 1)[-1])
        if change:
            for side in ("inputs", "outputs"):
                if resource.get(side):
                    resource[side].update(change)
    (HERE / "misconfigured.json").write_text(json.dumps(doc, indent=1) + "\n")


if __name__ == "__main__":
    main()
