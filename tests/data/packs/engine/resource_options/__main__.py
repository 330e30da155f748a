"""resource_options: the options the state records reach Analyze and AnalyzeStack.

A stack export has no deleteBeforeReplace (a goal of the program, not state), so every
resource gets it unset, as `pulumi policy analyze` sends it; aliases to resources that do
not exist are not kept by the engine, so `aliased` has none.
"""

from typing import Any

from pulumi import Config, get_project, get_stack
from pulumi_policy import (
    EnforcementLevel,
    PolicyPack,
    ResourceValidationPolicy,
    StackValidationPolicy,
)

DYNAMIC = "pulumi-nodejs:dynamic:Resource"


def urn(type_, name):
    return f"urn:pulumi:{get_stack()}::{get_project()}::{type_}::{name}"


def stack_urn():
    return urn("pulumi:pulumi:Stack", f"{get_project()}-{get_stack()}")


# name -> what differs from no options at all (under the stack)
DYNAMIC_OPTIONS = {
    "empty": {},
    "parent-res": {},
    "a": {},
    "protect": {"protect": True},
    "ignoreChanges": {"ignore_changes": ["foo", "bar"]},
    "deleteBeforeReplaceNotSet": {},
    "deleteBeforeReplaceTrue": {},
    "deleteBeforeReplaceFalse": {},
    "aliased": {},
    "timeouts": {"timeouts": (60, 120, 180)},
    "timeouts-create": {"timeouts": (240, 0, 0)},
    "timeouts-update": {"timeouts": (0, 300, 0)},
    "timeouts-delete": {"timeouts": (0, 0, 360)},
    "secrets": {"additional_secret_outputs": ["foo"]},
    "child-res": {"parent": "parent-res"},
}


def expected(r):
    t = r.resource_type
    if t in ("pulumi:pulumi:Stack", "pulumi:providers:pulumi-nodejs", "pulumi:providers:random"):
        return {"parent": None}
    if t == "random:index/randomUuid:RandomUuid":
        return {}
    if t == DYNAMIC and r.name in DYNAMIC_OPTIONS:
        return DYNAMIC_OPTIONS[r.name]
    raise AssertionError(f"Unexpected resource: '{t}' '{r.name}'.")


def check(r):
    if Config().require_int("scenario") != 1:
        return  # scenario 2 only unprotects, before the stack is destroyed
    want = expected(r)
    parent = want.get("parent", "the stack")
    if parent == "the stack":
        parent_urn = stack_urn()
    else:
        parent_urn = None if parent is None else urn(DYNAMIC, parent)
    o = r.opts
    got = (
        o.protect,
        list(o.ignore_changes),
        o.delete_before_replace,
        list(o.aliases),
        (
            o.custom_timeouts.create_seconds,
            o.custom_timeouts.update_seconds,
            o.custom_timeouts.delete_seconds,
        ),
        list(o.additional_secret_outputs),
        o.parent,
    )
    wanted: tuple[Any, ...] = (
        want.get("protect", False),
        want.get("ignore_changes", []),
        None,
        [],
        want.get("timeouts", (0, 0, 0)),
        want.get("additional_secret_outputs", []),
        parent_urn,
    )
    assert got == wanted, (r.name, got, wanted)


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
