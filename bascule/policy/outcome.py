"""From the packs' answers to bascule's results, as the engine turns them into events
(pkg/resource/deploy/step_generator.go, analyze_snapshot.go):

- a resource policy's violation is reported against the analyzed resource, whatever URN
  the policy gave; a stack policy's against the URN it gave when that names a resource of
  the stack, else stack-wide (the engine's root stack; `""` in bascule's reports);
- the remediate level is reported as mandatory (a remediation ran and the policy still
  fails);
- remediations are applied in order, each to the previous one's result; a remediation
  that could not run (an unknown value during preview) is an advisory violation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from google.protobuf import json_format
from pulumi.runtime.proto import analyzer_pb2

from bascule.policy.planning import LEVEL_NAMES, SEVERITY_NAMES, PackPlan, rule_id
from bascule.policy.requests import ProviderIndex, analyze_request
from bascule.policy.result import PolicyRun, Remediation, Suppressed, SuppressionStatus, Violation
from bascule.policy.suppressions import Suppression, is_suppressed
from bascule.rules.base import Rule
from bascule.rules.catalog import ALL_RULES
from bascule.snapshot.model import Snapshot
from bascule.snapshot.values import convert


def message_part(description: str, message: str) -> str:
    prefix = description + "\n"
    if message.startswith(prefix):
        return message[len(prefix) :]
    if message == description:
        return ""
    return message


@dataclass
class PackResult:
    violations: list[Violation] = field(default_factory=list)
    not_applicable: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Attribution:
    """How a pack's diagnostics are attributed and named in bascule's results."""

    pack: str
    plan: PackPlan
    catalog: Mapping[str, tuple[str, str]]
    types: Mapping[str, str]

    def violation(self, diag: Any, urn: str, level: str | None = None) -> Violation:
        name = diag.policyName
        return Violation(
            policy=name,
            rule_id=rule_id(name, self.catalog),
            pack=self.pack,
            urn=urn,
            level=level or _level(diag.enforcementLevel),
            severity=SEVERITY_NAMES.get(diag.severity, "") or self._info_severity(name),
            message=message_part(diag.description, diag.message),
            resource_type=self.types.get(urn, ""),
            full_message=diag.message,
            description=diag.description,
            pack_name=diag.policyPackName or self.plan.meta.name,
            pack_version=self.plan.meta.version or diag.policyPackVersion,
        )

    def _info_severity(self, policy: str) -> str:
        # As the engine does when a diagnostic has none: the policy's own (GetAnalyzerInfo).
        return next((i.severity for i in self.plan.infos if i.policy == policy), "")


def _level(value: Any) -> str:
    level = LEVEL_NAMES.get(value, "advisory")
    return "mandatory" if level == "remediate" else level


def diagnostics_to_violations(
    attribution: Attribution,
    responses: Iterable[tuple[str, analyzer_pb2.AnalyzeResponse]],
) -> PackResult:
    """`(urn, response)` pairs: a resource's Analyze, or `("", AnalyzeStack's)`."""
    result = PackResult()
    in_stack = attribution.types
    for request_urn, response in responses:
        for diag in response.diagnostics:
            urn = request_urn or (diag.urn if diag.urn in in_stack else "")
            result.violations.append(attribution.violation(diag, urn))
        for na in response.not_applicable:
            result.not_applicable.append((na.policy_name, request_urn, na.reason))
    return result


@dataclass
class RemediationPass:
    """What the remediate-level policies did, before any analysis."""

    inputs: dict[str, Mapping[str, Any]] = field(default_factory=dict)  # urn -> new inputs
    remediations: list[Remediation] = field(default_factory=list)
    results: dict[str, PackResult] = field(default_factory=dict)  # pack -> diagnostics


def remediate_all(
    snapshot: Snapshot,
    processes: Mapping[str, Any],
    attributions: Mapping[str, Attribution],
) -> RemediationPass:
    """`Remediate` on every resource, pack after pack, each seeing the previous result, as
    the engine's step generator does (only packs with a remediate-level policy: the others
    answer nothing)."""
    done = RemediationPass()
    active = [p for p, a in attributions.items() if a.plan.remediates]
    if not active:
        return done
    providers = ProviderIndex(snapshot)
    for resource in snapshot.resources:
        inputs: Mapping[str, Any] = resource.inputs
        for pack in active:
            request = analyze_request(resource, inputs, providers, internal=True)
            response = processes[pack].remediate(request.SerializeToString(), resource.urn)
            inputs = _apply(done, attributions[pack], resource.urn, inputs, response)
        if inputs is not resource.inputs:
            done.inputs[resource.urn] = inputs
    return done


def _apply(
    done: RemediationPass,
    attribution: Attribution,
    urn: str,
    inputs: Mapping[str, Any],
    response: analyzer_pb2.RemediateResponse,
) -> Mapping[str, Any]:
    result = done.results.setdefault(attribution.pack, PackResult())
    for na in response.not_applicable:
        result.not_applicable.append((na.policy_name, urn, na.reason))
    for item in response.remediations:
        if item.diagnostic:
            diag = analyzer_pb2.AnalyzeDiagnostic(
                policyName=item.policyName,
                policyPackName=item.policyPackName,
                policyPackVersion=item.policyPackVersion,
                description=item.description,
                message=item.diagnostic,
            )
            result.violations.append(attribution.violation(diag, urn, level="advisory"))
            continue
        after = convert(json_format.MessageToDict(item.properties))
        done.remediations.append(
            Remediation(
                policy=item.policyName,
                pack=attribution.pack,
                urn=urn,
                description=item.description,
                before=inputs,
                after=after,
                pack_name=item.policyPackName or attribution.plan.meta.name,
                pack_version=attribution.plan.meta.version or item.policyPackVersion,
            )
        )
        inputs = after
    return inputs


def assemble(
    snapshot: Snapshot,
    plans: Mapping[str, PackPlan],
    results: Sequence[PackResult],
    remediations: Sequence[Remediation],
    today: dt.date,
) -> PolicyRun:
    types = {r.urn: r.type for r in snapshot.resources}
    all_suppressions = {
        policy: supps for plan in plans.values() for policy, supps in plan.suppressions.items()
    }
    violations: list[Violation] = []
    suppressed: list[Suppressed] = []
    used: set[Suppression] = set()
    for result in results:
        for violation in result.violations:
            match = is_suppressed(all_suppressions.get(violation.policy, []), violation.urn, today)
            if match is None:
                violations.append(violation)
            else:
                used.add(match)
                suppressed.append(Suppressed(violation, match))
    statuses = [
        SuppressionStatus(
            s,
            "expired" if not s.active(today) else ("active" if s in used else "unused"),
        )
        for supps in all_suppressions.values()
        for s in supps
    ]
    return PolicyRun(
        violations=tuple(sorted(violations, key=Violation.sort_key)),
        suppressed=tuple(sorted(suppressed, key=lambda s: s.violation.sort_key())),
        suppressions=tuple(
            sorted(statuses, key=lambda s: (s.suppression.policy, s.suppression.urn))
        ),
        rules_info=tuple(info for plan in plans.values() for info in plan.infos),
        resources_analyzed=len(snapshot.resources),
        not_applicable=tuple(sorted(na for result in results for na in result.not_applicable)),
        source=snapshot.source,
        resource_types=types,
        remediations=tuple(remediations),
        not_read=_not_read(snapshot, plans),
        **_rule_kinds(plans, types),
    )


def _not_read(
    snapshot: Snapshot, plans: Mapping[str, PackPlan]
) -> dict[str, tuple[str, ...]] | None:
    """The cloud resources whose kind no enabled rule of bascule's names, by type: only the
    package-wide rules (location, tags) and the all-kinds ones saw them, which is not a pass.
    None when none of bascule's rules ran (a foreign pack alone)."""
    enabled = _bascule_rules(plans, enabled_only=True).values()
    if not enabled:
        return None
    named = {kind for rule in enabled for kind in rule.applies_to if kind.count(":") == 2}
    found: dict[str, list[str]] = {}
    for r in snapshot.resources:
        if r.custom and not r.is_provider and r.type not in named:
            found.setdefault(r.type, []).append(r.urn)
    return {type_: tuple(urns) for type_, urns in sorted(found.items())}


def _bascule_rules(plans: Mapping[str, PackPlan], *, enabled_only: bool = False) -> dict[str, Rule]:
    """bascule's rules in the run, by policy name (foreign packs' rules are left out)."""
    by_policy = {rule.policy_name: rule for rule in ALL_RULES}
    return {
        info.policy: by_policy[info.policy]
        for plan in plans.values()
        for info in plan.infos
        if info.policy in by_policy and not (enabled_only and info.level == "disabled")
    }


def _rule_kinds(plans: Mapping[str, PackPlan], types: Mapping[str, str]) -> dict[str, Any]:
    """For each of bascule's rules in the run: the URNs of the resource kinds it examines
    (`checked`) and those kinds (`kinds`). Foreign packs' rules are left out."""

    rules = _bascule_rules(plans)
    urns_by_type: dict[str, list[str]] = {}
    for urn, type_ in types.items():
        urns_by_type.setdefault(type_, []).append(urn)
    return {
        "checked": {
            policy: frozenset(
                urn for type_, urns in urns_by_type.items() if rule.applies(type_) for urn in urns
            )
            for policy, rule in rules.items()
        },
        "kinds": {policy: rule.applies_to for policy, rule in rules.items()},
    }
