"""JUnit XML: one testsuite per pack, one testcase per rule without violations and one per
(rule, resource) with violations. Mandatory → failure; advisory and suppressed → skipped."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from bascule.policy.result import PolicyRun, Violation
from bascule.report.common import PACK_ORDER, group_by_rule


def _by_urn(violations: tuple[Violation, ...]) -> dict[str, list[Violation]]:
    grouped: dict[str, list[Violation]] = defaultdict(list)
    for v in violations:
        grouped[v.urn].append(v)
    return dict(sorted(grouped.items()))


def junit_tree(run: PolicyRun) -> ET.Element:
    root = ET.Element("testsuites", name="bascule")
    suites: dict[str, ET.Element] = {}
    counts: dict[str, dict[str, int]] = {}
    groups = group_by_rule(run)
    for pack in sorted({g.info.pack for g in groups}, key=lambda p: (PACK_ORDER.get(p, 99), p)):
        suites[pack] = ET.SubElement(root, "testsuite", name=f"bascule-{pack}")
        counts[pack] = {"tests": 0, "failures": 0, "skipped": 0}

    for group in groups:
        info = group.info
        suite, count = suites[info.pack], counts[info.pack]
        classname = f"bascule.{info.pack}.{info.rule_id}"
        if not group.violations and not group.suppressed:
            case = ET.SubElement(suite, "testcase", classname=classname, name=info.policy)
            count["tests"] += 1
            if info.level == "disabled":
                ET.SubElement(case, "skipped", message="policy disabled")
                count["skipped"] += 1
            continue
        for urn, violations in _by_urn(group.violations).items():
            case = ET.SubElement(
                suite, "testcase", classname=classname, name=f"{info.policy} {urn or '(stack)'}"
            )
            count["tests"] += 1
            text = "\n".join(v.message for v in violations)
            if any(v.level == "mandatory" for v in violations):
                failure = ET.SubElement(
                    case, "failure", message=violations[0].message, type=info.severity or "error"
                )
                failure.text = text
                count["failures"] += 1
            else:
                ET.SubElement(case, "skipped", message=f"advisory: {violations[0].message}")
                ET.SubElement(case, "system-out").text = text
                count["skipped"] += 1
        for s in group.suppressed:
            urn = s.violation.urn
            case = ET.SubElement(
                suite,
                "testcase",
                classname=classname,
                name=f"{info.policy} {urn or '(stack)'} (suppressed)",
            )
            count["tests"] += 1
            ET.SubElement(
                case,
                "skipped",
                message=(
                    f"suppressed until {s.suppression.expires.isoformat()}: {s.suppression.reason}"
                ),
            )
            count["skipped"] += 1

    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for pack, suite in suites.items():
        for key, value in counts[pack].items():
            suite.set(key, str(value))
            totals[key] += value
        suite.set("errors", "0")
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("errors", "0")
    return root


def render_junit(run: PolicyRun) -> str:
    root = junit_tree(run)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
