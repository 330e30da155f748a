"""The source estate under bascule's fake cloud (`bascule.synth.mocks`, as `bascule synth`
runs it), with a monitor recording registrations.

A uniquely named module (not conftest) so tests import it without clashing with other suites.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
import yaml
from pulumi.runtime.mocks import MockMonitor

from bascule.synth.mocks import SynthMocks
from components.azure.estate import AzureEstate, AzureEstateArgs
from components.config.load import parse_stack_config
from components.config.stack import StackConfig

REPO = Path(__file__).resolve().parents[3]
PROVIDER_TYPE = "pulumi:providers:azure-native"


@dataclass(frozen=True)
class Registration:
    type: str
    name: str
    parent: str
    provider: str
    custom: bool
    state: dict[str, Any]

    @property
    def id(self) -> str:
        """The ARM id the fake cloud gave it."""
        return str(self.state.get("id", ""))

    @property
    def parent_type(self) -> str:
        return self.parent.split("::")[2].split("$")[-1] if self.parent else ""


class RecordingMonitor(MockMonitor):
    def __init__(self, mocks: pulumi.runtime.Mocks) -> None:
        super().__init__(mocks)
        self.registrations: list[Registration] = []

    def RegisterResource(self, request: Any) -> Any:
        response = super().RegisterResource(request)
        if request.type != "pulumi:pulumi:Stack":
            state = self.resources[response.urn].state if response.urn in self.resources else {}
            self.registrations.append(
                Registration(
                    type=request.type,
                    name=request.name,
                    parent=request.parent,
                    provider=request.provider,
                    custom=request.custom,
                    state=dict(state),
                )
            )
        return response


@dataclass
class EstateRun:
    registrations: list[Registration]
    inventory: dict[str, Any] = field(default_factory=dict)

    def of_type(self, suffix: str) -> list[Registration]:
        return [r for r in self.registrations if r.type == f"azure-native:{suffix}"]

    def by_id(self) -> dict[str, Registration]:
        return {r.id: r for r in self.registrations if r.custom}


def dev_config(**overrides: Any) -> StackConfig:
    """`Pulumi.dev.yaml`, namespace stripped, with top-level keys replaced by `overrides`."""
    document = yaml.safe_load((REPO / "Pulumi.dev.yaml").read_text())
    raw = {key.split(":", 1)[1]: value for key, value in document["config"].items()}
    raw.update(overrides)
    return parse_stack_config(raw)


def run_estate(config: StackConfig) -> EstateRun:
    mocks = SynthMocks()
    monitor = RecordingMonitor(mocks)
    pulumi.runtime.set_mocks(mocks, project="bascule", stack="test", preview=False, monitor=monitor)
    run = EstateRun(registrations=monitor.registrations)

    @pulumi.runtime.test
    def build() -> pulumi.Output[Any]:
        estate = AzureEstate("source", AzureEstateArgs(config=config))
        return pulumi.Output.from_input(estate.inventory).apply(run.inventory.update)

    build()
    return run
