"""The rule catalog: every bascule rule, by pack."""

from __future__ import annotations

from bascule.rules.base import PACKS, Rule
from bascule.rules.compute import PRT_010
from bascule.rules.endpoints import SOV_003, SOV_004
from bascule.rules.exposure import PRT_008, PRT_009
from bascule.rules.interconnect import MIG_010, MIG_011, MIG_012, MIG_013
from bascule.rules.keys import PRT_001, PRT_002, PRT_004, PRT_013
from bascule.rules.lifecycle import MIG_018, MIG_019
from bascule.rules.logging import PRT_011
from bascule.rules.migration import MIG_001, MIG_002
from bascule.rules.qualification import SOV_010, SOV_011, SOV_012
from bascule.rules.residency import SOV_001, SOV_002
from bascule.rules.storage import PRT_003, PRT_005, PRT_006, PRT_007
from bascule.rules.tagging import PRT_012
from bascule.rules.transfer import MIG_014, MIG_015, MIG_016, MIG_017, MIG_020

ALL_RULES: tuple[Rule, ...] = (
    SOV_001,
    SOV_002,
    SOV_003,
    SOV_004,
    SOV_010,
    SOV_011,
    SOV_012,
    PRT_001,
    PRT_002,
    PRT_003,
    PRT_004,
    PRT_005,
    PRT_006,
    PRT_007,
    PRT_008,
    PRT_009,
    PRT_010,
    PRT_011,
    PRT_012,
    PRT_013,
    MIG_001,
    MIG_002,
    # Issue 20's rules, each module also exports them as RULES (rule discovery).
    MIG_010,
    MIG_011,
    MIG_012,
    MIG_013,
    MIG_014,
    MIG_015,
    MIG_016,
    MIG_017,
    MIG_018,
    MIG_019,
    MIG_020,
)


def rules_for_pack(pack: str) -> tuple[Rule, ...]:
    if pack not in PACKS:
        raise ValueError(f"unknown pack {pack!r}, expected one of {PACKS}")
    return tuple(rule for rule in ALL_RULES if rule.pack == pack)


def rule_by_id(rule_id: str) -> Rule:
    for rule in ALL_RULES:
        if rule.id == rule_id:
            return rule
    raise KeyError(rule_id)
