"""The rule contract: metadata plus one pure check function per rule.

A rule never does I/O and never imports Pulumi. The CrossGuard adapter
(`bascule.policy.crossguard`) and any other runner call `Rule.check` with plain
mappings (or CrossGuard's read-only proxies: use `Mapping`/`Sequence`, never
`dict`/`list`, in isinstance checks).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

PACKS = ("sovereignty", "protection", "migration")


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class Enforcement(StrEnum):
    ADVISORY = "advisory"
    MANDATORY = "mandatory"
    DISABLED = "disabled"


@dataclass(frozen=True)
class ProviderView:
    """The explicit provider a resource uses (type `pulumi:providers:<pkg>`)."""

    type: str
    props: Mapping[str, Any]
    urn: str
    name: str


@dataclass(frozen=True)
class ResourceView:
    """What a resource rule sees: type, input properties, identity and provider."""

    type: str
    props: Mapping[str, Any]
    urn: str
    name: str
    provider: ProviderView | None = None


@dataclass(frozen=True)
class StackResource:
    """What a stack rule sees for each resource (props are outputs, as in CrossGuard)."""

    type: str
    props: Mapping[str, Any]
    urn: str
    name: str
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


ResourceCheck = Callable[[ResourceView, Mapping[str, Any]], Iterable[str]]
StackCheck = Callable[[Sequence[StackResource], Mapping[str, Any]], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str  # stable, e.g. "SOV-001"
    slug: str  # e.g. "azure-location-allowed"
    pack: str  # one of PACKS
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

    def __post_init__(self) -> None:
        if (self.resource_check is None) == (self.stack_check is None):
            raise ValueError(f"{self.id}: exactly one of resource_check/stack_check")
        if self.pack not in PACKS:
            raise ValueError(f"{self.id}: unknown pack {self.pack!r}")
        if not self.applies_to:
            raise ValueError(f"{self.id}: applies_to names no resource kind")

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
