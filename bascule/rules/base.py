"""The rule contract: metadata plus one pure check function per rule.

A rule never does I/O and never imports Pulumi. The CrossGuard adapter
(`bascule.policy.crossguard`) and any other runner call `Rule.check` with plain
mappings (or CrossGuard's read-only proxies: use `Mapping`/`Sequence`, never
`dict`/`list`, in isinstance checks).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


@dataclass(frozen=True)
class Pack:
    """A CrossGuard pack: `policies/<name>/` serves every rule whose `pack` is `name`."""

    name: str
    prefix: str  # rule ids of the pack: `<prefix>-NNN`
    title: str  # one line for the reports and the docs


# The one definition of the bundled packs, in report order.
PACK_DEFS: tuple[Pack, ...] = (
    Pack("sovereignty", "SOV", "residency, jurisdiction and trusted endpoints"),
    Pack("protection", "PRT", "keys, encryption, exposure, logging and metadata"),
    Pack("migration", "MIG", "guard rails that hold during the migration waves"),
)
PACKS: tuple[str, ...] = tuple(pack.name for pack in PACK_DEFS)


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class Evidence(StrEnum):
    """How a rule's requirement is evidenced: by the rule's result (AUTOMATED), or by what a
    reviewer collects from the provider (MANUAL: the rule lists what it cannot verify and
    the compliance matrix shows MANUAL, never PASS)."""

    AUTOMATED = "automated"
    MANUAL = "manual"


MANUAL_EVIDENCE_TAG = "evidence:manual"
"""The policy tag of a manual-evidence rule (packs publish it; the matrix reads it)."""


class Enforcement(StrEnum):
    ADVISORY = "advisory"
    MANDATORY = "mandatory"
    DISABLED = "disabled"


@dataclass(frozen=True)
class View:
    """What a rule sees of any resource or provider: type token, properties and identity."""

    type: str
    props: Mapping[str, Any]
    urn: str
    name: str


@dataclass(frozen=True)
class ProviderView(View):
    """The explicit provider a resource uses (type `pulumi:providers:<pkg>`)."""


@dataclass(frozen=True)
class ResourceView(View):
    """What a resource rule sees: type, input properties, identity and provider."""

    provider: ProviderView | None = None


@dataclass(frozen=True)
class StackResource(View):
    """What a stack rule sees for each resource (props are outputs, as in CrossGuard)."""

    parent: str | None = None
    dependencies: tuple[str, ...] = ()
    provider: ProviderView | None = None


@dataclass(frozen=True)
class Finding:
    """One violation found by a rule. `urn` is None for a stack-wide violation."""

    message: str
    urn: str | None = None


@dataclass(frozen=True)
class Param:
    """A rule parameter, set through CrossGuard policy config (`--policy-pack-config`)."""

    schema: Mapping[str, Any]  # JSON schema of the value, sent as the policy's configSchema
    default: Any
    description: str

    @classmethod
    def str_list(cls, default: list[str], description: str) -> Param:
        """A parameter whose value is a list of strings (names, hosts, ids, classifications)."""
        return cls({"type": "array", "items": {"type": "string"}}, default, description)


def _pack_of(rule_id: str) -> str:
    prefix = rule_id.split("-", 1)[0]
    for pack in PACK_DEFS:
        if pack.prefix == prefix:
            return pack.name
    raise ValueError(f"{rule_id}: no pack has the prefix {prefix!r}")


ResourceCheck = Callable[[ResourceView, Mapping[str, Any]], Iterable[str]]
StackCheck = Callable[[Sequence[StackResource], Mapping[str, Any]], Iterable[Finding]]


@dataclass(frozen=True, kw_only=True)
class Rule:
    id: str  # stable, e.g. "SOV-001"
    slug: str  # e.g. "azure-location-allowed"
    severity: Severity
    enforcement: Enforcement  # default level
    description: str  # one sentence: what must hold
    remediation: str  # what to change in the program or config
    secnumcloud: tuple[str, ...]  # SecNumCloud 3.2 sections, e.g. ("19.2",)
    hds: tuple[str, ...] = ()  # HDS 2024 points, e.g. ("hosting-eea",)
    params: Mapping[str, Param] = field(default_factory=dict)
    resource_check: ResourceCheck | None = None
    stack_check: StackCheck | None = None
    # The kinds of resource the rule examines: type tokens, packages (a package covers its
    # resources and its provider), or "*". Reports say when none was there to check.
    applies_to: tuple[str, ...] = ()
    rationale: str = ""  # why the rule exists (the docs page's "Why" section)
    # The id of the checkov check that runs this (resource) rule on Terraform-plan exports
    # (policies/checkov/ derives its checks from it), e.g. "CKV_BSC_1"; None for no check.
    checkov_id: str | None = None
    evidence: Evidence = Evidence.AUTOMATED
    # One of PACKS; by default the pack whose prefix starts the id (PRT-001: protection).
    pack: str = ""

    def __post_init__(self) -> None:
        if not self.pack:
            object.__setattr__(self, "pack", _pack_of(self.id))
        if (self.resource_check is None) == (self.stack_check is None):
            raise ValueError(f"{self.id}: exactly one of resource_check/stack_check")
        if self.pack not in PACKS:
            raise ValueError(f"{self.id}: unknown pack {self.pack!r}")
        if not self.applies_to:
            raise ValueError(f"{self.id}: applies_to names no resource kind")
        if self.evidence is Evidence.MANUAL and self.enforcement is Enforcement.MANDATORY:
            raise ValueError(
                f"{self.id}: a manual-evidence rule is advisory (it lists, it cannot fail)"
            )
        if self.checkov_id is not None:
            if self.stack_check is not None:
                raise ValueError(f"{self.id}: a stack rule has no checkov check")
            if not re.fullmatch(r"CKV_BSC_\d+", self.checkov_id):
                raise ValueError(f"{self.id}: checkov ids are CKV_BSC_<n>")

    def applies(self, type_token: str) -> bool:
        if type_token in self.applies_to or "*" in self.applies_to:
            return True
        if type_token.startswith("pulumi:providers:"):
            return type_token.split(":", 2)[2] in self.applies_to
        return type_token.split(":", 1)[0] in self.applies_to

    @property
    def policy_name(self) -> str:
        """The CrossGuard policy name: the id and slug, e.g. `sov-001-azure-location-allowed`."""
        return f"{self.id.lower()}-{self.slug}"

    @property
    def kind(self) -> str:
        return "resource" if self.resource_check is not None else "stack"

    def resolve_params(self, config: Mapping[str, Any] | None) -> dict[str, Any]:
        """Defaults overlaid with the policy config properties (unknown keys ignored)."""
        values = {name: param.default for name, param in self.params.items()}
        for name, value in (config or {}).items():
            if name in values:
                values[name] = value
        return values

    def check_resource(
        self, resource: ResourceView, config: Mapping[str, Any] | None = None
    ) -> list[str]:
        assert self.resource_check is not None, f"{self.id} is a stack rule"
        return list(self.resource_check(resource, self.resolve_params(config)))

    def check_stack(
        self, resources: Sequence[StackResource], config: Mapping[str, Any] | None = None
    ) -> list[Finding]:
        assert self.stack_check is not None, f"{self.id} is a resource rule"
        return list(self.stack_check(resources, self.resolve_params(config)))
