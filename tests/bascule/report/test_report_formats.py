from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from importlib import metadata

import jsonschema
import pytest
from report_support import ACCT, MIG1, PRT7, PRT13, REPO, RG, SOV1, VAULT, U

from bascule.policy.result import PolicyRun
from bascule.report.common import section_key
from bascule.report.formats import FORMATS, render
from bascule.report.json_report import render_json
from bascule.report.junit import render_junit
from bascule.report.matrix import render_matrix
from bascule.report.referential import referential
from bascule.report.rules_table import rules_table_markdown
from bascule.report.sarif import Artifact, fingerprint, render_sarif
from bascule.report.text import print_text, render_text


def test_json_contract(run: PolicyRun) -> None:
    doc = json.loads(render_json(run))
    assert list(doc) == [
        "violations",
        "suppressed",
        "suppressions",
        "nothingToCheck",
        "remediations",
        "summary",
    ]
    assert doc["remediations"] == []
    assert [
        {k: v[k] for k in ("policy", "urn", "level", "message")} for v in doc["violations"]
    ] == [
        {"policy": MIG1, "urn": "", "level": "mandatory", "message": "no lock at all"},
        {"policy": PRT13, "urn": VAULT, "level": "advisory", "message": "soft delete <7 days>"},
        {"policy": SOV1, "urn": RG, "level": "mandatory", "message": "location 'eastus'"},
        {"policy": SOV1, "urn": ACCT, "level": "mandatory", "message": "location 'westeurope'"},
    ]
    assert doc["violations"][3] == {
        "policy": SOV1,
        "urn": ACCT,
        "level": "mandatory",
        "message": "location 'westeurope'",
        "rule": "SOV-001",
        "severity": "critical",
        "pack": "sovereignty",
        "type": "azure-native:storage:StorageAccount",
        # As the engine prints them, so a CI that compared the engine's output keeps working.
        "description": "SOV-001 must hold.",
        "fullMessage": "SOV-001 must hold.\nlocation 'westeurope'",
    }
    assert doc["suppressed"] == [
        {
            "policy": PRT7,
            "urn": RG,
            "level": "mandatory",
            "message": "TLS1_0",
            "rule": "PRT-007",
            "severity": "high",
            "pack": "protection",
            "type": "",
            "description": "PRT-007 must hold.",
            "fullMessage": "PRT-007 must hold.\nTLS1_0",
            "reason": "legacy app, wave 3",
            "expires": "2026-12-31",
        }
    ]
    assert [(s["policy"], s["status"]) for s in doc["suppressions"]] == [
        (PRT13, "unused"),
        (PRT7, "active"),
        (SOV1, "expired"),
    ]
    assert doc["suppressions"][1] == {
        "policy": PRT7,
        "urn": RG,
        "reason": "legacy app, wave 3",
        "expires": "2026-12-31",
        "status": "active",
    }
    assert doc["summary"] == {
        "mandatory": 3,
        "advisory": 1,
        "suppressed": 1,
        "resources": 12,
        "policies": 4,
    }
    assert render_json(run) == render_json(run)


def test_sarif_validates_against_schema(run: PolicyRun) -> None:
    schema = json.loads((REPO / "tests" / "data" / "sarif-2.1.0-rtm.5.json").read_text())
    doc = json.loads(render_sarif(run))
    jsonschema.validate(doc, schema)
    assert doc["version"] == "2.1.0"
    driver = doc["runs"][0]["tool"]["driver"]
    assert driver["name"] == "bascule"
    assert driver["version"] == driver["semanticVersion"] == metadata.version("bascule")
    assert driver["informationUri"] == "https://github.com/bascule-project/bascule"
    assert [r["id"] for r in driver["rules"]] == ["SOV-001", "PRT-007", "PRT-013", "MIG-001"]
    assert [r["helpUri"] for r in driver["rules"]] == [
        f"https://github.com/bascule-project/bascule/blob/main/docs/rules/{rule}.md"
        for rule in ("SOV-001", "PRT-007", "PRT-013", "MIG-001")
    ]
    sov = driver["rules"][0]
    assert sov["properties"]["security-severity"] == "9.0"
    assert "secnumcloud:19.2" in sov["properties"]["tags"]
    assert sov["defaultConfiguration"] == {"level": "error"}
    assert driver["rules"][2]["defaultConfiguration"] == {"level": "warning"}
    assert sov["help"]["text"] == 'Fix SOV-001 <now> & "here".'
    results = doc["runs"][0]["results"]
    assert [(r["ruleId"], r["ruleIndex"], r["level"]) for r in results] == [
        ("SOV-001", 0, "error"),
        ("SOV-001", 0, "error"),
        ("PRT-007", 1, "error"),
        ("PRT-013", 2, "warning"),
        ("MIG-001", 3, "error"),
    ]
    first = results[0]
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "snapshots/estate.json", "uriBaseId": "PROJECTROOT"},
        "region": {"startLine": 1},
    }
    assert first["locations"][0]["logicalLocations"] == [
        {"fullyQualifiedName": RG, "kind": "resource"}
    ]
    assert first["partialFingerprints"] == {"basculeFinding/v1": fingerprint("SOV-001", RG)}
    assert first["message"]["text"] == f"location 'eastus' ({RG})"
    assert results[2]["suppressions"] == [
        {"kind": "external", "justification": "legacy app, wave 3"}
    ]
    assert "logicalLocations" not in results[4]["locations"][0]
    assert "suppressions" not in results[0]


