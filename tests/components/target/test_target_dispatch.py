"""The target estate picks its implementation by `bascule:target.provider`."""

from __future__ import annotations

import subprocess
import sys
import typing

import pytest

from components.config.model import TargetSettings
from components.target.estate import BUILDERS, builder_of
from components.target.openstack import build as openstack
from components.target.scaleway.estate import build_target as scaleway_build


def test_every_provider_the_config_accepts_has_an_implementation() -> None:
    accepted = typing.get_args(TargetSettings.model_fields["provider"].annotation)
    assert set(accepted) == set(BUILDERS) == {"openstack", "ovh", "scaleway"}


def test_openstack_and_ovh_are_built_by_the_openstack_tenancy() -> None:
    assert builder_of("openstack") is openstack.build_target
    assert builder_of("ovh") is openstack.build_target


def test_scaleway_is_built_by_its_own_implementation() -> None:
    assert builder_of("scaleway") is scaleway_build


def test_a_provider_without_implementation_is_refused_in_one_line() -> None:
    with pytest.raises(ValueError) as raised:
        builder_of("outscale")
    assert str(raised.value) == (
        "bascule:target.provider: no target implementation for 'outscale' "
        "(implemented: openstack, ovh, scaleway)"
    )


def test_a_stack_loads_the_sdk_of_its_own_provider_only() -> None:
    probe = (
        "import sys\n"
        "from components.target.estate import builder_of\n"
        "builder_of('openstack')\n"
        "loaded = [m for m in ('pulumi_openstack', 'pulumiverse_scaleway') if m in sys.modules]\n"
        "print(loaded)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    assert run.stdout.split() == ["['pulumi_openstack']"]
