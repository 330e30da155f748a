"""SARIF 2.1.0 report, as GitHub code scanning accepts it.

Results point at the file they were found in (the stack settings file, or the snapshot) by a
path relative to the project root, `uriBaseId` PROJECTROOT; `originalUriBaseIds` says where
that root is relative to the directory bascule ran in (%SRCROOT%, the repository root in CI).
No absolute path of the machine is ever written. Every bascule rule's `helpUri` is its page,
docs/rules/<ID>.md.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from bascule import __version__
from bascule.files import shown_path
from bascule.policy.result import PolicyRun, RuleInfo, Violation
from bascule.report.common import SECURITY_SEVERITY, group_by_rule
from bascule.rules.catalog import ALL_RULES

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
INFORMATION_URI = "https://github.com/bascule-project/bascule"
PROJECT_ROOT = "PROJECTROOT"
SOURCE_ROOT = "%SRCROOT%"
# A checkov check that wraps a bascule rule names it first (policies/checkov).
_WRAPPED_RULE = re.compile(r"^bascule ((?:SOV|PRT|MIG)-\d{3}):")


@dataclass(frozen=True)
class Artifact:
    """Where the results were found: `uri` relative to the project root; `root` that root
    relative to the working directory ("" when it is the working directory, None when it is
    outside it: then it is only described)."""

    uri: str
    root: str | None = ""


def rule_page(rule_id: str) -> str:
    """The documentation page of a bascule rule (docs/rules/<ID>.md in the repository)."""
    return f"{INFORMATION_URI}/blob/main/docs/rules/{rule_id}.md"


def _help_uri(info: RuleInfo) -> str | None:

    if any(info.policy == rule.policy_name for rule in ALL_RULES):
        return rule_page(info.rule_id)
    wrapped = _WRAPPED_RULE.match(info.description)
    if wrapped and any(wrapped.group(1) == rule.id for rule in ALL_RULES):
        return rule_page(wrapped.group(1))
    if info.remediation.startswith("https://"):  # checkov's own checks link their guideline
        return info.remediation
    return None


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
    rule: dict[str, Any] = {
        "id": info.rule_id,
        "name": info.policy,
        "shortDescription": {"text": info.description or info.policy},
        "fullDescription": {"text": full or info.policy},
        "help": {"text": info.remediation or info.description, "markdown": markdown.strip()},
        "defaultConfiguration": {"level": _LEVELS.get(info.level, "warning")},
        "properties": properties,
    }
    help_uri = _help_uri(info)
    if help_uri is not None:
        rule["helpUri"] = help_uri
    return rule


def _result(
    violation: Violation, rule_index: int, artifact: Artifact, justification: str | None
) -> dict[str, Any]:
    location: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": {"uri": quote(artifact.uri), "uriBaseId": PROJECT_ROOT},
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


def _base_ids(artifact: Artifact) -> dict[str, Any]:
    project = "The Pulumi project directory (where Pulumi.yaml is)"
    if artifact.root:  # a directory under the one bascule ran in
        return {
            PROJECT_ROOT: {"uri": quote(artifact.root.rstrip("/") + "/"), "uriBaseId": SOURCE_ROOT},
            SOURCE_ROOT: {
                "description": {"text": "The directory bascule ran in (the repository root in CI)"}
            },
        }
    where = (
        "the directory bascule ran in"
        if artifact.root == ""
        else "outside the directory bascule ran in"
    )
    return {PROJECT_ROOT: {"description": {"text": f"{project}: {where}"}}}


def sarif_dict(run: PolicyRun, artifact: Artifact | None = None) -> dict[str, Any]:
    """The SARIF log; results point at `artifact` (default: the run's source file name)."""

    artifact = artifact or Artifact(shown_path(run.source or "Pulumi.yaml"), None)
    groups = group_by_rule(run)
    rules = [_rule(g.info) for g in groups]
    results: list[dict[str, Any]] = []
    for index, group in enumerate(groups):
        for v in group.violations:
            results.append(_result(v, index, artifact, None))
        for s in group.suppressed:
            results.append(_result(s.violation, index, artifact, s.suppression.reason))
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "bascule",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "automationDetails": {"id": "bascule/policy/"},
                "originalUriBaseIds": _base_ids(artifact),
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def render_sarif(run: PolicyRun, artifact: Artifact | None = None) -> str:
    return json.dumps(sarif_dict(run, artifact), indent=2) + "\n"
