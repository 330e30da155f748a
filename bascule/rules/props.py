"""Pure helpers shared by the rules: property access, tags, scope, gateway detection.

Everything here accepts plain JSON values *and* CrossGuard's read-only proxies, so
containers are tested with `collections.abc.Mapping`/`Sequence` (excluding `str`),
never `dict`/`list`. No I/O and no Pulumi imports.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any

from bascule.rules.base import Param, ResourceCheck, ResourceView
from bascule.rules.check import Params

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
"""Pulumi's sentinel for a value not known at preview time."""

SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d"


def is_unknown(value: Any) -> bool:
    """True for Pulumi's unknown-at-preview sentinel (a rule then reports nothing)."""
    return isinstance(value, str) and value == UNKNOWN


def is_mapping(value: Any) -> bool:
    return isinstance(value, Mapping)


def is_seq(value: Any) -> bool:
    """A sequence that is not a string/bytes (JSON array or a read-only proxy of one)."""
    return isinstance(value, Sequence) and not isinstance(value, str | bytes | bytearray)


def as_seq(value: Any) -> Sequence[Any]:
    """The value as a sequence: itself if it is one, () if None/unknown, else (value,)."""
    if value is None or is_unknown(value):
        return ()
    if is_seq(value):
        return value
    return (value,)


def get(props: Any, path: str, default: Any = None) -> Any:
    """Value at a dotted path (`encryption.keySource`) in nested mappings, else `default`.

    An unknown sentinel met on the way is returned as is (so callers can skip it).
    """
    cur = props
    for part in path.split("."):
        if is_unknown(cur):
            return cur
        if not isinstance(cur, Mapping) or part not in cur:
            return default
        cur = cur[part]
    return cur


def has_value(value: Any) -> bool:
    """Presence test for secret-ish fields: anything but None/"" counts (secrets included)."""
    if value is None:
        return False
    if isinstance(value, str):
        return value != ""
    return not ((is_mapping(value) or is_seq(value)) and len(value) == 0)


SECRET_PLACEHOLDER = "[secret]"
"""What a secret decodes to on the offline policy paths (bascule never holds the plaintext)."""


def is_secret(value: Any) -> bool:
    """Pulumi's secret signature object, or the placeholder the offline paths decode it to."""
    return (isinstance(value, Mapping) and SECRET_SIG_KEY in value) or value == SECRET_PLACEHOLDER


def to_int(value: Any) -> int | None:
    """22, 22.0 and "22" -> 22; anything else (None, unknown, "x", 22.5) -> None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str):
        text = value.strip()
        try:
            return int(text)
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                return None
            return int(number) if number.is_integer() else None
    return None


def to_bool(value: Any) -> bool | None:
    """True/False, also from "true"/"false" strings; None when absent or undecidable."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and not is_unknown(value):
        low = value.strip().lower()
        if low == "true":
            return True
        if low == "false":
            return False
    return None


def norm(value: str) -> str:
    """Normalise a location/region name: lower case, no spaces/dashes/underscores."""
    return "".join(ch for ch in value.lower() if ch not in " -_")


def fmt_list(values: Iterable[Any]) -> str:
    return "[" + ", ".join(str(v) for v in values) + "]"


# ---------------------------------------------------------------------------
# Types, packages, scope


def package_of(type_token: str) -> str:
    """`azure-native:storage:StorageAccount` -> `azure-native`;
    `pulumi:providers:openstack` -> `openstack`."""
    if type_token.startswith("pulumi:providers:"):
        return type_token.split(":", 2)[2]
    return type_token.split(":", 1)[0]


def arm_id(value: str) -> str:
    """An ARM resource id folded for comparison: ids are case-insensitive (Azure
    resource-name-rules) and a trailing slash says nothing."""
    return value.strip().rstrip("/").lower()


def regional_key(value: Any) -> str | None:
    """A Scaleway reference as a resource writes it, `<name or uuid>` or
    `<region>/<name or uuid>`, by its last segment lower-cased (both spellings compare equal);
    None when it is not a known, non-empty string."""
    if not isinstance(value, str) or not value or is_unknown(value):
        return None
    return value.rsplit("/", 1)[-1].lower()


def is_provider(type_token: str) -> bool:
    return type_token.startswith("pulumi:providers:")


