"""The target end of the IPsec interconnect, whatever the provider: the
`bascule:target:Interconnect` component and the tunnel one provider builds under it."""

from __future__ import annotations

from typing import Protocol

import pulumi

from components.component import Opts, ProviderComponent


class Tunnel(Protocol):
    """One provider's end of the tunnel (components/target/<provider>/interconnect.py)."""

    @property
    def provider(self) -> pulumi.ProviderResource: ...

    def build(self, name: str, child: pulumi.ResourceOptions) -> pulumi.Output[str]:
        """The tunnel's resources, each with `child` (this component, on `provider`): the id
        of its connection to the Azure end."""
        ...


class Interconnect(ProviderComponent):
    connection_id: pulumi.Output[str]

    def __init__(self, name: str, tunnel: Tunnel, opts: Opts = None) -> None:
        super().__init__("bascule:target:Interconnect", name, tunnel.provider, opts)
        self.connection_id = tunnel.build(name, self.child)
        self.register_outputs({"connectionId": self.connection_id})
