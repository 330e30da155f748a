"""A wave's rollback plan: the one config change, refused unless the wave is cut over, and
the resource diff of the two snapshots (property names only, never values)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bascule.errors import BadInputError
from bascule.snapshot.model import Resource, SecretValue, Snapshot
from bascule.waves.rollback import rolled_back, snapshot_changes

ROOT = Path(__file__).resolve().parents[3]


def test_prod_wave_1_rolls_back_and_nothing_else_changes() -> None:
    doc = yaml.safe_load((ROOT / "Pulumi.prod.yaml").read_text())
    changed = rolled_back(doc, 1, "Pulumi.prod.yaml")
    before = {w["id"]: w["status"] for w in doc["config"]["bascule:waves"]}
    after = {w["id"]: w["status"] for w in changed["config"]["bascule:waves"]}
    assert before == {1: "cutover", 2: "parallel", 3: "replicating", 4: "planned"}
    assert after == {**before, 1: "rolled-back"}
    assert {k: v for k, v in changed["config"].items() if k != "bascule:waves"} == {
        k: v for k, v in doc["config"].items() if k != "bascule:waves"
    }


@pytest.mark.parametrize(
    ("wave", "message"),
    [
        (2, "Pulumi.prod.yaml: wave 2 is parallel: only a cut-over wave rolls back "
            "(cutover -> rolled-back -> replicating)"),
        (7, "Pulumi.prod.yaml: bascule:waves has no wave 7"),
    ],
)  # fmt: skip
def test_only_a_cut_over_wave_rolls_back(wave: int, message: str) -> None:
    doc = yaml.safe_load((ROOT / "Pulumi.prod.yaml").read_text())
    with pytest.raises(BadInputError) as caught:
        rolled_back(doc, wave, "Pulumi.prod.yaml")
    assert caught.value.message == message


def _snap(*resources: Resource) -> Snapshot:
    return Snapshot(resources, source="x", kind="synth")


def test_changes_name_properties_not_values() -> None:
    lock = Resource("urn:a::lock", "azure-native:authorization:ManagementLockByScope", True)
    key = SecretValue("v1:old")
    nsg_before = Resource("urn:a::nsg", "t", True, inputs={"securityRules": [1, 2], "k": key})
    nsg_after = Resource("urn:a::nsg", "t", True, inputs={"securityRules": [2], "k": key})
    cred = Resource("urn:t::cred", "openstack:identity/applicationCredential:Cred", True)
    changes = snapshot_changes(_snap(lock, nsg_before), _snap(nsg_after, cred))
    assert [c.line() for c in changes] == [
        "  - urn:a::lock",
        "  + urn:t::cred",
        "  ~ urn:a::nsg (securityRules)",
    ]
