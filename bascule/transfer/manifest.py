"""The verification manifest: every object (name, size, hashes), totals, the result, and the
file's own SHA-256 next to it. The wave's acceptance report cites the pair (docs/transfer.md
has the contract)."""

from __future__ import annotations

import hashlib
import json
from importlib import metadata
from typing import TYPE_CHECKING, Any

from bascule.errors import UsageError
from bascule.transfer.model import PLAN_FILE

if TYPE_CHECKING:
    from bascule.transfer.verify import DatasetResult, Verification

MANIFEST_SCHEMA = "bascule.transfer.manifest/v1"
DIRECTORY = "verification"
MANIFEST_FILE = "manifest.json"


def _version() -> str:
    try:
        return metadata.version("bascule")
    except metadata.PackageNotFoundError:
        return "unknown"


def _dataset_document(result: DatasetResult) -> dict[str, Any]:
    d = result.dataset
    return {
        "name": d.name,
        "job": result.job,
        "classification": d.classification,
        "source": {"account": d.source.account, "container": d.source.container},
        "target": {
            "container": d.target.container,
            "storagePolicy": d.target.storage_policy,
            "key": d.target.key,
            "keyStore": d.target.key_store,
            "versioned": d.target.versioned,
        },
        "objects": [
            {
                "name": r.name,
                "size": r.size,
                "md5": r.md5,
                "sha256": r.sha256,
                "sourceMd5From": r.md5_from,
                "status": r.status,
            }
            for r in result.records
        ],
        "totals": {
            "objects": len(result.records),
            "bytes": sum(r.size for r in result.records),
            "failures": len(result.findings),
        },
        "result": "failed" if result.findings else "passed",
    }


def manifest_document(v: Verification) -> dict[str, Any]:
    datasets = [_dataset_document(r) for r in v.datasets]
    return {
        "schema": MANIFEST_SCHEMA,
        "stack": v.plan.stack,
        "wave": v.plan.wave,
        "plan": {"file": PLAN_FILE, "sha256": v.plan_sha256},
        "verifiedAt": v.verified_at,
        "tools": {"bascule": _version(), "rclone": v.rclone_version},
        "integrity": {**v.plan.integrity, "streamSource": v.stream_source},
        "transport": dict(v.plan.transport),
        "result": "failed" if v.findings else "passed",
        "totals": {
            "datasets": len(datasets),
            "objects": sum(d["totals"]["objects"] for d in datasets),
            "bytes": sum(d["totals"]["bytes"] for d in datasets),
            "failures": len(v.findings),
        },
        "failures": [
            {"dataset": f.dataset, "object": f.object, "kind": f.kind, "message": f.message}
            for f in v.findings
        ],
        "datasets": datasets,
    }


def write_manifest(v: Verification) -> None:
    """PLANDIR/verification/manifest.json and manifest.json.sha256 (`sha256sum -c` format)."""
    directory = v.plan.path_of(DIRECTORY)
    body = (json.dumps(manifest_document(v), indent=2, sort_keys=True) + "\n").encode()
    digest = hashlib.sha256(body).hexdigest()
    path = directory / MANIFEST_FILE
    try:
        directory.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
        (directory / f"{MANIFEST_FILE}.sha256").write_text(f"{digest}  {MANIFEST_FILE}\n")
    except OSError as err:
        raise UsageError(f"{directory}: cannot write the manifest: {err.strerror or err}") from None
    v.manifest, v.manifest_sha256 = path, digest
