"""Policy config files, as given to `pulumi preview --policy-pack-config FILE`.

`{"all": "advisory", "<policy>": "mandatory" | {"enforcementLevel": ..., "<param>": ...,
"suppressions": [...]}}`. The offline runner accepts several files; each key goes to the
pack that owns the policy, `all` to every pack.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bascule.errors import BadInputError
from bascule.files import read_json_file
from bascule.policy.errors import PolicyConfigError
from bascule.policy.schema_errors import engine_validation_errors
from bascule.policy.suppressions import SUPPRESSIONS_KEY, Suppression, parse_suppressions

LEVELS = ("advisory", "mandatory", "remediate", "disabled")
ALL = "all"


@dataclass
class PolicyConfigEntry:
    """What the user's files say about one policy."""

    source: str  # the file it came from
    level: str | None = None
    properties: dict[str, Any] = field(default_factory=dict)
    suppressions: list[Suppression] = field(default_factory=list)


@dataclass
class UserPolicyConfig:
    all_level: str | None = None
    policies: dict[str, PolicyConfigEntry] = field(default_factory=dict)


def _level(source: str, key: str, value: Any) -> str:
    if not isinstance(value, str) or value not in LEVELS:
        raise PolicyConfigError(
            f"{source}: {key}: enforcement level {value!r} is not one of {', '.join(LEVELS)}"
        )
    return value


def load_policy_config(files: Iterable[str | Path]) -> UserPolicyConfig:
    """Read and merge config files (a later file overrides an earlier one, key by key)."""
    config = UserPolicyConfig()
    for file in files:
        path = Path(file)
        source = str(path)
        try:
            doc = read_json_file(source, "policy config")
        except BadInputError as err:
            raise PolicyConfigError(err.message) from None
        if not isinstance(doc, dict):
            raise PolicyConfigError(f"{source}: a policy config must be a JSON object")
        merge_policy_config(config, doc, source)
    return config


def merge_policy_config(config: UserPolicyConfig, doc: Mapping[str, Any], source: str) -> None:
    for key, value in doc.items():
        if key == ALL:
            if isinstance(value, Mapping):
                extra = sorted(k for k in value if k != "enforcementLevel")
                if extra:
                    raise PolicyConfigError(
                        f"{source}: all: only enforcementLevel can be set for all policies, "
                        f"not {', '.join(extra)}"
                    )
                value = value.get("enforcementLevel")
            config.all_level = _level(source, key, value)
            continue
        if isinstance(value, str):
            config.policies[key] = PolicyConfigEntry(source, level=_level(source, key, value))
            continue
        if not isinstance(value, Mapping):
            raise PolicyConfigError(
                f"{source}: {key}: expected an enforcement level or an object, "
                f"got {type(value).__name__}"
            )
        entry = PolicyConfigEntry(source)
        for prop, prop_value in value.items():
            if prop == "enforcementLevel":
                entry.level = _level(source, key, prop_value)
            else:
                entry.properties[prop] = prop_value
        config.policies[key] = entry


@dataclass
class Reconciled:
    """One policy's config as the engine sends it in `Configure`."""

    level: str
    properties: dict[str, Any]


@dataclass(frozen=True)
class PolicySchema:
    """What reconciliation needs from `GetAnalyzerInfo` about one policy."""

    name: str
    level: str  # the pack's own level for it
    schema: Mapping[str, Any]  # {"properties": {...}, "required": [...]}


def reconcile(
    policies: Sequence[PolicySchema],
    initial: Mapping[str, tuple[str | None, Mapping[str, Any]]],
    user: UserPolicyConfig,
    owned: Iterable[str],
) -> tuple[dict[str, Reconciled], list[tuple[str, str]]]:
    """`ReconcilePolicyPackConfig`: schema defaults, then the pack's initial config, then the
    user's (`all` first, then each policy), key by key; then every property checked against
    its policy's schema. Returns the config and the engine's error lines (`<policy>: ...`),
    each with the policy it is about. `owned` are the user's keys that go to this pack."""
    result: dict[str, Reconciled] = {}
    for policy in policies:
        defaults = {
            k: v["default"]
            for k, v in policy.schema.get("properties", {}).items()
            if isinstance(v, Mapping) and "default" in v
        }
        result[policy.name] = Reconciled(policy.level, defaults)
    for name, (level, properties) in initial.items():
        _apply(result, name, level, properties)
    if user.all_level is not None:
        for settings in result.values():
            settings.level = user.all_level
    for name in owned:
        given = user.policies[name]
        _apply(result, name, given.level, given.properties)
    errors = [
        (policy.name, f"{policy.name}: {message}")
        for policy in policies
        for message in engine_validation_errors(
            _with_level_property(policy.schema), result[policy.name].properties
        )
    ]
    return result, errors


def _apply(
    result: dict[str, Reconciled], name: str, level: str | None, properties: Mapping[str, Any]
) -> None:
    current = result.get(name)
    merged = dict(current.properties) if current else {}
    merged.update(properties)
    result[name] = Reconciled(level or (current.level if current else ""), merged)


def _with_level_property(schema: Mapping[str, Any]) -> dict[str, Any]:
    """The engine adds `enforcementLevel` to every schema (`GetAnalyzerInfo`)."""
    properties = dict(schema.get("properties", {}))
    properties["enforcementLevel"] = {"type": "string", "enum": list(LEVELS_ENGINE_ORDER)}
    return {"properties": properties, "required": list(schema.get("required", []))}


LEVELS_ENGINE_ORDER = ("advisory", "mandatory", "remediate", "disabled")


def check_bascule_entry(
    entry: PolicyConfigEntry, policy: str, schema_properties: Mapping[str, Any]
) -> None:
    """bascule's own, stricter checks on its rules' config (the engine has none of them): an
    unknown parameter is a typo, not something to ignore; suppressions must parse."""
    for prop in entry.properties:
        if prop not in schema_properties:
            known = ", ".join(sorted(schema_properties)) or "none"
            raise PolicyConfigError(
                f"{entry.source}: {policy}: unknown property {prop!r} (known: {known})"
            )
    parse_entry_suppressions(entry, policy)


def parse_entry_suppressions(entry: PolicyConfigEntry, policy: str) -> None:
    try:
        entry.suppressions = parse_suppressions(policy, entry.properties.get(SUPPRESSIONS_KEY))
    except PolicyConfigError as err:
        raise PolicyConfigError(f"{entry.source}: {err.message}") from None
