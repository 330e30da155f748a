"""Warnings about where a stack keeps its state and its secrets key, as the engine chooses."""

from __future__ import annotations

import pytest

from bascule.synth.backend import backend_warnings

LOCAL = {"PULUMI_BACKEND_URL": "file://~/.pulumi-state"}
SALTED = {"encryptionsalt": "v1:abc", "config": {}}
UNDECLARED = (
    "state backend not declared (Pulumi.yaml backend.url or PULUMI_BACKEND_URL): the Pulumi "
    "CLI uses the one of your last `pulumi login`, Pulumi Cloud if none; use `pulumi login "
    "--local` or an S3 bucket on the sovereign provider"
)
NO_SALT = (
    "Pulumi.dev.yaml: no encryptionsalt, so the secrets key is the backend's default (the "
    "Pulumi Cloud service would hold it): create the stack with `--secrets-provider passphrase`"
)


def test_sovereign_settings_give_no_warning() -> None:
    assert backend_warnings({}, "Pulumi.dev.yaml", SALTED, LOCAL) == []
    s3 = {"backend": {"url": "s3://hdh-state?endpoint=s3.eu-west-par.io.cloud.ovh.net"}}
    assert backend_warnings(s3, "Pulumi.dev.yaml", SALTED, {}) == []


def test_a_file_or_bucket_backend_defaults_to_the_passphrase_provider() -> None:
    # No salt yet: the engine creates one with a passphrase on a DIY backend.
    assert backend_warnings({}, "Pulumi.dev.yaml", {}, LOCAL) == []


def test_an_undeclared_backend_and_no_salt() -> None:
    assert backend_warnings({}, "Pulumi.dev.yaml", {}, {}) == [UNDECLARED, NO_SALT]
    assert backend_warnings({}, "Pulumi.dev.yaml", SALTED, {}) == [UNDECLARED]


@pytest.mark.parametrize("provider", ["passphrase", "default", ""])
def test_passphrase_without_a_salt_is_the_pulumi_cloud_key_there(provider: str) -> None:
    cloud = {"PULUMI_BACKEND_URL": "https://api.pulumi.com"}
    assert backend_warnings({}, "Pulumi.dev.yaml", {"secretsprovider": provider}, cloud) == [
        "state backend https://api.pulumi.com is Pulumi Cloud: use `pulumi login --local` or "
        "an S3 bucket on the sovereign provider",
        NO_SALT,
    ]


def test_foreign_kms_secrets_provider() -> None:
    stack = {"secretsprovider": "awskms://alias/pulumi?region=eu-west-3"}
    assert backend_warnings({}, "Pulumi.prod.yaml", stack, LOCAL) == [
        "Pulumi.prod.yaml: secretsprovider awskms:// is a non-EU KMS"
    ]
    vault = {"secretsprovider": "hashivault://hdh-pulumi"}  # self-hosted: no concern here
    assert backend_warnings({}, "Pulumi.prod.yaml", vault, LOCAL) == []
