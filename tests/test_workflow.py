"""The example GitHub workflow: minimal permissions, actions pinned by SHA, SARIF uploaded."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

WORKFLOW = Path(__file__).resolve().parents[1] / ".github" / "workflows" / "policy.yml"


def test_workflow_is_pinned_and_least_privilege() -> None:
    doc = yaml.safe_load(WORKFLOW.read_text())
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
