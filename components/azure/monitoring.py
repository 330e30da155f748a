"""Log Analytics workspace receiving the audit logs of vaults and storage accounts."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import monitor, operationalinsights

from components.azure.scope import AzureScope
from components.component import Opts, ProviderComponent
from components.tagging import Labels

# Health-data hosting rules keep audit trails for at least six months.
MIN_RETENTION_DAYS = 180


@dataclass(frozen=True)
class MonitoringArgs:
    scope: AzureScope
    retention_days: int
    labels: Labels


class Monitoring(ProviderComponent):
    workspace_id: pulumi.Output[str]  # the Log Analytics workspace diagnostics are sent to

    def __init__(self, name: str, args: MonitoringArgs, opts: Opts = None) -> None:
        super().__init__("bascule:azure:Monitoring", name, args.scope.provider, opts)

        workspace = operationalinsights.Workspace(
            f"{name}-logs",
            resource_group_name=args.scope.resource_group_name,
            location=args.scope.location,
            retention_in_days=max(args.retention_days, MIN_RETENTION_DAYS),
            sku=operationalinsights.WorkspaceSkuArgs(name="PerGB2018"),
            tags=args.labels.with_(role="monitoring").as_map(),
            opts=self.child,
        )
        self.workspace_id = workspace.id

        self.register_outputs({"workspaceId": self.workspace_id})


def audit_diagnostic_setting(
    name: str,
    *,
    resource_uri: pulumi.Input[str],
    workspace_id: pulumi.Input[str],
    opts: pulumi.ResourceOptions,
) -> monitor.DiagnosticSetting:
    """Send the `audit` category group of a resource to the workspace (declared by its owner)."""
    return monitor.DiagnosticSetting(
        name,
        resource_uri=resource_uri,
        workspace_id=workspace_id,
        logs=[monitor.DiagnosticsLogSettingsArgs(category_group="audit", enabled=True)],
        opts=opts,
    )
