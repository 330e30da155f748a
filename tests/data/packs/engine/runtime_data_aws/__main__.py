"""runtime_data_aws: runtime_data reading `aws:region` through pulumi_aws, as the peer's pack
does; bascule's environment has no pulumi_aws, so the pack needs its own virtualenv."""

import os

from pulumi import Config, get_project, get_stack
from pulumi.runtime import is_dry_run
from pulumi_aws import config as aws_config
from pulumi_policy import (
    EnforcementLevel,
    PolicyPack,
    ResourceValidationPolicy,
    StackValidationPolicy,
)


def aws_region():
    return aws_config.region


def verify(r):
    if r.resource_type != "pulumi-nodejs:dynamic:Resource":
        return
    assert is_dry_run() == r.props["isDryRun"], (is_dry_run(), r.props["isDryRun"])
    assert get_project() == os.environ["PULUMI_TEST_PROJECT"] == r.props["getProject"]
    assert get_stack() == os.environ["PULUMI_TEST_STACK"] == r.props["getStack"]
    assert Config().require("aConfigValue") == "this value is a value"
    assert aws_region() == "us-west-2"


def validate_resource(args, report_violation):
    verify(args)


def remediate_resource(args):
    verify(args)


def validate_stack(args, report_violation):
    for r in args.resources:
        verify(r)


PolicyPack(
    name="runtime-data-policy",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=[
        ResourceValidationPolicy(
            name="runtime-data-resource-validation",
            description="Verifies runtime data during resource validation.",
            validate=validate_resource,
            remediate=remediate_resource,
        ),
        StackValidationPolicy(
            name="runtime-data-stack-validation",
            description="Verifies runtime data during stack validation.",
            validate=validate_stack,
        ),
    ],
)
