"""Two estates bascule did not build, as `pulumi stack export` after `pulumi import` would give
them (tests/data/parity/foreign-*.json, on default providers): they load, every resource goes
into the checkov exports, and the rules see them.

They are also the input of the parity-by-resource-type work (issue 17, a later round). Their
deliberate differences: the Azure storage account `opendata` and its container, the key
`pseudonymisation` and the standalone disk `cohort-scratch` have no OpenStack counterpart;
the Jupyter rule is open to 10.10.0.0/24 on Azure and to 0.0.0.0/0 on OpenStack; the GPU
VM's data volume is `classic` (not an encrypted type) on OpenStack.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from bascule.export.arm import to_arm
from bascule.export.tfplan import to_tfplan
from bascule.policy.runner import run_policies
from bascule.snapshot.load import load_snapshot

PARITY = Path(__file__).resolve().parents[2] / "data" / "parity"
AZURE, OPENSTACK = PARITY / "foreign-azure.json", PARITY / "foreign-openstack.json"


def test_the_foreign_azure_estate() -> None:
    snapshot = load_snapshot(AZURE)
    assert (snapshot.project, snapshot.stack) == ("hdh-azure", "legacy")
    assert Counter(r.type.split(":", 1)[1] for r in snapshot if r.custom) == {
        "providers:azure-native": 1,
        "resources:ResourceGroup": 1,
        "network:VirtualNetwork": 1,
        "network:Subnet": 2,
        "network:NetworkSecurityGroup": 1,
        "network:NetworkInterface": 2,
        "compute:VirtualMachine": 2,
        "compute:Disk": 1,
        "storage:StorageAccount": 2,
        "storage:BlobServiceProperties": 1,
        "storage:BlobContainer": 2,
        "keyvault:Vault": 1,
        "keyvault:Key": 2,
        "operationalinsights:Workspace": 1,
    }
    provider = snapshot.resources[1]
    assert (
        provider.urn
        == "urn:pulumi:legacy::hdh-azure::pulumi:providers:azure-native::default_3_29_0"
    )
    assert all(snapshot.provider_of(r) == provider for r in snapshot.resources[2:])
    exported = to_arm(snapshot)
    assert (len(exported.urns), exported.dropped) == (19, {})
    assert to_tfplan(snapshot).urns == {}


def test_the_foreign_openstack_estate() -> None:
    snapshot = load_snapshot(OPENSTACK)
    assert (snapshot.project, snapshot.stack) == ("hdh-openstack", "target")
    exported = to_tfplan(snapshot)
    assert (len(exported.urns), exported.dropped) == (15, {})
    o = "urn:pulumi:target::hdh-openstack::openstack:"
    found = {
        (v.rule_id, v.urn)
        for v in run_policies(snapshot, in_process=True).violations
        if v.rule_id in ("PRT-003", "PRT-009")
    }
    assert found == {
        ("PRT-003", o + "blockstorage/volume:Volume::vm-gpu-01-data"),
        ("PRT-009", o + "networking/secGroupRule:SecGroupRule::jupyter-from-anywhere"),
        # SSH from 10.20.0.0/24: an estate without bascule's zones says no management zone.
        ("PRT-009", o + "networking/secGroupRule:SecGroupRule::ssh-from-bastion"),
    }
