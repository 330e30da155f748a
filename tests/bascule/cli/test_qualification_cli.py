"""`bascule policy --today` on target providers resolved to each standing, with and without a
derogation, and `bascule providers`: the CLI as a reviewer runs it (in-process packs)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bascule.cli.main import main
from bascule.cli.policy import stack_policy_config

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data" / "registry"
TARGETS = str(DATA / "targets.json")
DEROGATIONS = str(DATA / "derogations.json")
EST = "urn:pulumi:dev::bascule::bascule:target:Estate$pulumi:providers:"
SNC, SCW, OSC = (
    EST + "openstack::target-openstack",
    EST + "scaleway::exports-scaleway",
    (EST + "outscale::archive-outscale"),
)
SCW_IN_PROGRESS = (
    "API 'api.scaleway.com' (the provider's default apiUrl) in region 'fr-par' is Scaleway "
    "Scaleway Cloud, which is in SecNumCloud qualification (stage "
    "J0 since 2025-01-08), not qualified: a derogation (a suppression with a reason and an "
    "expiry) is needed to use it; the registry lists no other qualified offer of Scaleway for "
    "this provider type"
)
SNC_HDS = (
    "cannot verify the HDS certification: 1 resource with a health-data classification "
    "(snds-extract) is hosted on OVHcloud SNC Cloud Platform, whose HDS certification is "
    "unknown in the offer registry"
)
OSC_EXPIRED = (
    "region 'cloudgouv-eu-west-1' is 3DS OUTSCALE IaaS Cloud on Demand, whose SecNumCloud visa "
    "(ANSSI decision 2118) ended on 2026-11-30, before {on}; the registry lists no other "
    "qualified offer of 3DS OUTSCALE for this provider type"
)


def policy(capsys: pytest.CaptureFixture[str], today: str, *config: str) -> tuple[int, Any]:
    args = ["policy", TARGETS, "--pack", "sovereignty", "--in-process", "--format", "json"]
    args += ["--today", today]
    for file in config:
        args += ["--policy-config", file]
    code = main(args)
    report = json.loads(capsys.readouterr().out)
    return code, report


def found(report: Any, key: str = "violations") -> list[tuple[str, str, str, str]]:
    return [(v["rule"], v["level"], v["urn"], v["message"]) for v in report[key]]


def test_in_progress_fails_and_an_ending_visa_warns(capsys: pytest.CaptureFixture[str]) -> None:
    code, report = policy(capsys, "2026-11-29")
    assert code == 1
    assert found(report) == [
        ("SOV-010", "mandatory", SCW, SCW_IN_PROGRESS),
        (
            "SOV-011",
            "advisory",
            OSC,
            "region 'cloudgouv-eu-west-1' is 3DS OUTSCALE IaaS Cloud on Demand, whose "
            "SecNumCloud visa (ANSSI decision 2118) ends on 2026-11-30, 1 day after 2026-11-29 "
            "(window 180 days): obtain the renewal decision or plan the move",
        ),
        ("SOV-012", "mandatory", SNC, SNC_HDS),
    ]


def test_a_derogation_accepts_in_progress_and_every_report_shows_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, report = policy(capsys, "2026-11-29", DEROGATIONS)
    assert code == 0  # only the advisory remains
    assert [v["rule"] for v in report["violations"]] == ["SOV-011"]
    assert found(report, "suppressed") == [
        ("SOV-010", "mandatory", SCW, SCW_IN_PROGRESS),
        ("SOV-012", "mandatory", SNC, SNC_HDS),
    ]
    assert [(s["policy"], s["status"], s["expires"]) for s in report["suppressions"]] == [
        ("sov-010-target-offer-qualified", "active", "2027-06-30"),
        ("sov-012-health-data-on-hds-offer", "active", "2027-06-30"),
    ]


def test_the_day_after_the_visa_ends_it_is_mandatory(capsys: pytest.CaptureFixture[str]) -> None:
    code, report = policy(capsys, "2026-12-01", DEROGATIONS)
    assert code == 1
    assert found(report) == [("SOV-010", "mandatory", OSC, OSC_EXPIRED.format(on="2026-12-01"))]


def test_expired_derogations_no_longer_apply(capsys: pytest.CaptureFixture[str]) -> None:
    code, report = policy(capsys, "2027-07-01", DEROGATIONS)
    assert code == 1
    stale = (
        "the offer registry was last reviewed on 2026-12-01, 212 days before 2027-07-01 (limit "
        "90): re-check its visas against ANSSI's catalogue before trusting this result"
    )
    assert found(report) == [
        ("SOV-010", "mandatory", OSC, OSC_EXPIRED.format(on="2027-07-01")),
        ("SOV-010", "mandatory", SCW, SCW_IN_PROGRESS),
        ("SOV-011", "advisory", SNC, stale),  # the registry is older than 90 days by then
        ("SOV-011", "advisory", OSC, stale),
        ("SOV-011", "advisory", SCW, stale),
        ("SOV-012", "mandatory", SNC, SNC_HDS),
    ]
    assert {s["status"] for s in report["suppressions"]} == {"expired"}


def test_before_the_visa_starts(capsys: pytest.CaptureFixture[str]) -> None:
    _, report = policy(capsys, "2026-07-30", DEROGATIONS)
    assert ("SOV-010", "mandatory", SNC) in [v[:3] for v in found(report)]
    message = dict(((v[2], v[0]), v[3]) for v in found(report))[(SNC, "SOV-010")]
    assert message == (
        "authUrl host 'auth.eu-west-sbg-snc.cloud.snc.ovh.net' in region 'eu-west-sbg-snc' is "
        "OVHcloud SNC Cloud Platform, whose SecNumCloud visa (ANSSI decision 3393) starts on "
        "2026-07-31, after 2026-07-30; the registry lists no other qualified OpenStack-based "
        "offer of OVHcloud for this provider type"
    )


def test_reports_cite_the_offers(capsys: pytest.CaptureFixture[str]) -> None:
    _, report = policy(capsys, "2026-12-01", DEROGATIONS)
    offers = report["targetOffers"]
    assert offers["registry"] == {
        "file": "bascule/registry/offers.yaml",
        "reviewed": "2026-12-01",
        "ageDays": 0,
        "stale": False,
    }
    assert [(p["urn"], p["offer"], p["standing"], p["daysLeft"]) for p in offers["providers"]] == [
        (SNC, "ovhcloud-snc-cloud-platform", "qualified", 973),
        (SCW, "scaleway-cloud", "in-progress", None),
        (OSC, "outscale-iaas", "expired", None),
    ]
    assert offers["providers"][0]["unverified"] == ["identity endpoint", "OpenStack", "HDS"]
    code = main(["policy", TARGETS, "--pack", "sovereignty", "--in-process", "--format",
                 "matrix", "--today", "2027-03-02", "--policy-config", DEROGATIONS])  # fmt: skip
    matrix = capsys.readouterr().out
    assert code == 1
    assert (
        "| target-openstack | authUrl host 'auth.eu-west-sbg-snc.cloud.snc.ovh.net' in region "
        "'eu-west-sbg-snc' | OVHcloud SNC Cloud Platform | qualified (882 days left) | valid "
        "2026-07-31 to 2029-07-31 | 3393 | unknown | identity endpoint, OpenStack, HDS |"
    ) in matrix
    assert (
        "Offer registry `bascule/registry/offers.yaml` reviewed 2026-12-01, 91 days before the "
        "check date 2027-03-02: **older than 90 days, re-check the visas**."
    ) in matrix


def test_providers_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["providers", "--today", "2026-12-01"]) == 0
    text = capsys.readouterr().out
    assert text.splitlines()[0] == (
        "Offer registry bascule/registry/offers.yaml, reviewed 2026-12-01; standing on 2026-12-01."
    )
    snc = next(line for line in text.splitlines() if line.startswith("OVHcloud SNC Cloud"))
    assert snc.split() == [
        "OVHcloud", "SNC", "Cloud", "Platform", "IaaS", "yes", "(unverified)", "qualified",
        "(973", "days", "left)", "2026-07-31", "to", "2029-07-31", "3393", "unknown",
        "(unverified)", "eu-west-rbx-snc,", "eu-west-sbg-snc",
    ]  # fmt: skip
    assert main(["providers", "--format", "json", "--today", "2029-08-01"]) == 0
    captured = capsys.readouterr()
    doc = json.loads(captured.out)
    assert doc["registry"]["stale"] is True
    by_id = {o["id"]: o for o in doc["offers"]}
    assert by_id["ovhcloud-snc-cloud-platform"]["secnumcloud"]["standing"] == "expired"
    assert by_id["scaleway-cloud"]["secnumcloud"]["standing"] == "in-progress"
    assert doc["sources"]["anssi-catalogue"]["access"] == "secondary"
    assert "bascule: warning: bascule/registry/offers.yaml: reviewed 2026-12-01, 974 days" in (
        captured.err
    )
    assert main(["providers", "--format", "markdown", "--today", "2026-12-01"]) == 0
    markdown = capsys.readouterr().out
    assert (
        "| OVHcloud Public Cloud | IaaS/PaaS | yes | none | - | - | certified | any |" in markdown
    )
    assert "- `anssi-catalogue`: [ANSSI, catalogue of certified" in markdown


def test_a_broken_registry_is_bad_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "offers.yaml"
    bad.write_text("schemaVersion: 1\nreviewed: '2026-12-01'\nsources: {}\noffers: []\n")
    monkeypatch.setenv("BASCULE_REGISTRY", str(bad))
    assert main(["providers"]) == 2
    assert capsys.readouterr().err == (f"bascule: error: {bad}: offers: [] should be non-empty\n")


def test_stack_policy_config_is_found_for_stacks_only(tmp_path: Path) -> None:
    (tmp_path / "policies" / "config").mkdir(parents=True)
    config = tmp_path / "policies" / "config" / "staging.json"
    config.write_text("{}")
    assert stack_policy_config("staging", tmp_path) == [str(config)]
    assert stack_policy_config(str(tmp_path / "Pulumi.staging.yaml"), None) == [str(config)]
    assert stack_policy_config("other", tmp_path) == []
    assert stack_policy_config(str(tmp_path / "staging.json"), tmp_path) == []
