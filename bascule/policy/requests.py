"""The analyzer requests, built as the engine builds them (pkg/resource/plugin/analyzer_plugin.go
and pkg/resource/deploy/step_generator.go):

- `Analyze` gets a resource's inputs, `AnalyzeStack` every resource's outputs; both without
  the top-level internal keys (`__defaults`, `__provider`...: `SkipInternalKeys`), which
  `Remediate` keeps;
- the resource options recorded in the state (protect, ignoreChanges, deleteBeforeReplace
  when known, additionalSecretOutputs, aliases, customTimeouts) and the parent;
- the provider resource with its inputs;
- in `AnalyzeStack`, the parent, the dependencies and the property dependencies, a property
  with no dependency left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pulumi.runtime.proto import analyzer_pb2

from bascule.policy.wire import to_struct
from bascule.snapshot.model import Resource, Snapshot


def public_props(props: Mapping[str, Any]) -> dict[str, Any]:
    """Without the top-level internal keys, as the engine marshals Analyze properties."""
    return {k: v for k, v in props.items() if not str(k).startswith("__")}


def stack_props(resource: Resource, inputs: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
    """What AnalyzeStack sees: the outputs; a resource the state records no outputs for
    (a synthesized component, a preview's create) shows its (possibly remediated) inputs."""
    if resource.outputs:
        return resource.outputs
    return resource.inputs if inputs is None else inputs


def options_message(resource: Resource) -> analyzer_pb2.AnalyzerResourceOptions:
    opts = resource.options
    timeouts = opts.custom_timeouts
    return analyzer_pb2.AnalyzerResourceOptions(
        protect=opts.protect,
        ignoreChanges=list(opts.ignore_changes),
        deleteBeforeReplace=bool(opts.delete_before_replace),
        deleteBeforeReplaceDefined=opts.delete_before_replace is not None,
        additionalSecretOutputs=list(opts.additional_secret_outputs),
        aliases=list(opts.aliases),
        # The engine always sends the message, zeros when no timeout is set.
        customTimeouts=analyzer_pb2.AnalyzerResourceOptions.CustomTimeouts(
            create=timeouts.create,
            update=timeouts.update,
            delete=timeouts.delete,
            read=timeouts.read,
        ),
        parent=resource.parent or "",
    )


class ProviderIndex:
    """Each resource's provider resource as the engine sends it (inputs, internal keys out),
    built once per provider."""

    def __init__(self, snapshot: Snapshot) -> None:
        self._by_urn = snapshot.by_urn()
        self._messages: dict[str, analyzer_pb2.AnalyzerProviderResource] = {}

    def message(self, resource: Resource) -> analyzer_pb2.AnalyzerProviderResource | None:
        urn = resource.provider_urn
        if urn is None or urn not in self._by_urn:
            return None
        if urn not in self._messages:
            prov = self._by_urn[urn]
            self._messages[urn] = analyzer_pb2.AnalyzerProviderResource(
                type=prov.type,
                properties=to_struct(public_props(prov.inputs)),
                urn=prov.urn,
                name=prov.name,
            )
        return self._messages[urn]


def analyze_request(
    resource: Resource, inputs: Mapping[str, Any], providers: ProviderIndex, *, internal: bool
) -> analyzer_pb2.AnalyzeRequest:
    """An AnalyzeRequest (also the Remediate request, which keeps the internal keys)."""
    return analyzer_pb2.AnalyzeRequest(
        type=resource.type,
        properties=to_struct(inputs if internal else public_props(inputs)),
        urn=resource.urn,
        name=resource.name,
        options=options_message(resource),
        provider=providers.message(resource),
    )


def stack_resource(
    resource: Resource, props: Mapping[str, Any], providers: ProviderIndex
) -> analyzer_pb2.AnalyzerResource:
    return analyzer_pb2.AnalyzerResource(
        type=resource.type,
        properties=to_struct(public_props(props)),
        urn=resource.urn,
        name=resource.name,
        options=options_message(resource),
        provider=providers.message(resource),
        parent=resource.parent or "",
        dependencies=list(resource.dependencies),
        propertyDependencies={
            key: analyzer_pb2.AnalyzerPropertyDependencies(urns=list(urns))
            for key, urns in resource.property_dependencies.items()
            if urns
        },
    )


@dataclass(frozen=True)
class Requests:
    """The wire requests, serialized once and sent as they are to every pack: a pack's
    analyzer decodes the same bytes the engine would send it."""

    urns: tuple[str, ...]
    analyze: tuple[bytes, ...]  # one AnalyzeRequest per resource
    stack: bytes  # the AnalyzeStackRequest


def build_requests(
    snapshot: Snapshot, remediated: Mapping[str, Mapping[str, Any]] | None = None
) -> Requests:
    """Analyze requests (inputs, after remediation) and the AnalyzeStack request."""
    remediated = remediated or {}
    providers = ProviderIndex(snapshot)
    analyze: list[bytes] = []
    stack = bytearray()
    for resource in snapshot.resources:
        inputs = remediated.get(resource.urn, resource.inputs)
        request = analyze_request(resource, inputs, providers, internal=False)
        analyze.append(request.SerializeToString())
        entry = stack_resource(resource, stack_props(resource, inputs), providers)
        stack += repeated_field_entry(STACK_RESOURCES_FIELD, entry.SerializeToString())
    urns = tuple(resource.urn for resource in snapshot.resources)
    return Requests(urns, tuple(analyze), bytes(stack))


# A message's serialized repeated field is its entries' encodings, one after another: the
# AnalyzeStackRequest is built from each resource's bytes, never as one message tree.
STACK_RESOURCES_FIELD = analyzer_pb2.AnalyzeStackRequest.DESCRIPTOR.fields_by_name[
    "resources"
].number
_LENGTH_DELIMITED = 2


def repeated_field_entry(field_number: int, payload: bytes) -> bytes:
    return _varint(field_number << 3 | _LENGTH_DELIMITED) + _varint(len(payload)) + payload


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        low, value = value & 0x7F, value >> 7
        if value:
            out.append(low | 0x80)
        else:
            out.append(low)
            return bytes(out)
