"""What each pack says about its policies (`GetAnalyzerInfo`), and the `Configure` request
the engine builds from it and the user's config (`loadPolicyPlugins` in pkg/engine/update.go).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from google.protobuf import json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2

from bascule.policy.config import (
    PolicySchema,
    UserPolicyConfig,
    check_bascule_entry,
    parse_entry_suppressions,
    reconcile,
)
from bascule.policy.errors import PolicyConfigError
from bascule.policy.result import RuleInfo
from bascule.policy.suppressions import SUPPRESSIONS_KEY, Suppression
from bascule.rules.catalog import ALL_RULES

CHECK_DATE = "checkDate"  # the rule parameter the run's date fills (see plan_config)

LEVEL_NAMES = {
    analyzer_pb2.ADVISORY: "advisory",
    analyzer_pb2.MANDATORY: "mandatory",
    analyzer_pb2.DISABLED: "disabled",
    analyzer_pb2.REMEDIATE: "remediate",
}
LEVEL_VALUES = {name: value for value, name in LEVEL_NAMES.items()}
SEVERITY_NAMES = {
    analyzer_pb2.POLICY_SEVERITY_UNSPECIFIED: "",
    analyzer_pb2.POLICY_SEVERITY_LOW: "low",
    analyzer_pb2.POLICY_SEVERITY_MEDIUM: "medium",
    analyzer_pb2.POLICY_SEVERITY_HIGH: "high",
    analyzer_pb2.POLICY_SEVERITY_CRITICAL: "critical",
}
_KINDS = {
    analyzer_pb2.POLICY_TYPE_RESOURCE: "resource",
    analyzer_pb2.POLICY_TYPE_STACK: "stack",
}


def catalog_ids() -> dict[str, tuple[str, str]]:
    """policy name -> (rule id, pack) for every rule of the catalog (empty if unavailable)."""
    return {rule.policy_name: (rule.id, rule.pack) for rule in ALL_RULES}


def rule_id(policy: str, catalog: Mapping[str, tuple[str, str]]) -> str:
    if policy in catalog:
        return catalog[policy][0]
    parts = policy.split("-")
    if len(parts) >= 2 and parts[1].isdigit():
        return f"{parts[0].upper()}-{parts[1]}"
    return policy


def rule_infos(
    pack: str, info: analyzer_pb2.AnalyzerInfo, catalog: Mapping[str, tuple[str, str]]
) -> list[RuleInfo]:
    infos = []
    for policy in info.policies:
        tags = tuple(policy.tags)
        level = LEVEL_NAMES.get(policy.enforcementLevel, "advisory")
        infos.append(
            RuleInfo(
                policy=policy.name,
                pack=pack,
                description=policy.description,
                level=level,
                default_level=level,
                severity=SEVERITY_NAMES.get(policy.severity, ""),
                kind=_KINDS.get(policy.policy_type, ""),
                rule_id=rule_id(policy.name, catalog),
                secnumcloud=tuple(t.split(":", 1)[1] for t in tags if t.startswith("secnumcloud:")),
                hds=tuple(t.split(":", 1)[1] for t in tags if t.startswith("hds:")),
                tags=tags,
                remediation=policy.remediation_steps,
                config_schema=json_format.MessageToDict(policy.configSchema),
            )
        )
    return infos


def initial_config(info: analyzer_pb2.AnalyzerInfo) -> dict[str, tuple[str | None, dict[str, Any]]]:
    """The pack's `initialConfig`. An entry without a level arrives as level 0, ADVISORY (a
    protobuf enum's default), and the engine applies it as such: so does bascule."""
    return {
        name: (
            LEVEL_NAMES.get(config.enforcementLevel, "advisory"),
            json_format.MessageToDict(config.properties),
        )
        for name, config in info.initialConfig.items()
    }


@dataclass(frozen=True)
class PackMeta:
    """A pack's name and version as the engine shows them (`<name>@v<version>`): the version
    of its PulumiPolicy.yaml when set, else the one the pack reports."""

    name: str
    version: str