def is_component_or_root(type_token: str) -> bool:
    return type_token.startswith("bascule:") or type_token == "pulumi:pulumi:Stack"


@lru_cache(maxsize=65536)
def urn_type_chain(urn: str) -> str:
    """The 3rd `::` field of a URN: `parentType$childType` chain."""
    parts = urn.split("::")
    return parts[2] if len(parts) >= 4 else ""


def urn_name(urn: str) -> str:
    parts = urn.split("::")
    return parts[-1] if len(parts) >= 4 else urn


# ---------------------------------------------------------------------------
# Resource checks


def by_type(*cases: tuple[str | Sequence[str], ResourceCheck]) -> ResourceCheck:
    """One resource check from a sub-check per type: each case names a type token, or a
    tuple of them (a type and its deprecated alias, kinds checked alike); a type no case
    names gets no message. A type in two cases is a programming error."""
    checks: dict[str, ResourceCheck] = {}
    for types, sub_check in cases:
        for token in (types,) if isinstance(types, str) else types:
            if token in checks:
                raise ValueError(f"{token}: in two cases of one type dispatch")
            checks[token] = sub_check

    def check(view: ResourceView, params: Params) -> Iterable[str]:
        sub_check = checks.get(view.type)
        return () if sub_check is None else sub_check(view, params)

    return check


# ---------------------------------------------------------------------------
# Tags / metadata


def tag_map(value: Any) -> dict[str, str] | None:
    """Tags as a map from the three shapes: Azure map, OpenStack "k=v" list, metadata map.

    Returns None when the value is unknown (cannot decide) or not a tag container;
    an absent value (None) is {}. A list item without "=" becomes a key with "" value.
    """
    if value is None:
        return {}
    if is_unknown(value):
        return None
    if isinstance(value, Mapping):
        return {str(k): ("" if v is None else str(v)) for k, v in value.items()}
    if is_seq(value):
        out: dict[str, str] = {}
        for item in value:
            if not isinstance(item, str) or is_unknown(item):
                continue
            key, _, val = item.partition("=")
            out[key.strip()] = val.strip()
        return out
    return None


def metadata_of(props: Mapping[str, Any]) -> dict[str, str]:
    """All bascule metadata on a resource: `tags` (map or list) merged with `metadata`.

    Unknown containers are ignored (treated as empty)."""
    merged: dict[str, str] = {}
    for key in ("tags", "metadata"):
        tags = tag_map(props.get(key))
        if tags:
            merged.update(tags)
    return merged


def classification_of(props: Mapping[str, Any]) -> str | None:
    value = metadata_of(props).get("classification")
    return value or None


HEALTH_CLASSES = ("pseudonymised-health", "pseudonymisation-keys")


# ---------------------------------------------------------------------------
# Access gateway

# The components that build the access gateway: the only place a public address is allowed.
GATEWAY_COMPONENTS = ("bascule:target:AccessGateway", "bascule:azure:AccessGateway")


def parent_type(urn: str) -> str:
    """The type of the resource's parent, from the URN's type chain (`...$parent$type`)."""
    links = urn_type_chain(urn).split("$")
    return links[-2] if len(links) >= 2 else ""


def in_gateway(urn: str, params: Params) -> bool:
    """A direct child of a bascule AccessGateway component (the URN chain, which a resource
    cannot choose for itself), or a URN the reviewer lists in `accessGatewayUrns`.

    Never a tag or a name: a resource sets its own tags and names, and a name can be reused
    under any parent; a URN is unique in a stack and the list is the reviewer's policy
    config. The estate-wide conditions (one gateway, exactly one public address) are
    PRT-014's."""
    if parent_type(urn) in GATEWAY_COMPONENTS:
        return True
    return urn in set(str_values(params.get("accessGatewayUrns")))


@lru_cache(maxsize=65536)
def estate_of(urn: str) -> str:
    """`target`, `source` (the Azure estate) or "" from the bascule components in the URN."""
    chain = urn_type_chain(urn)
    if "bascule:target:" in chain:
        return "target"
    if "bascule:azure:" in chain:
        return "source"
    return ""


# ---------------------------------------------------------------------------
# Networks and ports


