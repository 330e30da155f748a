# ruff: noqa: E501 - tables of the engine's expected output, one row a line
"""Policy config errors worded as gojsonschema words them (the engine's validation)."""

from __future__ import annotations

from typing import Any

import pytest

from bascule.policy.schema_errors import engine_validation_errors


def errors(properties: dict[str, Any], config: dict[str, Any], required: Any = ()) -> list[str]:
    return engine_validation_errors({"properties": properties, "required": list(required)}, config)


@pytest.mark.parametrize(
    ("schema", "value", "message"),
    [
        ({"type": "string"}, 1, "foo: Invalid type. Expected: string, given: integer"),
        ({"type": "string"}, 1.0, "foo: Invalid type. Expected: string, given: integer"),
        ({"type": "integer"}, 3.14, "foo: Invalid type. Expected: integer, given: number"),
        ({"type": "boolean"}, None, "foo: Invalid type. Expected: boolean, given: null"),
        ({"type": ["string", "null"]}, [], "foo: Invalid type. Expected: [string,null], given: array"),
        ({"type": "object"}, "x", "foo: Invalid type. Expected: object, given: string"),
        ({"maxLength": 3}, "toolong", "foo: String length must be less than or equal to 3"),
        ({"minLength": 50}, "short", "foo: String length must be greater than or equal to 50"),
        ({"enum": ["bar", "baz"]}, "blah", 'foo: foo must be one of the following: "bar", "baz"'),
        ({"enum": [1, True, None]}, "x", "foo: foo must be one of the following: 1, true, null"),
        ({"const": "bar"}, "blah", 'foo: foo does not match: "bar"'),
        ({"minimum": 1}, 0, "foo: Must be greater than or equal to 1"),
        ({"maximum": 2.5}, 3, "foo: Must be less than or equal to 2.5"),
        ({"exclusiveMinimum": 1}, 1, "foo: Must be greater than 1"),
        ({"exclusiveMaximum": 1}, 1, "foo: Must be less than 1"),
        ({"multipleOf": 5}, 7, "foo: Must be a multiple of 5"),
        ({"minItems": 2}, [1], "foo: Array must have at least 2 items"),
        ({"maxItems": 1}, [1, 2], "foo: Array must have at most 1 items"),
        ({"uniqueItems": True}, [1, 2, 1], "foo: array items[0,2] must be unique"),
        ({"pattern": "^a+$"}, "b", "foo: Does not match pattern '^a+$'"),
        ({"minProperties": 1}, {}, "foo: Must have at least 1 properties"),
        ({"additionalProperties": False, "properties": {"a": {}}}, {"a": 1, "b": 2}, "foo: Additional property b is not allowed"),
        ({"anyOf": [{"type": "string"}, {"type": "integer"}]}, [], "foo: Must validate at least one schema (anyOf)"),
        ({"not": {"type": "string"}}, "x", "foo: Must not validate the schema (not)"),
    ],
)  # fmt: skip
def test_each_keyword_in_the_engines_words(schema: Any, value: Any, message: str) -> None:
    assert errors({"foo": schema}, {"foo": value}) == [message]


def test_required_is_reported_at_the_root_without_its_prefix() -> None:
    assert errors({"foo": {"type": "string"}}, {}, ["foo", "bar"]) == [
        "foo is required",
        "bar is required",
    ]


def test_a_type_error_hides_the_nodes_other_errors_as_gojsonschema_stops_there() -> None:
    schema = {"type": "string", "enum": ["bar"], "maxLength": 1}
    assert errors({"foo": schema}, {"foo": 12}) == [
        "foo: Invalid type. Expected: string, given: integer"
    ]


def test_nested_fields_are_dotted() -> None:
    schema = {"type": "array", "items": {"type": "object", "properties": {"n": {"minimum": 2}}}}
    assert errors({"foo": schema}, {"foo": [{"n": 3}, {"n": 1}]}) == [
        "foo.1.n: Must be greater than or equal to 2"
    ]


def test_every_error_is_reported() -> None:
    properties = {"foo": {"type": "string", "maxLength": 3}, "bar": {"type": "integer"}}
    assert sorted(errors(properties, {"foo": "this is too long", "bar": 3.14})) == [
        "bar: Invalid type. Expected: integer, given: number",
        "foo: String length must be less than or equal to 3",
    ]


def test_valid_config_and_unknown_keys_pass_as_in_the_engine() -> None:
    assert errors({"foo": {"type": "null"}}, {"foo": None, "other": 1}) == []
