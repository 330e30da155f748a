"""Turn validation failures into one line that names the config key."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

NAMESPACE = "bascule"


class StackConfigError(ValueError):
    """Bad stack configuration. The message is one line and starts with the key."""


def _key_path(loc: Sequence[int | str]) -> str:
    path = f"{NAMESPACE}:{loc[0]}" if loc else f"{NAMESPACE}"
    for part in loc[1:]:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def describe(error: Mapping[str, Any]) -> str:
    loc = tuple(error.get("loc", ()))
    kind = error.get("type", "")
    message = str(error.get("msg", "invalid value"))
    if kind == "extra_forbidden":
        return f"{_key_path(loc)}: unknown key"
    if kind == "missing":
        return f"{_key_path(loc)}: required key is missing"
    message = message.removeprefix("Value error, ")
    if not loc and message.startswith(f"{NAMESPACE}:"):
        return message  # cross-field checks already name their key
    return f"{_key_path(loc)}: {message}"


def from_validation_error(exc: ValidationError) -> StackConfigError:
    first = exc.errors(include_url=False)[0]
    return StackConfigError(describe(first))
