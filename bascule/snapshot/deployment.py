"""`pulumi stack export` documents and state checkpoints (what a local or S3-compatible backend
stores), both read into the snapshot model.

Formats, from pulumi/pulumi v3.259.0 (docs/inputs.md cites the commit):
sdk/go/common/apitype/core.go (`UntypedDeployment`, `VersionedCheckpoint`, `DeploymentV3`,
`ResourceV3`), pkg/resource/stack/deployment.go (versions 1 to 4 and the v4 feature names) and
checkpoint.go. An export is `{"version", "features"?, "deployment": {...}}`; a checkpoint is
`{"version", "features"?, "checkpoint": {"stack", "config"?, "latest": {...}}}`, or, before
checkpoints were versioned, `{"stack" | "target", "latest": {...}}`. Version 4 is version 3
plus a `features` list naming what an older reader would get wrong.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from bascule.errors import BadInputError
from bascule.snapshot.model import Resource, Snapshot
from bascule.snapshot.state import build_snapshot, resource_from_state

EXPORT_VERSIONS = (1, 2, 3, 4)
CHECKPOINT_VERSIONS = (1, 2, 3, 4)  # and unversioned checkpoints (the engine's version 0)
# The v4 features Pulumi defines (deployment.go), each with how bascule reads it. Any other
# feature is refused by name: it may change what the resources mean.
FEATURES: dict[str, str] = {
    "taint": "a tainted resource is read as it is (it is replaced at the next update)",
    "refreshBeforeUpdate": "a flag on the resource; its recorded state is read",
    "hooks": "hook names on the resource; hooks run code, not resources",
    "views": "a view is read as the resource it describes",
    "replaceWith": "replacement links between resources; each resource is read",
    "extensionParameterization": "parameterized provider packages; resources keep their types",
    "snippets-prototype": "resources registered by snippets are in the state like any other",
    "byteString": "a non-UTF-8 string is read with U+FFFD for its invalid bytes",
}
# Operations an interrupted update left in flight whose resource may not be in `resources`.
PENDING_ADDS = frozenset({"creating", "reading", "importing"})


def _version(data: Mapping[str, Any], label: str, what: str, supported: tuple[int, ...]) -> int:
    version = data.get("version")
    if version is None:
        raise BadInputError(f'{label}: missing "version"')
    if isinstance(version, bool) or version not in supported:
        raise BadInputError(
            f"{label}: unsupported {what} version {json.dumps(version)} (bascule reads "
            f"versions {', '.join(map(str, supported[:-1]))} and {supported[-1]})"
        )
    return int(version)


def check_features(data: Mapping[str, Any], version: int, label: str) -> None:
    """As the engine: the features list counts from version 4 on; unknown ones are refused."""
    if version < 4:
        return
    features = data.get("features") or []
    if not isinstance(features, list) or not all(isinstance(f, str) for f in features):
        raise BadInputError(f'{label}: "features" is not a list of names')
    unknown = sorted({f for f in features if f not in FEATURES})
    if unknown:
        raise BadInputError(
            f"{label}: uses Pulumi state features bascule cannot interpret: "
            f"{', '.join(unknown)} (it reads {', '.join(sorted(FEATURES))})"
        )


def parse_export(data: Mapping[str, Any], source: str, label: str) -> Snapshot:
    version = _version(data, label, "stack export", EXPORT_VERSIONS)
    check_features(data, version, label)
    if "deployment" not in data:
        raise BadInputError(f'{label}: missing "deployment"')
    return parse_deployment(data["deployment"], source, "export", label, "deployment")


def parse_checkpoint(data: Mapping[str, Any], source: str, label: str) -> Snapshot:
    if "checkpoint" not in data:  # unversioned: the checkpoint is the document itself
        return parse_deployment(data.get("latest"), source, "checkpoint", label, "latest")
    version = _version(data, label, "checkpoint", CHECKPOINT_VERSIONS)
    check_features(data, version, label)
    checkpoint = data["checkpoint"]
    if not isinstance(checkpoint, dict):
        raise BadInputError(f'{label}: "checkpoint" is not an object')
    key = "checkpoint.latest"
    return parse_deployment(checkpoint.get("latest"), source, "checkpoint", label, key)


def parse_deployment(deployment: Any, source: str, kind: str, label: str, key: str) -> Snapshot:
    """A `DeploymentV1..V3` object; `None` is a stack that was never updated (no resource)."""
    if deployment is None:
        return build_snapshot([], source, kind, {})
    if not isinstance(deployment, dict):
        raise BadInputError(f'{label}: "{key}" is not an object')
    resources: list[Resource] = []
    for where, item in _entries(deployment, "resources", label):
        if not isinstance(item, dict):
            raise BadInputError(f"{where}: not an object")
        if item.get("delete"):
            continue  # pending deletion after a replace: not part of the stack any more
        resources.append(resource_from_state(item, where, preview=False))
    resources.extend(_pending(deployment, {r.urn for r in resources}, label))
    manifest = deployment.get("manifest")
    return build_snapshot(resources, source, kind, manifest if isinstance(manifest, dict) else {})


def _pending(deployment: Mapping[str, Any], known: set[str], label: str) -> list[Resource]:
    """Resources an interrupted update was creating (or reading, importing): they may exist
    in the cloud without being in `resources`, so they are checked too."""
    found: list[Resource] = []
    for where, operation in _entries(deployment, "pending_operations", label):
        if not isinstance(operation, dict) or not isinstance(operation.get("resource"), dict):
            raise BadInputError(f'{where}: not an object with a "resource"')
        if operation.get("type") not in PENDING_ADDS:
            continue
        resource = resource_from_state(operation["resource"], f"{where}.resource", preview=False)
        if resource.urn not in known:
            known.add(resource.urn)
            found.append(resource)
    return found


def _entries(deployment: Mapping[str, Any], key: str, label: str) -> Iterator[tuple[str, Any]]:
    """Each entry of the list `deployment[key]` (absent: none) with where it stands."""
    entries = deployment.get(key) or []
    if not isinstance(entries, list):
        raise BadInputError(f'{label}: "{key}" is not a list')
    for i, entry in enumerate(entries):
        yield f"{label}: {key}[{i}]", entry
