"""validate_resource: resource policies on dynamic resources' `state` and RandomUuid keepers."""

from pulumi_policy import EnforcementLevel, PolicyPack, ResourceValidationPolicy

DYNAMIC = "pulumi-nodejs:dynamic:Resource"
UUID = "random:index/randomUuid:RandomUuid"
LONG = 5 * 1024 * 1024


def state_is(value, urn=None):
    def check(args, report_violation):
        if args.resource_type == DYNAMIC and args.props.get("state") == value:
            if urn is None:
                report_violation(f"'state' must not have the value {value}.")
            else:  # a URN the engine ignores: it reports the analyzed resource
                report_violation(f"'state' must not have the value {value}.", urn)

    return check


def uuid_has_keepers(args, report_violation):
    if args.resource_type == UUID and not args.props.get("keepers"):
        report_violation("RandomUuid must not have an empty 'keepers'.")


def long_string_arrives(args, report_violation):
    if args.resource_type == DYNAMIC and args.props.get("state") == 6:
        got = len(args.props["longString"])
        if got != LONG:
            report_violation(f"'longString' had expected length of {LONG}, got {got}")


def policy(name, description, validate):
    return ResourceValidationPolicy(name=name, description=description, validate=validate)


PolicyPack(
    name="validate-resource-test-policy",
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
            "dynamic-no-state-with-value-3-or-4",
            "Prohibits setting state to 3 or 4 on dynamic resources.",
            [state_is(3), state_is(4)],
        ),
        policy(
            "randomuuid-no-keepers",
            "Prohibits creating a RandomUuid without any 'keepers'.",
            uuid_has_keepers,
        ),
        policy(
            "dynamic-no-state-with-value-5",
            "Prohibits setting state to 5 on dynamic resources.",
            state_is(5, "some-urn"),
        ),
        policy(
            "large-resource",
            "Ensures that large string properties are set properly.",
            long_string_arrives,
        ),
    ],
)
