"""Results of an offline policy run."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bascule.policy.suppressions import Suppression
from bascule.snapshot.model import SecretValue

SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3, "": 4}


@dataclass(frozen=True)
class Violation:
    policy: str  # CrossGuard policy name, e.g. "sov-001-azure-location-allowed"
    rule_id: str  # e.g. "SOV-001" ("" if the policy is not a bascule rule)
    pack: str  # "sovereignty" | "protection" | "migration"
    urn: str  # "" for a stack-wide violation
    level: str  # "mandatory" | "advisory"
    severity: str  # "low" | "medium" | "high" | "critical" | ""
    message: str  # the rule's own message (CrossGuard's is description + "\n" + message)
    resource_type: str = ""
    full_message: str = ""  # the diagnostic message as the engine prints it
    description: str = ""  # the policy's description
    pack_name: str = ""  # the pack's own name (GetAnalyzerInfo), e.g. "bascule-sovereignty"
    pack_version: str = ""  # its PulumiPolicy.yaml version, else the one it reports

    def sort_key(self) -> tuple[str, str, str]:
        return (self.policy, self.urn, self.message)

    def to_dict(self) -> dict[str, Any]:
        return {
            "policy": self.policy,
            "urn": self.urn,
            "level": self.level,
            "message": self.message,
            "rule": self.rule_id,
            "severity": self.severity,
            "pack": self.pack,
            "type": self.resource_type,
            "description": self.description,
            "fullMessage": self.full_message,
        }


def shown(value: Any) -> Any:
    """A property value for a report: secrets stay `[secret]`, never a ciphertext."""

    if isinstance(value, SecretValue):
        return "[secret]"
    if isinstance(value, Mapping):
        return {str(k): shown(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [shown(v) for v in value]
    return value


@dataclass(frozen=True)
class Remediation:
    """A remediate-level policy's change to a resource's inputs, as the engine applies it
    before analysis (`pulumi preview` shows it as `[remediate]  <policy>`)."""

    policy: str
    pack: str
    urn: str
    description: str
    before: Mapping[str, Any]  # the inputs the policy was given
    after: Mapping[str, Any]  # the inputs it returned, which the engine then analyses
    pack_name: str = ""
    pack_version: str = ""

    def changes(self) -> dict[str, tuple[Any, Any]]:
        """Top-level keys whose value changed: key -> (before, after); `None` when absent."""
        keys = sorted(set(self.before) | set(self.after))
        return {
            k: (self.before.get(k), self.after.get(k))
            for k in keys
            if shown(self.before.get(k)) != shown(self.after.get(k))
            or (k in self.before) != (k in self.after)
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "policy": self.policy,
            "pack": self.pack,
            "urn": self.urn,
            "description": self.description,
            "changes": {
                k: {"before": shown(b), "after": shown(a)} for k, (b, a) in self.changes().items()
            },
        }


@dataclass(frozen=True)
class Suppressed:
    violation: Violation
    suppression: Suppression

    def to_dict(self) -> dict[str, Any]:
        return self.violation.to_dict() | {
            "reason": self.suppression.reason,
            "expires": self.suppression.expires.isoformat(),
        }


@dataclass(frozen=True)
class SuppressionStatus:
    suppression: Suppression
    status: str  # "active" (used), "expired", "unused" (active but matched nothing)

    def to_dict(self) -> dict[str, Any]:
        return self.suppression.to_dict() | {"status": self.status}


@dataclass(frozen=True)
class RuleInfo:
    """A policy as described by its pack's `GetAnalyzerInfo`."""

    policy: str
    pack: str
    description: str
    level: str  # the effective level after config
    default_level: str  # the pack's own level for the policy
    severity: str
    kind: str  # "resource" | "stack" | ""
    rule_id: str
    secnumcloud: tuple[str, ...]
    hds: tuple[str, ...]
    tags: tuple[str, ...]
    remediation: str
    config_schema: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PolicyRun:
    violations: tuple[Violation, ...]
    suppressed: tuple[Suppressed, ...]
    suppressions: tuple[SuppressionStatus, ...]
    rules_info: tuple[RuleInfo, ...]
    resources_analyzed: int
    not_applicable: tuple[tuple[str, str, str], ...] = ()  # (policy, urn, reason)
    source: str = ""  # the snapshot's file or stack name
    resource_types: Mapping[str, str] = field(default_factory=dict)  # urn -> type
    # policy -> URNs of the resource kinds it examines (bascule's rules; foreign packs absent)
    checked: Mapping[str, frozenset[str]] = field(default_factory=dict)
    kinds: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # policy -> applies_to
    remediations: tuple[Remediation, ...] = ()  # in the order the engine applies them
    # The registry offers the target providers resolve to (bascule.registry.uses.OfferReport),
    # filled by the CLI for the reports; None when not computed.
    offers: Any = None
    # checkov's runs only: resources no export could map, by type (checkov never saw them)
    not_scanned: Mapping[str, tuple[str, ...]] | None = None
    # bascule's rules only: resources of kinds no enabled rule names, by type (None: not run)
    not_read: Mapping[str, tuple[str, ...]] | None = None

    @property
    def nothing_to_check(self) -> tuple[RuleInfo, ...]:
        """Enabled rules that found no resource of their kinds: not a pass, nothing was seen."""
        violated = {v.policy for v in self.violations}
        return tuple(
            info
            for info in self.rules_info
            if info.level != "disabled"
            and info.policy in self.checked
            and not self.checked[info.policy]
            and info.policy not in violated
        )

    @property
    def mandatory(self) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if v.level == "mandatory")

    @property
    def advisory(self) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if v.level == "advisory")

    @property
    def failed(self) -> bool:
        return bool(self.mandatory)

    def summary(self) -> dict[str, int]:
        return {
            "mandatory": len(self.mandatory),
            "advisory": len(self.advisory),
            "suppressed": len(self.suppressed),
            "resources": self.resources_analyzed,
            "policies": len(self.rules_info),
        }

    def summary_line(self) -> str:
        s = self.summary()
        unchecked = len(self.nothing_to_check)
        return (
            f"{s['mandatory']} mandatory, {s['advisory']} advisory, "
            f"{s['suppressed']} suppressed on {s['resources']} resources"
        ) + (f"; {unchecked} rules had nothing to check" if unchecked else "")

    def not_read_lines(self) -> list[str]:
        """One line per kind of resource no rule names."""
        return [
            f"  - {type_}: {len(urns)} resource{'s' if len(urns) > 1 else ''}"
            for type_, urns in (self.not_read or {}).items()
        ]

    def nothing_to_check_lines(self) -> list[str]:
        """One line per rule that saw no resource of its kinds."""
        return [
            f"  - {info.rule_id} {info.policy}: no {' or '.join(self.kinds[info.policy])}"
            for info in sorted(self.nothing_to_check, key=lambda i: i.rule_id)
        ]
