"""validate_stack: stack policies over every resource's outputs."""

from pulumi_policy import EnforcementLevel, PolicyPack, StackValidationPolicy

DYNAMIC = "pulumi-nodejs:dynamic:Resource"


def state_is(value, with_urn=False):
    def check(args, report_violation):
        for r in args.resources:
            if r.resource_type == DYNAMIC and r.props.get("state") == value:
                message = f"'state' must not have the value {value}."
                report_violation(message, r.urn if with_urn else None)

    return check


def uuid_has_keepers(args, report_violation):
    for r in args.resources:
        if r.resource_type == "random:index/randomUuid:RandomUuid" and not r.props.get("keepers"):
            report_violation("RandomUuid must not have an empty 'keepers'.")


def no_random_strings(args, report_violation):
    for r in args.resources:
        if r.resource_type == "random:index/randomString:RandomString":
            report_violation("RandomString resources are not allowed.")


def foo_is_not_bar(args, report_violation):
    for r in args.resources:
        if r.resource_type == DYNAMIC and r.props.get("foo") == "bar":
            report_violation("'foo' must not have the value 'bar'.")


def policy(name, description, validate, level=None):
    return StackValidationPolicy(
        name=name, description=description, validate=validate, enforcement_level=level
    )


PolicyPack(
    name="validate-stack-test-policy",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=[
        policy(
            "dynamic-no-state-with-value-1",
            "Prohibits setting state to 1 on dynamic resources.",
            state_is(1),
        ),
        policy(
            "dynamic-no-state-with-value-2",
            "Prohibits setting state to 2 on dynamic resources.",
            state_is(2),
        ),
        policy(
            "dynamic-no-state-with-value-3",
            "Prohibits setting state to 3 on dynamic resources.",
            state_is(3, with_urn=True),
        ),
        policy(
            "randomuuid-no-keepers",
            "Prohibits creating a RandomUuid without any 'keepers'.",
            uuid_has_keepers,
        ),
        policy("no-randomstrings", "Prohibits RandomString resources.", no_random_strings),
        # A stack policy cannot remediate: the remediate level is reported as mandatory.
        policy(
            "dynamic-no-foo-with-value-bar",
            "Prohibits setting foo to 'bar' on dynamic resources.",
            foo_is_not_bar,
            EnforcementLevel.REMEDIATE,
        ),
    ],
)
