"""config: scenario N (stack config `scenario`) gives both policies a config schema (and the
pack an initial config) and says what config each policy must then receive."""

from typing import Any

import pulumi
from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyPack,
    ResourceValidationPolicy,
    StackValidationPolicy,
)

POLICIES = ("resource-validation", "stack-validation")
MISSING = object()


def foo(schema, required=None):
    return PolicyConfigSchema(properties={"foo": schema}, required=required)


# scenario -> (schema, expected value of `foo` or MISSING when nothing is checked, initial)
SCENARIOS = {
    1: (foo({"type": "string"}), "bar", None),
    2: (foo({"type": "string", "default": "bar"}), "bar", None),
    3: (foo({"type": "number", "default": 42}), 42, None),
    4: (foo({"type": "string", "default": "bar"}), "overridden", None),
    5: (foo({"type": "string", "default": "bar"}, ["foo"]), "bar", None),
    6: (foo({"type": "string"}, ["foo"]), MISSING, None),
    7: (foo({"type": "string", "default": 1}), MISSING, None),
    8: (
        foo({"type": "string", "maxLength": 3, "default": "this value is too long"}),
        MISSING,
        None,
    ),
    9: (
        foo({"type": "string", "minLength": 50, "default": "this value is too short"}),
        MISSING,
        None,
    ),
    10: (foo({"type": "string", "enum": ["bar", "baz"], "default": "blah"}), MISSING, None),
    11: (foo({"const": "bar", "default": "blah"}), MISSING, None),
    12: (foo({"type": "string"}), MISSING, None),
    13: (foo({"enum": ["bar", "baz"]}), MISSING, None),
    14: (foo({"const": "bar"}), MISSING, None),
    15: (
        PolicyConfigSchema(
            properties={"foo": {"type": "string", "maxLength": 3}, "bar": {"type": "integer"}}
        ),
        MISSING,
        None,
    ),
    16: (foo({"type": "number"}), 42, None),
    17: (foo({"type": "number"}), 3.14, None),
    18: (foo({"type": "integer"}), 42, None),
    19: (foo({"type": "boolean"}), True, None),
    20: (foo({"type": "boolean"}), False, None),
    21: (foo({"type": "object"}), {"bar": "baz"}, None),
    22: (foo({"type": "array"}), ["a", "b", "c"], None),
    23: (foo({"type": "null"}), None, None),
    24: (foo({"type": "string"}), "hello world", {p: {"foo": "hello world"} for p in POLICIES}),
    25: (foo({"type": "string"}), "overridden", {p: {"foo": "hello world"} for p in POLICIES}),
}

scenario = pulumi.Config().require_int("scenario")
if scenario not in SCENARIOS:
    raise AssertionError(f"Unexpected test_scenario {scenario}.")
schema, expected, initial = SCENARIOS[scenario]
initial_config: dict[str, Any] | None = initial


def verify(config):
    if expected is MISSING:
        return
    value = config["foo"]
    assert value == expected and type(value) in (type(expected), float), (value, expected)


def validate(args, report_violation):
    verify(args.get_config())


def remediate(args):
    verify(args.get_config())


PolicyPack(
    name="config-policy",
    policies=[
        ResourceValidationPolicy(
            name="resource-validation",
            description="Verifies policy config during resource validation.",
            enforcement_level=EnforcementLevel.REMEDIATE,
            validate=validate,
            remediate=remediate,
            config_schema=schema,
        ),
        StackValidationPolicy(
            name="stack-validation",
            description="Verifies policy config during stack validation.",
            enforcement_level=EnforcementLevel.MANDATORY,
            validate=validate,
            config_schema=schema,
        ),
    ],
    initial_config=initial_config,
)
