"""Run checkov on the exports of a snapshot and bring its findings back to Pulumi URNs."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from bascule.checkov.venv import checkov_command
from bascule.errors import BasculeError
from bascule.export.arm import to_arm
from bascule.export.tfplan import Export, to_tfplan
from bascule.policy.result import PolicyRun, RuleInfo, Suppressed, SuppressionStatus, Violation
from bascule.policy.suppressions import Suppression, is_suppressed
from bascule.snapshot.model import Snapshot

CUSTOM_CHECKS = Path(__file__).resolve().parents[2] / "policies" / "checkov"
PACK = "checkov"
# bascule's own checks mirror mandatory rules; checkov's built-in ones advise by default.
CUSTOM_PREFIX = "CKV_BSC_"
FRAMEWORKS = (
    ("terraform_plan", "target.tfplan.json", to_tfplan),
    ("arm", "source.arm.json", to_arm),
)


def _run_checkov(
    files: Path, framework: str, document: str, urns_file: Path
) -> list[dict[str, Any]]:
    command = [
        *checkov_command(),
        "--file",
        str(files / document),
        "--framework",
        framework,
        "--external-checks-dir",
        str(CUSTOM_CHECKS),
        "--skip-download",
        "--output",
        "json",
        "--quiet",
        "--compact",
    ]
    env = {**os.environ, "BASCULE_URNS": str(urns_file), "BC_SKIP_MAPPING": "TRUE"}
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=900)
    if result.returncode not in (0, 1):
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise BasculeError(f"checkov failed on {document} (exit {result.returncode}): {last}", 3)
    try:
        parsed = json.loads(result.stdout or "[]")
    except json.JSONDecodeError:
        raise BasculeError(f"checkov printed no JSON report for {document}", 3) from None
    reports = parsed if isinstance(parsed, list) else [parsed]
    for report in reports:
        errors = (report.get("summary") or {}).get("parsing_errors", 0)
        if errors:
            raise BasculeError(f"checkov could not parse {document} ({errors} parsing errors)", 3)
    return [dict(r) for r in reports if isinstance(r, Mapping) and "results" in r]


def findings(
    snapshot: Snapshot,
    levels: Mapping[str, str] | None = None,
    suppressions: Mapping[str, Sequence[Suppression]] | None = None,
    today: dt.date | None = None,
) -> PolicyRun:
    """checkov's failed checks on both exports, as a PolicyRun (URN-attributed)."""
    today = today or dt.date.today()
    levels = levels or {}
    suppressions = suppressions or {}
    violations: list[Violation] = []
    suppressed: list[Suppressed] = []
    used: set[Suppression] = set()
    infos: dict[str, RuleInfo] = {}
    types = {r.urn: r.type for r in snapshot.resources}
    analysed = 0
    not_scanned: dict[str, tuple[str, ...]] = {}
    with tempfile.TemporaryDirectory(prefix="bascule-checkov-") as tmp:
        files = Path(tmp)
        for framework, document, export in FRAMEWORKS:
            exported: Export = export(snapshot)
            not_scanned.update(exported.dropped)
            if not exported.urns:
                continue
            analysed += len(exported.urns)
            (files / document).write_text(json.dumps(exported.document))
            urns_file = files / f"{document}.urns"
            urns_file.write_text(json.dumps(exported.urns))
            for report in _run_checkov(files, framework, document, urns_file):
                for failed in report["results"].get("failed_checks", []):
                    urn = exported.urns.get(str(failed.get("resource")), "")
                    violation = _violation(failed, urn, types.get(urn, ""), levels)
                    if violation is None:
                        continue
                    infos.setdefault(violation.policy, _info(failed, violation.level))
                    hit = is_suppressed(suppressions.get(violation.policy, ()), urn, today)
                    if hit is not None:
                        used.add(hit)
                        suppressed.append(Suppressed(violation, hit))
                    else:
                        violations.append(violation)
    statuses = tuple(
        SuppressionStatus(
            s, "active" if s in used else ("expired" if s.expires < today else "unused")
        )
        for items in suppressions.values()
        for s in items
    )
    return PolicyRun(
        violations=tuple(sorted(violations, key=lambda v: v.sort_key())),
        suppressed=tuple(suppressed),
        suppressions=statuses,
        rules_info=tuple(infos[k] for k in sorted(infos)),
        resources_analyzed=analysed,
        source=snapshot.source,
        resource_types=types,
        not_scanned=dict(sorted(not_scanned.items())),
    )


def _violation(
    failed: Mapping[str, Any], urn: str, type_: str, levels: Mapping[str, str]
) -> Violation | None:
    """A failed check as a violation at its configured level (None when disabled)."""
    check_id = str(failed["check_id"])
    default = "mandatory" if check_id.startswith(CUSTOM_PREFIX) else "advisory"
    level = levels.get(check_id, levels.get("all", default))
    if level == "disabled":
        return None
    details = "; ".join(str(d) for d in failed.get("details") or [])
    message = str(failed.get("check_name", check_id)) + (f": {details}" if details else "")
    return Violation(
        policy=check_id,
        rule_id=check_id,
        pack=PACK,
        urn=urn,
        level=level,
        severity=str(failed.get("severity") or "").lower(),
        message=message,
        resource_type=type_,
        full_message=message,
    )


def _info(failed: Mapping[str, Any], level: str) -> RuleInfo:
    check_id = str(failed["check_id"])
    return RuleInfo(
        policy=check_id,
        pack=PACK,
        description=str(failed.get("check_name", "")),
        level=level,
        default_level=level,
        severity=str(failed.get("severity") or "").lower(),
        kind="resource",
        rule_id=check_id,
        secnumcloud=(),
        hds=(),
        tags=("checkov",),
        remediation=str(failed.get("guideline") or ""),
    )
