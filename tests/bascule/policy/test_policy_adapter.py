"""The CrossGuard adapters, called directly with fake CrossGuard arguments."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pulumi_policy import (
    EnforcementLevel,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)
from sample_rules import SAMPLE_RULES, TST_001, TST_002

from bascule.policy.crossguard import policies_for_pack, policy_for_rule
from bascule.policy.errors import PolicyConfigError
from bascule.policy.suppressions import Suppression, is_suppressed, parse_suppressions

TODAY = dt.date(2026, 6, 1)
U = "urn:pulumi:dev::proj::"
RG = U + "azure-native:resources:ResourceGroup::rg"
PROV = U + "pulumi:providers:azure-native::az"


def opts(parent: str | None = None) -> PolicyResourceOptions:
    return PolicyResourceOptions(False, [], None, [], None, [], parent)  # type: ignore[arg-type]


def resource_args(props: dict[str, Any], config: dict[str, Any] | None = None) -> Any:
    provider = PolicyProviderResource(
        "pulumi:providers:azure-native", {"location": "eastus"}, PROV, "az"
    )
    return ResourceValidationArgs(
        "azure-native:resources:ResourceGroup", props, RG, "rg", opts(), provider, config
    )


def collect(policy: Any, args: Any) -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    policy.validate(args, lambda message, urn=None: found.append((message, urn)))
    return found


def test_resource_policy_metadata() -> None:
    policy = policy_for_rule(TST_001)
    assert isinstance(policy, ResourceValidationPolicy)
    assert policy.name == "tst-001-location-allowed"
    assert policy.description == TST_001.description
    assert policy.enforcement_level == EnforcementLevel.MANDATORY
    assert policy.severity == Severity.CRITICAL
    assert policy.framework is not None
    assert (policy.framework.name, policy.framework.version, policy.framework.reference) == (
        "SecNumCloud",
        "3.2",
        "19.2",
    )
    assert policy.tags == ["secnumcloud:19.2", "hds:hosting-eea"]
    assert policy.remediation_steps == "Move the resource to francecentral."
    assert policy.config_schema is not None
    assert set(policy.config_schema.properties) == {"allowed", "suppressions"}
    assert policy.config_schema.properties["allowed"]["type"] == "array"


def test_resource_policy_reports_rule_messages() -> None:
    policy = policy_for_rule(TST_001, today=lambda: TODAY)
    assert collect(policy, resource_args({"location": "westeurope"})) == [
        ("location 'westeurope' is not allowed", None),
        ("provider az is in eastus", None),
    ]


def test_resource_policy_params_from_config() -> None:
    policy = policy_for_rule(TST_001, today=lambda: TODAY)
    args = resource_args({"location": "westeurope"}, {"allowed": ["westeurope"]})
    assert collect(policy, args) == [("provider az is in eastus", None)]


def test_resource_policy_honours_active_suppression() -> None:
    policy = policy_for_rule(TST_001, today=lambda: TODAY)
    supp = [{"urn": RG, "reason": "legacy, moved in wave 2", "expires": "2026-06-01"}]
    args = resource_args({"location": "westeurope"}, {"suppressions": supp})
    assert collect(policy, args) == []


def test_resource_policy_ignores_expired_suppression() -> None:
    policy = policy_for_rule(TST_001, today=lambda: TODAY)
    supp = [{"urn": RG, "reason": "legacy", "expires": "2026-05-31"}]
    args = resource_args({"location": "westeurope"}, {"suppressions": supp})
    assert [m for m, _ in collect(policy, args)] == [
        "location 'westeurope' is not allowed",
        "provider az is in eastus",
    ]


def _stack_args(config: dict[str, Any] | None = None) -> Any:
    bad = PolicyResource(
        "test:index:Forbidden",
        {},
        U + "test:index:Forbidden::bad",
        "bad",
        opts(),
        None,
        None,
        [],
        {},
    )
    app = PolicyResource(
        "test:index:App", {}, U + "test:index:App::app", "app", opts(), None, None, [bad], {}
    )
    other = PolicyResource(
        "test:index:App", {}, U + "test:index:App::ok", "ok", opts(), None, app, [app], {}
    )
    return StackValidationArgs([bad, app, other], config)


def test_stack_policy_reports_with_urns() -> None:
    policy = policy_for_rule(TST_002, today=lambda: TODAY)
    assert isinstance(policy, StackValidationPolicy)
    assert collect(policy, _stack_args()) == [
        ("depends on forbidden bad", U + "test:index:App::app")
    ]
    # Integral numbers arrive as doubles through the Struct; the adapter gives ints back.
    assert collect(policy, _stack_args({"maxResources": 2.0})) == [
        ("depends on forbidden bad", U + "test:index:App::app"),
        ("3 resources exceed 2", None),
    ]


def test_stack_policy_suppression_by_urn_only() -> None:
    policy = policy_for_rule(TST_002, today=lambda: TODAY)
    supp = [{"urn": U + "test:index:App::app", "reason": "accepted", "expires": "2099-01-01"}]
    found = collect(policy, _stack_args({"maxResources": 2, "suppressions": supp}))
    assert found == [("3 resources exceed 2", None)]


def test_policies_for_pack_filters_by_pack() -> None:
    assert [p.name for p in policies_for_pack("sovereignty", rules=SAMPLE_RULES)] == [
        "tst-001-location-allowed",
        "tst-002-no-forbidden-dependency",
        "tst-003-password-secret",
    ]
    assert policies_for_pack("protection", rules=SAMPLE_RULES) == []


def test_parse_suppressions() -> None:
    raw = [{"urn": RG, "reason": " why ", "expires": "2026-01-31"}]
    assert parse_suppressions("p", raw) == [Suppression("p", RG, "why", dt.date(2026, 1, 31))]
    assert parse_suppressions("p", None) == []


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([{"urn": RG, "expires": "2026-01-31"}], f"p: suppressions[0] ({RG}) has no reason"),
        ([{"urn": RG, "reason": "  ", "expires": "2026-01-31"}], "has no reason"),
        ([{"urn": RG, "reason": "x", "expires": "31/01/2026"}], "bad expires '31/01/2026'"),
        ([{"urn": RG, "reason": "x", "expires": "2026-02-30"}], "expected YYYY-MM-DD"),
        ([{"reason": "x", "expires": "2026-01-31"}], "p: suppressions[0] has no urn"),
        ("nope", "p: suppressions must be a list"),
    ],
)
def test_parse_suppressions_errors(raw: Any, message: str) -> None:
    with pytest.raises(PolicyConfigError) as err:
        parse_suppressions("p", raw)
    assert message in err.value.message
    assert "\n" not in err.value.message
    assert err.value.exit_code == 2


def test_is_suppressed_dates() -> None:
    s = Suppression("p", RG, "why", dt.date(2026, 1, 31))
    assert is_suppressed([s], RG, dt.date(2026, 1, 31)) is s
    assert is_suppressed([s], RG, dt.date(2026, 2, 1)) is None
    assert is_suppressed([s], RG + "x", dt.date(2026, 1, 1)) is None
    assert is_suppressed([s], None, dt.date(2026, 1, 1)) is None
