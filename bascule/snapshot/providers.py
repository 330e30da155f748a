"""Default providers: what the engine registers when a resource (or an invoke) names no provider,
built from the package's stack config.

From pulumi/pulumi v3.259.0 (docs/inputs.md cites the commit):
pkg/resource/deploy/default_providers.go (`newRegisterDefaultProviderEvent`: type
`pulumi:providers:<pkg>`, no parent, inputs = every config key `<pkg>:<name>` as `<name>`,
secret if the config value is, plus `version` and `pluginDownloadURL` from the request),
pkg/resource/deploy/target.go (`GetPackageConfig`: dynamic providers get the whole config under
full keys) and pkg/resource/deploy/providers/provider.go (`DefaultName`: `default`, then
`_<major>_<minor>_<patch>`, `_<pre-release part>`..., `_<build part>`..., then `_` and the
download URL as a QName). Used by synth (from the stack file) and by the loaders of files that
leave default providers out (a preview --json and `pulumi up --json`, from the config they
carry).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from bascule.snapshot.model import PROVIDER_TYPE_PREFIX, UNKNOWN, Resource, SecretValue

DYNAMIC_PACKAGES = frozenset({"pulumi-nodejs", "pulumi-python"})
SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$"
)
_NAME_BYTES = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")
# A default provider name the version can be read back from (no pre-release, build or URL).
_PLAIN_DEFAULT = re.compile(r"^default_(\d+)_(\d+)_(\d+)$")


def into_qname(text: str) -> str:
    """The engine's `tokens.IntoQName`: each `/`-separated part with every byte outside
    `[A-Za-z0-9_.-]` replaced by `_`, empty parts dropped."""
    parts = [
        "".join(chr(b) if b in _NAME_BYTES else "_" for b in part.encode())
        for part in text.split("/")
    ]
    return "/".join(p for p in parts if p) or "_"


def default_provider_name(version: str | None, download_url: str | None = None) -> str:
    """`default_3_29_0` for version 3.29.0; `default` when the program sent no version.
    Raises ValueError on a version that is not semver (the engine refuses it too)."""
    name = "default"
    if version:
        match = SEMVER.match(version)
        if match is None:
            raise ValueError(f"invalid provider version {version!r}")
        major, minor, patch, pre, build = match.groups()
        name += f"_{major}_{minor}_{patch}"
        name += "".join(f"_{part}" for part in (pre.split(".") if pre else ()))
        name += "".join(f"_{part}" for part in (build.split(".") if build else ()))
    if download_url and download_url.rstrip("/"):
        name += "_" + into_qname(download_url.rstrip("/"))
    return name


def default_provider_inputs(
    package: str,
    config: Mapping[str, str],
    secret_keys: Collection[str] = (),
    version: str | None = None,
    download_url: str | None = None,
) -> dict[str, Any]:
    """The provider's inputs, keys sorted as in a state file; secrets as `SecretValue`."""
    inputs: dict[str, Any] = {}
    for key, value in config.items():
        namespace, _, name = key.partition(":")
        name = name.removeprefix("config:")  # the legacy `<pkg>:config:<name>` form
        if package in DYNAMIC_PACKAGES:
            name = key
        elif namespace != package or not name:
            continue
        inputs[name] = SecretValue() if key in secret_keys else value
    if version:
        inputs["version"] = version
    if download_url and download_url.rstrip("/"):
        inputs["pluginDownloadURL"] = download_url.rstrip("/")
    return dict(sorted(inputs.items()))


def is_default_provider_urn(urn: str) -> bool:
    parts = urn.split("::")
    return (
        len(parts) >= 4
        and parts[2].startswith(PROVIDER_TYPE_PREFIX)
        and "$" not in parts[2]
        and (parts[3] == "default" or parts[3].startswith("default_"))
    )


def rebuild_default_providers(
    resources: Iterable[Resource], config: Mapping[str, str]
) -> list[Resource]:
    """Default providers the resources refer to but the file left out, rebuilt from the config
    it carries (secrets blinded as `[secret]`), as the engine built them. The version comes
    back from a plain `default_X_Y_Z` name only; the id is the reference's."""
    resources = list(resources)
    present = {r.urn for r in resources}
    secret_keys = {k for k, v in config.items() if v == "[secret]"}
    rebuilt: dict[str, Resource] = {}
    for resource in resources:
        urn = resource.provider_urn
        if not urn or urn in present or urn in rebuilt or not is_default_provider_urn(urn):
            continue
        type_, name = urn.split("::")[2], urn.rsplit("::", 1)[-1]
        plain = _PLAIN_DEFAULT.match(name)
        version = ".".join(plain.groups()) if plain else None
        package = type_.removeprefix(PROVIDER_TYPE_PREFIX)
        inputs = default_provider_inputs(package, config, secret_keys, version)
        ref_id = (resource.provider or "").rsplit("::", 1)[-1]
        rebuilt[urn] = Resource(
            urn=urn,
            type=type_,
            custom=True,
            id=None if ref_id in ("", UNKNOWN) else ref_id,
            inputs=inputs,
            outputs=dict(inputs),
        )
    return list(rebuilt.values())
