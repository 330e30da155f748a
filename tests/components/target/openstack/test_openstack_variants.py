"""Config variants of the OpenStack tenancy."""

from __future__ import annotations

from collections.abc import Callable

import yaml
from target_harness import REPO, TargetRun

from components.config.load import parse_stack_config
from components.config.stack import StackConfig


def test_restricted_gateway_sources_leave_no_open_rule(
    build_target: Callable[[StackConfig], TargetRun],
) -> None:
    document = yaml.safe_load((REPO / "Pulumi.dev.yaml").read_text())
    raw = {key.split(":", 1)[1]: value for key, value in document["config"].items()}
    raw["gateway"] = {**raw["gateway"], "allowedSourceCidrs": ["198.51.100.0/24", "203.0.113.0/24"]}
    raw["target"] = {**raw["target"], "auditRetentionDays": 30}
    run = build_target(parse_stack_config(raw))
    rules = run.of_type("networking/secGroupRule:SecGroupRule")
    prefixes = {r.inputs["remoteIpPrefix"] for r in rules}
    assert "0.0.0.0/0" not in prefixes
    gateway_rules = [r for r in rules if r.parent_type == "bascule:target:AccessGateway"]
    assert {r.inputs["remoteIpPrefix"] for r in gateway_rules} == {
        "198.51.100.0/24",
        "203.0.113.0/24",
    }
    (audit,) = [
        r
        for r in run.of_type("objectstorage/container:Container")
        if r.parent_type == "bascule:target:AuditLog"
    ]
    # A too-short configured retention is raised to the six-month floor.
    assert audit.inputs["metadata"]["retention-days"] == "180"