@pytest.mark.parametrize(
    ("root", "base_ids"),
    [
        (
            "infra",
            {
                "PROJECTROOT": {"uri": "infra/", "uriBaseId": "%SRCROOT%"},
                "%SRCROOT%": {
                    "description": {
                        "text": "The directory bascule ran in (the repository root in CI)"
                    }
                },
            },
        ),
        (
            "",
            {
                "PROJECTROOT": {
                    "description": {
                        "text": "The Pulumi project directory (where Pulumi.yaml is): the "
                        "directory bascule ran in"
                    }
                }
            },
        ),
        (
            None,
            {
                "PROJECTROOT": {
                    "description": {
                        "text": "The Pulumi project directory (where Pulumi.yaml is): outside "
                        "the directory bascule ran in"
                    }
                }
            },
        ),
    ],
)
def test_sarif_artifact_is_relative_to_the_project(
    run: PolicyRun, root: str | None, base_ids: dict[str, object]
) -> None:
    schema = json.loads((REPO / "tests" / "data" / "sarif-2.1.0-rtm.5.json").read_text())
    doc = json.loads(render(run, "sarif", Artifact("Pulumi.prod.yaml", root)))
    jsonschema.validate(doc, schema)
    locations = {
        json.dumps(r["locations"][0]["physicalLocation"]["artifactLocation"])
        for r in doc["runs"][0]["results"]
    }
    assert locations == {'{"uri": "Pulumi.prod.yaml", "uriBaseId": "PROJECTROOT"}'}
    assert doc["runs"][0]["originalUriBaseIds"] == base_ids


def test_sarif_of_an_absolute_source_names_no_directory(run: PolicyRun) -> None:
    doc = json.loads(render_sarif(replace(run, source="/home/ops/work/hdh/estate.json")))
    assert "/home/ops" not in json.dumps(doc)
    [location] = {
        json.dumps(r["locations"][0]["physicalLocation"]["artifactLocation"])
        for r in doc["runs"][0]["results"]
    }
    assert location == '{"uri": "estate.json", "uriBaseId": "PROJECTROOT"}'


