"""The access gateway, whatever the provider: the `bascule:target:AccessGateway` component, the
tenancy's ONLY exposed entry point, and the host one provider builds under it (`GatewayHost`).

Every resource of the host is a direct child of this component: policies recognise the
gateway, the one place a public address and an internet-facing rule are allowed, by its
parent type.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import pulumi

from components.component import Opts, ProviderComponent


@dataclass(frozen=True)
class Exposed:
    """What the host built: its public address and its instance."""

    address: pulumi.Output[str]
    instance_id: pulumi.Output[str]


class GatewayHost(Protocol):
    """One provider's gateway host (components/target/<provider>/access_gateway.py)."""

    @property
    def provider(self) -> pulumi.ProviderResource: ...

    def build(self, name: str, child: pulumi.ResourceOptions) -> Exposed:
        """The host's resources, each with `child` (this component, on `provider`)."""
        ...


class AccessGateway(ProviderComponent):
    floating_ip: pulumi.Output[str]
    instance_id: pulumi.Output[str]

    def __init__(self, name: str, host: GatewayHost, opts: Opts = None) -> None:
        super().__init__("bascule:target:AccessGateway", name, host.provider, opts)
        exposed = host.build(name, self.child)
        self.floating_ip = exposed.address
        self.instance_id = exposed.instance_id
        self.register_outputs({"floatingIp": self.floating_ip, "instanceId": self.instance_id})
