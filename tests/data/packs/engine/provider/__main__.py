"""provider: each resource's provider resource (type, name, URN, inputs), in Analyze,
Remediate and AnalyzeStack."""

from pulumi import get_project, get_stack
from pulumi_policy import (
    EnforcementLevel,
    PolicyPack,
    ResourceValidationPolicy,
    StackValidationPolicy,
)

# resource type -> (provider type, provider name, an input key it must have, its value or None)
EXPECTED = {
    "pulumi-nodejs:dynamic:Resource": (
        "pulumi:providers:pulumi-nodejs",
        "default",
        "provider:scenario",
        None,
    ),
    "random:index/randomUuid:RandomUuid": (
        "pulumi:providers:random",
        "default_4_0_0",
        "version",
        "4.0.0",
    ),
    "random:index/randomString:RandomString": (
        "pulumi:providers:random",
        "my-provider",
        "version",
        "4.0.0",
    ),
}
NO_PROVIDER = ("pulumi:pulumi:Stack", "pulumi:providers:pulumi-nodejs", "pulumi:providers:random")


def urn(type_, name):
    return f"urn:pulumi:{get_stack()}::{get_project()}::{type_}::{name}"


def check(r):
    t = r.resource_type
    if t in NO_PROVIDER:
        assert r.provider is None
        return
    if t not in EXPECTED:
        raise AssertionError(f"Unexpected resource of type: '{t}'.")
    ptype, pname, key, value = EXPECTED[t]
    p = r.provider
    assert p is not None and p.resource_type == ptype and p.name == pname, (t, p)
    assert p.urn == urn(ptype, pname), p.urn
    assert p.props[key] if value is None else p.props[key] == value, (t, dict(p.props))
    assert not any(k.startswith("__") for k in p.props), dict(p.props)


def validate_resource(args, report_violation):
    check(args)


def remediate(args):
    check(args)


def validate_stack(args, report_violation):
    for r in args.resources:
        check(r)


PolicyPack(
    name="resource-options-test-policy",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=[
        ResourceValidationPolicy(
            name="validate-resource",
            description="Validates resource options during `validateResource`.",
            validate=validate_resource,
            remediate=remediate,
        ),
        StackValidationPolicy(
            name="validate-stack",
            description="Validates resource options during `validateStack`.",
            validate=validate_stack,
        ),
    ],
)
