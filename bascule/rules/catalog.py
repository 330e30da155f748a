"""The rule catalog: every bascule rule, discovered from the modules of `bascule.rules`.

A rule module exports `RULES`, a tuple of its `Rule` objects; nothing else lists rules. The
packs (policies/<pack>/), the checkov checks (policies/checkov/), the README table, the
docs pages, the compliance matrix and the test fixtures all derive from this catalog, in
pack order (PACK_DEFS) then rule id.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

import bascule.rules as rules_package
from bascule.rules import props as p
from bascule.rules.base import PACK_DEFS, PACKS, Rule


def rule_modules() -> tuple[str, ...]:
    """Names of the modules of `bascule.rules` that export `RULES` (helpers do not)."""
    names = sorted(m.name for m in pkgutil.iter_modules(rules_package.__path__))
    return tuple(
        name
        for name in names
        if name != "catalog"
        and hasattr(importlib.import_module(f"{rules_package.__name__}.{name}"), "RULES")
    )


def _discover() -> tuple[Rule, ...]:
    found: dict[str, Rule] = {}
    for name in rule_modules():
        module = importlib.import_module(f"{rules_package.__name__}.{name}")
        declared = module.RULES
        if not isinstance(declared, tuple) or not all(isinstance(r, Rule) for r in declared):
            raise TypeError(f"bascule.rules.{name}: RULES must be a tuple of Rule")
        for rule in declared:
            prefix = next(p.prefix for p in PACK_DEFS if p.name == rule.pack)
            if not re.fullmatch(rf"{prefix}-\d{{3}}", rule.id):
                raise ValueError(f"{rule.id}: the ids of pack {rule.pack} are {prefix}-NNN")
            if rule.id in found:
                raise ValueError(f"{rule.id} is declared twice (bascule.rules.{name})")
            found[rule.id] = rule
    return tuple(sorted(found.values(), key=lambda r: (PACKS.index(r.pack), r.id)))


ALL_RULES: tuple[Rule, ...] = _discover()


def packages_read() -> tuple[str, ...]:
    """The cloud packages some rule reads a kind of (not bascule's components, not Pulumi's
    own types, not the `*` of rules that read everything)."""
    kinds = {kind for rule in ALL_RULES for kind in rule.applies_to if kind != "*"}
    return tuple(sorted({p.package_of(k) for k in kinds} - {"bascule", "pulumi"}))


def rules_for_pack(pack: str) -> tuple[Rule, ...]:
    if pack not in PACKS:
        raise ValueError(f"unknown pack {pack!r}, expected one of {PACKS}")
    return tuple(rule for rule in ALL_RULES if rule.pack == pack)


def rule_by_id(rule_id: str) -> Rule:
    for rule in ALL_RULES:
        if rule.id == rule_id:
            return rule
    raise KeyError(rule_id)
