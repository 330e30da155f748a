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

import jsonschema

from bascule.errors import BadInputError
from bascule.files import read_json_file
from bascule.policy.errors import PolicyConfigError
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
    all_source: str = ""
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
            config.all_source = source
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


def validate_properties(
    entry: PolicyConfigEntry,
    policy: str,
    schema_properties: Mapping[str, Any],
    required: Sequence[str] = (),
) -> None:
    """Check the entry's properties against the policy's configSchema; parse suppressions."""
    schema = {
        "type": "object",
        "properties": dict(schema_properties),
        "required": list(required),
    }
    # Every property is validated on its own so the error names it.
    for prop, value in entry.properties.items():
        if prop not in schema_properties:
            known = ", ".join(sorted(schema_properties)) or "none"
            raise PolicyConfigError(
                f"{entry.source}: {policy}: unknown property {prop!r} (known: {known})"
            )
        errors = sorted(
            jsonschema.Draft7Validator(schema_properties[prop]).iter_errors(value),
            key=lambda e: list(e.absolute_path),
        )
        if errors:
            err = errors[0]
            where = prop + "".join(f"[{p!r}]" for p in err.absolute_path)
            raise PolicyConfigError(f"{entry.source}: {policy}: {where}: {err.message}")
    missing = [r for r in schema["required"] if r not in entry.properties]
    if missing:
        raise PolicyConfigError(
            f"{entry.source}: {policy}: missing required property {missing[0]!r}"
        )
    try:
        entry.suppressions = parse_suppressions(policy, entry.properties.get(SUPPRESSIONS_KEY))
    except PolicyConfigError as err:
        raise PolicyConfigError(f"{entry.source}: {err.message}") from None
