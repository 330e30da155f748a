"""A wave's transfer evidence: the verification manifest `bascule transfer verify` wrote,
cited in the stack config as `transferEvidence: {manifest: PATH, sha256: HEX}` and accepted
only on the terms of docs/transfer.md ("The manifest: the contract with the wave acceptance
report")."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA = "bascule.transfer.manifest/v1"


@dataclass(frozen=True)
class Evidence:
    """The outcome of checking one citation: `problems` empty when it is accepted."""

    manifest: str  # as cited (relative to the project directory)
    sha256: str  # as cited
    problems: tuple[str, ...] = ()

    @property
    def accepted(self) -> bool:
        return not self.problems


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sidecar_problem(path: Path, cited: str) -> str | None:
    sidecar = path.with_name(path.name + ".sha256")
    if not sidecar.is_file():
        return f"{sidecar.name} is missing next to the manifest"
    fields = sidecar.read_text(encoding="utf-8", errors="replace").split()
    if not fields or fields[0].lower() != cited:
        return f"{sidecar.name} does not record the cited SHA-256"
    return None


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _content_problems(doc: Mapping[str, Any], wave: int, plan_dir: Path) -> list[str]:
    problems = []
    if doc.get("schema") != SCHEMA:
        problems.append(f"schema is {doc.get('schema')!r}, expected {SCHEMA!r}")
    totals = _mapping(doc.get("totals"))
    if doc.get("result") != "passed" or totals.get("failures") != 0:
        problems.append(
            f"result is {doc.get('result')!r} with {totals.get('failures')!r} failure(s): "
            "the verification did not pass"
        )
    if doc.get("wave") != wave:
        problems.append(f"it verifies wave {doc.get('wave')!r}, not wave {wave}")
    plan = _mapping(doc.get("plan"))
    plan_file = plan_dir / str(plan.get("file") or "plan.json")
    if not plan_file.is_file():
        problems.append(f"its plan {plan_file.name} is not next to it (in {plan_dir})")
    elif _digest(plan_file) != plan.get("sha256"):
        problems.append(f"{plan_file.name} is not the plan it verified (SHA-256 differs)")
    return problems


def check_evidence(citation: Mapping[str, Any], wave: int, project_dir: Path) -> Evidence:
    """Accept the citation only if the file is the one cited, passed, for this wave's plan."""
    cited_path = str(citation.get("manifest") or "")
    cited_hex = str(citation.get("sha256") or "").lower()
    evidence = Evidence(cited_path, cited_hex)
    path = (project_dir / cited_path).resolve()
    if not cited_path or not path.is_file():
        return Evidence(cited_path, cited_hex, (f"manifest {cited_path!r} not found",))
    if _digest(path) != cited_hex:
        return Evidence(
            cited_path, cited_hex, ("the manifest's SHA-256 is not the cited one: it changed",)
        )
    problems = [p for p in (_sidecar_problem(path, cited_hex),) if p]
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return Evidence(cited_path, cited_hex, (*problems, f"not JSON ({exc.__class__.__name__})"))
    if not isinstance(doc, Mapping):
        return Evidence(cited_path, cited_hex, (*problems, "not a JSON object"))
    # The manifest sits in PLANDIR/verification/; its plan is PLANDIR/plan.json.
    problems += _content_problems(doc, wave, path.parent.parent)
    return Evidence(evidence.manifest, evidence.sha256, tuple(problems))
