"""A wave's rollback plan: the config change (its status `cutover` -> `rolled-back`) and
the resources it changes, as a diff of the two synthesized snapshots. Values are never
shown, only which properties change (secrets stay secrets)."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bascule.errors import BadInputError
from bascule.snapshot.model import Snapshot
from components.lifecycle import WaveStatus

WAVES_KEY = "bascule:waves"


def rolled_back(stack_doc: Mapping[str, Any], wave: int, where: str) -> dict[str, Any]:
    """The stack file's content with `wave` moved from cutover to rolled-back."""
    doc = copy.deepcopy(dict(stack_doc))
    entries = (doc.get("config") or {}).get(WAVES_KEY)
    if not isinstance(entries, list):
        raise BadInputError(f"{where}: config key {WAVES_KEY} is not a list of waves")
    found = [e for e in entries if isinstance(e, dict) and e.get("id") == wave]
    if not found:
        raise BadInputError(f"{where}: {WAVES_KEY} has no wave {wave}")
    status = found[0].get("status", str(WaveStatus.PLANNED))
    if status != WaveStatus.CUTOVER:
        raise BadInputError(
            f"{where}: wave {wave} is {status}: only a cut-over wave rolls back "
            "(cutover -> rolled-back -> replicating)"
        )
    found[0]["status"] = str(WaveStatus.ROLLED_BACK)
    return doc


@dataclass(frozen=True)
class Change:
    urn: str
    kind: str  # "added", "removed", "changed"
    keys: tuple[str, ...] = ()  # the input properties that change

    def line(self) -> str:
        sign = {"added": "+", "removed": "-", "changed": "~"}[self.kind]
        keys = f" ({', '.join(self.keys)})" if self.keys else ""
        return f"  {sign} {self.urn}{keys}"


def snapshot_changes(before: Snapshot, after: Snapshot) -> list[Change]:
    old, new = before.by_urn(), after.by_urn()
    changes = [Change(u, "removed") for u in sorted(old.keys() - new.keys())]
    changes += [Change(u, "added") for u in sorted(new.keys() - old.keys())]
    for urn in sorted(old.keys() & new.keys()):
        a, b = old[urn].inputs or {}, new[urn].inputs or {}
        keys = tuple(sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k)))
        if keys:
            changes.append(Change(urn, "changed", keys))
    return changes
