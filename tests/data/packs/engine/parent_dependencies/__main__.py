"""parent_dependencies: AnalyzeStack links each resource to its parent, its dependencies and
its property dependencies (a property without dependencies is absent)."""

from typing import Any

from pulumi_policy import EnforcementLevel, PolicyPack, StackValidationPolicy

ROOTS = ("pulumi:pulumi:Stack", "pulumi:providers:pulumi-nodejs", "pulumi:providers:random")


def named(resources, name):
    return next(r for r in resources if r.name == name)


def check(resources, r):
    stack = next(x for x in resources if x.resource_type == "pulumi:pulumi:Stack")
    t = r.resource_type
    expected: tuple[Any, ...]
    if t in ROOTS:
        expected = (None, [], {})
    elif t == "pulumi-nodejs:dynamic:Resource" and r.name == "child":
        expected = (named(resources, "parent"), [], {})
    elif t == "pulumi-nodejs:dynamic:Resource" and r.name == "b":
        expected = (stack, [named(resources, "a")], {})
    elif t == "pulumi-nodejs:dynamic:Resource" or t == "random:index/randomString:RandomString":
        expected = (stack, [], {})
    elif t == "random:index/randomPet:RandomPet":
        s = named(resources, "str")
        expected = (stack, [s], {"prefix": [s]})
    else:
        raise AssertionError(f"Unexpected resource of type: '{t}'.")
    parent, deps, prop_deps = expected
    assert r.parent is parent, (r.name, r.parent)
    assert len(r.dependencies) == len(deps) and all(
        a is b for a, b in zip(r.dependencies, deps, strict=True)
    )
    assert set(r.property_dependencies) == set(prop_deps), (r.name, r.property_dependencies)
    for key, values in prop_deps.items():
        got = r.property_dependencies[key]
        assert len(got) == len(values) and all(a is b for a, b in zip(got, values, strict=True))


def validate_stack(args, report_violation):
    for r in args.resources:
        check(args.resources, r)


PolicyPack(
    name="parent-dependencies-test-policy",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=[
        StackValidationPolicy(
            name="validate-stack",
            description="Validates resource options during `validateStack`.",
            validate=validate_stack,
        )
    ],
)
