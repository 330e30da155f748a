"""bascule's sovereignty rules as checkov checks, for Terraform-plan exports of the target.

Thin adapters: each check turns checkov's resource conf back into Pulumi properties and calls
the same pure rule function as the CrossGuard packs (bascule.rules). Loaded by checkov with
`--external-checks-dir policies/checkov`, inside checkov's own virtual environment: the rules
need only the standard library, so the checkout is put on sys.path.
"""

from __future__ import annotations

import json
import os
import sys
from functools import cache
from pathlib import Path
from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bascule.export.mapping import TF_TYPES, pulumi_property
from bascule.rules.base import ResourceView, Rule
from bascule.rules.catalog import rule_by_id

PULUMI_TYPES = {tf: token for token, tf in TF_TYPES.items()}
URNS_ENV = "BASCULE_URNS"  # JSON file: Terraform address -> Pulumi URN, written by the export


@cache
def urns() -> dict[str, str]:
    """The URNs give the rules what CrossGuard gives them (e.g. the AccessGateway parent)."""
    path = os.environ.get(URNS_ENV)
    return json.loads(Path(path).read_text()) if path else {}


def pulumi_props(conf: Any, top: bool = True) -> Any:
    """checkov's conf (top-level values list-wrapped, snake_case) as Pulumi properties."""
    if isinstance(conf, dict):
        out = {}
        for key, value in conf.items():
            if str(key).startswith("__") or key in ("start_line", "end_line"):
                continue
            if top and isinstance(value, list) and len(value) == 1:
                value = value[0]
            out[pulumi_property(str(key))] = pulumi_props(value, top=False)
        return out
    if isinstance(conf, list):
        return [pulumi_props(v, top=False) for v in conf]
    return conf


class BasculeRuleCheck(BaseResourceCheck):
    def __init__(self, check_id: str, rule: Rule, tf_types: tuple[str, ...]) -> None:
        self.rule = rule
        super().__init__(
            name=f"bascule {rule.id}: {rule.description}",
            id=check_id,
            categories=[CheckCategories.GENERAL_SECURITY],
            supported_resources=tf_types,
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        tf_type = self.entity_type or ""
        token = PULUMI_TYPES.get(tf_type, tf_type)
        address = str(conf.get("__address__", ""))
        urn = urns().get(address, "")
        name = urn.rsplit("::", 1)[-1] if urn else address.rsplit(".", 1)[-1]
        view = ResourceView(type=token, props=pulumi_props(conf), urn=urn, name=name)
        self.details = list(self.rule.check_resource(view))
        return CheckResult.FAILED if self.details else CheckResult.PASSED


ALL_TARGET = tuple(TF_TYPES.values())
CHECKS = (
    ("CKV_BSC_1", "PRT-005", ("openstack_objectstorage_container_v1",)),  # public Swift read
    ("CKV_BSC_2", "PRT-003", ("openstack_blockstorage_volume_v3",)),  # unencrypted volumes
    (
        "CKV_BSC_3",
        "PRT-008",
        (
            "openstack_networking_floatingip_v2",
            "openstack_networking_floatingip_associate_v2",
            "openstack_compute_instance_v2",
        ),
    ),  # floating IPs on enclaves
    ("CKV_BSC_4", "SOV-002", ALL_TARGET),  # regions outside the SecNumCloud allow-list
    ("CKV_BSC_5", "PRT-012", ALL_TARGET),  # missing project/classification/wave metadata
)

for _check_id, _rule_id, _types in CHECKS:
    BasculeRuleCheck(_check_id, rule_by_id(_rule_id), _types)
