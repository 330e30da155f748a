"""What every target provider builds, whatever its API: the contract between the target
estate and one provider's implementation (components/target/<provider>/).

A provider package exposes `build_target(parent, name, args) -> TargetBuilt`; it creates its
resources and components with `parent=parent` (the `bascule:target:Estate` component), so
every provider's resources sit at the same place in the URN chain. The capability components
keep one type token per capability whatever the provider (`bascule:target:Network`,
`bascule:target:ObjectStorage`, `bascule:target:Enclave`, `bascule:target:AccessGateway`,
`bascule:target:AuditLog`, `bascule:target:Interconnect`...), which is how parity finds the
target's counterpart of each source object.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pulumi

if TYPE_CHECKING:
    from components.target.estate import TargetEstateArgs


@dataclass(frozen=True)
class TargetBuilt:
    """The estate's outputs: what was built, as the stack's outputs report it."""

    inventory: dict[str, dict[str, dict[str, Any]]]
    gateway_address: pulumi.Input[str]
    audit_container: pulumi.Input[str]


TargetBuilder = Callable[[pulumi.ComponentResource, str, "TargetEstateArgs"], TargetBuilt]
