"""unknown_values: reading a value unknown during preview is an advisory "can't run policy"."""

from pulumi_policy import (
    EnforcementLevel,
    PolicyPack,
    ResourceValidationPolicy,
    StackValidationPolicy,
)


def read_prefix(r):
    if r.resource_type == "random:index/randomPet:RandomPet":
        print(r.props["prefix"])  # unknown in a preview: the SDK raises


def validate_resource(args, report_violation):
    read_prefix(args)


def remediate_resource(args):
    read_prefix(args)


def validate_stack(args, report_violation):
    for r in args.resources:
        read_prefix(r)


DESCRIPTION = "Accessing unknown values during preview results in a violation."

PolicyPack(
    name="unknown-values-policy",
    policies=[
        ResourceValidationPolicy(
            name="unknown-values-resource-validation",
            description=DESCRIPTION,
            enforcement_level=EnforcementLevel.REMEDIATE,
            validate=validate_resource,
            remediate=remediate_resource,
        ),
        StackValidationPolicy(
            name="unknown-values-stack-validation",
            description=DESCRIPTION,
            enforcement_level=EnforcementLevel.MANDATORY,
            validate=validate_stack,
        ),
    ],
)