def test_only_bascule_rules_point_at_bascule_pages(run: PolicyRun) -> None:
    foreign = replace(run.rules_info[0], policy="tst-001-location-allowed", rule_id="TST-001")
    wrapped = replace(
        run.rules_info[0],
        policy="CKV_BSC_1",
        rule_id="CKV_BSC_1",
        description="bascule PRT-005: Object storage is never publicly readable.",
    )
    builtin = replace(
        run.rules_info[0],
        policy="CKV_OPENSTACK_2",
        rule_id="CKV_OPENSTACK_2",
        description="Ensure no security group allows SSH from 0.0.0.0/0",
        remediation="https://docs.prismacloud.io/en/policy-reference/ckv-openstack-2",
    )
    only = replace(run, rules_info=(foreign, wrapped, builtin), violations=(), suppressed=())
    doc = json.loads(render_sarif(only))
    help_uris = {r["id"]: r.get("helpUri") for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    assert help_uris == {
        "TST-001": None,
        "CKV_BSC_1": "https://github.com/bascule-project/bascule/blob/main/docs/rules/PRT-005.md",
        "CKV_OPENSTACK_2": "https://docs.prismacloud.io/en/policy-reference/ckv-openstack-2",
    }


def test_junit_counts(run: PolicyRun) -> None:
    root = ET.fromstring(render_junit(run))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [
        "bascule-sovereignty",
        "bascule-protection",
        "bascule-migration",
    ]
    for suite in suites:
        cases = suite.findall("testcase")
        assert int(suite.get("tests", "-1")) == len(cases)
        assert int(suite.get("failures", "-1")) == len(suite.findall("testcase/failure"))
        assert int(suite.get("skipped", "-1")) == len(suite.findall("testcase/skipped"))
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("5", "3", "2")
    sov = suites[0].findall("testcase")
    assert [c.get("name") for c in sov] == [f"{SOV1} {RG}", f"{SOV1} {ACCT}"]
    failure = sov[1].find("failure")
    assert failure is not None and failure.text == "location 'westeurope'"
    assert failure.get("type") == "critical"
    prt = suites[1].findall("testcase")
    assert [c.get("name") for c in prt] == [f"{PRT7} {RG} (suppressed)", f"{PRT13} {VAULT}"]
    skipped = prt[1].find("skipped")
    assert skipped is not None and skipped.get("message") == "advisory: soft delete <7 days>"


def test_junit_passing_rule_is_a_testcase(run: PolicyRun) -> None:
    clean = PolicyRun((), (), (), run.rules_info, 12)
    root = ET.fromstring(render_junit(clean))
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("4", "0", "0")


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("/home/ops/hdh/snapshots/estate.json", "estate.json"),  # outside the working dir
        ("snapshots/estate.json", "snapshots/estate.json"),
    ],
)
def test_matrix_names_its_source_without_the_machine_paths(
    run: PolicyRun, source: str, shown: str
) -> None:
    lines = render_matrix(replace(run, source=source)).splitlines()
    assert lines[2].startswith(f"Source: `{shown}`. ")


def test_matrix_rows(run: PolicyRun) -> None:
    text = render_matrix(run)
    lines = text.splitlines()
    table = lines[
        lines.index("## SecNumCloud 3.2") : lines.index("## Evidence a reviewer collects")
    ]
    scn = [line for line in table if line.startswith("| ") and line[2].isdigit()]
    applicable = [r.id for r in referential().requirements if r.applies_to_tenant]
    # every requirement that applies to a tenant, plus 19.4 which a (sample) rule cites
    assert [line.split(" | ")[0][2:] for line in scn] == sorted(
        {*applicable, "19.4"}, key=section_key
    )
    rows = {line.split(" | ")[0][2:]: line for line in scn}
    assert rows["19.2"] == "| 19.2 | Data location | SOV-001 | 12 | 2 | 0 | FAIL |"
    assert rows["10.2"] == "| 10.2 | Encryption of data flows | PRT-007 | 12 | 0 | 1 | PASS |"
    assert rows["9.7"] == (
        "| 9.7 | Restriction of access to information | PRT-013 | 12 | 1 | 0 | WARN |"
    )
    assert rows["10.1"] == "| 10.1 | Encryption of stored data | - | 0 | 0 | 0 | MANUAL |"
    assert lines[4] == (
        "Rules automate 5 of the 73 SecNumCloud 3.2 requirements that apply to an IaaS tenant; "
        "the 68 others are MANUAL. 19 more are the provider's alone: its qualification "
        "certificate and scope are their evidence."
    )
    evidence = lines[lines.index("## Evidence a reviewer collects") : lines.index("## HDS")]
    assert (
        "| 12.9 | shared | The SIEM/SOC contract or procedure consuming the audit trail, and"
        in (next(line for line in evidence if line.startswith("| 12.9 ")))
    )
    assert sum(1 for line in evidence if line.startswith("| ") and line[2].isdigit()) == 73
    assert "## HDS" in lines
    hds = [line for line in lines if line.startswith("| hosting-eea")]
    assert hds == ["| hosting-eea | Health data hosted in the EEA | SOV-001 | 12 | 2 | 0 | FAIL |"]


def test_text_plain(run: PolicyRun) -> None:
    text = render_text(run)
    assert (
        text.splitlines()[0]
        == "SOV-001 sov-001-azure-location-allowed [mandatory, critical] SecNumCloud 19.2"
    )
    assert f"  - {RG}\n      location 'eastus'\n  - {ACCT}\n      location 'westeurope'\n" in text
    assert '  fix: Fix SOV-001 <now> & "here".\n' in text
    assert "  - (stack)\n      no lock at all\n" in text
    assert f"  - [active] {PRT7} {RG} until 2026-12-31: legacy app, wave 3" in text
    assert f"  - [expired] {SOV1} {RG} until 2026-01-01: old" in text
    assert text.endswith("3 mandatory, 1 advisory, 1 suppressed on 12 resources\n")
    assert "PRT-007" not in text.split("Suppressions:")[0]


