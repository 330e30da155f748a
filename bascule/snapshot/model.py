"""In-memory model of a stack snapshot, whatever its source (synth, export, preview).

Values inside `inputs`/`outputs` are plain JSON values, except:
- a secret is a `SecretValue` (never the plaintext: at most the ciphertext of an export);
- an unknown preview value is the string `UNKNOWN` (Pulumi's sentinel).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
ROOT_STACK_TYPE = "pulumi:pulumi:Stack"
PROVIDER_TYPE_PREFIX = "pulumi:providers:"


@dataclass(frozen=True)
class SecretValue:
    """A Pulumi secret. Holds the export's ciphertext if there was one, never plaintext."""

    ciphertext: str | None = None

    def __repr__(self) -> str:
        return "[secret]"


@dataclass(frozen=True)
class CustomTimeouts:
    """A resource's `customTimeouts`, in seconds as the state records them (0: not set)."""

    create: float = 0.0
    update: float = 0.0
    delete: float = 0.0
    read: float = 0.0


@dataclass(frozen=True)
class ResourceOptions:
    """The resource options a state records, as the engine hands them to a policy pack.

    `delete_before_replace` is None when unknown: a stack export does not record it (it is
    a goal of the program, not state), and `pulumi policy analyze` sends it unset too.
    """

    protect: bool = False
    ignore_changes: tuple[str, ...] = ()
    delete_before_replace: bool | None = None
    additional_secret_outputs: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    custom_timeouts: CustomTimeouts = CustomTimeouts()


NO_OPTIONS = ResourceOptions()


@dataclass(frozen=True)
class Resource:
    urn: str
    type: str
    custom: bool
    id: str | None = None
    inputs: Mapping[str, Any] = field(default_factory=dict)
    outputs: Mapping[str, Any] = field(default_factory=dict)
    parent: str | None = None
    provider: str | None = None  # provider reference: "<provider urn>::<provider id>"
    dependencies: tuple[str, ...] = ()
    property_dependencies: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    options: ResourceOptions = NO_OPTIONS

    @property
    def name(self) -> str:
        return self.urn.rsplit("::", 1)[-1]

    @property
    def provider_urn(self) -> str | None:
        if not self.provider:
            return None
        return self.provider.rsplit("::", 1)[0]

    @property
    def is_provider(self) -> bool:
        return self.type.startswith(PROVIDER_TYPE_PREFIX)

    @property
    def package(self) -> str:
        """The package token: `azure-native`, `openstack`, `pulumi` or a component package."""
        if self.is_provider:
            return self.type.removeprefix(PROVIDER_TYPE_PREFIX)
        return self.type.split(":", 1)[0]


@dataclass(frozen=True)
class Snapshot:
    resources: tuple[Resource, ...]
    source: str  # path or stack name it came from
    kind: str  # "synth" | "export" | "preview"
    project: str = ""
    stack: str = ""
    manifest: Mapping[str, Any] = field(default_factory=dict)

    def __iter__(self) -> Iterator[Resource]:
        return iter(self.resources)

    def __len__(self) -> int:
        return len(self.resources)

    def by_urn(self) -> dict[str, Resource]:
        return {r.urn: r for r in self.resources}

    def provider_of(self, resource: Resource) -> Resource | None:
        urn = resource.provider_urn
        if urn is None:
            return None
        return self.by_urn().get(urn)
