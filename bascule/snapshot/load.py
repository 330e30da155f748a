"""Load a snapshot from `pulumi stack export` or `pulumi preview --json` output.

`parse_snapshot` is pure (a decoded JSON document in, a `Snapshot` out); `load_snapshot` adds
the file reading. Every failure is a `BadInputError` with one line naming the file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bascule.errors import BadInputError
from bascule.snapshot.model import NO_OPTIONS, CustomTimeouts, Resource, ResourceOptions, Snapshot
from bascule.snapshot.values import convert

SUPPORTED_VERSIONS = (1, 2, 3)
# Preview steps whose resource does not exist after the update.
SKIPPED_OPS = frozenset(
    {"delete", "discard", "delete-replaced", "remove-pending-replace", "read-discard"}
)


MAX_SNAPSHOT_MB_ENV = "BASCULE_MAX_SNAPSHOT_MB"
DEFAULT_MAX_SNAPSHOT_MB = 512  # far above a 10,000-enclave export; refuse before reading


def max_snapshot_bytes() -> int:
    value = os.environ.get(MAX_SNAPSHOT_MB_ENV, "")
    try:
        megabytes = float(value) if value else DEFAULT_MAX_SNAPSHOT_MB
    except ValueError:
        raise BadInputError(f"{MAX_SNAPSHOT_MB_ENV}: {value!r} is not a number of MB") from None
    return int(megabytes * 1024 * 1024)


def load_snapshot(path: str | Path) -> Snapshot:
    """Read and parse a stack export or preview --json file."""
    path = Path(path)
    label = path.name
    try:
        size, limit = path.stat().st_size, max_snapshot_bytes()
        if path.is_file() and size > limit:
            raise BadInputError(
                f"{label}: {size / 2**20:.1f} MB exceeds the snapshot size limit of "
                f"{limit / 2**20:.1f} MB (set {MAX_SNAPSHOT_MB_ENV} to raise it)"
            )
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadInputError(f"{label}: no such file") from None
    except IsADirectoryError:
        raise BadInputError(f"{label}: is a directory, not a snapshot file") from None
    except UnicodeDecodeError:
        raise BadInputError(f"{label}: not JSON (not UTF-8 text)") from None
    except OSError as exc:
        raise BadInputError(f"{label}: cannot read ({exc.strerror})") from None
    return parse_snapshot_text(text, str(path), label=label)


def parse_snapshot_text(text: str, source: str, *, label: str | None = None) -> Snapshot:
    label = label or source
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadInputError(
            f"{label}: not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except RecursionError:
        raise BadInputError(f"{label}: JSON nested too deeply to be a snapshot") from None
    try:
        return parse_snapshot(data, source, label=label)
    except RecursionError:
        raise BadInputError(f"{label}: values nested too deeply to be a snapshot") from None


def parse_snapshot(data: Any, source: str, *, label: str | None = None) -> Snapshot:
    """Detect the document kind and parse it."""
    label = label or source
    if isinstance(data, dict):
        if "steps" in data or "changeSummary" in data:
            return _parse_preview(data, source, label)
        if "deployment" in data or "version" in data:
            return _parse_export(data, source, label)
    raise BadInputError(f"{label}: not a pulumi stack export or preview --json document")


def _parse_export(data: Mapping[str, Any], source: str, label: str) -> Snapshot:
    version = data.get("version")
    if version is None:
        raise BadInputError(f'{label}: missing "version"')
    if isinstance(version, bool) or version not in SUPPORTED_VERSIONS:
        raise BadInputError(f"{label}: unsupported version {json.dumps(version)} (expected 3)")
    if "deployment" not in data:
        raise BadInputError(f'{label}: missing "deployment"')
    deployment = data["deployment"]
    if not isinstance(deployment, dict):
        raise BadInputError(f'{label}: "deployment" is not an object')
    raw = deployment.get("resources") or []
    if not isinstance(raw, list):
        raise BadInputError(f'{label}: "resources" is not a list')
    resources: list[Resource] = []
    for i, item in enumerate(raw):
        where = f"{label}: resources[{i}]"
        if not isinstance(item, dict):
            raise BadInputError(f"{where}: not an object")
        if item.get("delete"):
            continue  # pending deletion after a replace: not part of the stack any more
        resources.append(_resource(item, where, preview=False))
    manifest = deployment.get("manifest")
    return _snapshot(resources, source, "export", manifest if isinstance(manifest, dict) else {})


def _parse_preview(data: Mapping[str, Any], source: str, label: str) -> Snapshot:
    steps = data.get("steps") or []
    if not isinstance(steps, list):
        raise BadInputError(f'{label}: "steps" is not a list')
    # A replace shows up as several steps for one URN: keep the last surviving state.
    by_urn: dict[str, Resource] = {}
    for i, step in enumerate(steps):
        where = f"{label}: steps[{i}]"
        if not isinstance(step, dict):
            raise BadInputError(f"{where}: not an object")
        op = step.get("op")
        if op in SKIPPED_OPS:
            continue
        state = step.get("newState")
        if not state:
            state = step.get("oldState")
        if not state:
            raise BadInputError(f'{where}: missing "newState"')
        if not isinstance(state, dict):
            raise BadInputError(f'{where}: "newState" is not an object')
        if "urn" not in state and isinstance(step.get("urn"), str):
            state = {**state, "urn": step["urn"]}
        resource = _resource(state, where, preview=True)
        by_urn[resource.urn] = resource
    return _snapshot(list(by_urn.values()), source, "preview", {})


def _snapshot(
    resources: list[Resource], source: str, kind: str, manifest: Mapping[str, Any]
) -> Snapshot:
    stack = project = ""
    if resources:
        # urn:pulumi:<stack>::<project>::<type>::<name>
        head = resources[0].urn.removeprefix("urn:pulumi:").split("::")
        if len(head) >= 2:
            stack, project = head[0], head[1]
    return Snapshot(
        resources=tuple(resources),
        source=source,
        kind=kind,
        project=project,
        stack=stack,
        manifest=dict(manifest),
    )


def _str_or_none(item: Mapping[str, Any], key: str, where: str) -> str | None:
    value = item.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise BadInputError(f'{where}: "{key}" is not a string')
    return value


def _props(item: Mapping[str, Any], key: str, where: str, preview: bool) -> dict[str, Any]:
    value = item.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BadInputError(f'{where}: "{key}" is not an object')
    converted: dict[str, Any] = convert(value, preview=preview)
    return converted


def _urn_list(value: Any, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(u, str) for u in value):
        raise BadInputError(f'{where}: "{key}" is not a list of URNs')
    return tuple(value)


def _resource(item: Mapping[str, Any], where: str, *, preview: bool) -> Resource:
    for key in ("urn", "type"):
        if key not in item:
            raise BadInputError(f'{where}: missing "{key}"')
        if not isinstance(item[key], str) or not item[key]:
            raise BadInputError(f'{where}: "{key}" is not a non-empty string')
    urn: str = item["urn"]
    if not urn.startswith("urn:pulumi:") or urn.count("::") < 3:
        raise BadInputError(f"{where}: malformed urn {urn!r}")
    raw_pdeps = item.get("propertyDependencies") or {}
    if not isinstance(raw_pdeps, dict):
        raise BadInputError(f'{where}: "propertyDependencies" is not an object')
    pdeps = {k: _urn_list(v, where, f"propertyDependencies.{k}") for k, v in raw_pdeps.items()}
    return Resource(
        urn=urn,
        type=item["type"],
        custom=bool(item.get("custom", False)),
        id=_str_or_none(item, "id", where),
        inputs=_props(item, "inputs", where, preview),
        outputs=_props(item, "outputs", where, preview),
        parent=_str_or_none(item, "parent", where),
        provider=_str_or_none(item, "provider", where),
        dependencies=_urn_list(item.get("dependencies"), where, "dependencies"),
        property_dependencies=pdeps,
        options=_options(item, where),
    )


def _string_list(item: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = item.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BadInputError(f'{where}: "{key}" is not a list of strings')
    return tuple(value)


def _timeouts(item: Mapping[str, Any], where: str) -> CustomTimeouts:
    value = item.get("customTimeouts")
    if value is None:
        return CustomTimeouts()
    if not isinstance(value, dict):
        raise BadInputError(f'{where}: "customTimeouts" is not an object')
    seconds: dict[str, float] = {}
    for key in ("create", "update", "delete", "read"):
        raw = value.get(key, 0)
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise BadInputError(f'{where}: "customTimeouts.{key}" is not a number of seconds')
        seconds[key] = float(raw)
    return CustomTimeouts(**seconds)


def _options(item: Mapping[str, Any], where: str) -> ResourceOptions:
    """The options a state records (`protect`, `ignoreChanges`, ...); `deleteBeforeReplace` is
    read where a document has it (the v3 state does not: it is a goal, not state)."""
    keys = ("protect", "ignoreChanges", "deleteBeforeReplace", "additionalSecretOutputs")
    if not any(k in item for k in (*keys, "aliases", "customTimeouts")):
        return NO_OPTIONS
    for key in ("protect", "deleteBeforeReplace"):
        if key in item and item[key] is not None and not isinstance(item[key], bool):
            raise BadInputError(f'{where}: "{key}" is not a boolean')
    return ResourceOptions(
        protect=bool(item.get("protect", False)),
        ignore_changes=_string_list(item, "ignoreChanges", where),
        delete_before_replace=item.get("deleteBeforeReplace"),
        additional_secret_outputs=_string_list(item, "additionalSecretOutputs", where),
        aliases=_urn_list(item.get("aliases"), where, "aliases"),
        custom_timeouts=_timeouts(item, where),
    )
