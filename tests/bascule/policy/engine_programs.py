"""The programs of pulumi-policy's integration scenarios, as the state and previews they leave.

Each builder returns what `pulumi stack export` (version 3) or `pulumi preview --json` gives
for the scenario's program (tests/integration/<scenario>/program in pulumi/pulumi-policy):
the root stack, the default providers the engine registers (`default` for the dynamic
provider, `default_4_0_0` for random 4.0.0, no parent), dynamic resources with their
serialized `__provider`, random resources with `__defaults`, empty property dependencies
recorded as `[]`, and the resource options the state keeps. Tests write them to files and
load them through bascule's loader.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
DYNAMIC = "pulumi-nodejs:dynamic:Resource"
RANDOM = {
    "uuid": "random:index/randomUuid:RandomUuid",
    "string": "random:index/randomString:RandomString",
    "pet": "random:index/randomPet:RandomPet",
    "password": "random:index/randomPassword:RandomPassword",
    "integer": "random:index/randomInteger:RandomInteger",
}
SERIALIZED = "exports.handler = __f0;\nfunction __f0() { return (function() { ... })(); }"


@dataclass
class Program:
    """Resources registered in order, as the engine writes them to the state."""

    project: str
    stack: str = ""
    resources: list[dict[str, Any]] = field(default_factory=list)
    _ids: int = 0

    def __post_init__(self) -> None:
        self.stack = self.stack or f"{self.project}-4242"
        self.root = self._add("pulumi:pulumi:Stack", f"{self.project}-{self.stack}", custom=False)
        self.root.pop("parent")

    def urn(self, type_: str, name: str, parent: str | None = None) -> str:
        qualified = type_
        if parent and parent != self.root["urn"]:
            qualified = parent.split("::")[2] + "$" + type_
        return f"urn:pulumi:{self.stack}::{self.project}::{qualified}::{name}"

    def _add(self, type_: str, name: str, *, custom: bool = True, **state: Any) -> dict[str, Any]:
        parent = state.pop("parent", None)
        if parent is None and self.resources:
            parent = self.root["urn"]
        resource: dict[str, Any] = {"urn": self.urn(type_, name, parent), "custom": custom}
        if custom:
            self._ids += 1
            resource["id"] = f"{self._ids:08x}-0000-4000-8000-000000000000"
        resource["type"] = type_
        resource["parent"] = parent
        resource.update(state)
        self.resources.append(resource)
        return resource

    def provider(self, package: str, name: str, inputs: Mapping[str, Any]) -> str:
        """A provider resource (default ones have no parent); returns its reference."""
        state: dict[str, Any] = {"inputs": dict(inputs), "outputs": dict(inputs)}
        resource = self._add(f"pulumi:providers:{package}", name, **state)
        if name.startswith("default"):
            resource.pop("parent")
        return f"{resource['urn']}::{resource['id']}"

    def dynamic(self, name: str, props: Mapping[str, Any] | None = None, **state: Any) -> str:
        if not hasattr(self, "_dynamic"):
            self._dynamic = self.provider(
                "pulumi-nodejs", "default", {f"{self.project}:scenario": "1"}
            )
        values = {"__provider": SERIALIZED, **dict(props or {})}
        state.setdefault("provider", self._dynamic)
        pdeps = state.pop("propertyDependencies", {k: [] for k in props or {}})
        resource = self._add(
            DYNAMIC, name, inputs=values, outputs=values, propertyDependencies=pdeps, **state
        )
        return str(resource["urn"])

    def random(
        self, kind: str, name: str, inputs: Mapping[str, Any], outputs: Mapping[str, Any] = {},
        **state: Any,
    ) -> str:  # fmt: skip
        if not hasattr(self, "_random"):
            self._random = self.provider("random", "default_4_0_0", {"version": "4.0.0"})
        state.setdefault("provider", self._random)
        pdeps: dict[str, Any] = {k: [] for k in inputs}
        pdeps.update(state.pop("propertyDependencies", {}))
        resource = self._add(
            RANDOM[kind],
            name,
            inputs={"__defaults": [], **dict(inputs)},
            outputs={**dict(inputs), **dict(outputs)},
            propertyDependencies=pdeps,
            **state,
        )
        return str(resource["urn"])

    def export(self) -> dict[str, Any]:
        return {
            "version": 3,
            "deployment": {
                "manifest": {"time": "2026-06-01T10:00:00Z", "magic": "", "version": "v3.200.0"},
                "resources": self.resources,
            },
        }

    def preview(self) -> dict[str, Any]:
        steps = [{"op": "create", "urn": r["urn"], "newState": r} for r in self.resources]
        return {"steps": steps, "changeSummary": {"create": len(steps)}}

    def write(self, directory: Path, name: str, *, preview: bool = False) -> Path:
        path = directory / f"{name}.json"
        path.write_text(json.dumps(self.preview() if preview else self.export(), indent=2))
        return path


def validate_resource(scenario: int) -> Program:
    p = Program("validate_resource")
    dynamic = {3: ("a", 1), 4: ("b", 2), 5: ("c", 3), 6: ("d", 4), 9: ("e", 5)}
    if scenario == 2:
        p.dynamic("hello", {"hello": "world"})
    elif scenario in dynamic:
        name, state = dynamic[scenario]
        p.dynamic(name, {"state": state})
    elif scenario == 7:
        p.random("uuid", "r1", {}, {"result": "5a2f0b61-6c1e-4c53-9f5a-1f8b1b7e2e11"})
    elif scenario == 8:
        p.random("uuid", "r2", {"keepers": {"foo": "bar"}}, {"result": "0c1d"})
    elif scenario == 10:
        secret = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270"}
        p.random("password", "pass", {"length": 42}, {"result": {**secret, "ciphertext": "v1:a"}})
    elif scenario == 11:
        p.dynamic("large-resource", {"state": 6, "longString": "a" * (5 * 1024 * 1024)})
    return p


def validate_stack(scenario: int) -> Program:
    p = Program("validate_stack")
    dynamic = {3: ("a", {"state": 1}), 4: ("b", {"state": 2}), 5: ("c", {"state": 3})}
    if scenario == 2:
        p.dynamic("hello", {"hello": "world"})
    elif scenario in dynamic:
        p.dynamic(*dynamic[scenario])
    elif scenario == 6:
        p.random("uuid", "r1", {}, {"result": "8e3c"})
    elif scenario == 7:
        p.random("string", "r2", {"length": 10}, {"result": "xK4mZp9QaB"})
    elif scenario == 8:
        p.random("password", "r3", {"length": 42}, {})
    elif scenario == 9:
        for name in "xyz":
            p.random("integer", name, {"min": 0, "max": 10}, {"result": 7})
    elif scenario == 10:
        p.dynamic("d", {"foo": "bar"})
    return p


def validate_python_resource(scenario: int) -> Program:
    p = Program("validate_python_resource")
    keepers: dict[int, dict[str, Any]] = {1: {}, 2: {"keepers": {}}, 3: {"keepers": {"foo": "bar"}}}
    p.random("uuid", f"r{scenario}", keepers[scenario], {"result": "2f9a"})
    return p


def one_random_string(project: str) -> Program:
    """enforcementlevel and config: one RandomString."""
    p = Program(project)
    p.random("string", "str", {"length": 10}, {"result": "Zr0dQ8yLwN"})
    return p


def parent_dependencies() -> Program:
    p = Program("parent_dependencies")
    parent = p.dynamic("parent")
    p.dynamic("child", parent=parent)
    a = p.dynamic("a")
    p.dynamic("b", dependencies=[a])
    s = p.random("string", "str", {"length": 10}, {"result": "b7Qm2LxV0c"})
    p.random(
        "pet", "pet", {"prefix": "b7Qm2LxV0c", "length": 2}, {"id": "b7Qm2LxV0c-brave-otter"},
        dependencies=[s], propertyDependencies={"prefix": [s]},
    )  # fmt: skip
    return p


def provider() -> Program:
    p = Program("provider")
    p.dynamic("empty")
    p.random("uuid", "uuid", {}, {"result": "91c2"})
    mine = p.provider("random", "my-provider", {"version": "4.0.0"})
    p.random("string", "str", {"length": 10}, {"result": "Pq3sT7vXy1"}, provider=mine)
    return p


def resource_options() -> Program:
    p = Program("resource_options")
    p.dynamic("empty")
    p.random("uuid", "uuid", {}, {"result": "77aa"})
    p.dynamic("protect", protect=True)
    p.dynamic("ignoreChanges", ignoreChanges=["foo", "bar"])
    for name in (
        "deleteBeforeReplaceNotSet",
        "deleteBeforeReplaceTrue",
        "deleteBeforeReplaceFalse",
    ):
        p.dynamic(name)  # the state does not record deleteBeforeReplace
    p.dynamic("aliased")  # an alias to no existing resource is not kept
    p.dynamic("timeouts", customTimeouts={"create": 60, "update": 120, "delete": 180})
    p.dynamic("timeouts-create", customTimeouts={"create": 240})
    p.dynamic("timeouts-update", customTimeouts={"update": 300})
    p.dynamic("timeouts-delete", customTimeouts={"delete": 360})
    p.dynamic("secrets", additionalSecretOutputs=["foo"])
    parent = p.dynamic("parent-res")
    p.dynamic("child-res", parent=parent)
    return p


def runtime_data(project: str, dry_run: bool) -> Program:
    p = Program(project)
    config = {f"{project}:aConfigValue": "this value is a value", "aws:region": "us-west-2"}
    p.dynamic(
        "Hello",
        {"allConfig": config, "getProject": project, "getStack": p.stack, "isDryRun": dry_run},
    )
    return p


def unknown_values() -> Program:
    """The preview: the pet's prefix is the string's result, unknown until it is created."""
    p = Program("unknown_values")
    s = p.random("string", "str", {"length": 10}, {"result": UNKNOWN})
    p.random(
        "pet", "pet", {"prefix": UNKNOWN, "length": 2}, {"id": UNKNOWN},
        dependencies=[s], propertyDependencies={"prefix": [s]},
    )  # fmt: skip
    return p


def remote_component() -> Program:
    """The preview: a remote component whose child's keepers hold the string's unknown id."""
    p = Program("remote_component")
    rand = p.random("string", "random", {"length": 10}, {"result": UNKNOWN})
    component = p._add(
        "testcomponent:index:Component",
        "component",
        custom=False,
        inputs={"bar": {"keepers": {"hello": "world", "hi": UNKNOWN}}},
        dependencies=[rand],
    )
    p.random(
        "string", "innerRandom", {"length": 10, "keepers": {"hello": "world", "hi": UNKNOWN}},
        {"result": UNKNOWN}, parent=component["urn"],
    )  # fmt: skip
    return p


def remediation() -> Program:
    p = Program("remediation")
    p.random("uuid", "bare", {}, {"result": "11aa"})
    p.random("uuid", "kept", {"keepers": {"team": "data"}}, {"result": "22bb"})
    p.random("string", "str", {"length": 8}, {"result": "Ab3dEf7h"})
    return p
