"""bascule's rules as checkov checks, for Terraform-plan exports of the target.

Thin adapters: every rule with a `checkov_id` becomes one check over the Terraform types of
the resource kinds it examines (`applies_to`). Each check turns checkov's resource conf back
into Pulumi properties and calls the same pure rule function as the CrossGuard packs
(bascule.rules). Loaded by checkov with
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
from bascule.rules.catalog import ALL_RULES

PULUMI_TYPES = {tf: token for token, tf in TF_TYPES.items()}
URNS_ENV = "BASCULE_URNS"  # JSON file: Terraform address -> Pulumi URN, written by the export


@cache
def urns() -> dict[str, str]:
    """The URNs give the rules what CrossGuard gives them (e.g. the AccessGateway parent)."""
    path = os.environ.get(URNS_ENV)
    return json.loads(Path(path).read_text()) if path else {}


def pulumi_props(conf: Any) -> Any:
    """checkov's conf as Pulumi properties.

    checkov wraps every attribute value in a one-element list, at every depth (`"wave":
    [""]`, `"tags": [["a=b"]]`, a map as `[{...}]`), except a repeated block, which is the
    list of its blocks. Unwrapping one element gives the value back; a single block comes
    back as a mapping, which the rules read as a one-item list (`props.as_seq`).
    """
    if isinstance(conf, dict):
        out = {}
        for key, value in conf.items():
            if str(key).startswith("__") or key in ("start_line", "end_line"):
                continue
            if isinstance(value, list) and len(value) == 1:
                value = value[0]
            out[pulumi_property(str(key))] = pulumi_props(value)
        return out
    if isinstance(conf, list):
        return [pulumi_props(v) for v in conf]
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


def terraform_types(rule: Rule) -> tuple[str, ...]:
    """The Terraform types of every resource kind the rule examines (its `applies_to`)."""
    return tuple(tf for token, tf in TF_TYPES.items() if rule.applies(token))


# One check per rule that declares a checkov id (bascule.rules metadata): nothing to list here.
for _rule in ALL_RULES:
    if _rule.checkov_id is not None and terraform_types(_rule):
        BasculeRuleCheck(_rule.checkov_id, _rule, terraform_types(_rule))
