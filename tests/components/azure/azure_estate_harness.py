"""Pulumi mocks for the source estate: fake Azure outputs, and a monitor recording registrations.

A uniquely named module (not conftest) so tests import it without clashing with other suites.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
import yaml
from pulumi.runtime.mocks import MockMonitor

from components.azure.estate import AzureEstate, AzureEstateArgs
from components.config.load import parse_stack_config
from components.config.stack import StackConfig

REPO = Path(__file__).resolve().parents[3]
PROVIDER_TYPE = "pulumi:providers:azure-native"
# The physical-name input of the resources whose name other resources refer to.
NAME_INPUTS = {
    "azure-native:keyvault:Vault": "vaultName",
    "azure-native:storage:StorageAccount": "accountName",
    "azure-native:resources:ResourceGroup": "resourceGroupName",
}


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
        return f"{self.name}_id"

    @property
    def parent_type(self) -> str:
        return self.parent.split("::")[2].split("$")[-1] if self.parent else ""


class FakeAzure(pulumi.runtime.Mocks):
    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        outputs: dict[str, Any] = {**args.inputs}
        outputs["name"] = args.inputs.get(NAME_INPUTS.get(args.typ, ""), args.name)
        identity = args.inputs.get("identity")
        if identity and isinstance(identity.get("userAssignedIdentities"), list):
            # Inputs list the identity ids; Azure answers with a map keyed by id.
            assigned: dict[str, dict[str, str]] = {
                uid: {} for uid in identity["userAssignedIdentities"]
            }
            outputs["identity"] = {**identity, "userAssignedIdentities": assigned}
        if args.typ == "azure-native:keyvault:Vault":
            vault = outputs["name"]
            outputs["properties"] = {
                **args.inputs["properties"],
                "vaultUri": f"https://{vault}.vault.azure.net/",
            }
        if args.typ == "azure-native:keyvault:Key":
            outputs["keyUriWithVersion"] = (
                f"https://{args.inputs['vaultName']}.vault.azure.net/keys/{args.inputs['keyName']}/v1"
            )
        if args.typ == "azure-native:managedidentity:UserAssignedIdentity":
            outputs["principalId"] = f"{args.name}-principal"
            outputs["clientId"] = f"{args.name}-client"
        return f"{args.name}_id", outputs

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[Any]]:
        return {}, []


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
    mocks = FakeAzure()
    monitor = RecordingMonitor(mocks)
    pulumi.runtime.set_mocks(mocks, project="bascule", stack="test", preview=False, monitor=monitor)
    run = EstateRun(registrations=monitor.registrations)

    @pulumi.runtime.test
    def build() -> pulumi.Output[Any]:
        estate = AzureEstate("source", AzureEstateArgs(config=config))
        return pulumi.Output.from_input(estate.inventory).apply(run.inventory.update)

    build()
    return run
