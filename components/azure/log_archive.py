"""The network and subscription log sources: VNet flow logs into a private, CMK-encrypted
archive account, and the subscription's activity log into the Log Analytics workspace."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import monitor, network, storage

from components.azure.cmk_account import CmkAccountArgs, audited_blob_service, cmk_storage_account
from components.azure.locks import resource_lock
from components.component import Opts, ProviderComponent
from components.tagging import Labels

# Flow logs are security events: kept as long as the audit trail's minimum (SecNumCloud 12.6).
FLOW_LOG_RETENTION_DAYS = 180
ACTIVITY_CATEGORIES = ("Administrative", "Security", "Policy", "Alert")


@dataclass(frozen=True)
class LogArchiveArgs:
    account: CmkAccountArgs  # where the account goes, its name and key
    workspace_id: pulumi.Input[str]
    vnet_ids: dict[str, pulumi.Output[str]]
    labels: Labels


class LogArchive(ProviderComponent):
    account_id: pulumi.Output[str]

    def __init__(self, name: str, args: LogArchiveArgs, opts: Opts = None) -> None:
        super().__init__("bascule:azure:LogArchive", name, args.account.scope.provider, opts)
        tags = args.labels.as_map()
        account = self._account(name, args, tags, self.child)
        audited_blob_service(
            name,
            account,
            args.account.scope.resource_group_name,
            versioned=True,
            workspace_id=args.workspace_id,
            opts=self.child,
        )
        resource_lock(
            name,
            account,
            "bascule: network flow logs are security events; never delete",
            self.child,
        )
        self._flow_logs(name, args, account, tags, self.child)
        monitor.SubscriptionDiagnosticSetting(
            f"{name}-activity-log",
            name=f"{name}-activity-log",
            workspace_id=args.workspace_id,
            logs=[
                monitor.SubscriptionLogSettingsArgs(category=category, enabled=True)
                for category in ACTIVITY_CATEGORIES
            ],
            opts=self.child,
        )
        self.account_id = account.id
        self.register_outputs({"accountId": self.account_id})

    def _account(
        self, name: str, args: LogArchiveArgs, tags: dict[str, str], child: pulumi.ResourceOptions
    ) -> storage.StorageAccount:
        """The archive account: private, shared-key-less, encrypted with the platform's key."""
        return cmk_storage_account(
            name,
            args.account,
            tags=tags,
            opts=child,
        )

    def _flow_logs(
        self,
        name: str,
        args: LogArchiveArgs,
        account: storage.StorageAccount,
        tags: dict[str, str],
        child: pulumi.ResourceOptions,
    ) -> None:
        watcher = network.NetworkWatcher(
            f"{name}-watcher",
            resource_group_name=args.account.scope.resource_group_name,
            location=args.account.scope.location,
            tags=tags,
            opts=child,
        )
        for zone, vnet_id in args.vnet_ids.items():
            network.FlowLog(
                f"{zone}-flow-log",
                network_watcher_name=watcher.name,
                resource_group_name=args.account.scope.resource_group_name,
                location=args.account.scope.location,
                target_resource_id=vnet_id,
                storage_id=account.id,
                enabled=True,
                format=network.FlowLogFormatParametersArgs(type="JSON", version=2),
                retention_policy=network.RetentionPolicyParametersArgs(
                    days=FLOW_LOG_RETENTION_DAYS, enabled=True
                ),
                tags=tags,
                opts=child,
            )