@dataclass
class PackPlan:
    pack: str
    infos: list[RuleInfo]
    config: dict[str, analyzer_pb2.PolicyConfig]
    suppressions: dict[str, list[Suppression]]
    meta: PackMeta = PackMeta("", "")

    @property
    def remediates(self) -> bool:
        """Whether any policy runs at the remediate level (`Remediate` then has work)."""
        return any(info.level == "remediate" for info in self.infos)


@dataclass(frozen=True)
class PackInfo:
    """What a session knows of one started pack."""

    infos: list[RuleInfo]
    initial: Mapping[str, tuple[str | None, Mapping[str, Any]]]
    meta: PackMeta


def plan_config(
    packs: Mapping[str, PackInfo],
    user: UserPolicyConfig,
    catalog: Mapping[str, tuple[str, str]],
    today: dt.date | None = None,
) -> dict[str, PackPlan]:
    """Route the user's config to the packs, reconcile and validate it as the engine does
    (every error of every policy of every pack, sorted, in the engine's words), then
    bascule's own stricter checks, and build each Configure request.

    A policy whose schema has a `checkDate` property is judged on the run's date (`--today`)
    unless the user's config sets it: inside `pulumi preview` it defaults to the real date."""
    owner = {info.policy: pack for pack, p in packs.items() for info in p.infos}
    for name, entry in user.policies.items():
        if name not in owner and name not in catalog:
            raise PolicyConfigError(
                f"{entry.source}: unknown policy {name!r} (not in packs {', '.join(packs)})"
            )
    reconciled = {}
    errors: list[str] = []
    for pack, p in packs.items():
        schemas = [PolicySchema(i.policy, i.default_level, i.config_schema) for i in p.infos]
        owned = [name for name in user.policies if owner.get(name) == pack]
        result, pack_errors = reconcile(schemas, p.initial, user, owned)
        prefix = f"validating policy config: {p.meta.name} {p.meta.version}  "
        errors.extend(_named(user, owned, name) + prefix + error for name, error in pack_errors)
        reconciled[pack] = result
    if errors:
        raise PolicyConfigError.from_lines(sorted(errors))
    return {
        pack: _plan(pack, p, reconciled[pack], user, catalog, today) for pack, p in packs.items()
    }


def _named(user: UserPolicyConfig, owned: Sequence[str], policy: str) -> str:
    """`FILE: ` before an engine line about a policy the user's files set (the file that set
    it last), so the line names what to edit; nothing for the pack's own config."""
    return f"{user.policies[policy].source}: " if policy in owned else ""


def _plan(
    pack: str,
    p: PackInfo,
    result: Mapping[str, Any],
    user: UserPolicyConfig,
    catalog: Mapping[str, tuple[str, str]],
    today: dt.date | None = None,
) -> PackPlan:
    config: dict[str, analyzer_pb2.PolicyConfig] = {}
    suppressions: dict[str, list[Suppression]] = {}
    for name, settings in result.items():
        entry = user.policies.get(name)
        schema = next((i.config_schema for i in p.infos if i.policy == name), {})
        properties = schema.get("properties", {})
        # bascule's adapter gives every rule a `suppressions` parameter: its rules, checked
        # strictly (in the catalog or not, as the test packs' rules).
        if entry is not None and (name in catalog or SUPPRESSIONS_KEY in properties):
            check_bascule_entry(entry, name, properties)
        elif entry is not None:
            parse_entry_suppressions(entry, name)
        suppressions[name] = entry.suppressions if entry is not None else []
        if not settings.level:
            continue  # properties for a policy no pack has, without a level: nothing to send
        values = {k: v for k, v in settings.properties.items() if k != SUPPRESSIONS_KEY}
        user_set = entry is not None and CHECK_DATE in entry.properties
        if today is not None and CHECK_DATE in properties and not user_set:
            values[CHECK_DATE] = today.isoformat()
        struct = struct_pb2.Struct()
        struct.update(values)
        config[name] = analyzer_pb2.PolicyConfig(
            enforcementLevel=LEVEL_VALUES[settings.level], properties=struct
        )
    infos = [replace(i, level=result[i.policy].level) for i in p.infos]
    return PackPlan(pack, infos, config, suppressions, p.meta)
