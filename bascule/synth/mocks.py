"""bascule's fake cloud: what the Pulumi mocks answer for every resource and data source, in
`bascule synth` and in every test that builds the estates (one set of answers).

Deterministic answers in the shapes the real APIs give: a resource's inputs echoed back, its
physical `name`, an ARM `id` for azure-native resources, and the outputs the components read
back from the cloud (a Key Vault's URI, a key's versioned URI, a managed identity's ids, a
floating IP's address, a Barbican order's secret reference).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from typing import Any

from pulumi.runtime.mocks import MockCallArgs, MockResourceArgs, Mocks

from bascule.snapshot.model import PROVIDER_TYPE_PREFIX

AZURE_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
AZURE_TENANT = "00000000-0000-0000-0000-0000000000aa"
# Floating IPs come from TEST-NET-3 (RFC 5737), Barbican refs from a reserved name (RFC 2606).
FLOATING_IP_NET = "203.0.113"
BARBICAN_URL = "https://barbican.example:9311"
_FAKE_CLOUD = uuid.UUID("6ba7b811-9dad-11d1-80b4-00c04fd430c8")  # uuid.NAMESPACE_URL


def resource_id(name: str) -> str:
    """The id of a resource (other than azure-native) or data source named `name`."""
    return f"{name}-id"


def fake_uuid(*parts: str) -> str:
    """A GUID that stands for one the cloud would assign, the same on every run."""
    return str(uuid.uuid5(_FAKE_CLOUD, "/".join(parts)))


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


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _azure_computed(type_: str, arm_id: str, state: dict[Any, Any]) -> None:
    """Outputs Azure computes, which other resources refer to."""
    if type_ == "azure-native:keyvault:Key":
        # https://{vault}.vault.azure.net/keys/{name}/{version}, a version being 32 hex digits.
        uri = f"https://{state.get('vaultName')}.vault.azure.net/keys/{state.get('keyName')}"
        state.setdefault("keyUri", uri)
        state.setdefault("keyUriWithVersion", f"{uri}/{_digest(arm_id)[:32]}")
    elif type_ == "azure-native:managedidentity:UserAssignedIdentity":
        state.setdefault("principalId", fake_uuid(arm_id, "principal"))
        state.setdefault("clientId", fake_uuid(arm_id, "client"))
        state.setdefault("tenantId", AZURE_TENANT)


def _openstack_computed(type_: str, name: str, state: dict[Any, Any]) -> None:
    """Outputs OpenStack computes, which other resources refer to."""
    if type_ == "openstack:networking/floatingIp:FloatingIp":
        host = int(_digest(name), 16) % 254 + 1
        state.setdefault("address", f"{FLOATING_IP_NET}.{host}")
    elif type_ == "openstack:keymanager/orderV1:OrderV1":
        state.setdefault("secretRef", f"{BARBICAN_URL}/v1/secrets/{fake_uuid(type_, name)}")


class SynthMocks(Mocks):
    """The fake cloud's answers (see the module docstring)."""

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[Any, Any]]:
        state = dict(args.inputs)
        state.setdefault("name", args.name)
        if args.typ.startswith(PROVIDER_TYPE_PREFIX):
            return resource_id(args.name), state
        if args.typ.startswith("azure-native:"):
            state["name"] = azure_physical_name(args.typ, args.name, args.inputs)
            _azure_output_shapes(state)
            arm_id = azure_resource_id(args.typ, args.name, args.inputs)
            state.setdefault("id", arm_id)
            _azure_computed(args.typ, arm_id, state)
            return arm_id, state
        _openstack_computed(args.typ, args.name, state)
        return resource_id(args.name), state

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
        result.setdefault("id", resource_id(label))
        return result, []
