"""The wave lifecycle: the legal moves between statuses, and what each status builds.

    planned -> replicating -> parallel -> cutover -> decommissioned
                   ^                          |
                   +------ rolled-back <------+

Pure data with no dependency beyond the standard library, read by the components (what to
build), by bascule's migration pack, whose own virtualenv has only pulumi and pulumi-policy
(what a snapshot must show), and by `bascule waves` (which moves are legal, which sign-offs a
status needs). docs/migration.md explains each status.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class WaveStatus(StrEnum):
    """A wave's lifecycle status (the `status` of `bascule:waves`, the `migration-state` tag)."""

    PLANNED = "planned"
    REPLICATING = "replicating"
    PARALLEL = "parallel"
    CUTOVER = "cutover"
    DECOMMISSIONED = "decommissioned"
    ROLLED_BACK = "rolled-back"


S = WaveStatus

# The moves a wave may make from each status (staying put is always allowed).
TRANSITIONS: dict[WaveStatus, tuple[WaveStatus, ...]] = {
    S.PLANNED: (S.REPLICATING,),
    S.REPLICATING: (S.PARALLEL,),
    S.PARALLEL: (S.CUTOVER,),
    S.CUTOVER: (S.DECOMMISSIONED, S.ROLLED_BACK),
    S.ROLLED_BACK: (S.REPLICATING,),
    S.DECOMMISSIONED: (),
}
# A new wave starts here; a wave leaves the plan only once decommissioned.
INITIAL = S.PLANNED


@dataclass(frozen=True)
class Phase:
    """What the components build for the datasets and enclaves of a wave in one status."""

    source_present: bool  # the Azure storage accounts and enclaves still exist
    source_locked: bool  # a ReadOnly management lock freezes the source accounts
    source_enclaves_open: bool  # the Azure enclaves admit the gateway's flows
    transfer_identities: bool  # the wave's read (Azure) and write (OpenStack) identities
    target_enclaves_running: bool  # the target instances run (researchers have access)
    # Authorities whose sign-off the status requires (lower case).
    sign_offs: tuple[str, ...] = ()


PHASES: dict[WaveStatus, Phase] = {
    # Nothing moves yet: the source is the platform, the target is built but closed.
    S.PLANNED: Phase(True, False, True, False, False),
    # Data is copied: only the transfer identity writes the target; researchers stay out.
    S.REPLICATING: Phase(True, False, True, True, False),
    # Both sides readable, the source still authoritative (deltas keep flowing).
    S.PARALLEL: Phase(True, False, True, True, True),
    # The target is authoritative: the source is frozen and its enclaves closed.
    S.CUTOVER: Phase(True, True, False, False, True, ("cnil",)),
    # The source objects are gone; keys no live dataset uses are deleted (crypto-erasure).
    S.DECOMMISSIONED: Phase(False, False, False, False, True, ("cnil",)),
    # The way back: the source lock is lifted, the target frozen (closed, no writer).
    S.ROLLED_BACK: Phase(True, False, True, False, False),
}


# How a frozen source enclave is closed (Azure): one deny-all inbound rule ahead of its
# allow rules, which stay declared. Rolling back removes it; parity compares the target
# against the enclave's design, without it (bascule/parity/inventory.py).
FREEZE_RULE = "deny-all-inbound-frozen"
FREEZE_PRIORITY = 100


def phase(status: WaveStatus) -> Phase:
    return PHASES[status]


def legal_move(old: WaveStatus, new: WaveStatus) -> bool:
    return old == new or new in TRANSITIONS[old]


def path_between(old: WaveStatus, new: WaveStatus) -> tuple[WaveStatus, ...] | None:
    """The shortest legal sequence of moves from `old` to `new` (excluding `old`), or None."""
    frontier: list[tuple[WaveStatus, ...]] = [()]
    seen = {old}
    while frontier:
        route = frontier.pop(0)
        here = route[-1] if route else old
        for step in TRANSITIONS[here]:
            if step == new:
                return (*route, step)
            if step not in seen:
                seen.add(step)
                frontier.append((*route, step))
    return () if old == new else None
