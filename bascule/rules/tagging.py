"""Governance metadata: project, classification and wave on every taggable resource."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from bascule.rules import props as p
from bascule.rules.base import Enforcement, Param, ResourceView, Rule, Severity
from bascule.rules.check import Params
from bascule.rules.types import (
    AZ_PUBLIC_IP,
    AZ_VNET,
    BARBICAN_SECRET,
    DISK,
    FLOATING_IP,
    INSTANCE,
    KEY,
    NETWORK,
    NIC,
    NSG,
    OS_SUBNET,
    PORT,
    PRIVATE_ENDPOINT,
    ROUTER,
    SCW_BUCKETS,
    SCW_GATEWAYS,
    SCW_INSTANCE_IPS,
    SCW_KEYS,
    SCW_LOAD_BALANCERS,
    SCW_SECURITY_GROUPS,
    SCW_SERVERS,
    SCW_SNAPSHOTS,
    SCW_VOLUMES,
    SEC_GROUP,
    STORAGE_ACCOUNT,
    SWIFT,
    VAULT,
    VM,
    VOLUME,
    WORKSPACE,
)

AZURE_TAGGABLE = frozenset(
    {
        "azure-native:resources:ResourceGroup",
        STORAGE_ACCOUNT,
        VAULT,
        KEY,
        VM,
        DISK,
        "azure-native:compute:DiskEncryptionSet",
        NIC,
        AZ_PUBLIC_IP,
        NSG,
        AZ_VNET,
        PRIVATE_ENDPOINT,
        WORKSPACE,
    }
)
OPENSTACK_TAGGABLE = frozenset(
    {
        NETWORK,
        OS_SUBNET,
        ROUTER,
        PORT,
        SEC_GROUP,
        FLOATING_IP,
        INSTANCE,
        VOLUME,
        SWIFT,
        BARBICAN_SECRET,
    }
)


# Scaleway (pulumiverse-scaleway 1.60): `tags` is a list of strings (read like OpenStack's
# `key=value` list), a map on object buckets; with the deprecated `index/` aliases.
SCALEWAY_TAGGABLE = frozenset(
    {
        *SCW_SERVERS,
        *SCW_SECURITY_GROUPS,
        *SCW_INSTANCE_IPS,
        *SCW_VOLUMES,
        *SCW_SNAPSHOTS,
        *SCW_BUCKETS,
        *SCW_KEYS,
        "scaleway:network/vpc:Vpc",
        "scaleway:index/vpc:Vpc",
        "scaleway:network/privateNetwork:PrivateNetwork",
        "scaleway:index/vpcPrivateNetwork:VpcPrivateNetwork",
        *SCW_GATEWAYS,
        *SCW_LOAD_BALANCERS,
    }
)


def is_taggable(type_token: str, props: Mapping[str, Any]) -> bool:
    if p.is_provider(type_token) or p.is_component_or_root(type_token):
        return False
    if type_token in AZURE_TAGGABLE or type_token in OPENSTACK_TAGGABLE:
        return True
    if type_token in SCALEWAY_TAGGABLE:
        return True
    return p.package_of(type_token) == "azure-native" and "tags" in props


def _check_tags(view: ResourceView, params: Params) -> Iterator[str]:
    if not is_taggable(view.type, view.props):
        return
    if any(p.is_unknown(view.props.get(k)) for k in ("tags", "metadata")):
        return
    tags = p.metadata_of(view.props)
    required = [str(k) for k in p.as_seq(params["requiredKeys"])]
    missing = [k for k in required if not tags.get(k)]
    if missing:
        where = "metadata/tags" if p.package_of(view.type) == "openstack" else "tags"
        if p.package_of(view.type) == "scaleway" and p.is_seq(view.props.get("tags")):
            where = "tags (key=value)"
        yield f"missing required {where} {p.fmt_list(missing)}"


PRT_012 = Rule(
    id="PRT-012",
    slug="required-tags",
    severity=Severity.MEDIUM,
    enforcement=Enforcement.MANDATORY,
    description=("Every taggable resource carries the project, classification and wave metadata."),
    remediation=(
        "Set the keys through the bascule tagging helper: Azure `tags` map, OpenStack "
        "networking `tags` list of `key=value`, instance/volume/container/secret `metadata` "
        "map, Scaleway `tags` list of `key=value` (a map on object buckets) "
        "(classification one of pseudonymised-health, open-data, pseudonymisation-keys, "
        "audit-logs, platform)."
    ),
    secnumcloud=("8.1", "8.4"),
    hds=("hds-security",),
    params={
        "requiredKeys": Param.str_list(
            ["project", "classification", "wave"],
            "Metadata keys every taggable resource must carry (non-empty).",
        )
    },
    resource_check=_check_tags,
    applies_to=("azure-native", *sorted(OPENSTACK_TAGGABLE), *sorted(SCALEWAY_TAGGABLE)),
    checkov_id="CKV_BSC_5",
    rationale=(
        "Classification, project and wave on every resource are the asset inventory and marking "
        "SecNumCloud 8.1 and 8.4 ask for, and what the migration rules read to know what is cut "
        "over."
    ),
)


RULES = (PRT_012,)
