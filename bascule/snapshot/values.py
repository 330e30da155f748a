"""Convert raw Pulumi property values into model values (secrets become `SecretValue`).

The signatures are Pulumi's (sdk/go/common/resource/sig/sig.go and
pkg/resource/stack/deployment.go in pulumi/pulumi, v3.259.0).
"""

from __future__ import annotations

import base64
import binascii
import math
import struct
from typing import Any

from bascule.snapshot.model import SECRET_SIG, SIG_KEY, UNKNOWN, SecretValue

# Signature of an output value (`outputValues` wire format): may be secret and/or unknown.
OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4"
# A string whose bytes are not valid UTF-8, as base64 (state feature `byteString`).
BYTE_STRING_SIG = "803fd3297a5875dc03ca845dda5d2a98"
# A NaN or infinite number, as the hex of its IEEE-754 bits.
FLOAT_SIG = "8ad145fe-0d11-4827-bfd7-1abcbf086f5c"
# What `write_snapshot` puts in place of a ciphertext it never had.
REDACTED = "[redacted]"
# How `pulumi preview --json` (and display) renders a secret; event streams put it in place
# of the ciphertext (the engine's blinding encrypter).
PREVIEW_SECRET = "[secret]"


def secret_from_object(obj: dict[str, Any]) -> SecretValue:
    """A secret signature object as a SecretValue: keep the ciphertext, drop any plaintext."""
    ciphertext = obj.get("ciphertext")
    if not isinstance(ciphertext, str) or ciphertext in (REDACTED, PREVIEW_SECRET):
        ciphertext = None
    return SecretValue(ciphertext=ciphertext)


def _byte_string(obj: dict[str, Any]) -> Any:
    """The string a byte-string object stands for; bytes that are not UTF-8 become U+FFFD,
    so an allow-list never matches them (a rule flags the value instead of skipping it)."""
    encoded = obj.get("value")
    if not isinstance(encoded, str):
        return obj
    try:
        return base64.b64decode(encoded, validate=True).decode("utf-8", errors="replace")
    except binascii.Error:
        return obj


def _special_float(obj: dict[str, Any]) -> Any:
    bits = obj.get("value")
    try:
        value: float = struct.unpack(">d", bytes.fromhex(str(bits)))[0]
    except (ValueError, struct.error):
        return obj
    return value if math.isnan(value) or math.isinf(value) else obj


def convert(value: Any, *, preview: bool = False) -> Any:
    """Recursively convert a JSON property value; never keeps a secret's plaintext."""
    if isinstance(value, dict):
        sig = value.get(SIG_KEY)
        if sig == SECRET_SIG:
            return secret_from_object(value)
        if sig == OUTPUT_VALUE_SIG:
            if value.get("secret"):
                return SecretValue()
            if "value" not in value:
                return UNKNOWN
            return convert(value["value"], preview=preview)
        if sig == BYTE_STRING_SIG:
            return _byte_string(value)
        if sig == FLOAT_SIG:
            return _special_float(value)
        return {k: convert(v, preview=preview) for k, v in value.items()}
    if isinstance(value, list):
        return [convert(v, preview=preview) for v in value]
    if preview and value == PREVIEW_SECRET:
        return SecretValue()
    return value


def contains_secret(value: Any) -> bool:
    if isinstance(value, SecretValue):
        return True
    if isinstance(value, dict):
        return any(contains_secret(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_secret(v) for v in value)
    return False
