"""The example GitHub workflow: minimal permissions, actions pinned by SHA, SARIF uploaded."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "policy.yml"
# actionlint is not on the package registries this project may use: a strict schema instead.
SCHEMA = ROOT / "tests" / "data" / "github-workflow.schema.json"


def load_workflow() -> dict:
    # YAML 1.1 reads the key `on` as True; GitHub reads it as the string "on".
    doc = yaml.safe_load(WORKFLOW.read_text())
    return {("on" if key is True else key): value for key, value in doc.items()}


def test_workflow_matches_the_schema() -> None:
    jsonschema.validate(load_workflow(), json.loads(SCHEMA.read_text()))


def test_workflow_is_pinned_and_least_privilege() -> None:
    doc = load_workflow()
    assert doc["permissions"] == {}
    [job] = doc["jobs"].values()
    assert job["permissions"] == {"contents": "read", "security-events": "write"}
    uses = [step["uses"] for step in job["steps"] if "uses" in step]
    assert uses, "no actions used"
    for action in uses:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", action), f"{action} not pinned by SHA"
    runs = " ".join(step.get("run", "") for step in job["steps"])
    assert "scripts/dev.py check" in runs and "--format sarif" in runs
    assert any(a.startswith("github/codeql-action/upload-sarif@") for a in uses)
