"""The analyzer requests as the engine builds them, on both paths."""

from __future__ import annotations

import json
from typing import Any

from google.protobuf import json_format
from pulumi.runtime.proto import analyzer_pb2

from bascule.policy.inprocess import decode_snapshot
from bascule.policy.requests import ProviderIndex, analyze_request, build_requests
from bascule.snapshot.load import parse_snapshot

U = "urn:pulumi:dev::p::"
PROV = U + "pulumi:providers:random::default_4_0_0"
STR = U + "random:index/randomString:RandomString::str"
PET = U + "random:index/randomPet:RandomPet::pet"


def snapshot() -> Any:
    resources = [
        {"urn": U + "pulumi:pulumi:Stack::p-dev", "custom": False, "type": "pulumi:pulumi:Stack"},
        {"urn": PROV, "custom": True, "id": "pid", "type": "pulumi:providers:random",
         "inputs": {"version": "4.0.0", "__internal": {"pluginDownloadURL": ""}}},
        {"urn": STR, "custom": True, "id": "s", "type": "random:index/randomString:RandomString",
         "inputs": {"__defaults": [], "length": 10}, "outputs": {"length": 10, "result": "x"}},
        {"urn": PET, "custom": True, "id": "pet", "type": "random:index/randomPet:RandomPet",
         "provider": PROV + "::pid", "parent": U + "pulumi:pulumi:Stack::p-dev",
         "inputs": {"__defaults": ["separator"], "prefix": "x", "nested": {"__keep": 1}},
         "dependencies": [STR], "propertyDependencies": {"prefix": [STR], "length": []},
         "protect": True, "ignoreChanges": ["prefix"], "additionalSecretOutputs": ["id"],
         "aliases": [U + "random:index/randomPet:RandomPet::old"],
         "customTimeouts": {"create": 60, "delete": 5.5}},
    ]  # fmt: skip
    return parse_snapshot({"version": 3, "deployment": {"resources": resources}}, "s.json")


def as_json(struct: Any) -> Any:
    return json.loads(json_format.MessageToJson(struct))


def test_analyze_drops_top_level_internal_keys_and_sends_the_state_options() -> None:
    requests = build_requests(snapshot())
    pet = analyzer_pb2.AnalyzeRequest.FromString(requests.analyze[3])
    assert as_json(pet.properties) == {"prefix": "x", "nested": {"__keep": 1.0}}
    assert as_json(pet.provider.properties) == {"version": "4.0.0"}
    assert as_json(pet.options) == {
        "protect": True,
        "ignoreChanges": ["prefix"],
        "additionalSecretOutputs": ["id"],
        "aliases": [U + "random:index/randomPet:RandomPet::old"],
        "customTimeouts": {"create": 60.0, "delete": 5.5},
        "parent": U + "pulumi:pulumi:Stack::p-dev",
    }
    assert not pet.options.deleteBeforeReplaceDefined
    # Without a timeout the engine still sends the message (zeros), as the SDK expects.
    stack = analyzer_pb2.AnalyzeRequest.FromString(requests.analyze[0])
    assert stack.options.HasField("customTimeouts")


def test_analyze_stack_drops_properties_without_dependencies() -> None:
    stack = analyzer_pb2.AnalyzeStackRequest.FromString(build_requests(snapshot()).stack)
    pet = stack.resources[3]
    assert {k: list(v.urns) for k, v in pet.propertyDependencies.items()} == {"prefix": [STR]}
    assert as_json(stack.resources[2].properties) == {"length": 10.0, "result": "x"}


def test_remediate_keeps_the_internal_keys() -> None:
    snap = snapshot()
    pet = snap.resources[3]
    request = analyze_request(pet, pet.inputs, ProviderIndex(snap), internal=True)
    assert as_json(request.properties)["__defaults"] == ["separator"]


def test_remediated_inputs_replace_the_state_inputs_on_both_paths() -> None:
    snap = snapshot()
    remediated = {PET: {"prefix": "fixed", "__defaults": []}}
    pet = analyzer_pb2.AnalyzeRequest.FromString(build_requests(snap, remediated).analyze[3])
    assert as_json(pet.properties) == {"prefix": "fixed"}
    decoded = decode_snapshot(snap, remediated)[3]
    assert decoded.inputs == {"prefix": "fixed"}
    assert dict(decoded.property_dependencies) == {"prefix": (STR,)}
    opts = decoded.options
    assert (opts.protect, opts.ignore_changes, opts.delete_before_replace, opts.parent) == (
        True, ["prefix"], None, U + "pulumi:pulumi:Stack::p-dev",
    )  # fmt: skip
    assert (opts.custom_timeouts.create_seconds, opts.custom_timeouts.delete_seconds) == (60, 5.5)
