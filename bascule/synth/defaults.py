"""Default providers in synth: the provider resource the engine registers for a resource or an
invoke that names none, from the stack config (see `bascule.snapshot.providers`)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bascule.errors import BadInputError
from bascule.snapshot.model import PROVIDER_TYPE_PREFIX, ROOT_STACK_TYPE
from bascule.snapshot.providers import default_provider_inputs, default_provider_name

DISABLE_KEY = "pulumi:disable-default-providers"


def needs_default_provider(request: Any) -> bool:
    """As the engine's RegisterResource: a custom resource (not a provider), or a remote
    component, that names no provider."""
    if request.provider or request.type == ROOT_STACK_TYPE:
        return False
    custom = bool(request.custom) and not request.type.startswith(PROVIDER_TYPE_PREFIX)
    return custom or bool(getattr(request, "remote", False))


@dataclass(frozen=True)
class DefaultProviderRequest:
    """What the engine derives a default provider from."""

    package: str
    version: str | None
    download_url: str | None
    type: str = field(init=False)
    name: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "type", PROVIDER_TYPE_PREFIX + self.package)
        object.__setattr__(self, "name", default_provider_name(self.version, self.download_url))


@dataclass(frozen=True)
class StackProviderConfig:
    """The stack config the default providers are built from."""

    config: Mapping[str, str] = field(default_factory=dict)
    secret_keys: frozenset[str] = frozenset()
    label: str = "the stack config"

    def request(
        self, token: str, version: str, download_url: str, user: str
    ) -> DefaultProviderRequest:
        """The default provider a registration or invoke of `token` by `user` gets; refused
        as the engine refuses it (the program fails)."""
        package = token.split(":", 1)[0]
        try:
            wanted = DefaultProviderRequest(package, version or None, download_url or None)
        except ValueError as exc:
            raise BadInputError(f"{user}: {exc}") from None
        if self._denied(package):
            raise BadInputError(
                f"{self.label}: {DISABLE_KEY}: Default provider for '{package}' disabled. "
                f"'{user}' must use an explicit provider."
            )
        return wanted

    def inputs(self, wanted: DefaultProviderRequest) -> dict[str, Any]:
        return default_provider_inputs(
            wanted.package, self.config, self.secret_keys, wanted.version, wanted.download_url
        )

    def _denied(self, package: str) -> bool:
        raw = self.config.get(DISABLE_KEY, "")
        if package == "pulumi" or not raw:
            return False
        try:
            barred = json.loads(raw)
        except json.JSONDecodeError:
            barred = None
        if not isinstance(barred, list) or not all(isinstance(b, str) for b in barred):
            raise BadInputError(f"{self.label}: {DISABLE_KEY} is not a list of package names")
        return any(b.strip() in ("*", package) for b in barred)
