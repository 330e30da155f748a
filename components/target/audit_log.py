"""The audit trail, whatever the provider: the `bascule:target:AuditLog` component, its
retention floor, and the store one provider builds under it (`AuditStore`)."""

from __future__ import annotations

from typing import Protocol

import pulumi

from components.component import Opts

# Health-data hosting (HDS) audit trails are kept at least six months.
MIN_RETENTION_DAYS = 180


class AuditStore(Protocol):
    """One provider's store of the audit trail (components/target/<provider>/audit_log.py)."""

    @property
    def provider(self) -> pulumi.ProviderResource: ...

    @property
    def retention_days(self) -> int: ...  # as configured, before the floor

    def build(
        self, name: str, retention_days: int, child: pulumi.ResourceOptions
    ) -> pulumi.Output[str]:
        """The store's resources, each with `child` (this component, on `provider`), kept
        `retention_days`: the name of the container or bucket the trail is written to."""
        ...


class AuditLog(pulumi.ComponentResource):
    container_name: pulumi.Output[str]
    retention_days: int

    def __init__(self, name: str, store: AuditStore, opts: Opts = None) -> None:
        super().__init__("bascule:target:AuditLog", name, None, opts)
        self.retention_days = max(store.retention_days, MIN_RETENTION_DAYS)
        child = pulumi.ResourceOptions(parent=self, provider=store.provider)
        self.container_name = store.build(name, self.retention_days, child)
        self.register_outputs(
            {"containerName": self.container_name, "retentionDays": self.retention_days}
        )
