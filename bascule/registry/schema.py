"""JSON schema of `offers.yaml`: checked at load so a bad edit fails in one line."""

from __future__ import annotations

from typing import Any

DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
NOTE = {"type": "string", "minLength": 1}
SOURCE_IDS = {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1}
NAMES = {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1}

# Every fact carries `verified` and the ids of the sources it rests on.
_FACT = {"verified": {"type": "boolean"}, "sources": SOURCE_IDS, "note": NOTE}
_FACT_REQUIRED = ["verified", "sources"]


def _object(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    """An object with these properties, the required ones, and no other key."""
    return {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def _fact(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return _object(properties | _FACT, required + _FACT_REQUIRED)


SOURCE = _object(
    {
        "url": {"type": "string", "pattern": r"^https://\S+$"},
        "title": NOTE,
        "checked": DATE,
        "access": {"enum": ["primary", "secondary"]},
        "note": NOTE,
    },
    ["url", "title", "checked", "access"],
)

_QUALIFIED = {
    "properties": {"status": {"const": "qualified"}},
    "required": ["status"],
}
_IN_PROGRESS = {
    "properties": {"status": {"const": "in-progress"}},
    "required": ["status"],
}
SECNUMCLOUD = _fact(
    {
        "status": {"enum": ["qualified", "in-progress", "none", "unknown"]},
        "version": {"type": "string", "minLength": 1},
        "start": DATE,
        "end": DATE,
        "decision": {"type": "string", "minLength": 1},
        "stage": {"enum": ["J0", "J1", "J2", "J3"]},
        "since": DATE,
    },
    ["status"],
) | {
    "allOf": [
        {"if": _QUALIFIED, "then": {"required": ["version", "start", "end", "decision"]}},
        {"if": _IN_PROGRESS, "then": {"required": ["stage", "since"]}},
    ]
}

ENDPOINT = _fact(
    {"kind": {"enum": ["identity", "api", "s3"]}, "pattern": {"type": "string", "minLength": 1}},
    ["kind", "pattern"],
)

MATCH = _object(
    {
        "package": {"type": "string", "pattern": r"^[a-z][a-z0-9-]*$"},
        "authHosts": NAMES,
        "endpoints": NAMES,
        "regions": NAMES,
    },
    ["package"],
)

OFFER = _object(
    {
        "id": {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$"},
        "provider": NOTE,
        "name": NOTE,
        "service": {"type": "array", "items": {"enum": ["IaaS", "PaaS", "CaaS", "SaaS"]}},
        "openstack": _fact({"value": {"enum": ["yes", "no", "partly", "unknown"]}}, ["value"]),
        "secnumcloud": SECNUMCLOUD,
        "hds": _fact({"status": {"enum": ["certified", "not-certified", "unknown"]}}, ["status"]),
        "scope": _object(
            {
                "regions": _fact(
                    {"values": {"oneOf": [NAMES, {"enum": ["any", "unknown"]}]}}, ["values"]
                ),
                "endpoints": {"type": "array", "items": ENDPOINT},
            },
            ["regions", "endpoints"],
        ),
        "match": {"type": "array", "items": MATCH},
    },
    ["id", "provider", "name", "service", "openstack", "secnumcloud", "hds", "scope"],
)

REGISTRY = _object(
    {
        "schemaVersion": {"const": 1},
        "reviewed": DATE,
        "sources": {"type": "object", "additionalProperties": SOURCE, "minProperties": 1},
        "offers": {"type": "array", "items": OFFER, "minItems": 1},
    },
    ["schemaVersion", "reviewed", "sources", "offers"],
)
