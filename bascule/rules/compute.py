"""Compute: no password authentication on instances, VMs and scale sets, by any path."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from bascule.rules import cloudinit
from bascule.rules import props as p
from bascule.rules.base import Enforcement, ResourceView, Rule, Severity

INSTANCE = "openstack:compute/instance:Instance"
VM = "azure-native:compute:VirtualMachine"
VMSS = "azure-native:compute:VirtualMachineScaleSet"
OVH_INSTANCES = ("ovh:CloudProject/instance:Instance", "ovh:index/cloudInstance:CloudInstance")
# Nova metadata keys that cloud-init's OpenStack data source reads as a password.
PASSWORD_METADATA = ("admin_pass", "adminpass", "password")


def _user_data(value: Any, path: str) -> Iterator[str]:
    if p.is_unknown(value) or p.is_secret(value) or not isinstance(value, str) or not value:
        if p.is_secret(value):
            yield f"cannot verify {path}: it is a secret (its cloud-init may enable passwords)"
        return
    for label in cloudinit.password_logins(value):
        yield f"{path}: {label} (password login)"


def _os_profile(profile: Any, path: str) -> Iterator[str]:
    if not isinstance(profile, Mapping):
        return
    password = profile.get("adminPassword")
    if p.has_value(password) and not p.is_unknown(password):
        yield f"{path}.adminPassword is set (password login); use SSH keys"
    linux = profile.get("linuxConfiguration")
    if isinstance(linux, Mapping):
        disabled = linux.get("disablePasswordAuthentication")
        if not p.is_unknown(disabled) and p.to_bool(disabled) is not True:
            yield (
                f"{path}.linuxConfiguration.disablePasswordAuthentication is "
                f"{p.show(disabled)}, must be true"
            )
    yield from _user_data(profile.get("customData"), f"{path}.customData")


def _openstack(props: Mapping[str, Any]) -> Iterator[str]:
    value = props.get("adminPass")
    if p.has_value(value) and not p.is_unknown(value):
        yield "adminPass is set (password login); use an SSH key pair (keyPair) instead"
    yield from _user_data(props.get("userData"), "userData")
    metadata = p.tag_map(props.get("metadata")) or {}
    for key in sorted(metadata):
        if key.lower().replace("-", "_") in PASSWORD_METADATA and metadata[key]:
            yield f"metadata '{key}' is set (cloud-init reads it as a password)"
    for index, item in enumerate(p.iter_mappings(props.get("personalities"))):
        content = item.get("content")
        if isinstance(content, str) and not p.is_unknown(content):
            for label in cloudinit.password_logins(content):
                yield f"personalities[{index}] ({item.get('file')!s}): {label} (password login)"


def _check_password(view: ResourceView, params: Mapping[str, Any]) -> Iterator[str]:
    props = view.props
    if view.type == INSTANCE:
        yield from _openstack(props)
    elif view.type == VM:
        yield from _os_profile(props.get("osProfile"), "osProfile")
        yield from _user_data(props.get("userData"), "userData")
    elif view.type == VMSS:
        base = "virtualMachineProfile"
        yield from _os_profile(p.get(props, f"{base}.osProfile"), f"{base}.osProfile")
        yield from _user_data(p.get(props, f"{base}.userData"), f"{base}.userData")
    elif view.type in OVH_INSTANCES:
        yield from _user_data(props.get("userData"), "userData")


PRT_010 = Rule(
    id="PRT-010",
    slug="no-admin-password",
    pack="protection",
    severity=Severity.HIGH,
    enforcement=Enforcement.MANDATORY,
    description=(
        "Instances, VMs and scale sets authenticate administrators with keys, never passwords, "
        "whether set by a property or by the instance's cloud-init user data."
    ),
    remediation=(
        "OpenStack: remove `adminPass` and password metadata, set `keyPair`. Azure VMs and scale "
        "sets: drop `osProfile.adminPassword`, set `linuxConfiguration."
        "disablePasswordAuthentication: true` with `ssh.publicKeys`. In user data "
        "(`userData`, `customData`, MIME parts, scripts): no `ssh_pwauth: true`, `chpasswd`, "
        "`password`/`passwd`, `lock_passwd: false` or `PasswordAuthentication yes`."
    ),
    secnumcloud=("9.5", "10.2"),
    hds=("hds-security",),
    resource_check=_check_password,
    applies_to=(INSTANCE, VM, VMSS, *OVH_INSTANCES),
    rationale=(
        "Password logins can be guessed and reused; ANSSI's SSH guide and SecNumCloud 9.5 call "
        "for key-based administrator authentication. cloud-init turns passwords back on as "
        "easily as a property does, so the user data is read too, through base64, gzip and "
        "MIME archives."
    ),
)


RULES = (PRT_010,)
