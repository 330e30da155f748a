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


# -- which steps run when the main job finds something ---------------------------------
# The `if:` conditions are evaluated as GitHub does (a default `success()` unless the
# expression calls a status function), over a simulated run where each step's outcome is
# the scenario's; `hashFiles` sees the files the steps that ran have written.
_STATUS_FUNCTIONS = ("success()", "failure()", "always()", "cancelled()")
_TOKEN = re.compile(r"\s*(\$\{\{|\}\}|&&|\|\||!=|==|!|\(|\)|'[^']*'|[A-Za-z_][\w.]*)")


def _condition(expression: str | None, failed: bool, files: set[str]) -> bool:
    text = (expression or "success()").strip()
    if not any(function in text for function in _STATUS_FUNCTIONS):
        text = f"success() && ({text})"
    python: list[str] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        assert match, f"unsupported expression: {text!r}"
        token = match.group(1)
        position = match.end()
        python.append(
            {
                "${{": "",
                "}}": "",
                "&&": " and ",
                "||": " or ",
                "!": " not ",
                "!=": " != ",
                "==": " == ",
            }.get(token, token)
        )
    names = {
        "success": lambda: not failed,
        "failure": lambda: failed,
        "always": lambda: True,
        "cancelled": lambda: False,
        "hashFiles": lambda name: "hash" if name in files else "",
    }
    # Every token was matched above: operators, names, quoted strings; no builtins reachable.
    return bool(eval("".join(python), {"__builtins__": {}}, names))


def _simulate(exits: dict[str, int]) -> tuple[list[str], bool]:
    """Steps that ran (by name or action) and whether the job failed, given the exit code
    of each `bascule`/`dev.py` command (0 ok, 1 findings, 3 crash)."""
    [job] = load_workflow()["jobs"].values()
    ran: list[str] = []
    files: set[str] = set()
    failed = False
    for step in job["steps"]:
        if not _condition(step.get("if"), failed, files):
            continue
        label = step.get("name") or step["uses"].split("@")[0]
        if "uses" in step:
            sarif = step.get("with", {}).get("sarif_file")
            assert sarif is None or sarif in files, f"{label} uploads a missing {sarif}"
            ran.append(f"{label} {sarif}" if sarif else label)
            continue
        ran.append(label)
        command = step["run"]
        code = next((c for word, c in exits.items() if word in command), 0)
        if code in (0, 1):
            files.update(re.findall(r"-o (\S+)", command))
        tolerated = code == 1 and "|| test $? -eq 1" in command
        failed = failed or (code != 0 and not tolerated)
    return ran, failed


UPLOADS = [
    "github/codeql-action/upload-sarif bascule.sarif",
    "github/codeql-action/upload-sarif checkov.sarif",
]


def test_both_reports_are_uploaded_when_the_main_job_finds_something() -> None:
    ran, failed = _simulate({"dev.py check": 1, "bascule policy": 1, "bascule checkov": 1})
    assert ran[-4:] == ["Policy report as SARIF", "checkov on the exports", *UPLOADS]
    assert failed  # findings still fail the job


def test_a_clean_run_uploads_both_and_passes() -> None:
    ran, failed = _simulate({})
    assert ran[-2:] == UPLOADS
    assert not failed


def test_a_crashed_scan_fails_the_job_and_uploads_only_what_exists() -> None:
    ran, failed = _simulate({"dev.py check": 1, "bascule checkov": 3})
    assert ran[-1] == UPLOADS[0]
    assert failed


def test_the_simulated_conditions_follow_githubs_defaults() -> None:
    assert _condition(None, failed=True, files=set()) is False  # success() by default
    assert _condition("${{ !cancelled() }}", failed=True, files=set()) is True
    assert _condition("hashFiles('a') != ''", failed=True, files={"a"}) is False
    assert _condition("${{ always() && hashFiles('a') != '' }}", failed=True, files=set()) is False
