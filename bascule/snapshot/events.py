"""Engine event streams: `pulumi up --json`, `pulumi preview --json` with
PULUMI_ENABLE_STREAMING_JSON_PREVIEW, and `--event-log FILE` (one JSON event per line).

Format, from pulumi/pulumi v3.259.0 (docs/inputs.md cites the commit):
sdk/go/common/apitype/events.go (`EngineEvent`, one field per kind; `resourcePreEvent` /
`resOutputsEvent` carry `metadata: {op, urn, type, old, new, ...}` with each state's type, urn,
custom, id, parent, provider, inputs and outputs), pkg/backend/display/events.go (secrets
blinded: their ciphertext is `[secret]`) and display.go (`--json` leaves out internal events,
the default providers among them; `--event-log` keeps them). Each resource is its last state in
the stream; default providers left out are rebuilt from the `preludeEvent` config.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bascule.errors import BadInputError
from bascule.snapshot.model import Snapshot
from bascule.snapshot.preview import first_error, string_config
from bascule.snapshot.providers import rebuild_default_providers
from bascule.snapshot.state import build_snapshot, resource_from_state

RESOURCE_EVENTS = ("resourcePreEvent", "resOutputsEvent")
EVENT_KINDS = frozenset(
    {
        "cancelEvent",
        "stdoutEvent",
        "diagnosticEvent",
        "preludeEvent",
        "summaryEvent",
        "resourcePreEvent",
        "resOutputsEvent",
        "resOpFailedEvent",
        "policyEvent",
        "policyRemediationEvent",
        "policyLoadEvent",
        "policyAnalyzeSummaryEvent",
        "policyRemediateSummaryEvent",
        "policyAnalyzeStackSummaryEvent",
        "startDebuggingEvent",
        "progressEvent",
        "errorEvent",
    }
)
# The resource is gone after this step; in `pulumi refresh --json`, a resource found deleted
# comes back as a `delete` in its outputs event.
REMOVING_OPS = frozenset({"delete", "discard"})
# The replaced half of a replacement: its URN lives on in the replacement.
IGNORED_OPS = frozenset({"delete-replaced", "discard-replaced", "remove-pending-replace"})


def is_event(data: Any) -> bool:
    return isinstance(data, dict) and not EVENT_KINDS.isdisjoint(data)


@dataclass
class _Stream:
    label: str
    states: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    config: dict[str, str] = field(default_factory=dict)
    summary: dict[str, Any] | None = None
    failed: list[str] = field(default_factory=list)
    error: str | None = None

    def add(self, event: Mapping[str, Any], where: str) -> None:
        for kind in RESOURCE_EVENTS:
            if kind in event:
                self._resource(event[kind], f"{where}: {kind}")
        if isinstance(event.get("preludeEvent"), dict):
            self.config = string_config(event["preludeEvent"].get("config"), where)
        if isinstance(event.get("summaryEvent"), dict):
            self.summary = event["summaryEvent"]
        failed = event.get("resOpFailedEvent")
        if isinstance(failed, dict):
            urn = (failed.get("metadata") or {}).get("urn")
            self.failed.append(str(urn))
        diagnostic = event.get("diagnosticEvent")
        if isinstance(diagnostic, dict) and diagnostic.get("severity") == "error":
            self.error = self.error or first_error([diagnostic])

    def _resource(self, payload: Any, where: str) -> None:
        metadata = payload.get("metadata") if isinstance(payload, dict) else None
        if not isinstance(metadata, dict) or not isinstance(metadata.get("urn"), str):
            raise BadInputError(f'{where}: no "metadata" with a "urn"')
        op, urn = metadata.get("op"), metadata["urn"]
        if op in REMOVING_OPS:
            self.states.pop(urn, None)
            return
        if op in IGNORED_OPS:
            return
        state = metadata.get("new") or metadata.get("old")
        if not isinstance(state, dict):
            raise BadInputError(f"{where}: the {op} step of {urn} carries no state")
        self.states.pop(urn, None)  # re-inserted: resources keep the order they settled in
        self.states[urn] = (where, state)


def parse_events(events: Sequence[tuple[int, Any]], source: str, label: str) -> Snapshot:
    """(line number, decoded JSON) per event, in file order."""
    stream = _Stream(label)
    for line, event in events:
        where = f"{label}: line {line}"
        if not isinstance(event, dict):
            raise BadInputError(f"{where}: not an engine event object")
        if not is_event(event) and not {"sequence", "timestamp"} <= set(event):
            raise BadInputError(f"{where}: not a Pulumi engine event")
        stream.add(event, where)
    preview = _check_complete(stream, label)
    resources = [
        resource_from_state(state, where, preview=preview)
        for where, state in stream.states.values()
    ]
    providers = rebuild_default_providers(resources, stream.config)
    return build_snapshot(providers + resources, source, "events", {})


def _check_complete(stream: _Stream, label: str) -> bool:
    """Whether the stream is a preview's; refuses one that may not list every resource."""
    summary = stream.summary
    if summary is None:
        raise BadInputError(
            f"{label}: the event stream ends before its summaryEvent (an interrupted run or a "
            f"partial file; {len(stream.states)} resources seen): give the complete stream, "
            "or a stack export"
        )
    preview = bool(summary.get("isPreview"))
    result = summary.get("result")
    if stream.failed or result in ("failed", "canceled"):
        what = "preview" if preview else "update"
        why = stream.error or (f"{stream.failed[0]} failed" if stream.failed else str(result))
        raise BadInputError(
            f"{label}: the {what} {'was canceled' if result == 'canceled' else 'failed'} "
            f"({why}), so resources after the failure are missing: give a complete run, "
            "or a stack export"
        )
    return preview
