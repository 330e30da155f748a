"""Policy config validation with the engine's messages.

The engine validates each policy's config with gojsonschema (pkg/resource/analyzer/config.go)
and prints each error as `<field>: <description>`, the root's `(root): ` prefix trimmed
(`foo is required`, `foo: Invalid type. Expected: string, given: integer`). Here the
validation is jsonschema's and each error is worded as gojsonschema words it (its default
locale, github.com/xeipuuv/gojsonschema locales.go).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

import jsonschema


def _go_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "array"
    return "object"


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _json(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _field(path: Any) -> str:
    return ".".join(["(root)", *(str(p) for p in path)]).removeprefix("(root).")


def _expected(types: Any) -> str:
    if isinstance(types, list):
        return types[0] if len(types) == 1 else "[" + ",".join(types) + "]"
    return str(types)


_SIMPLE = {
    "minLength": "String length must be greater than or equal to {}",
    "maxLength": "String length must be less than or equal to {}",
    "minItems": "Array must have at least {} items",
    "maxItems": "Array must have at most {} items",
    "minProperties": "Must have at least {} properties",
    "maxProperties": "Must have at most {} properties",
    "minimum": "Must be greater than or equal to {}",
    "maximum": "Must be less than or equal to {}",
    "exclusiveMinimum": "Must be greater than {}",
    "exclusiveMaximum": "Must be less than {}",
    "multipleOf": "Must be a multiple of {}",
}
_FIXED = {
    "anyOf": "Must validate at least one schema (anyOf)",
    "oneOf": "Must validate one and only one schema (oneOf)",
    "allOf": "Must validate all the schemas (allOf)",
    "not": "Must not validate the schema (not)",
    "contains": "At least one of the items must match",
    "additionalItems": "No additional items allowed on array",
    "then": 'Must validate "then" as "if" was valid',
    "else": 'Must validate "else" as "if" was not valid',
}


def _descriptions(error: jsonschema.ValidationError) -> Iterator[str]:
    """gojsonschema's description(s) for one jsonschema error (some give one per key)."""
    keyword, expected, instance = error.validator, error.validator_value, error.instance
    field = _field(error.absolute_path)
    if keyword == "type":
        yield f"Invalid type. Expected: {_expected(expected)}, given: {_go_type(instance)}"
    elif keyword == "required":
        for name in expected:
            if isinstance(instance, Mapping) and name not in instance:
                yield f"{name} is required"
    elif keyword == "enum":
        allowed = ", ".join(_json(v) for v in expected)
        yield f"{field} must be one of the following: {allowed}"
    elif keyword == "const":
        yield f"{field} does not match: {_json(expected)}"
    elif keyword in _SIMPLE:
        yield _SIMPLE[keyword].format(_number(expected))
    elif keyword in _FIXED:
        yield _FIXED[keyword]
    elif keyword == "pattern":
        yield f"Does not match pattern '{expected}'"
    elif keyword == "format":
        yield f"Does not match format '{expected}'"
    elif keyword == "uniqueItems":
        yield f"array items[{_duplicate_pair(instance)}] must be unique"
    elif keyword == "additionalProperties":
        yield from (f"Additional property {k} is not allowed" for k in _extra_keys(error))
    elif keyword == "dependencies":
        yield f"Has a dependency on {_dependency(error)}"
    elif error.schema is False:
        yield "False always fails validation"
    else:
        yield error.message


def _duplicate_pair(items: Any) -> str:
    seen: list[Any] = []
    for j, item in enumerate(items):
        for i, other in enumerate(seen):
            if _json(other) == _json(item):
                return f"{i},{j}"
        seen.append(item)
    return "0,0"


def _extra_keys(error: jsonschema.ValidationError) -> list[str]:
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    known = set(schema.get("properties", {}))
    patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
    instance = error.instance if isinstance(error.instance, Mapping) else {}
    return [k for k in instance if k not in known and not any(p.search(k) for p in patterns)]


def _dependency(error: jsonschema.ValidationError) -> str:
    match = re.search(r"'([^']*)' is a dependency of", error.message)
    return match.group(1) if match else error.message


def engine_validation_errors(schema: Mapping[str, Any], config: Mapping[str, Any]) -> list[str]:
    """Every error of `config` against the policy `schema` ({properties, required}), as the
    engine prints them (`validatePolicyConfig`): a type error hides the node's other errors,
    as gojsonschema stops at it."""
    document: dict[str, Any] = {"type": "object"}
    if schema.get("properties"):
        document["properties"] = dict(schema["properties"])
    if schema.get("required"):
        document["required"] = list(schema["required"])
    errors = list(jsonschema.Draft7Validator(document).iter_errors(dict(config)))
    mistyped = {tuple(e.absolute_path) for e in errors if e.validator == "type"}
    messages: list[str] = []
    for error in errors:
        path = tuple(error.absolute_path)
        if path in mistyped and error.validator != "type":
            continue
        field = _field(path)
        for description in _descriptions(error):
            message = f"{field}: {description}".removeprefix("(root): ")
            if message not in messages:
                messages.append(message)
    return messages