def test_print_text_non_tty_is_plain(run: PolicyRun) -> None:
    import io

    buf = io.StringIO()
    print_text(run, buf)
    assert buf.getvalue() == render_text(run)


def test_render_dispatch(run: PolicyRun) -> None:
    assert set(FORMATS) == {"text", "json", "sarif", "junit", "matrix"}
    assert render(run, "json") == render_json(run)
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        render(run, "xml")


def test_rules_table_markdown() -> None:
    from bascule.rules.catalog import ALL_RULES

    table = rules_table_markdown(ALL_RULES).splitlines()
    assert table[0] == (
        "| Rule | Policy | Pack | Severity | Default level | SecNumCloud | HDS | checkov |"
    )
    assert len(table) == 2 + len(ALL_RULES)
    sov = next(line for line in table if line.startswith("| [SOV-001]"))
    assert sov == (
        "| [SOV-001](docs/rules/SOV-001.md) | `sov-001-azure-location-allowed` | sovereignty "
        "| critical | mandatory | 19.2 | hosting-eea | - |"
    )
    assert U  # keep the import used by other tests


def test_matrix_manual_evidence_is_never_a_pass(run: PolicyRun) -> None:
    """A manual-evidence rule (tag evidence:manual) that lists resources makes its section
    MANUAL (not WARN, not PASS) and gets a row of the manual-evidence table; a mandatory
    failure in the same section still wins."""
    from report_support import info, violation

    from bascule.rules.base import MANUAL_EVIDENCE_TAG

    manual = info("prt-023-block-encryption-evidence-manual", "protection", "advisory", "high",
                  ("10.1",))  # fmt: skip
    manual = replace(manual, tags=(*manual.tags, MANUAL_EVIDENCE_TAG))
    vols = [U + f"scaleway:block/volume:Volume::v{i}" for i in range(3)]
    listed = tuple(
        violation(manual.policy, "protection", u, "advisory", "high", "cannot verify") for u in vols
    )
    mixed = replace(
        run, rules_info=(*run.rules_info, manual), violations=(*run.violations, *listed)
    )
    lines = render_matrix(mixed).splitlines()
    row = next(line for line in lines if line.startswith("| 10.1 | Encryption of stored data"))
    assert row == "| 10.1 | Encryption of stored data | PRT-023 | 12 | 3 | 0 | MANUAL |"
    start = lines.index("## Manual evidence (what the provider's API cannot show)")
    assert lines[start + 2 : start + 5] == [
        "| Section | Rule | Resources | Status | What to collect |",
        "|---|---|---:|---|---|",
        '| 10.1 | PRT-023 | 3 | MANUAL | PRT-023 must hold. Fix PRT-023 <now> & "here". |',
    ]
    # Nothing listed: no manual table, and the section is what the other rules say.
    quiet = render_matrix(replace(run, rules_info=(*run.rules_info, manual))).splitlines()
    assert not any(line.startswith("## Manual evidence") for line in quiet)
    failing = info("prt-003-volume-encryption", "protection", "mandatory", "high", ("10.1",))
    broken = violation(failing.policy, "protection", vols[0], "mandatory", "high", "l_ssd")
    both = replace(mixed, rules_info=(*mixed.rules_info, failing),
                   violations=(*mixed.violations, broken))  # fmt: skip
    row = next(
        line for line in render_matrix(both).splitlines() if line.startswith("| 10.1 | Encr")
    )
    assert row.endswith("| FAIL |")


def test_kinds_no_rule_reads_close_the_matrix_and_the_text(run: PolicyRun) -> None:
    kinds = {"azure-native:network:NetworkWatcher": (U + "w1", U + "w2")}
    blind = replace(run, not_read=kinds)
    assert render_matrix(blind).endswith(
        "## Kinds no rule reads\n\n"
        "No rule above examines these resources (only the location, tag and all-kinds rules "
        "saw them): their evidence is the reviewer's.\n\n"
        "| Kind | Resources |\n|---|---|\n"
        "| `azure-native:network:NetworkWatcher` | 2 |\n"
    )
    assert "  - azure-native:network:NetworkWatcher: 2 resources\n" in render_text(blind)
    assert json.loads(render_json(blind))["notRead"] == [
        {"type": "azure-native:network:NetworkWatcher", "urns": [U + "w1", U + "w2"]}
    ]
    assert "Kinds no rule reads" not in render_matrix(run)  # none: no section
