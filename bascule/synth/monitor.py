"""A recording mock monitor: every registration (stack, providers, components, custom
resources) becomes a `Resource` of the snapshot model, secrets reduced to `SecretValue`."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from google.protobuf import json_format
from pulumi.runtime.mocks import MockCallArgs, MockMonitor, MockResourceArgs, Mocks

from bascule.snapshot.model import PROVIDER_TYPE_PREFIX, ROOT_STACK_TYPE, Resource
from bascule.snapshot.values import convert
from bascule.synth.defaults import StackProviderConfig, needs_default_provider
from bascule.synth.order import dependency_order

AZURE_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
AZURE_TENANT = "00000000-0000-0000-0000-0000000000aa"


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


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def azure_physical_name(type_: str, name: str, inputs: Mapping[str, Any]) -> str:
    """What ARM reports as `name`: the `<kind>Name` input (e.g. `keyName`), else any
    other `...Name` input but the resource group's, else the Pulumi resource name."""
    kind = type_.split(":")[-1]
    if kind == "ResourceGroup":
        value = inputs.get("resourceGroupName")
        return value if isinstance(value, str) else name
    own = inputs.get(_lower_first(kind) + "Name")
    if isinstance(own, str):
        return own
    return next(
        (
            v
            for k, v in inputs.items()
            if k.endswith("Name") and k != "resourceGroupName" and isinstance(v, str)
        ),
        name,
    )


def azure_resource_id(type_: str, name: str, inputs: Mapping[str, Any]) -> str:
    """A plausible ARM id for a mocked azure-native resource."""
    parts = type_.split(":")
    module = parts[1] if len(parts) > 2 else "resources"
    kind = parts[-1]
    subscription = inputs.get("subscriptionId") or AZURE_SUBSCRIPTION
    own = azure_physical_name(type_, name, inputs)
    if kind == "ResourceGroup":
        return f"/subscriptions/{subscription}/resourceGroups/{own}"
    rg = inputs.get("resourceGroupName") or "rg"
    namespace = "Microsoft." + module[:1].upper() + module[1:]
    return (
        f"/subscriptions/{subscription}/resourceGroups/{rg}/providers/{namespace}/"
        f"{_lower_first(kind)}s/{own}"
    )


def _azure_output_shapes(state: dict[Any, Any]) -> None:
    """Where azure-native outputs differ in shape from inputs, echo the output shape."""
    identity = state.get("identity")
    if isinstance(identity, dict) and isinstance(identity.get("userAssignedIdentities"), list):
        # Input: a list of identity ids. Output: a map of id -> {principalId, clientId}.
        state["identity"] = {
            **identity,
            "userAssignedIdentities": {i: {} for i in identity["userAssignedIdentities"]},
        }
    properties = state.get("properties")
    if isinstance(properties, dict) and isinstance(state.get("vaultName"), str):
        # A Key Vault answers with its URI, which keys and CMK settings refer to.
        state["properties"] = {
            **properties,
            "vaultUri": f"https://{state['vaultName']}.vault.azure.net/",
        }


class SynthMocks(Mocks):
    """Deterministic ids and state: inputs, plus `name` and (azure-native) an ARM `id`."""

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[Any, Any]]:
        state = dict(args.inputs)
        state.setdefault("name", args.name)
        if args.typ.startswith(PROVIDER_TYPE_PREFIX):
            return f"{args.name}-id", state
        if args.typ.startswith("azure-native:"):
            state["name"] = azure_physical_name(args.typ, args.name, args.inputs)
            _azure_output_shapes(state)
            arm_id = azure_resource_id(args.typ, args.name, args.inputs)
            state.setdefault("id", arm_id)
            return arm_id, state
        return f"{args.name}-id", state

    def call(self, args: MockCallArgs) -> tuple[dict[Any, Any], list[tuple[str, str]] | None]:
        if args.token.endswith(":getClientConfig"):
            return {
                "clientId": "00000000-0000-0000-0000-0000000000c1",
                "objectId": "00000000-0000-0000-0000-0000000000b1",
                "subscriptionId": AZURE_SUBSCRIPTION,
                "tenantId": AZURE_TENANT,
            }, []
        # Data sources (getNetwork, getImage...): echo the query plus a deterministic id.
        # (Failures must be a list: the mock monitor iterates over them.)
        result = {k: v for k, v in args.args.items() if v is not None}
        function = args.token.rsplit(":", 1)[-1]
        label = result.get("name") or function.removeprefix("get").lower()
        result.setdefault("id", f"{label}-id")
        return result, []


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
    return Resource(
        urn=r.urn,
        type=r.type,
        custom=r.custom,
        id=r.id if r.custom else None,
        inputs=r.inputs,
        outputs=r.outputs,
        parent=r.parent,
        provider=r.provider,
        dependencies=r.dependencies,
        property_dependencies=r.property_dependencies,
    )
