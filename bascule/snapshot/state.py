"""One resource state (`apitype.ResourceV3`, or an event's step state) into the model, and the
snapshot built from a list of them. Shared by every loader; every failure names the place."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bascule.errors import BadInputError
from bascule.snapshot.model import NO_OPTIONS, CustomTimeouts, Resource, ResourceOptions, Snapshot
from bascule.snapshot.values import convert


def build_snapshot(
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


def str_or_none(item: Mapping[str, Any], key: str, where: str) -> str | None:
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


def resource_from_state(item: Mapping[str, Any], where: str, *, preview: bool) -> Resource:
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
        id=str_or_none(item, "id", where),
        inputs=_props(item, "inputs", where, preview),
        outputs=_props(item, "outputs", where, preview),
        parent=str_or_none(item, "parent", where),
        provider=str_or_none(item, "provider", where),
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
