"""Parity on estates bascule did not build (tests/data/parity/foreign): an Azure estate of
VMs, storage accounts, a key vault and a VNet against an OpenStack tenancy on OVHcloud,
read by resource type, paired by the pairing file, tags and names: the exact gap table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bascule.parity.diff import ParityOptions, parity
from bascule.parity.model import RESOURCES, CannotVerify, ParityReport
from bascule.parity.pairing_file import load_pairing
from bascule.report.parity_formats import render_parity
from bascule.report.parity_text import render_parity_text
from bascule.snapshot.load import load_snapshot
from bascule.snapshot.model import Snapshot

FOREIGN = Path(__file__).resolve().parents[2] / "data" / "parity" / "foreign"
B2MS = CannotVerify("Azure VM size Standard_B2ms unknown to bascule")
S3 = CannotVerify("an S3 bucket's redundancy is its region's, not in the snapshot")


@pytest.fixture(scope="module")
def azure() -> Snapshot:
    return load_snapshot(FOREIGN / "azure-estate.json")


@pytest.fixture(scope="module")
def openstack() -> Snapshot:
    return load_snapshot(FOREIGN / "openstack-estate.json")


@pytest.fixture(scope="module")
def report(azure: Snapshot, openstack: Snapshot) -> ParityReport:
    rules, accepted = load_pairing(str(FOREIGN / "pairing.yaml"))
    options = ParityOptions(pairing=rules, accepted=accepted)
    return parity(azure, openstack, options, ("azure-estate.json", "openstack-estate.json"))


def rows(report: ParityReport) -> list[tuple[Any, ...]]:
    return [
        (str(g.kind), g.object, g.source_name, g.paired_by,
         {k: (d.source, d.target) for k, d in g.fields.items()}, g.blocking)
        for g in report.gaps
    ]  # fmt: skip


def test_exact_gap_table(report: ParityReport) -> None:
    assert report.reading == RESOURCES
    assert rows(report) == [
        ("weaker", "dataset/nomenclatures", None, None,
         {"versioning": (False, True), "publicAccess": (True, False), "replication": (3, S3)},
         True),
        ("missing", "dataset/snds-archive", None, None, {}, True),
        ("weaker", "dataset/snds-extracts", None, None, {"versioning": (True, False)}, True),
        ("stronger", "key/cmk-disks", None, None,
         {"strengthBits": (112, 256), "storeSharedWith": (frozenset({"cmk-raw"}), frozenset())},
         False),
        ("stronger", "key/cmk-raw", None, None,
         {"strengthBits": (128, 256), "storeSharedWith": (frozenset({"cmk-disks"}), frozenset())},
         False),
        # Less RAM and disk, an unencrypted data volume, and 8080 open to the world.
        ("weaker", "server/batch-01", "vm-batch-01", "tags project=snds, role=batch",
         {"ramGb": (64, 32), "diskGb": (512, 256), "encrypted": (True, False),
          "ingress": (frozenset({"subnet-app tcp/5432"}),
                      frozenset({"internet tcp/8080", "subnet-app tcp/5432"}))},
         True),
        # Renamed on the target: paired by the pairing file; SSH from anywhere, not one range.
        ("weaker", "server/jump-host", "vm-bastion", "pairing file",
         {"ingress": (frozenset({"203.0.113.0/24 tcp/22", "10.20.0.0/16 any/any"}),
                      frozenset({"internet tcp/22"}))},
         True),
        # A size bascule's catalogue lacks: cannot verify, accepted in the pairing file.
        ("weaker", "server/report-01", "vm-report-01", "tags project=reporting, role=report",
         {"vcpu": (B2MS, 2), "ramGb": (B2MS, 8), "gpu": (B2MS, 0)}, False),
        ("stronger", "logging/hdh-audit", "log-hdh-prod", "role", {"retentionDays": (365, 400)},
         False),
    ]  # fmt: skip
    assert report.summary() == {
        "objects": 15,
        "missing": 1,
        "extra": 0,
        "weaker": 5,
        "stronger": 3,
        "accepted": 1,
        "blocking": 5,
    }
    assert report.unpaired() == {"source": ["dataset/snds-archive"], "target": []}
    assert report.not_compared == (
        ("source", "azure-native:resources:ResourceGroup", 1),
        ("target", "openstack:networking/router:Router", 1),
    )
    assert report.notes == ()


def test_objects_at_parity_and_how_they_paired(report: ParityReport) -> None:
    gaps = {g.object for g in report.gaps}
    assert [
        (p.key, p.source.name if p.source else None, p.paired_by)
        for p in report.pairs
        if p.key not in gaps
    ] == [
        ("network/net-hdh", "vnet-hdh", "normalised name"),
        ("zone/subnet-app", "snet-app", "normalised name"),
        ("zone/subnet-bastion", "snet-bastion", "normalised name"),
        ("zone/subnet-data", "snet-data", "normalised name"),
        ("dataset/snds-raw", "snds-raw", None),
        # Its subnet's NSG allows only HTTPS from the internet, the VNet default the bastion's
        # SSH: exactly what the target's security group allows once zones are paired.
        ("server/web-01", "vm-web-01", "tags project=portal, role=web"),
    ]
    web = next(p for p in report.pairs if p.key == "server/web-01")
    assert web.source is not None and web.target is not None
    assert web.source.fields == {**web.target.fields, "size": "Standard_D4s_v5"}
    assert web.target.fields == {
        "size": "b3-16",
        "vcpu": 4,
        "ramGb": 16,
        "gpu": 0,
        "diskGb": 128,
        "encrypted": True,
        "publicIp": True,
        "ingress": frozenset({"internet tcp/443", "subnet-bastion tcp/22"}),
    }


def test_text_table(report: ParityReport) -> None:
    lines = render_parity_text(report).splitlines()
    assert lines[:3] == [
        "azure-estate.json -> openstack-estate.json",
        "estates read by resource type (no bascule components in both inputs)",
        "object                 wave  status    source -> target",
    ]
    assert lines[9] == (
        "server/jump-host       -     weaker    ingress: 10.20.0.0/16 any/any, 203.0.113.0/24 "
        "tcp/22 -> internet tcp/22 (source: vm-bastion, paired by pairing file)"
    )
    assert lines[-2:] == [
        "at parity: 1 network, 3 zone, 1 dataset, 1 server",
        "15 objects: 1 missing, 5 weaker, 0 extra, 3 stronger, 1 accepted; 5 blocking",
    ]


def test_json_says_cannot_verify(report: ParityReport) -> None:
    gap = next(g for g in report.to_dict()["gaps"] if g["object"] == "server/report-01")
    assert gap["fields"]["vcpu"] == {
        "source": {"cannotVerify": "Azure VM size Standard_B2ms unknown to bascule"},
        "target": 2,
    }
    assert gap["pairedBy"] == "tags project=reporting, role=report"
    assert gap["sourceName"] == "vm-report-01"
    document = report.to_dict()
    assert document["reading"] == "resources"
    assert document["notCompared"] == [
        {"estate": "source", "type": "azure-native:resources:ResourceGroup", "resources": 1},
        {"estate": "target", "type": "openstack:networking/router:Router", "resources": 1},
    ]


def test_without_the_pairing_file_the_bastion_stays_unpaired(
    azure: Snapshot, openstack: Snapshot
) -> None:
    report = parity(azure, openstack)
    assert [
        (str(g.kind), g.object, g.blocking) for g in report.gaps if g.capability == "server"
    ] == [
        ("weaker", "server/batch-01", True),
        ("extra", "server/jump-host", False),
        ("weaker", "server/report-01", True),  # not accepted without the file
        ("missing", "server/vm-bastion", True),
    ]
    assert report.unpaired() == {
        "source": ["dataset/snds-archive", "server/vm-bastion"],
        "target": ["server/jump-host"],
    }


def test_every_format_renders_it(report: ParityReport) -> None:
    page = render_parity(report, "html")
    assert "<script" not in page
    assert '<h3 id="platform-network">Networks (1)</h3>' in page
    assert '<h3 id="wave-2-server">Servers (2)</h3>' in page
    assert "cannot verify: Azure VM size Standard_B2ms unknown to bascule" in page
    markdown = render_parity(report, "markdown")
    assert (
        "| `server/jump-host` (source `vm-bastion`, paired by pairing file) | weaker |  | "
        "ingress: 10.20.0.0/16 any/any, 203.0.113.0/24 tcp/22 → internet tcp/22 |  |"
    ) in markdown
