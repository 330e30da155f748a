"""SARIF 2.1.0 report, as GitHub code scanning accepts it."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from bascule.policy.result import PolicyRun, RuleInfo, Violation
from bascule.report.common import SECURITY_SEVERITY, group_by_rule

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
INFORMATION_URI = "https://github.com/bascule-project/bascule"
TOOL_VERSION = "0.1.0"
_LEVELS = {"mandatory": "error", "advisory": "warning", "remediate": "error", "disabled": "none"}


def fingerprint(rule_id: str, urn: str) -> str:
    return hashlib.sha256(f"{rule_id}\n{urn}".encode()).hexdigest()


def _rule(info: RuleInfo) -> dict[str, Any]:
    sections = ", ".join(info.secnumcloud)
    full = info.description + (f" (SecNumCloud 3.2 {sections})" if sections else "")
    hds = ", ".join(info.hds)
    markdown = f"**Remediation**: {info.remediation}" if info.remediation else ""
    if sections:
        markdown += f"\n\nSecNumCloud 3.2: {sections}."
    if hds:
        markdown += f"\n\nHDS: {hds}."
    properties: dict[str, Any] = {
        "tags": ["security", "sovereignty", *info.tags],
        "precision": "very-high",
        "problem.severity": "error" if info.level == "mandatory" else "warning",
    }
    if info.severity in SECURITY_SEVERITY:
        properties["security-severity"] = SECURITY_SEVERITY[info.severity]
    return {
        "id": info.rule_id,
        "name": info.policy,
        "shortDescription": {"text": info.description or info.policy},
        "fullDescription": {"text": full or info.policy},
        "help": {"text": info.remediation or info.description, "markdown": markdown.strip()},
        "defaultConfiguration": {"level": _LEVELS.get(info.level, "warning")},
        "properties": properties,
    }


def _result(
    violation: Violation, rule_index: int, artifact_uri: str, justification: str | None
) -> dict[str, Any]:
    location: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": {"uri": artifact_uri},
            "region": {"startLine": 1},
        }
    }
    if violation.urn:
        location["logicalLocations"] = [{"fullyQualifiedName": violation.urn, "kind": "resource"}]
    text = violation.message or violation.full_message or violation.policy
    if violation.urn:
        text = f"{text} ({violation.urn})"
    result: dict[str, Any] = {
        "ruleId": violation.rule_id,
        "ruleIndex": rule_index,
        "level": _LEVELS.get(violation.level, "warning"),
        "message": {"text": text},
        "locations": [location],
        "partialFingerprints": {"basculeFinding/v1": fingerprint(violation.rule_id, violation.urn)},
        "properties": {"policy": violation.policy, "pack": violation.pack, "urn": violation.urn},
    }
    if justification is not None:
        result["suppressions"] = [{"kind": "external", "justification": justification}]
    return result


def sarif_dict(run: PolicyRun, artifact_uri: str | None = None) -> dict[str, Any]:
    """The SARIF log; results point at `artifact_uri` (default: the snapshot's source)."""
    uri = artifact_uri or run.source or "Pulumi.yaml"
    groups = group_by_rule(run)
    rules = [_rule(g.info) for g in groups]
    results: list[dict[str, Any]] = []
    for index, group in enumerate(groups):
        for v in group.violations:
            results.append(_result(v, index, uri, None))
        for s in group.suppressed:
            results.append(_result(s.violation, index, uri, s.suppression.reason))
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "bascule",
                        "informationUri": INFORMATION_URI,
                        "semanticVersion": TOOL_VERSION,
                        "rules": rules,
                    }
                },
                "automationDetails": {"id": "bascule/policy/"},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def render_sarif(run: PolicyRun, artifact_uri: str | None = None) -> str:
    return json.dumps(sarif_dict(run, artifact_uri), indent=2) + "\n"
