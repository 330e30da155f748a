"""remote_component: an unknown nested in a known property stays at its leaf."""

from pulumi_policy import EnforcementLevel, PolicyPack, ResourceValidationPolicy


def verify(args):
    if args.name != "innerRandom":
        return
    keepers = args.props["keepers"]
    assert keepers["hello"] == "world"
    print(keepers["hi"])  # unknown in a preview: the SDK raises for this leaf only


def validate_resource(args, report_violation):
    verify(args)


def remediate(args):
    verify(args)


PolicyPack(
    name="remote-component-policy",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=[
        ResourceValidationPolicy(
            name="resource-validation",
            description="Verifies properties during resource validation.",
            validate=validate_resource,
            remediate=remediate,
        )
    ],
)
