"""Management locks: what must never be deleted by mistake (vaults, archives, datasets)."""

from __future__ import annotations

import pulumi
from pulumi_azure_native import authorization


def resource_lock(
    name: str,
    resource: pulumi.CustomResource,
    notes: str,
    opts: pulumi.ResourceOptions,
    *,
    read_only: bool = False,
) -> authorization.ManagementLockByScope:
    """`<name>-no-delete` (the resource can change, never vanish) or `<name>-read-only` (it
    cannot change either), declared after the resource it locks."""
    suffix, level = (
        ("read-only", authorization.LockLevel.READ_ONLY)
        if read_only
        else ("no-delete", authorization.LockLevel.CAN_NOT_DELETE)
    )
    return authorization.ManagementLockByScope(
        f"{name}-{suffix}",
        scope=resource.id,
        level=level,
        notes=notes,
        opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=[resource])),
    )
