"""JSON report: `{"violations", "suppressed", "suppressions", "nothingToCheck",
"remediations", "summary"}`, then `targetOffers`, `notRead` (kinds no rule names) and
checkov's `notScanned` where they apply; deterministic."""

from __future__ import annotations

import json
from typing import Any

from bascule.policy.result import PolicyRun
from bascule.report.offers import offers_dict


def report_dict(run: PolicyRun) -> dict[str, Any]:
    violations = sorted(run.violations, key=lambda v: v.sort_key())
    suppressed = sorted(run.suppressed, key=lambda s: s.violation.sort_key())
    report: dict[str, Any] = {
        "violations": [v.to_dict() for v in violations],
        "suppressed": [s.to_dict() for s in suppressed],
        "suppressions": [s.to_dict() for s in run.suppressions],
        "nothingToCheck": [
            {"policy": i.policy, "rule": i.rule_id, "kinds": list(run.kinds[i.policy])}
            for i in sorted(run.nothing_to_check, key=lambda i: i.rule_id)
        ],
        "remediations": [r.to_dict() for r in run.remediations],
        "summary": run.summary(),
    }
    if run.offers is not None:
        report["targetOffers"] = offers_dict(run.offers)
    if run.not_read is not None:  # bascule's rules: kinds none of them names
        report["notRead"] = [
            {"type": type_, "urns": list(urns)} for type_, urns in run.not_read.items()
        ]
    if run.not_scanned is not None:  # checkov: what no export could map, so it never saw
        report["notScanned"] = [
            {"type": type_, "urns": list(urns)} for type_, urns in sorted(run.not_scanned.items())
        ]
    return report


def render_json(run: PolicyRun) -> str:
    return json.dumps(report_dict(run), indent=2, sort_keys=False) + "\n"
