"""Compute: no password authentication on instances, VMs and scale sets, by any path."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import partial
from typing import Any

from bascule.rules import cloudinit
from bascule.rules import props as p
from bascule.rules.base import Enforcement, Param, ResourceView, Rule, Severity
from bascule.rules.check import Params
from bascule.rules.types import INSTANCE, SCW_SERVERS, VM, VMSS, VOLUME

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


def _openstack(view: ResourceView, params: Params) -> Iterator[str]:
    props = view.props
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


def _azure_vm(base: str, view: ResourceView, params: Params) -> Iterator[str]:
    """A VM's (base "") or a scale set's (base "virtualMachineProfile.") profile and user data."""
    yield from _os_profile(p.get(view.props, f"{base}osProfile"), f"{base}osProfile")
    yield from _user_data(p.get(view.props, f"{base}userData"), f"{base}userData")


def _ovh_instance(view: ResourceView, params: Params) -> Iterator[str]:
    yield from _user_data(view.props.get("userData"), "userData")


_check_password = p.by_type(
    (INSTANCE, _openstack),
    (VM, partial(_azure_vm, "")),
    (VMSS, partial(_azure_vm, "virtualMachineProfile.")),
    (OVH_INSTANCES, _ovh_instance),
)


PRT_010 = Rule(
    id="PRT-010",
    slug="no-admin-password",
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


# --------------------------------------------------------------------------- PRT-021

IMAGE = "openstack:images/image:Image"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _pinned(value: Any, path: str, approved: list[str]) -> Iterator[str]:
    if not isinstance(value, str) or not value or p.is_unknown(value):
        return
    text = value.strip().lower()
    if approved and text not in approved:
        yield f"{path} '{value}' is not an approved image {p.fmt_list(approved)}"
    elif not approved and not UUID.fullmatch(text):
        yield (
            f"{path} '{value}' is not an image id: the image is chosen by name or lookup "
            "(most recent by name), not pinned"
        )


def _approved(params: Params) -> list[str]:
    return [str(a).strip().lower() for a in p.as_seq(params["approvedImageIds"])]


def _scw_image(view: ResourceView, params: Params) -> Iterator[str]:
    """A Scaleway server's `image`: an id (`<uuid>` or `<zone>/<uuid>`), or a marketplace
    label (`debian_bookworm`) that resolves to the label's latest image."""
    value = view.props.get("image")
    if not isinstance(value, str) or not value or p.is_unknown(value):
        return
    image_id = value.strip().rsplit("/", 1)[-1]
    for message in _pinned(image_id, "image", _approved(params)):
        yield message.replace(f"'{image_id}'", f"'{value}'", 1)


def _instance_image(view: ResourceView, params: Params) -> Iterator[str]:
    """An OpenStack instance's image: `imageName`, `imageId` and image block devices."""
    props, approved = view.props, _approved(params)
    if p.has_value(props.get("imageName")) and not p.is_unknown(props.get("imageName")):
        name = props.get("imageName")
        yield f"imageName '{name}': the image is chosen by name, not pinned by id"
    yield from _pinned(props.get("imageId"), "imageId", approved)
    for index, device in enumerate(p.iter_mappings(props.get("blockDevices"))):
        if str(device.get("sourceType") or "").lower() == "image":
            yield from _pinned(device.get("uuid"), f"blockDevices[{index}].uuid", approved)


def _image_at(path: str, view: ResourceView, params: Params) -> Iterator[str]:
    yield from _pinned(p.get(view.props, path), path, _approved(params))


def _glance_image(view: ResourceView, params: Params) -> Iterator[str]:
    """A Glance image uploaded from a URL: over https, with its checksum verified."""
    url = view.props.get("imageSourceUrl")
    if isinstance(url, str) and not p.is_unknown(url) and not url.lower().startswith("https://"):
        yield f"imageSourceUrl '{url}' is not https: the image's origin is not authenticated"
    if p.to_bool(view.props.get("verifyChecksum")) is False:
        yield "verifyChecksum is false: the uploaded image is not checked"


_check_image = p.by_type(
    (SCW_SERVERS, _scw_image),
    (INSTANCE, _instance_image),
    (VOLUME, partial(_image_at, "imageId")),
    (OVH_INSTANCES[0], partial(_image_at, "bootFrom.imageId")),
    (OVH_INSTANCES[1], partial(_image_at, "imageId")),
    (IMAGE, _glance_image),
)


PRT_021 = Rule(
    id="PRT-021",
    slug="image-provenance",
    severity=Severity.HIGH,
    enforcement=Enforcement.MANDATORY,
    description=(
        "Target instances and boot volumes start from an image pinned by id (an approved one "
        "when a list is set), never from the most recent image of a name."
    ),
    remediation=(
        "Set the Glance image id (`imageId`, `blockDevices[].uuid` with `sourceType: image`, "
        "OVHcloud `bootFrom.imageId`, Scaleway `image` as an id, not a marketplace label) from "
        "the stack config instead of `imageName` or a "
        "`get_image(name=..., most_recent=True)` lookup; list the reviewed ids in "
        "`approvedImageIds`; upload images over https with `verifyChecksum`."
    ),
    secnumcloud=("12.10",),
    hds=("hds-security",),
    params={
        "approvedImageIds": Param.str_list(
            [],
            "Reviewed image ids; empty: any image id (a UUID), never a name.",
        )
    },
    resource_check=_check_image,
    applies_to=(INSTANCE, VOLUME, IMAGE, *OVH_INSTANCES, *SCW_SERVERS),
    rationale=(
        "SecNumCloud 12.10 controls what software is installed on production systems and the "
        "authenticity of inputs. A lookup by name takes whatever image carries that name when "
        "the program runs: anyone who can publish an image (a shared or community image) "
        "chooses the enclaves' operating system. Pulumi records no lookup, so the id itself is "
        "the evidence."
    ),
    checkov_id="CKV_BSC_9",
)


RULES = (PRT_010, PRT_021)
