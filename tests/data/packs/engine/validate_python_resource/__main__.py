"""validate_python_resource: one resource policy, on a Python program's RandomUuids."""

from pulumi_policy import EnforcementLevel, PolicyPack, ResourceValidationPolicy


def uuid_has_keepers(args, report_violation):
    if args.resource_type == "random:index/randomUuid:RandomUuid" and not args.props.get("keepers"):
        report_violation("RandomUuid must not have an empty 'keepers'.")


PolicyPack(
    name="validate-resource-test-policy",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=[
        ResourceValidationPolicy(
            name="randomuuid-no-keepers",
            description="Prohibits creating a RandomUuid without any 'keepers'.",
            validate=uuid_has_keepers,
        )
    ],
)
