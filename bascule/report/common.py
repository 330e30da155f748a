"""Shared helpers for the report formats (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from bascule.policy.result import PolicyRun, RuleInfo, Suppressed, Violation
from bascule.rules.base import PACKS

PACK_ORDER = {pack: index for index, pack in enumerate(PACKS)}


HDS_TITLES: dict[str, str] = {
    "hosting-eea": "Health data hosted in the EEA",
    "third-country-access": "No access to health data under non-EEA law",
    "hds-security": "Hosting security requirements (ISO 27001 based)",
}

SECURITY_SEVERITY = {"critical": "9.0", "high": "7.0", "medium": "5.0", "low": "3.0"}


def section_key(section: str) -> tuple[int | float, ...]:
    """Numeric sort key for "10.5" style sections (non-numeric parts sort last)."""
    parts: list[int | float] = []
    for part in section.split("."):
        parts.append(int(part) if part.isdigit() else float("inf"))
    return tuple(parts)


def rule_sort_key(info: RuleInfo) -> tuple[int, str]:
    return (PACK_ORDER.get(info.pack, 99), info.rule_id)


@dataclass(frozen=True)
class RuleGroup:
    info: RuleInfo
    violations: tuple[Violation, ...]
    suppressed: tuple[Suppressed, ...]


def group_by_rule(run: PolicyRun) -> list[RuleGroup]:
    """Every policy of the run with its violations, ordered by pack then rule id."""
    groups = []
    for info in sorted(run.rules_info, key=rule_sort_key):
        groups.append(
            RuleGroup(
                info,
                tuple(
                    sorted(
                        (v for v in run.violations if v.policy == info.policy),
                        key=Violation.sort_key,
                    )
                ),
                tuple(
                    sorted(
                        (s for s in run.suppressed if s.violation.policy == info.policy),
                        key=lambda s: s.violation.sort_key(),
                    )
                ),
            )
        )
    known = {info.policy for info in run.rules_info}
    orphans = sorted({v.policy for v in run.violations if v.policy not in known})
    for policy in orphans:  # a violation from a policy the info did not list (defensive)
        vs = tuple(v for v in run.violations if v.policy == policy)
        first = vs[0]
        info = RuleInfo(
            policy=policy,
            pack=first.pack,
            description="",
            level=first.level,
            default_level=first.level,
            severity=first.severity,
            kind="",
            rule_id=first.rule_id,
            secnumcloud=(),
            hds=(),
            tags=(),
            remediation="",
        )
        groups.append(RuleGroup(info, vs, ()))
    return groups
