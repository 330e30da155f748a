"""Read the stack config from Pulumi's config map. The only I/O of the config package."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.output import UNKNOWN
from pydantic import ValidationError

from components.config.errors import NAMESPACE, StackConfigError, from_validation_error
from components.config.stack import StackConfig

# Credentials stay Pulumi secrets: read with get_secret, never part of the validated model.
SECRET_KEYS = (
    "openstackPassword",
    "ovhApplicationSecret",
    "ovhConsumerKey",
    "interconnectSharedKey",
    "scalewayAccessKey",
    "scalewaySecretKey",
)


@dataclass(frozen=True)
class ProviderCredentials:
    openstack_password: pulumi.Output[str] | None
    ovh_application_secret: pulumi.Output[str] | None
    ovh_consumer_key: pulumi.Output[str] | None
    # The IPsec pre-shared key of the interconnect, shared by both ends.
    interconnect_shared_key: pulumi.Output[str] | None = None
    # Scaleway's API key pair (provider `scaleway` only).
    scaleway_access_key: pulumi.Output[str] | None = None
    scaleway_secret_key: pulumi.Output[str] | None = None


def _all_config_keys() -> dict[str, Any]:
    """Every `bascule:*` key the engine passed, whichever channel it used."""
    merged: dict[str, Any] = dict(pulumi.runtime.get_config_env())
    merged.update(pulumi.runtime.config.CONFIG.get())
    prefix = f"{NAMESPACE}:"
    return {k[len(prefix) :]: v for k, v in merged.items() if k.startswith(prefix)}


def _decode(value: Any) -> Any:
    # The engine passes structured config as JSON text; plain strings stay strings.
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return json.loads(value)
        except json.JSONDecodeError as exc:
            raise StackConfigError(f"invalid JSON value ({exc.msg})") from exc
    return value


def parse_stack_config(raw: dict[str, Any]) -> StackConfig:
    """Validate a `{key: value}` map (namespace stripped). Raises StackConfigError."""
    plain: dict[str, Any] = {}
    for key, value in raw.items():
        if key in SECRET_KEYS:
            continue
        try:
            plain[key] = _decode(value)
        except StackConfigError as exc:
            raise StackConfigError(f"{NAMESPACE}:{key}: {exc}") from None
    try:
        return StackConfig.model_validate(plain)
    except ValidationError as exc:
        raise from_validation_error(exc) from None


def plaintext_credentials(raw: dict[str, Any], is_secret: Any) -> list[str]:
    """Credential keys given in plain text: a stack file must never hold them readable."""
    return [key for key in SECRET_KEYS if key in raw and not is_secret(f"{NAMESPACE}:{key}")]


def interconnect_key(credentials: ProviderCredentials | None) -> pulumi.Output[str]:
    """The IPsec pre-shared key, a secret. Required for a deployment; bascule's offline
    synth (under mocks) records it as a secret not known yet when the stack sets none, as a
    preview would."""
    from components.estates import under_mocks

    key = credentials.interconnect_shared_key if credentials is not None else None
    if key is not None:
        return pulumi.Output.secret(key)
    if under_mocks():
        unknown: Any = UNKNOWN  # the SDK's public "not known yet" value
        return pulumi.Output.secret(unknown)
    raise pulumi.RunError(
        f"{NAMESPACE}:interconnectSharedKey: required by {NAMESPACE}:interconnect: run "
        f"`pulumi config set --secret {NAMESPACE}:interconnectSharedKey` (a random key of at "
        "least 32 characters)"
    )


def load_stack_config() -> tuple[StackConfig, ProviderCredentials]:
    """Load and validate this stack's config; errors become a one-line RunError."""
    raw = _all_config_keys()
    plain = plaintext_credentials(raw, pulumi.runtime.is_config_secret)
    if plain:
        key = f"{NAMESPACE}:{plain[0]}"
        raise pulumi.RunError(
            f"{key}: a credential must be a Pulumi secret, not plain text: "
            f"run `pulumi config set --secret {key}`"
        )
    try:
        config = parse_stack_config(raw)
    except StackConfigError as exc:
        raise pulumi.RunError(str(exc)) from None
    cfg = pulumi.Config(NAMESPACE)
    return config, ProviderCredentials(
        openstack_password=cfg.get_secret("openstackPassword"),
        ovh_application_secret=cfg.get_secret("ovhApplicationSecret"),
        ovh_consumer_key=cfg.get_secret("ovhConsumerKey"),
        interconnect_shared_key=cfg.get_secret("interconnectSharedKey"),
        scaleway_access_key=cfg.get_secret("scalewayAccessKey"),
        scaleway_secret_key=cfg.get_secret("scalewaySecretKey"),
    )
