"""`pulumi preview --json`: one JSON document (the engine's `PreviewDigest`), read into the
snapshot model.

Format, from pulumi/pulumi v3.259.0 (docs/inputs.md cites the commit): pkg/display/json.go
(`PreviewDigest`: `config`, `steps` of `{op, urn, provider, oldState, newState, ...}`,
`diagnostics`, `changeSummary`) and pkg/backend/display/json.go (`ShowPreviewDigest`). The
digest leaves out unchanged resources unless `--show-sames` is given, and default providers
always (they are internal steps); bascule refuses the first and rebuilds the second from
`config`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bascule.errors import BadInputError
from bascule.snapshot.model import Resource, Snapshot
from bascule.snapshot.providers import rebuild_default_providers
from bascule.snapshot.state import build_snapshot, resource_from_state

# Steps whose resource does not exist after the update (pkg/resource/deploy/step.go). The
# replaced half of a replacement shares its URN with the new one, which another step carries.
SKIPPED_OPS = frozenset(
    {"delete", "discard", "delete-replaced", "discard-replaced", "remove-pending-replace"}
)


def string_config(value: Any, label: str) -> dict[str, str]:
    """The engine's config map as a file carries it (secrets blinded as `[secret]`)."""
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise BadInputError(f'{label}: "config" is not a map of strings')
    return {str(k): v for k, v in value.items()}


def first_error(messages: list[Any]) -> str | None:
    """The first error diagnostic's message, on one line and short."""
    for item in messages:
        if isinstance(item, dict) and item.get("severity") == "error":
            text = " ".join(str(item.get("message") or "").split())
            return text[:200] + ("..." if len(text) > 200 else "") or "no message"
    return None


def parse_preview(data: Mapping[str, Any], source: str, label: str) -> Snapshot:
    steps = data.get("steps") or []
    if not isinstance(steps, list):
        raise BadInputError(f'{label}: "steps" is not a list')
    diagnostics = data.get("diagnostics") or []
    error = first_error(diagnostics if isinstance(diagnostics, list) else [])
    if error is not None:
        raise BadInputError(
            f"{label}: the preview failed ({error}), so its steps may not list every "
            "resource: fix it and run the preview again"
        )
    # A replace shows up as several steps for one URN: keep the last surviving state.
    by_urn: dict[str, Resource] = {}
    sames = 0
    for i, step in enumerate(steps):
        where = f"{label}: steps[{i}]"
        if not isinstance(step, dict):
            raise BadInputError(f"{where}: not an object")
        op = step.get("op")
        sames += op == "same"
        if op in SKIPPED_OPS:
            continue
        state = step.get("newState") or step.get("oldState")
        if not state:
            raise BadInputError(f'{where}: missing "newState"')
        if not isinstance(state, dict):
            raise BadInputError(f'{where}: "newState" is not an object')
        if "urn" not in state and isinstance(step.get("urn"), str):
            state = {**state, "urn": step["urn"]}
        resource = resource_from_state(state, where, preview=True)
        by_urn[resource.urn] = resource
    _require_sames(data, sames, label)
    resources = list(by_urn.values())
    providers = rebuild_default_providers(resources, string_config(data.get("config"), label))
    return build_snapshot(providers + resources, source, "preview", {})


def _require_sames(data: Mapping[str, Any], sames: int, label: str) -> None:
    summary = data.get("changeSummary")
    if data.get("steps") and not isinstance(summary, dict):
        raise BadInputError(
            f"{label}: a preview --json without its changeSummary (the preview did not "
            "finish, or the file was cut): run the preview again"
        )
    expected = summary.get("same") if isinstance(summary, dict) else None
    if isinstance(expected, int) and not isinstance(expected, bool) and expected > sames:
        raise BadInputError(
            f"{label}: a preview --json without its {expected - sames} unchanged resources "
            "(pulumi lists them only with --show-sames): run `pulumi preview --json "
            "--show-sames` so that every resource is checked"
        )
