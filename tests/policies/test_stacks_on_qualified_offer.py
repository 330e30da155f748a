"""The bundled stacks on a qualified offer: `check dev` and `check prod` have no mandatory
finding on any date of the year ahead, with the derogations they record; after the
derogations expire, the HDS rule speaks again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from bascule.policy.runner import DEFAULT_PACKS, PolicySession
from bascule.registry.load import default_registry
from bascule.registry.resolve import resolve
from bascule.rules.qualification import read_target
from bascule.snapshot.model import Snapshot
from bascule.synth import synthesize

ROOT = Path(__file__).resolve().parents[2]
YEAR = [dt.date(2026, 12, 1), dt.date(2027, 3, 1), dt.date(2027, 6, 1), dt.date(2027, 12, 1)]


def config(stack: str) -> list[Path]:
    return [ROOT / "policies" / "config" / f"{stack}.json"]


@pytest.fixture(scope="module")
def dev_snapshot() -> Snapshot:
    return synthesize(ROOT, "dev")


@pytest.fixture(scope="module")
def session() -> Iterator[PolicySession]:
    with PolicySession(DEFAULT_PACKS, project="bascule", in_process=True) as s:
        yield s


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_stack_files_resolve_to_snc_cloud_platform(stack: str) -> None:
    target = yaml.safe_load((ROOT / f"Pulumi.{stack}.yaml").read_text())["config"]["bascule:target"]
    assert target["provider"] == "openstack"  # no OVH provider: OVHcloud KMS is not qualified
    found = read_target(
        "pulumi:providers:openstack", {"authUrl": target["authUrl"], "region": target["region"]}
    )
    offers = resolve(default_registry(), found).offers  # type: ignore[arg-type]
    assert [o.id for o in offers] == ["ovhcloud-snc-cloud-platform"]


@pytest.mark.parametrize("on", YEAR, ids=str)
def test_no_mandatory_finding_for_a_year(
    on: dt.date,
    dev_snapshot: Snapshot,
    prod_snapshot: Snapshot,
    session: PolicySession,
) -> None:
    stale = on > dt.date(2027, 3, 1)  # the registry, reviewed 2026-12-01, is 90+ days old
    for stack, snapshot in (("dev", dev_snapshot), ("prod", prod_snapshot)):
        run = session.run(snapshot, config_files=config(stack), today=on)
        assert run.mandatory == (), stack
        advisories = sorted((v.rule_id, v.urn.rsplit("::", 1)[-1]) for v in run.advisory)
        # PRT-018 by design: SNC Cloud Platform's Swift has no object lock, so each stack's
        # audit trail is versioned, not write-once.
        audit = ("PRT-018", "hdh-dev-audit-container" if stack == "dev" else "hdh-audit-container")
        stale_registry = [("SOV-011", "target-openstack")] if stale else []
        assert advisories == [audit, *stale_registry], stack
        assert sorted((s.suppression.policy, s.status) for s in run.suppressions) == [
            # the interconnect's VPN gateway and its address, until the last wave is cut over
            ("prt-008-no-public-ip-on-enclaves", "active"),
            ("prt-008-no-public-ip-on-enclaves", "active"),
            ("sov-012-health-data-on-hds-offer", "active"),
        ]


def test_the_hds_derogation_expires(prod_snapshot: Snapshot, session: PolicySession) -> None:
    run = session.run(prod_snapshot, config_files=config("prod"), today=dt.date(2028, 1, 1))
    # Both derogations end on 2027-12-31: the interconnect outliving the last wave's cutover
    # (2027-07-05) is reported too.
    assert sorted((v.rule_id, v.urn.rsplit("::", 1)[-1]) for v in run.mandatory) == [
        ("PRT-008", "hdh-interconnect-pip"),
        ("PRT-008", "hdh-interconnect-vpn-gateway"),
        ("SOV-012", "target-openstack"),
    ]
    hds = next(v for v in run.mandatory if v.rule_id == "SOV-012")
    assert hds.message == (
        "cannot verify the HDS certification: 1619 resources with health-data classifications "
        "(bulk-001-boot-0, bulk-001-data-0, bulk-002-boot-0, and 1616 more) are hosted on "
        "OVHcloud SNC Cloud Platform, whose HDS certification is unknown in the offer registry"
    )
    assert [s.status for s in run.suppressions] == ["expired", "expired", "expired"]
