"""The target SecNumCloud tenancy, from the stack config: one component whatever the provider,
built by the implementation `bascule:target.provider` names (components/target/<provider>/)."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi

from components.component import Opts
from components.config.load import ProviderCredentials
from components.config.stack import StackConfig
from components.target.capabilities import TargetBuilder

# `bascule:target.provider` -> the module whose `build_target` builds it (the one table of
# them), imported when chosen: a stack loads its own provider's SDK only (pulumiverse-scaleway
# alone takes most of a second to import).
# OVHcloud is an OpenStack tenancy with OVHcloud's KMS and write-once log bucket beside it.
BUILDERS: Mapping[str, str] = {
    "openstack": "components.target.openstack.build",
    "ovh": "components.target.openstack.build",
    "scaleway": "components.target.scaleway.estate",
}


@dataclass(frozen=True)
class TargetEstateArgs:
    config: StackConfig
    credentials: ProviderCredentials


def builder_of(provider: str) -> TargetBuilder:
    """The implementation of `provider`; ValueError (one line) for one bascule has none of."""
    module = BUILDERS.get(provider)
    if module is None:
        known = ", ".join(sorted(BUILDERS))
        raise ValueError(
            f"bascule:target.provider: no target implementation for {provider!r} "
            f"(implemented: {known})"
        )
    builder: TargetBuilder = importlib.import_module(module).build_target
    return builder


class TargetEstate(pulumi.ComponentResource):
    inventory: dict[str, dict[str, dict[str, Any]]]
    gateway_address: pulumi.Input[str]
    audit_container: pulumi.Input[str]

    def __init__(self, name: str, args: TargetEstateArgs, opts: Opts = None) -> None:
        build = builder_of(args.config.target.provider)
        super().__init__("bascule:target:Estate", name, None, opts)
        built = build(self, name, args)
        self.inventory = built.inventory
        self.gateway_address = built.gateway_address
        self.audit_container = built.audit_container
        self.register_outputs(
            {
                "inventory": self.inventory,
                "gatewayAddress": self.gateway_address,
                "auditContainer": self.audit_container,
            }
        )