def port_range(low: Any, high: Any) -> tuple[int, int] | None:
    """(min, max) from OpenStack portRangeMin/Max; missing/0 bounds = all ports.

    None when a bound is unknown (cannot decide)."""
    if is_unknown(low) or is_unknown(high):
        return None
    lo = to_int(low)
    hi = to_int(high)
    if (lo is None or lo == 0) and (hi is None or hi == 0):
        return (1, 65535)
    if lo is None or lo == 0:
        lo = 1 if hi is None else hi
    if hi is None or hi == 0:
        hi = lo
    return (min(lo, hi), max(lo, hi))


def parse_port_spec(spec: Any) -> tuple[int, int] | None:
    """Azure destinationPortRange: "22", "20-30", "*" (all), 22.0; None if undecidable."""
    if spec is None or is_unknown(spec):
        return None
    if isinstance(spec, int | float) and not isinstance(spec, bool):
        port = to_int(spec)
        return (port, port) if port is not None else None
    if not isinstance(spec, str):
        return None
    text = spec.strip()
    if text in ("*", "", "any", "Any"):
        return (0, 65535)
    if "-" in text:
        left, _, right = text.partition("-")
        lo, hi = to_int(left), to_int(right)
        if lo is None or hi is None:
            return None
        return (min(lo, hi), max(lo, hi))
    port = to_int(text)
    return (port, port) if port is not None else None


def covers(rng: tuple[int, int], port: int) -> bool:
    return rng[0] <= port <= rng[1]


def iter_mappings(value: Any) -> Iterator[Mapping[str, Any]]:
    for item in as_seq(value):
        if isinstance(item, Mapping):
            yield item


# ---------------------------------------------------------------------------
# Param helpers (JSON schemas for CrossGuard configSchema)


def int_schema(minimum: int = 0) -> dict[str, Any]:
    return {"type": "integer", "minimum": minimum}


def health_classes_param(description: str) -> Param:
    """The classifications that mark health data, by default HEALTH_CLASSES."""
    return Param.str_list(list(HEALTH_CLASSES), description)


GATEWAY_URNS_DESC = (
    "Exact URNs of the resources that make up the access gateway, for exports whose URNs do "
    "not carry the bascule AccessGateway component (names and tags are never trusted)."
)
TARGET_SCOPE_DESC = (
    'Set to "stack" when the whole stack is the target estate (a target-only export, no '
    'source estate); default "auto" reads the estate from the URN chain (bascule:azure:).'
)


def has_class(props: Mapping[str, Any], classes: Iterable[str]) -> bool:
    return classification_of(props) in tuple(classes)


def str_values(values: Any) -> list[str]:
    """Param value as a list of strings (numbers normalised: 2.0 -> "2")."""
    out: list[str] = []
    for item in as_seq(values):
        number = to_int(item) if not isinstance(item, str) else None
        out.append(str(number) if number is not None else str(item))
    return out


def wave_of(props: Mapping[str, Any]) -> str | None:
    value = metadata_of(props).get("wave")
    if not value:
        return None
    number = to_int(value)
    return str(number) if number is not None else value


def swift_versioned(props: Mapping[str, Any]) -> bool | None:
    """Swift container versioning: `versioning: true` (pulumi-openstack 5), a
    `versioning`/`versioningLegacy` mapping with a `location`; None when unknown."""
    versioning = props.get("versioning")
    legacy = props.get("versioningLegacy")
    if is_unknown(versioning) or is_unknown(legacy):
        return None
    if to_bool(versioning) is True:
        return True
    if isinstance(versioning, Mapping) and has_value(versioning.get("location")):
        return True
    return isinstance(legacy, Mapping) and has_value(legacy.get("location"))


def s3_versioned(props: Mapping[str, Any]) -> bool | None:
    """An S3 bucket's `versioning.enabled` (Scaleway; an object, or list-wrapped as in a
    Terraform plan); None when unknown."""
    value = props.get("versioning")
    if is_unknown(value):
        return None
    flags = [v.get("enabled") for v in iter_mappings(value)]
    if any(is_unknown(f) for f in flags):
        return None
    return any(to_bool(f) is True for f in flags)


def show(value: Any) -> str:
    """A property value for a message: not set / true / false / 22 / 'text'.

    Never use it on a secret field (messages must not echo secrets)."""
    if value is None:
        return "not set"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        number = to_int(value)
        return str(number) if number is not None else str(value)
    if isinstance(value, str):
        return f"'{value}'"
    if is_secret(value):
        return "[secret]"
    return type(value).__name__
