"""CrossGuard adapters: one `pulumi_policy.Policy` per bascule rule.

Used by the packs under `policies/` (inside `pulumi preview --policy-pack`) and, through
them, by the offline runner. The adapters only translate CrossGuard's arguments into the
rule views and honour suppressions; the rule logic lives in `bascule.rules`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyComplianceFramework,
    PolicyConfigSchema,
    PolicyProviderResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

from bascule.policy.suppressions import (
    SUPPRESSIONS_KEY,
    SUPPRESSIONS_SCHEMA,
    is_suppressed,
    parse_suppressions,
)
from bascule.rules.base import (
    MANUAL_EVIDENCE_TAG,
    Evidence,
    ProviderView,
    ResourceView,
    Rule,
    StackResource,
)
from bascule.rules.catalog import rules_for_pack
from bascule.sdk.policy import unwrap_proxies

FRAMEWORK_NAME = "SecNumCloud"
FRAMEWORK_VERSION = "3.2"

Today = Callable[[], dt.date]


def rule_tags(rule: Rule) -> list[str]:
    """The policy's tags: its SecNumCloud sections and HDS points, and `evidence:manual`
    for a rule that lists what only the provider's evidence can show (the matrix says
    MANUAL for it)."""
    manual = [MANUAL_EVIDENCE_TAG] if rule.evidence is Evidence.MANUAL else []
    return [f"secnumcloud:{s}" for s in rule.secnumcloud] + [f"hds:{h}" for h in rule.hds] + manual


def config_schema(rule: Rule) -> PolicyConfigSchema:
    properties: dict[str, dict[str, Any]] = {
        name: dict(param.schema) | {"description": param.description}
        for name, param in rule.params.items()
    }
    properties[SUPPRESSIONS_KEY] = SUPPRESSIONS_SCHEMA
    return PolicyConfigSchema(properties=properties)


def plain(value: Any) -> Any:
    """CrossGuard's props without its unknown-checking proxies.

    The proxies raise on any unknown preview value, which the SDK turns into a "can't run
    policy" advisory. The rules decide about unknowns themselves (a rule that cannot decide
    stays silent; the update, with known values, is checked again), so they get the raw
    values with Pulumi's unknown sentinel, exactly as the offline path sees them.
    """
    return unwrap_proxies(value)


def _provider_view(provider: PolicyProviderResource | None) -> ProviderView | None:
    if provider is None:
        return None
    return ProviderView(
        type=provider.resource_type,
        props=plain(provider.props),
        urn=provider.urn,
        name=provider.name,
    )


def _ints(value: Any) -> Any:
    """Integral floats back to ints: policy config travels as a protobuf Struct (numbers are
    doubles), so `{"minRetentionDays": 90}` would otherwise reach the rule as 90.0."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Mapping):
        return {k: _ints(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_ints(v) for v in value]
    return value


def _split_config(policy_name: str, config: Mapping[str, Any] | None) -> tuple[dict[str, Any], Any]:
    params = {k: _ints(v) for k, v in (config or {}).items()}
    raw = params.pop(SUPPRESSIONS_KEY, None)
    return params, parse_suppressions(policy_name, raw)


def _resource_policy(rule: Rule, common: dict[str, Any], today: Today) -> Policy:
    name = rule.policy_name

    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        if not rule.applies(args.resource_type):
            return  # a rule examines only its `applies_to` kinds (a test holds it to that)
        params, suppressions = _split_config(name, args.get_config())
        view = ResourceView(
            type=args.resource_type,
            props=plain(args.props),
            urn=args.urn,
            name=args.name,
            provider=_provider_view(args.provider),
        )
        messages = rule.check_resource(view, params)
        if messages and is_suppressed(suppressions, args.urn, today()):
            return
        for message in messages:
            report_violation(message, None)

    return ResourceValidationPolicy(name=name, validate=validate, **common)


def _stack_policy(rule: Rule, common: dict[str, Any], today: Today) -> Policy:
    name = rule.policy_name

    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        params, suppressions = _split_config(name, args.get_config())
        resources = [
            StackResource(
                type=r.resource_type,
                props=plain(r.props),
                urn=r.urn,
                name=r.name,
                parent=r.parent.urn if r.parent is not None else None,
                dependencies=tuple(d.urn for d in r.dependencies),
                provider=_provider_view(r.provider),
            )
            for r in args.resources
            if rule.applies(r.resource_type)
        ]
        for finding in rule.check_stack(resources, params):
            if is_suppressed(suppressions, finding.urn, today()):
                continue
            report_violation(finding.message, finding.urn)

    return StackValidationPolicy(name=name, validate=validate, **common)


def policy_for_rule(rule: Rule, today: Today = dt.date.today) -> Policy:
    """The CrossGuard policy for one rule (resource or stack validation)."""
    common: dict[str, Any] = {
        "description": rule.description,
        "enforcement_level": EnforcementLevel(str(rule.enforcement)),
        "config_schema": config_schema(rule),
        "severity": Severity(str(rule.severity)),
        "framework": PolicyComplianceFramework(
            name=FRAMEWORK_NAME,
            version=FRAMEWORK_VERSION,
            reference=", ".join(rule.secnumcloud),
        ),
        "tags": rule_tags(rule),
        "remediation_steps": rule.remediation,
    }
    if rule.kind == "resource":
        return _resource_policy(rule, common, today)
    return _stack_policy(rule, common, today)


def policies_for_pack(
    pack: str, rules: Sequence[Rule] | None = None, today: Today = dt.date.today
) -> list[Policy]:
    """CrossGuard policies for every rule of `pack` (from the catalog unless `rules` is given)."""
    if rules is None:
        rules = rules_for_pack(pack)
    return [policy_for_rule(rule, today) for rule in rules if rule.pack == pack]
