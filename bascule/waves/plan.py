"""The stack's wave plan as the program exports it (stack output `waves`), and the moves
between two plans: each legal in the lifecycle (components/lifecycle.py), or refused."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bascule.errors import BadInputError
from bascule.snapshot.model import Snapshot
from components.lifecycle import INITIAL, PHASES, WaveStatus, legal_move, path_between

ROOT = "pulumi:pulumi:Stack"
STATUSES = tuple(str(s) for s in WaveStatus)


def plan_entries(snapshot: Snapshot, where: str) -> list[Mapping[str, Any]]:
    """The `waves` output of the root stack, each entry checked: id, name and a lifecycle
    status. Bad input (exit 2) names the file and the entry."""
    root = next((r for r in snapshot if r.type == ROOT), None)
    entries = (root.outputs or {}).get("waves") if root is not None else None
    if not isinstance(entries, Sequence) or isinstance(entries, str):
        raise BadInputError(f"{where}: the stack exports no `waves` output (the wave plan)")
    out = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            raise BadInputError(f"{where}: waves[{index}] is not a mapping")
        wave = entry.get("id")
        if isinstance(wave, float) and wave.is_integer():
            wave = int(wave)
        if not isinstance(wave, int) or isinstance(wave, bool):
            raise BadInputError(f"{where}: waves[{index}].id is {wave!r}, not a wave number")
        if entry.get("status") not in STATUSES:
            raise BadInputError(
                f"{where}: waves[{index}] (wave {wave}) has status {entry.get('status')!r}, "
                f"not one of {', '.join(STATUSES)}"
            )
        out.append({**entry, "id": wave})
    return sorted(out, key=lambda e: int(e["id"]))


@dataclass(frozen=True)
class Move:
    wave: int
    name: str
    old: str | None  # None: a new wave
    new: str | None  # None: the wave left the plan
    legal: bool
    note: str

    def line(self) -> str:
        before, after = self.old or "(new)", self.new or "(removed)"
        verdict = "ok" if self.legal else "REFUSED"
        return f"wave {self.wave} {self.name}: {before} -> {after}  {verdict}: {self.note}"


def _note(old: WaveStatus, new: WaveStatus) -> tuple[bool, str]:
    if old == new:
        return True, "unchanged"
    if legal_move(old, new):
        needs = PHASES[new].sign_offs
        extra = f"; needs a {', '.join(a.upper() for a in needs)} sign-off" if needs else ""
        return True, f"a lifecycle move{extra}"
    route = path_between(old, new)
    if route:
        steps = " -> ".join([str(old), *map(str, route)])
        return False, f"skips steps; the lifecycle goes {steps}"
    return False, f"there is no way from {old} to {new}"


def moves(old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]) -> list[Move]:
    before = {int(e["id"]): e for e in old}
    after = {int(e["id"]): e for e in new}
    out = []
    for wave in sorted(before.keys() | after.keys()):
        was, now = before.get(wave), after.get(wave)
        name = str((now or was or {}).get("name") or "")
        if was is None and now is not None:
            status = WaveStatus(now["status"])
            ok = status == INITIAL
            note = "a new wave" if ok else f"a new wave starts {INITIAL}"
            out.append(Move(wave, name, None, str(status), ok, note))
        elif now is None and was is not None:
            ok = was["status"] == WaveStatus.DECOMMISSIONED
            note = "done" if ok else "only a decommissioned wave leaves the plan"
            out.append(Move(wave, name, str(was["status"]), None, ok, note))
        elif was is not None and now is not None:
            ok, note = _note(WaveStatus(was["status"]), WaveStatus(now["status"]))
            out.append(Move(wave, name, str(was["status"]), str(now["status"]), ok, note))
    return out
