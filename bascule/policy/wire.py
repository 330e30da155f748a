"""Snapshot values on Pulumi's wire: what a policy pack receives from the engine."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from google.protobuf import struct_pb2

from bascule.snapshot.model import SECRET_SIG, SIG_KEY, SecretValue


def encode_value(value: Any) -> Any:
    """A snapshot value as a JSON value for a protobuf Struct (Pulumi's wire encoding).

    A secret becomes Pulumi's secret marker with a placeholder value (we never hold the
    plaintext); the unknown sentinel stays the sentinel string.
    """
    if isinstance(value, SecretValue):
        return {SIG_KEY: SECRET_SIG, "value": "[secret]"}
    if isinstance(value, Mapping):
        return {str(k): encode_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [encode_value(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return float(value)
    return str(value)


def to_struct(props: Mapping[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    struct.update(encode_value(props))
    return struct


def engine_props(props: Mapping[str, Any]) -> dict[str, Any]:
    """The property values a pack's rules see once the engine has sent `props`: encoded as a
    protobuf Struct (every number a double), then decoded by pulumi_policy. Equal to
    `deserialize_properties(encode_value(props))` (tested), in one walk."""
    return {str(k): _engine_value(v) for k, v in props.items()}


def _engine_value(value: Any) -> Any:
    if isinstance(value, str) or value is None or isinstance(value, bool):
        return value
    if isinstance(value, SecretValue):
        return "[secret]"  # the secret marker decodes to its (placeholder) value
    if isinstance(value, Mapping):
        if SIG_KEY in value:  # assets and archives: pulumi_policy's own decoding
            # Imported on use (start-up time): pulumi_policy only for a snapshot with assets.
            from pulumi_policy.deserialize import deserialize_properties

            return deserialize_properties({"": encode_value(value)})[""]
        return {str(k): _engine_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_engine_value(v) for v in value]
    if isinstance(value, int | float):
        return float(value)
    return str(value)
