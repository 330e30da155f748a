"""Tiny fixture loader for rule tests: `pulumi stack export` JSON -> rule views.

Deliberately independent of `bascule.snapshot` (the rules only depend on `base`).
Resource rules see inputs (as CrossGuard's validateResource does); stack rules see
outputs, or inputs when a resource has no outputs (a never-deployed fixture).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bascule.rules.base import ProviderView, ResourceView, Rule, StackResource

DATA = Path(__file__).resolve().parents[2] / "data" / "rules"
ROOT_STACK = "pulumi:pulumi:Stack"


def name_of(urn: str) -> str:
    return urn.split("::")[-1]


def provider_urn(ref: str | None) -> str | None:
    """`<provider urn>::<provider id>` -> provider urn."""
    if not ref:
        return None
    return ref.rsplit("::", 1)[0]


def load_resources(path: Path) -> list[Mapping[str, Any]]:
    doc = json.loads(path.read_text())
    assert doc.get("version") == 3, f"{path}: not a version 3 stack export"
    return list(doc["deployment"].get("resources") or [])


def _providers(resources: list[Mapping[str, Any]]) -> dict[str, ProviderView]:
    return {
        r["urn"]: ProviderView(
            type=r["type"], props=r.get("inputs") or {}, urn=r["urn"], name=name_of(r["urn"])
        )
        for r in resources
        if r["type"].startswith("pulumi:providers:")
    }


def resource_views(resources: list[Mapping[str, Any]]) -> list[ResourceView]:
    providers = _providers(resources)
    views = []
    for r in resources:
        if r["type"] == ROOT_STACK:
            continue
        puri = provider_urn(r.get("provider"))
        views.append(
            ResourceView(
                type=r["type"],
                props=r.get("inputs") or {},
                urn=r["urn"],
                name=name_of(r["urn"]),
                provider=providers.get(puri) if puri else None,
            )
        )
    return views


def stack_resources(resources: list[Mapping[str, Any]]) -> list[StackResource]:
    providers = _providers(resources)
    out = []
    for r in resources:
        puri = provider_urn(r.get("provider"))
        out.append(
            StackResource(
                type=r["type"],
                props=r.get("outputs") or r.get("inputs") or {},
                urn=r["urn"],
                name=name_of(r["urn"]),
                parent=r.get("parent"),
                dependencies=tuple(r.get("dependencies") or ()),
                provider=providers.get(puri) if puri else None,
            )
        )
    return out


def rule_config(rule: Rule) -> dict[str, Any]:
    path = DATA / rule.id / "config.json"
    return json.loads(path.read_text()) if path.exists() else {}


def run_rule(rule: Rule, path: Path, config: Mapping[str, Any] | None = None) -> list[dict]:
    """Findings of `rule` on an export file, as [{"urn", "message"}]."""
    resources = load_resources(path)
    found: list[dict] = []
    if rule.kind == "resource":
        for view in resource_views(resources):
            for message in rule.check_resource(view, config):
                found.append({"urn": view.urn, "message": message})
    else:
        for finding in rule.check_stack(stack_resources(resources), config):
            found.append({"urn": finding.urn, "message": finding.message})
    return found
