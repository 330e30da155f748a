"""Drift: two exports of one stack at two dates, each estate against itself, exactly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bascule.parity.diff import AcceptedGap
from bascule.parity.drift import DriftReport, drift, word
from bascule.parity.pairing import PairingRule
from bascule.report.parity_drift import render_drift, render_drift_text
from bascule.snapshot.load import load_snapshot
from bascule.snapshot.model import Snapshot

DATA = Path(__file__).resolve().parents[2] / "data" / "parity"


@pytest.fixture(scope="module")
def october() -> Snapshot:
    return load_snapshot(DATA / "foreign" / "azure-estate.json")


@pytest.fixture(scope="module")
def november() -> Snapshot:
    return load_snapshot(DATA / "foreign" / "azure-estate-later.json")


def changes(report: DriftReport) -> list[tuple[Any, ...]]:
    return [
        (e.estate, word(g), g.object, g.source_name, g.paired_by,
         {k: (d.source, d.target, word_of(d.verdict)) for k, d in g.fields.items()}, g.blocking)
        for e in report.estates
        for g in e.gaps
    ]  # fmt: skip


def word_of(verdict: Any) -> str:
    return {"weaker": "weakened", "stronger": "strengthened", "changed": "changed"}[verdict]


def test_a_month_of_drift_on_an_estate_bascule_did_not_build(
    october: Snapshot, november: Snapshot
) -> None:
    report = drift(october, november)
    assert [(e.estate, e.reading) for e in report.estates] == [("source", "resources")]
    assert changes(report) == [
        ("source", "changed", "network/vnet-hdh", None, None,
         {"cidr": ("10.20.0.0/16", "10.20.0.0/16, 10.21.0.0/16", "changed")}, False),
        ("source", "strengthened", "dataset/nomenclatures", None, None,
         {"publicAccess": (True, False, "strengthened")}, False),
        ("source", "removed", "dataset/snds-archive", None, None, {}, True),
        # RDP opened to the internet (and the new range the VNet default now lets in).
        ("source", "weakened", "server/vm-bastion", None, None,
         {"ingress": (frozenset({"10.20.0.0/16 any/any", "203.0.113.0/24 tcp/22"}),
                      frozenset({"10.20.0.0/16 any/any", "10.21.0.0/16 any/any",
                                 "203.0.113.0/24 tcp/22", "internet tcp/3389"}),
                      "weakened")}, True),
        ("source", "weakened", "server/vm-batch-01", None, None,
         {"size": ("Standard_E8s_v5", "Standard_E4s_v5", "changed"),
          "vcpu": (8, 4, "weakened"), "ramGb": (64, 32, "weakened")}, True),
        ("source", "added", "server/vm-etl-01", None, None, {}, False),
        ("source", "changed", "server/vm-reporting-01", "vm-report-01",
         "tags project=reporting, role=report", {}, False),
    ]  # fmt: skip
    # Port 8443 opened on vm-web-01's NIC NSG is still blocked by its subnet's NSG: not a drift.
    assert "server/vm-web-01" not in {g.object for g in report.gaps}
    assert report.summary() == {
        "objects": 16,
        "removed": 1,
        "added": 1,
        "weakened": 2,
        "strengthened": 1,
        "changed": 2,
        "accepted": 0,
        "blocking": 3,
    }
    assert report.failed


def test_fail_on(october: Snapshot, november: Snapshot) -> None:
    assert drift(october, november, fail_on="any").failed
    assert not drift(october, november, fail_on="never").failed
    assert not drift(october, october).failed
    assert not drift(october, october, fail_on="any").failed
    assert drift(october, october).gaps == ()
    accepted = (
        AcceptedGap("dataset/snds-archive", "archive moved to cold storage (ticket OPS-9)"),
        AcceptedGap("server/vm-bastion", "RDP for the vendor until 2026-12-15", ("ingress",)),
        AcceptedGap("server/vm-batch-01", "batch resized down after the SNDS load"),
    )
    quiet = drift(october, november, accepted=accepted)
    assert not quiet.failed  # every loss accepted
    assert drift(october, november, accepted=accepted, fail_on="any").failed  # not the rest


def test_a_pairing_file_names_a_rename(october: Snapshot, november: Snapshot) -> None:
    rule = PairingRule(
        "server/vm-report-*", "vm-reporting-*", "p.yaml: pairs['server/vm-report-*']"
    )
    report = drift(october, november, pairing=(rule,))
    renamed = next(g for g in report.gaps if g.object == "server/vm-reporting-01")
    assert (renamed.source_name, renamed.paired_by) == ("vm-report-01", "pairing file")
    unused = PairingRule("server/nothing-*", "*", "p.yaml: pairs['server/nothing-*']")
    assert drift(october, november, pairing=(unused,)).notes == (
        "p.yaml: pairs['server/nothing-*']: matches no source object",
    )


def test_bascule_stacks_drift_through_their_components() -> None:
    report = drift(load_snapshot(DATA / "baseline.json"), load_snapshot(DATA / "drifted.json"))
    assert [(e.estate, e.reading) for e in report.estates] == [
        ("source", "components"),
        ("target", "components"),
    ]
    assert changes(report) == [
        ("target", "added", "dataset/scratch", None, None, {}, False),
        ("target", "weakened", "dataset/snds-extract", None, None,
         {"versioning": (True, False, "weakened")}, True),
        ("target", "weakened", "enclave/proj-001", None, None,
         {"ingress": (frozenset({"gateway tcp/22"}),
                      frozenset({"gateway tcp/22", "gateway tcp/8080"}), "weakened")}, True),
        # Exact: no flavour rounding in a drift.
        ("target", "weakened", "enclave/proj-002", None, None,
         {"size": ("snc.8c64g-gpu1", "snc.8c32g-gpu1", "changed"),
          "ramGb": (64, 32, "weakened")}, True),
        ("target", "removed", "enclave/proj-003", None, None, {}, True),
    ]  # fmt: skip


def test_reports(october: Snapshot, november: Snapshot) -> None:
    report = drift(october, november, labels=("october.json", "november.json"))
    text = render_drift_text(report).splitlines()
    assert text[:3] == [
        "drift: october.json -> november.json",
        "source estate (Azure), read by resources:",
        "  object                  change        old -> new",
    ]
    assert text[-3:] == [
        "  server/vm-reporting-01  changed       renamed (was vm-report-01, paired by tags "
        "project=reporting, role=report)",
        "  unchanged: 3 zone, 2 dataset, 2 key, 1 server, 1 logging",
        "16 objects: 1 removed, 2 weakened, 1 added, 1 strengthened, 2 changed, 0 accepted; "
        "3 blocking",
    ]
    document = report.to_dict()
    assert document["summary"]["blocking"] == 3
    assert (document["failOn"], document["failed"]) == ("weaker", True)
    batch = next(c for c in document["estates"][0]["changes"] if c["name"] == "vm-batch-01")
    assert batch == {
        "change": "weakened",
        "object": "server/vm-batch-01",
        "capability": "server",
        "name": "vm-batch-01",
        "fields": {
            "size": {"old": "Standard_E8s_v5", "new": "Standard_E4s_v5", "change": "changed"},
            "vcpu": {"old": 8, "new": 4, "change": "weakened"},
            "ramGb": {"old": 64, "new": 32, "change": "weakened"},
        },
        "blocking": True,
    }
    markdown = render_drift(report, "markdown")
    assert (
        "| `server/vm-batch-01` | weakened | size: Standard_E8s_v5 → Standard_E4s_v5; " in markdown
    )
    page = render_drift(report, "html")
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page
    assert "server/vm-etl-01" in page
