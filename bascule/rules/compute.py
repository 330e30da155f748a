"""Compute: no password authentication on instances and VMs."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from bascule.rules import props as p
from bascule.rules.base import Enforcement, ResourceView, Rule, Severity

INSTANCE = "openstack:compute/instance:Instance"
VM = "azure-native:compute:VirtualMachine"


def _check_password(view: ResourceView, params: Mapping[str, Any]) -> Iterator[str]:
    props = view.props
    if view.type == INSTANCE:
        value = props.get("adminPass")
        if p.has_value(value) and not p.is_unknown(value):
            yield "adminPass is set (password login); use an SSH key pair (keyPair) instead"
    elif view.type == VM:
        profile = props.get("osProfile")
        if not isinstance(profile, Mapping):
            return
        password = profile.get("adminPassword")
        if p.has_value(password) and not p.is_unknown(password):
            yield "osProfile.adminPassword is set (password login); use SSH keys"
        linux = profile.get("linuxConfiguration")
        if isinstance(linux, Mapping):
            disabled = linux.get("disablePasswordAuthentication")
            if not p.is_unknown(disabled) and p.to_bool(disabled) is not True:
                yield (
                    "osProfile.linuxConfiguration.disablePasswordAuthentication is "
                    f"{p.show(disabled)}, must be true"
                )


PRT_010 = Rule(
    id="PRT-010",
    slug="no-admin-password",
    pack="protection",
    severity=Severity.HIGH,
    enforcement=Enforcement.MANDATORY,
    description="Instances and VMs authenticate administrators with keys, not passwords.",
    remediation=(
        "OpenStack: remove `adminPass` from compute.Instance and set `keyPair`. Azure: drop "
        "`osProfile.adminPassword`, set `osProfile.linuxConfiguration."
        "disablePasswordAuthentication: true` with `ssh.publicKeys`."
    ),
    secnumcloud=("10.2", "9.7"),
    hds=("hds-security",),
    resource_check=_check_password,
    applies_to=(INSTANCE, VM),
    rationale=(
        "Password logins can be guessed and reused; ANSSI's SSH guide and SecNumCloud 9.5 call for"
        " key-based administrator authentication."
    ),
)


RULES = (PRT_010,)
