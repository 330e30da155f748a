"""Accepted gaps: read from the `parityAccepted` output the program exports (stack config
`bascule:parity.acceptedGaps`), so stack exports carry them as synthesized stacks do."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bascule.errors import BadInputError
from bascule.parity.diff import AcceptedGap
from bascule.snapshot.model import ROOT_STACK_TYPE, Snapshot

OUTPUT = "parityAccepted"


def accepted_gaps(snapshot: Snapshot) -> list[AcceptedGap]:
    root = next((r for r in snapshot.resources if r.type == ROOT_STACK_TYPE), None)
    entries = (root.outputs or {}).get(OUTPUT) if root is not None else None
    if entries is None:
        return []
    return parse_accepted(entries, f"{snapshot.source}: output {OUTPUT}")


def parse_accepted(entries: Any, where: str) -> list[AcceptedGap]:
    """Accepted gaps from a list of `{object, fields?, reason}` (stack output or pairing
    file); `where` names the list in messages."""
    if not isinstance(entries, list):
        raise BadInputError(f"{where} is not a list")
    gaps = []
    for index, entry in enumerate(entries):
        at = f"{where}[{index}]"
        if not isinstance(entry, Mapping):
            raise BadInputError(f"{at}: not an object")
        obj, reason, fields = entry.get("object"), entry.get("reason"), entry.get("fields", [])
        if not isinstance(obj, str) or "/" not in obj:
            raise BadInputError(f"{at}.object: expected '<capability>/<name>', got {obj!r}")
        if not isinstance(reason, str) or not reason.strip():
            raise BadInputError(f"{at}.reason: a written reason is required")
        if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
            raise BadInputError(f"{at}.fields: expected a list of field names")
        gaps.append(AcceptedGap(obj, reason.strip(), tuple(fields)))
    return gaps
