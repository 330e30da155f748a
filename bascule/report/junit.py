"""JUnit XML: one testsuite per pack, one testcase per rule without violations and one per
(rule, resource) with violations. Mandatory → failure; advisory and suppressed → skipped."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from bascule.policy.result import PolicyRun, Violation
from bascule.report.common import PACK_ORDER, RuleGroup, group_by_rule


def _by_urn(violations: tuple[Violation, ...]) -> dict[str, list[Violation]]:
    grouped: dict[str, list[Violation]] = defaultdict(list)
    for v in violations:
        grouped[v.urn].append(v)
    return dict(sorted(grouped.items()))


Counts = dict[str, int]  # tests, failures, skipped of one suite


def _case(suite: ET.Element, count: Counts, classname: str, name: str) -> ET.Element:
    count["tests"] += 1
    return ET.SubElement(suite, "testcase", classname=classname, name=name)


def _skip(case: ET.Element, count: Counts, message: str) -> None:
    ET.SubElement(case, "skipped", message=message)
    count["skipped"] += 1


def _group_cases(suite: ET.Element, count: Counts, group: RuleGroup) -> None:
    """A rule's cases: one passing (or disabled) case, else one per resource it flagged and
    one per suppressed violation."""
    info = group.info
    classname = f"bascule.{info.pack}.{info.rule_id}"
    if not group.violations and not group.suppressed:
        case = _case(suite, count, classname, info.policy)
        if info.level == "disabled":
            _skip(case, count, "policy disabled")
        return
    for urn, violations in _by_urn(group.violations).items():
        case = _case(suite, count, classname, f"{info.policy} {urn or '(stack)'}")
        text = "\n".join(v.message for v in violations)
        if any(v.level == "mandatory" for v in violations):
            failure = ET.SubElement(
                case, "failure", message=violations[0].message, type=info.severity or "error"
            )
            failure.text = text
            count["failures"] += 1
        else:
            _skip(case, count, f"advisory: {violations[0].message}")
            ET.SubElement(case, "system-out").text = text
    for s in group.suppressed:
        name = f"{info.policy} {s.violation.urn or '(stack)'} (suppressed)"
        case = _case(suite, count, classname, name)
        expires = s.suppression.expires.isoformat()
        _skip(case, count, f"suppressed until {expires}: {s.suppression.reason}")


def junit_tree(run: PolicyRun) -> ET.Element:
    root = ET.Element("testsuites", name="bascule")
    suites: dict[str, ET.Element] = {}
    counts: dict[str, Counts] = {}
    groups = group_by_rule(run)
    for pack in sorted({g.info.pack for g in groups}, key=lambda p: (PACK_ORDER.get(p, 99), p)):
        suites[pack] = ET.SubElement(root, "testsuite", name=f"bascule-{pack}")
        counts[pack] = {"tests": 0, "failures": 0, "skipped": 0}
    for group in groups:
        _group_cases(suites[group.info.pack], counts[group.info.pack], group)
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
