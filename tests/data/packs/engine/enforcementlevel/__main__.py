"""enforcementlevel: scenario N (stack config `scenario`) picks the pack's and the policies'
levels among advisory, disabled, mandatory and not set: 16 combinations, scenarios 1-16."""

import itertools

import pulumi
from pulumi_policy import (
    EnforcementLevel,
    PolicyPack,
    ResourceValidationPolicy,
    StackValidationPolicy,
)

LEVELS = [EnforcementLevel.ADVISORY, EnforcementLevel.DISABLED, EnforcementLevel.MANDATORY, None]
COMBINATIONS = list(itertools.product(LEVELS, LEVELS))  # (pack, policy)

scenario = pulumi.Config().require_int("scenario")
if not 1 <= scenario <= len(COMBINATIONS):
    raise AssertionError(f"Unexpected test_scenario {scenario}.")
pack_level, policy_level = COMBINATIONS[scenario - 1]

disabled = policy_level == EnforcementLevel.DISABLED or (
    pack_level == EnforcementLevel.DISABLED and policy_level is None
)
pack_part = pack_level.value if pack_level is not None else "none"
policy_part = f"-{policy_level.value}" if policy_level is not None else ""


def always(kind):
    def validate(args, report_violation):
        if disabled:  # a disabled policy is never called
            raise AssertionError(f"validate-{kind} should never be called.")
        report_violation(f"validate-{kind}-violation-message")

    return validate


PolicyPack(
    name=f"enforcementlevel-{pack_part}{policy_part}-test-policy",
    enforcement_level=pack_level,
    policies=[
        ResourceValidationPolicy(
            name="validate-resource",
            description="Always reports a resource violation.",
            enforcement_level=policy_level,
            validate=always("resource"),
        ),
        StackValidationPolicy(
            name="validate-stack",
            description="Always reports a stack violation.",
            enforcement_level=policy_level,
            validate=always("stack"),
        ),
    ],
)
