"""A recording mock monitor: every registration (stack, providers, components, custom
resources) becomes a `Resource` of the snapshot model, secrets reduced to `SecretValue`."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

from google.protobuf import json_format
from pulumi.runtime.mocks import MockMonitor, MockResourceArgs, Mocks

from bascule.snapshot.model import ROOT_STACK_TYPE, Resource
from bascule.snapshot.values import convert
from bascule.synth.defaults import StackProviderConfig, needs_default_provider
from bascule.synth.order import dependency_order


def _normalise(value: Any) -> Any:
    # protobuf Struct numbers are doubles: give back ints where the program wrote ints.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    return value


def struct_to_model(struct: Any) -> dict[str, Any]:
    """A protobuf Struct of properties as model values (secret signature -> SecretValue)."""
    raw = json_format.MessageToDict(struct)
    converted: dict[str, Any] = convert(_normalise(raw))
    return converted


@dataclass
class _Record:
    urn: str
    type: str
    custom: bool
    parent: str | None
    provider: str | None
    dependencies: tuple[str, ...]
    property_dependencies: dict[str, tuple[str, ...]]
    inputs: dict[str, Any]
    id: str | None = None
    outputs: dict[str, Any] = field(default_factory=dict)


class RecordingMonitor(MockMonitor):
    """Records every registration, and the default providers the engine would register for
    the ones that name no provider. RPCs arrive on executor threads, hence the locks."""

    def __init__(
        self,
        mocks: Mocks,
        on_resource: Callable[[int], None] | None = None,
        providers: StackProviderConfig | None = None,
    ) -> None:
        super().__init__(mocks)
        self._records: dict[str, _Record] = {}
        self._lock = threading.Lock()
        self._on_resource = on_resource
        self._providers = providers or StackProviderConfig()
        self._defaults: dict[str, str] = {}  # default provider URN -> its reference
        self._defaults_lock = threading.Lock()

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        """As the engine does: the parent's full type chain, but not the root stack's."""
        if parent:
            parent_type = parent.split("::")[2]
            if parent_type != ROOT_STACK_TYPE:
                type_ = f"{parent_type}${type_}"
        return super().make_urn("", type_, name)

    def _store(self, record: _Record) -> None:
        with self._lock:
            self._records[record.urn] = record
            count = len(self._records)
        if self._on_resource is not None:
            self._on_resource(count)

    def default_provider(self, token: str, version: str, download_url: str, user: str) -> str:
        """The reference of the default provider for `token`, registered on first use."""
        wanted = self._providers.request(token, version, download_url, user)
        urn = self.make_urn("", wanted.type, wanted.name)
        with self._defaults_lock:
            reference = self._defaults.get(urn)
            if reference is None:
                inputs = self._providers.inputs(wanted)
                args = MockResourceArgs(wanted.type, wanted.name, dict(inputs), "", "", True)
                id_, state = self.mocks.new_resource(args)
                outputs = dict(inputs)
                for key, value in state.items():
                    outputs.setdefault(key, value)  # inputs win, as for explicit providers
                record = _Record(urn, wanted.type, True, None, None, (), {}, inputs, id_, outputs)
                self._store(record)
                reference = self._defaults[urn] = f"{urn}::{id_}"
        return reference

    def _record(self, request: Any, urn: str) -> _Record:
        record = _Record(
            urn=urn,
            type=request.type,
            custom=bool(request.custom),
            parent=request.parent or None,
            provider=request.provider or None,
            # The SDK collects dependencies in sets: sort them so synth output is reproducible.
            dependencies=tuple(sorted(set(request.dependencies))),
            property_dependencies={
                k: tuple(sorted(set(v.urns)))
                for k, v in sorted(request.propertyDependencies.items())
            },
            inputs=struct_to_model(request.object),
        )
        self._store(record)
        return record

    def RegisterResource(self, request: Any) -> Any:
        urn = self.make_urn(request.parent, request.type, request.name)
        if needs_default_provider(request):
            request.provider = self.default_provider(
                request.type, request.version, request.pluginDownloadURL, urn
            )
        record = self._record(request, urn)
        response = super().RegisterResource(request)
        if request.type != ROOT_STACK_TYPE:
            record.id = response.id or None
            if record.custom:
                outputs = dict(record.inputs)
                for key, value in struct_to_model(response.object).items():
                    # Inputs win: they carry the secrets as SecretValue, never plaintext.
                    outputs.setdefault(key, value)
                record.outputs = outputs
        return response

    def Invoke(self, request: Any) -> Any:
        # Builtins (`pulumi:pulumi:getResource`...) are the engine's own, not a package's.
        if not request.provider and not request.tok.startswith("pulumi:"):
            request.provider = self.default_provider(
                request.tok, request.version, request.pluginDownloadURL, request.tok
            )
        return super().Invoke(request)

    def RegisterResourceOutputs(self, request: Any) -> Any:
        # Sorted: protobuf map order is arbitrary, and parallel runs join these by key.
        outputs = dict(sorted(struct_to_model(request.outputs).items()))
        with self._lock:
            record = self._records.get(request.urn)
            if record is not None:
                record.outputs = outputs
        return super().RegisterResourceOutputs(request)

    def snapshot_resources(self) -> list[Resource]:
        """Records in a deterministic dependency order (parents, providers, deps first)."""
        with self._lock:
            records = dict(self._records)
        return [_to_resource(records[urn]) for urn in dependency_order(records)]


def _to_resource(r: _Record) -> Resource:
    """The record as a resource state, every field as recorded; a component has no id."""
    recorded = {f.name: getattr(r, f.name) for f in fields(r)}
    return Resource(**recorded | {"id": r.id if r.custom else None})
