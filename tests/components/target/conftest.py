"""The target tenancy under bascule's fake cloud (`bascule.synth.mocks`, as `bascule synth`
runs it), a monitor recording every registration, and the dev stack (plus an OVH variant)
built once per session."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi
import pytest
from google.protobuf import json_format
from pulumi.runtime import rpc
from pulumi.runtime.mocks import MockMonitor
from target_harness import OVH_SETTINGS, Registration, TargetRun, dev_config

from bascule.snapshot.model import SECRET_SIG, SIG_KEY
from bascule.synth.mocks import SynthMocks
from components.config.load import ProviderCredentials
from components.config.stack import StackConfig
from components.target.estate import TargetEstate, TargetEstateArgs


def _secret_keys(request: Any) -> frozenset[str]:
    raw = json_format.MessageToDict(request.object)
    return frozenset(
        key
        for key, value in raw.items()
        if isinstance(value, dict) and value.get(SIG_KEY) == SECRET_SIG
    )


class RecordingMonitor(MockMonitor):
    def __init__(self, mocks: pulumi.runtime.Mocks) -> None:
        super().__init__(mocks)
        self.registrations: list[Registration] = []

    def RegisterResource(self, request: Any) -> Any:
        if request.type != "pulumi:pulumi:Stack":
            self.registrations.append(
                Registration(
                    type=request.type,
                    name=request.name,
                    urn=self.make_urn(request.parent, request.type, request.name),
                    parent=request.parent,
                    provider=request.provider,
                    custom=request.custom,
                    inputs=dict(rpc.deserialize_properties(request.object)),
                    secret_inputs=_secret_keys(request),
                )
            )
        return super().RegisterResource(request)


def run_target(config: StackConfig) -> TargetRun:
    mocks = SynthMocks()
    monitor = RecordingMonitor(mocks)
    pulumi.runtime.set_mocks(mocks, project="bascule", stack="test", preview=False, monitor=monitor)
    run = TargetRun(config=config, registrations=monitor.registrations)
    credentials = ProviderCredentials(
        openstack_password=pulumi.Output.secret("os-password"),
        ovh_application_secret=pulumi.Output.secret("ovh-app-secret"),
        ovh_consumer_key=pulumi.Output.secret("ovh-consumer-key"),
        scaleway_access_key=pulumi.Output.secret("SCWXXXXXXXXXXXXXXXXX"),
        scaleway_secret_key=pulumi.Output.secret("scw-secret-key"),
    )

    @pulumi.runtime.test
    def build() -> pulumi.Output[Any]:
        estate = TargetEstate("target", TargetEstateArgs(config=config, credentials=credentials))
        return pulumi.Output.from_input(estate.inventory).apply(run.inventory.update)

    build()
    return run


@pytest.fixture(scope="session")
def build_target() -> Callable[[StackConfig], TargetRun]:
    """Build any config under fresh mocks (session fixtures already hold their records)."""
    return run_target


@pytest.fixture(scope="session")
def dev_run() -> TargetRun:
    return run_target(dev_config())


@pytest.fixture(scope="session")
def ovh_run() -> TargetRun:
    return run_target(dev_config(**OVH_SETTINGS))


@pytest.fixture(scope="session", params=["openstack", "ovh"])
def any_run(request: pytest.FixtureRequest, dev_run: TargetRun, ovh_run: TargetRun) -> TargetRun:
    return dev_run if request.param == "openstack" else ovh_run
