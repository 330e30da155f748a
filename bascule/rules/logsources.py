"""Log sources: every data store and key vault, the networks and the subscription send logs.

Azure: a diagnostic setting (logs enabled, a destination) on every storage account (or one
of its services), Key Vault, Managed HSM and database server; a VNet flow log on every
virtual network (Microsoft's successor to NSG flow logs); the subscription's activity log
exported by a subscription diagnostic setting. OpenStack has no IaaS-level equivalent: the
target's sources are a manual item of the compliance matrix.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from bascule.rules import props as p
from bascule.rules.base import Enforcement, Finding, Rule, Severity, StackResource
from bascule.rules.check import Params, Resources
from bascule.rules.types import (
    AZ_VNET,
    COSMOS_ACCOUNT,
    MANAGED_HSM,
    MYSQL_SERVER,
    POSTGRES_SERVER,
    REDIS,
    SQL_SERVER,
    STORAGE_ACCOUNT,
    VAULT,
)

DIAGNOSTIC = "azure-native:monitor:DiagnosticSetting"
SUBSCRIPTION_DIAGNOSTIC = "azure-native:monitor:SubscriptionDiagnosticSetting"
FLOW_LOG = "azure-native:network:FlowLog"
AZURE_PROVIDER = "pulumi:providers:azure-native"
DATA_STORES = (
    STORAGE_ACCOUNT,
    VAULT,
    MANAGED_HSM,
    SQL_SERVER,
    COSMOS_ACCOUNT,
    POSTGRES_SERVER,
    MYSQL_SERVER,
    REDIS,
)
READS = (*DATA_STORES, DIAGNOSTIC, SUBSCRIPTION_DIAGNOSTIC, FLOW_LOG, AZ_VNET, AZURE_PROVIDER)
"""What PRT-019 reads: the sources, what sends their logs, and the subscription (the provider)."""
DESTINATIONS = ("workspaceId", "storageAccountId", "eventHubAuthorizationRuleId")


def _sends_logs(setting: StackResource) -> bool | None:
    """Logs enabled and a destination; None when a value is unknown."""
    props = setting.props
    targets = [props.get(d) for d in DESTINATIONS]
    if any(p.is_unknown(t) for t in targets) or p.is_unknown(props.get("logs")):
        return None
    enabled = [p.to_bool(entry.get("enabled")) for entry in p.iter_mappings(props.get("logs"))]
    return any(e is True for e in enabled) and any(p.has_value(t) for t in targets)


def _covers(setting: StackResource, target: StackResource) -> bool | None:
    uri, target_id = setting.props.get("resourceUri"), target.props.get("id")
    if p.is_unknown(uri) or p.is_unknown(target_id) or not isinstance(target_id, str):
        return True if target.urn in setting.dependencies else None
    if not isinstance(uri, str):
        return False
    u, t = uri.rstrip("/").lower(), target_id.rstrip("/").lower()
    return u == t or u.startswith(t + "/")


def _monitored(target: StackResource, settings: Sequence[StackResource]) -> bool | None:
    verdicts = [(_covers(s, target), _sends_logs(s)) for s in settings]
    if any(c is True and sends is True for c, sends in verdicts):
        return True
    return None if any(c is not False and sends is not False for c, sends in verdicts) else False


def _flow_logged(vnet: StackResource, flow_logs: Sequence[StackResource]) -> bool | None:
    vnet_id = vnet.props.get("id")
    if p.is_unknown(vnet_id):
        return None
    verdicts = []
    for log in flow_logs:
        target = log.props.get("targetResourceId")
        enabled = log.props.get("enabled")
        if p.is_unknown(target) or p.is_unknown(enabled):
            verdicts.append(None if vnet.urn not in log.dependencies else True)
            continue
        hit = (
            isinstance(target, str)
            and isinstance(vnet_id, str)
            and target.lower() == vnet_id.lower()
        )
        verdicts.append(hit and p.to_bool(enabled) is not False)
    if any(v is True for v in verdicts):
        return True
    return None if any(v is None for v in verdicts) else False


def _activity_exported(subscription: str, settings: Sequence[StackResource]) -> bool | None:
    verdicts = []
    for setting in settings:
        uri = setting.props.get("resourceUri")
        if setting.type == DIAGNOSTIC and not (
            isinstance(uri, str)
            and uri.rstrip("/").lower() == f"/subscriptions/{subscription}".lower()
        ):
            continue
        verdicts.append(_sends_logs(setting))
    if any(v is True for v in verdicts):
        return True
    return None if any(v is None for v in verdicts) else False


def _check_sources(resources: Resources, params: Params) -> Iterator[Finding]:
    diagnostics = [r for r in resources if r.type == DIAGNOSTIC]
    flow_logs = [r for r in resources if r.type == FLOW_LOG]
    for res in resources:
        if res.type in DATA_STORES and _monitored(res, diagnostics) is False:
            kind = res.type.rsplit(":", 1)[-1]
            yield Finding(
                f"{kind} '{res.name}' has no diagnostic setting sending its logs to a workspace, "
                "storage account or event hub",
                res.urn,
            )
        elif res.type == AZ_VNET and _flow_logged(res, flow_logs) is False:
            yield Finding(f"virtual network '{res.name}' has no enabled flow log", res.urn)
        elif res.type == AZURE_PROVIDER:
            subscription = res.props.get("subscriptionId")
            if not isinstance(subscription, str) or p.is_unknown(subscription) or not subscription:
                continue
            exported = _activity_exported(
                subscription,
                [r for r in resources if r.type in (DIAGNOSTIC, SUBSCRIPTION_DIAGNOSTIC)],
            )
            if exported is False:
                yield Finding(
                    f"subscription '{subscription}' of provider '{res.name}' exports no activity "
                    "log (no subscription diagnostic setting)",
                    res.urn,
                )


PRT_019 = Rule(
    id="PRT-019",
    slug="log-sources",
    severity=Severity.HIGH,
    enforcement=Enforcement.MANDATORY,
    description=(
        "Every data store and key vault sends its logs through a diagnostic setting, every "
        "virtual network has a flow log and every subscription exports its activity log."
    ),
    remediation=(
        "Add a monitor.DiagnosticSetting (an enabled `logs` entry, e.g. categoryGroup audit, "
        "and a `workspaceId`) per storage account service, Key Vault, Managed HSM and database; "
        "a network.FlowLog (`targetResourceId` the VNet, `enabled: true`) per virtual network; "
        "a monitor.SubscriptionDiagnosticSetting exporting the activity log."
    ),
    secnumcloud=("12.6", "13.3"),
    hds=("hds-security",),
    stack_check=_check_sources,
    applies_to=READS,
    rationale=(
        "SecNumCloud 12.6 a and b ask for a documented list of log sources and the events of "
        "each, access-right changes included; 13.3 for probes on the interconnections. A data "
        "store with no diagnostic setting, a network without flow logs or a subscription whose "
        "activity log stays in the portal leaves an access or a change with no trace."
    ),
)


RULES = (PRT_019,)
