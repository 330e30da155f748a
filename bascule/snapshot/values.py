"""Convert raw Pulumi property values into model values (secrets become `SecretValue`)."""

from __future__ import annotations

from typing import Any

from bascule.snapshot.model import SECRET_SIG, SIG_KEY, UNKNOWN, SecretValue

# Signature of an output value (`outputValues` wire format): may be secret and/or unknown.
OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4"
# What `write_snapshot` puts in place of a ciphertext it never had.
REDACTED = "[redacted]"
# How `pulumi preview --json` (and display) renders a secret.
PREVIEW_SECRET = "[secret]"


def secret_from_object(obj: dict[str, Any]) -> SecretValue:
    """A secret signature object as a SecretValue: keep the ciphertext, drop any plaintext."""
    ciphertext = obj.get("ciphertext")
    if not isinstance(ciphertext, str) or ciphertext == REDACTED:
        ciphertext = None
    return SecretValue(ciphertext=ciphertext)


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
