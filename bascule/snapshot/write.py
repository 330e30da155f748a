"""Write a snapshot as a `pulumi stack export` (version 3) document. Never writes plaintext."""

from __future__ import annotations

import json
import math
import os
import struct
import tempfile
from pathlib import Path
from typing import Any

from bascule.snapshot.model import SECRET_SIG, SIG_KEY, Resource, SecretValue, Snapshot
from bascule.snapshot.values import FLOAT_SIG, REDACTED

# Deterministic manifest when the snapshot has none (synth): reproducible files diff cleanly.
DEFAULT_MANIFEST = {"time": "1970-01-01T00:00:00Z", "magic": "", "version": "bascule"}


def dump_value(value: Any) -> Any:
    if isinstance(value, SecretValue):
        return {SIG_KEY: SECRET_SIG, "ciphertext": value.ciphertext or REDACTED}
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return {SIG_KEY: FLOAT_SIG, "value": struct.pack(">d", value).hex()}  # as Pulumi does
    if isinstance(value, dict):
        return {k: dump_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [dump_value(v) for v in value]
    return value


def dump_resource(resource: Resource) -> dict[str, Any]:
    out: dict[str, Any] = {"urn": resource.urn, "custom": resource.custom}
    if resource.id is not None:
        out["id"] = resource.id
    out["type"] = resource.type
    if resource.inputs:
        out["inputs"] = dump_value(dict(resource.inputs))
    if resource.outputs:
        out["outputs"] = dump_value(dict(resource.outputs))
    if resource.parent:
        out["parent"] = resource.parent
    if resource.provider:
        out["provider"] = resource.provider
    if resource.dependencies:
        out["dependencies"] = list(resource.dependencies)
    if resource.property_dependencies:
        out["propertyDependencies"] = {
            k: list(v) for k, v in resource.property_dependencies.items()
        }
    out.update(dump_options(resource))
    return out


def dump_options(resource: Resource) -> dict[str, Any]:
    """The state's option fields, only those set (as `pulumi stack export` omits empty ones)."""
    opts = resource.options
    out: dict[str, Any] = {}
    if opts.protect:
        out["protect"] = True
    if opts.additional_secret_outputs:
        out["additionalSecretOutputs"] = list(opts.additional_secret_outputs)
    if opts.aliases:
        out["aliases"] = list(opts.aliases)
    timeouts = {k: v for k, v in vars(opts.custom_timeouts).items() if v}
    if timeouts:
        out["customTimeouts"] = timeouts
    if opts.ignore_changes:
        out["ignoreChanges"] = list(opts.ignore_changes)
    if opts.delete_before_replace is not None:
        out["deleteBeforeReplace"] = opts.delete_before_replace
    return out


def dump_snapshot(snapshot: Snapshot) -> dict[str, Any]:
    """The snapshot as a stack-export v3 JSON document (secrets as signature + ciphertext)."""
    return {
        "version": 3,
        "deployment": {
            "manifest": dict(snapshot.manifest) or dict(DEFAULT_MANIFEST),
            "resources": [dump_resource(r) for r in snapshot.resources],
        },
    }


def snapshot_json(snapshot: Snapshot, *, compact: bool = False) -> str:
    # Indented like `pulumi stack export`; compact is ~8x faster to write (C encoder).
    indent = None if compact else 4
    return json.dumps(dump_snapshot(snapshot), indent=indent, ensure_ascii=False) + "\n"


def write_snapshot(snapshot: Snapshot, path: str | Path, *, compact: bool = False) -> None:
    """Write atomically (temp file + rename) so a failed run never leaves half a file."""
    path = Path(path)
    text = snapshot_json(snapshot, compact=compact)
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
