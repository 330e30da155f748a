"""Default provider names and inputs, as pkg/resource/deploy (pulumi v3.259.0) builds them."""

from __future__ import annotations

import pytest

from bascule.snapshot.model import SecretValue
from bascule.snapshot.providers import (
    default_provider_inputs,
    default_provider_name,
    into_qname,
    is_default_provider_urn,
)


@pytest.mark.parametrize(
    ("version", "url", "name"),
    [
        (None, None, "default"),
        ("3.29.0", None, "default_3_29_0"),
        ("5.5.3", "", "default_5_5_3"),
        ("1.2.3-alpha.10+build.7", None, "default_1_2_3_alpha_10_build_7"),
        ("2.0.0", "github://api.github.com/pulumiverse/",
         "default_2_0_0_github_/api.github.com/pulumiverse"),
        (None, "https://get.example.com/plugins", "default_https_/get.example.com/plugins"),
    ],
)  # fmt: skip
def test_default_names(version: str | None, url: str | None, name: str) -> None:
    assert default_provider_name(version, url) == name


def test_invalid_versions_are_refused_like_the_engine() -> None:
    for bad in ("v1.2.3", "1.2", "01.2.3", "latest"):
        with pytest.raises(ValueError, match="invalid provider version"):
            default_provider_name(bad)


def test_into_qname_replaces_every_illegal_byte() -> None:
    assert into_qname("a b//c:d") == "a_b/c_d"
    assert into_qname("é") == "__"  # two UTF-8 bytes, two underscores
    assert into_qname("///") == "_"


def test_inputs_from_the_package_config_only() -> None:
    config = {
        "azure-native:location": "westus",
        "azure-native:config:subscriptionId": "sub",  # the legacy key form
        "azure-native:clientSecret": "s3cret",
        "azure-nativex:location": "elsewhere",
        "openstack:region": "GRA",
        "pulumi:disable-default-providers": "[]",
    }
    assert default_provider_inputs(
        "azure-native", config, {"azure-native:clientSecret"}, "3.29.0"
    ) == {
        "clientSecret": SecretValue(),
        "location": "westus",
        "subscriptionId": "sub",
        "version": "3.29.0",
    }
    dynamic = default_provider_inputs("pulumi-python", {"a:b": "1"})
    assert dynamic == {"a:b": "1"}  # dynamic providers get the whole config, full keys


def test_default_provider_urns() -> None:
    assert is_default_provider_urn("urn:pulumi:s::p::pulumi:providers:ovh::default_2_22_0")
    assert is_default_provider_urn("urn:pulumi:s::p::pulumi:providers:ovh::default")
    assert not is_default_provider_urn("urn:pulumi:s::p::pulumi:providers:ovh::defaultish")
    assert not is_default_provider_urn("urn:pulumi:s::p::pulumi:providers:ovh::ovh")
    assert not is_default_provider_urn(
        "urn:pulumi:s::p::bascule:target:Estate$pulumi:providers:ovh::default_1_0_0"
    )
