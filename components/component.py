"""The opening every provider-bound component shares (no resources here)."""

from __future__ import annotations

from typing import TypeAlias

import pulumi

# What every component takes as its options: none, or the caller's.
Opts: TypeAlias = pulumi.ResourceOptions | None


class ProviderComponent(pulumi.ComponentResource):
    """A component whose resources all take one explicit provider: `self.child` is the
    options of its children (parent: this component, provider: that one)."""

    child: pulumi.ResourceOptions

    def __init__(
        self,
        token: str,
        name: str,
        provider: pulumi.ProviderResource,
        opts: Opts = None,
    ) -> None:
        super().__init__(token, name, None, opts)
        self.child = pulumi.ResourceOptions(parent=self, provider=provider)
