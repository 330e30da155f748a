"""The migration plan: each wave's name, status and cutover date, read from the `waves`
output the program exports (stack config `bascule:waves`), so a real `pulumi stack export`
carries it as a synthesized stack does."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from bascule.errors import BadInputError
from bascule.parity.model import WavePlan
from bascule.snapshot.model import ROOT_STACK_TYPE, Snapshot

OUTPUT = "waves"


def wave_plan(snapshot: Snapshot) -> tuple[WavePlan, ...] | None:
    """The snapshot's plan, or None when it has no `waves` output (an older export)."""
    root = next((r for r in snapshot.resources if r.type == ROOT_STACK_TYPE), None)
    entries = (root.outputs or {}).get(OUTPUT) if root is not None else None
    if entries is None:
        return None
    if not isinstance(entries, list):
        raise BadInputError(f"{snapshot.source}: output {OUTPUT} is not a list")
    plan: dict[int, WavePlan] = {}
    for index, entry in enumerate(entries):
        where = f"{snapshot.source}: output {OUTPUT}[{index}]"
        wave = _wave(entry, where)
        if wave.id in plan:
            raise BadInputError(f"{where}.id: wave {wave.id} is declared twice")
        plan[wave.id] = wave
    return tuple(plan[i] for i in sorted(plan))


def first_plan(*snapshots: Snapshot) -> tuple[WavePlan, ...] | None:
    """The plan of the first snapshot that has one (the target's, then the source's)."""
    for snapshot in snapshots:
        plan = wave_plan(snapshot)
        if plan is not None:
            return plan
    return None


def _wave(entry: Any, where: str) -> WavePlan:
    if not isinstance(entry, Mapping):
        raise BadInputError(f"{where}: not an object")
    wave_id, name, status = entry.get("id"), entry.get("name"), entry.get("status")
    cutover = entry.get("cutoverDate")
    if isinstance(wave_id, float) and wave_id.is_integer():
        wave_id = int(wave_id)  # JSON numbers may arrive as floats (1.0)
    if isinstance(wave_id, bool) or not isinstance(wave_id, int) or wave_id < 0:
        raise BadInputError(f"{where}.id: expected a wave number (0 or more), got {wave_id!r}")
    for key, value in (("name", name), ("status", status)):
        if value is not None and not isinstance(value, str):
            raise BadInputError(f"{where}.{key}: expected text, got {value!r}")
    if cutover is not None and not _iso_date(cutover):
        raise BadInputError(
            f"{where}.cutoverDate: expected an ISO date (YYYY-MM-DD), got {cutover!r}"
        )
    return WavePlan(wave_id, name or None, status or None, cutover)


def _iso_date(value: Any) -> bool:
    if not isinstance(value, str) or len(value) != 10:
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True
