"""Warnings about where a stack keeps its state and its secrets key."""

from __future__ import annotations

from bascule.synth.backend import backend_warnings

LOCAL = {"PULUMI_BACKEND_URL": "file://~/.pulumi-state"}
SALTED = {"encryptionsalt": "v1:abc", "config": {}}


def test_sovereign_settings_give_no_warning() -> None:
    assert backend_warnings({}, "Pulumi.dev.yaml", SALTED, LOCAL) == []
    s3 = {"backend": {"url": "s3://hdh-state?endpoint=s3.eu-west-par.io.cloud.ovh.net"}}
    assert backend_warnings(s3, "Pulumi.dev.yaml", SALTED, {}) == []


def test_pulumi_cloud_backend_and_missing_provider() -> None:
    assert backend_warnings({}, "Pulumi.dev.yaml", {}, {}) == [
        "state backend not set in Pulumi.yaml or PULUMI_BACKEND_URL (defaults to Pulumi Cloud): "
        "use `pulumi login --local` or an S3 bucket on the sovereign provider",
        "Pulumi.dev.yaml: no secrets provider (the Pulumi Cloud service would hold the key): "
        "create the stack with `--secrets-provider passphrase`",
    ]
    cloud = {"PULUMI_BACKEND_URL": "https://api.pulumi.com"}
    assert backend_warnings({}, "Pulumi.dev.yaml", SALTED, cloud) == [
        "state backend https://api.pulumi.com: use `pulumi login --local` or an S3 bucket on "
        "the sovereign provider"
    ]


def test_foreign_kms_secrets_provider() -> None:
    stack = {"secretsprovider": "awskms://alias/pulumi?region=eu-west-3"}
    assert backend_warnings({}, "Pulumi.prod.yaml", stack, LOCAL) == [
        "Pulumi.prod.yaml: secretsprovider awskms:// is a non-EU KMS"
    ]
