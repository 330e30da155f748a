"""The synthesized prod stack through every pack: clean as built, and each rule catches its
mutation (one broken resource per rule) on exactly the broken resource's URN.

Mutations are made on the `pulumi stack export` JSON, as a reviewer would hand-edit an
export, then loaded back: inputs and outputs both change, so resource rules (inputs) and
stack rules (outputs) see the same broken resource.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bascule.policy.result import PolicyRun
from bascule.policy.runner import DEFAULT_PACKS, PolicySession
from bascule.rules.catalog import ALL_RULES
from bascule.snapshot.load import load_snapshot
from bascule.snapshot.model import Snapshot
from bascule.snapshot.write import snapshot_json

TODAY = dt.date(2026, 11, 24)
# prod as it is checked: with its recorded derogations (bascule check prod applies the file).
STACK_CONFIG = [Path(__file__).resolve().parents[2] / "policies" / "config" / "prod.json"]
P = "urn:pulumi:prod::bascule::"
AZ = P + "bascule:azure:Estate$"
TG = P + "bascule:target:Estate$"

Doc = dict[str, Any]
Mutation = Callable[[Doc], str]  # breaks one resource, returns the URN that must be reported


def _resource(doc: Doc, urn: str) -> Doc:
    for resource in doc["deployment"]["resources"]:
        if resource["urn"] == urn:
            return resource
    raise AssertionError(f"{urn} is not in the prod snapshot")


def _set(doc: Doc, urn: str, path: str, value: Any) -> str:
    """Set `path` (dotted, list indexes as digits) in the inputs and outputs of `urn`."""
    resource = _resource(doc, urn)
    for side in ("inputs", "outputs"):
        node = resource.get(side)
        if not node:
            continue
        *parents, leaf = path.split(".")
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node.setdefault(key, {})
        node[leaf] = value
    return urn


def _account(dataset: str) -> str:
    return (
        f"{AZ}bascule:azure:DatasetStorage$azure-native:storage:StorageAccount::{dataset}-account"
    )


def _add_hyperscaler_bucket(doc: Doc) -> str:
    urn = TG + "aws:s3/bucketV2:BucketV2::exports"
    resources = doc["deployment"]["resources"]
    target_estate = P + "bascule:target:Estate::target"
    tags = {"project": "hdh", "classification": "open-data", "wave": "0"}
    resources.append(
        {
            "urn": urn,
            "type": "aws:s3/bucketV2:BucketV2",
            "custom": True,
            "id": "exports",
            "inputs": {"bucket": "exports", "tags": tags},
            "outputs": {"bucket": "exports", "tags": tags},
            "parent": target_estate,
        }
    )
    return urn


def _add_provider(doc: Doc, package: str, name: str, inputs: dict[str, Any]) -> str:
    """A new explicit provider in the target estate (a reviewer's hand-added resource)."""
    urn = f"{TG}pulumi:providers:{package}::{name}"
    doc["deployment"]["resources"].append(
        {
            "urn": urn,
            "type": f"pulumi:providers:{package}",
            "custom": True,
            "id": f"{name}-id",
            "inputs": inputs,
            "outputs": inputs,
            "parent": P + "bascule:target:Estate::target",
        }
    )
    return urn


def _move_to_second_tenancy(doc: Doc) -> str:
    """A second provider for the same qualified cloud, and the SNDS container moved onto it:
    the HDS derogation recorded for target-openstack does not follow it."""
    inputs = {
        "authUrl": "https://auth.eu-west-rbx-snc.cloud.snc.ovh.net/v3",
        "region": "eu-west-rbx-snc",
        "tenantName": "hdh-prod-2",
    }
    urn = _add_provider(doc, "openstack", "second-tenancy", inputs)
    container = _resource(
        doc,
        f"{TG}bascule:target:ObjectStorage$openstack:objectstorage/container:Container::"
        "snds-copy-container",
    )
    container["provider"] = f"{urn}::second-tenancy-id"
    return urn


def _drop_tags(doc: Doc) -> str:
    urn = f"{AZ}bascule:azure:Enclave$azure-native:network:NetworkSecurityGroup::bulk-001-nsg"
    resource = _resource(doc, urn)
    for side in ("inputs", "outputs"):
        resource.get(side, {}).pop("tags", None)
    return urn


def _weaken_lock(doc: Doc) -> str:
    lock = f"{AZ}bascule:azure:DatasetStorage$azure-native:authorization:ManagementLockByScope::"
    _set(doc, lock + "nomenclatures-read-only", "level", "CanNotDelete")
    return _account("nomenclatures")


IC_AZ = f"{AZ}bascule:azure:Interconnect$azure-native:network:"
IC_TG = f"{TG}bascule:target:Interconnect$openstack:vpnaas/"
TI_AZ = f"{AZ}bascule:azure:TransferIdentity$azure-native:authorization:RoleAssignment::"
TI_TG = (
    f"{TG}bascule:target:TransferIdentity$openstack:identity/applicationCredential:"
    "ApplicationCredential::"
)
BLOB_CONTRIBUTOR = (
    "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/"
    "roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe"
)


def _append_rule(doc: Doc, urn: str, key: str, rule: dict[str, Any]) -> str:
    resource = _resource(doc, urn)
    for side in ("inputs", "outputs"):
        if resource.get(side):
            resource[side][key] = [*resource[side][key], rule]
    return urn


def _drop(doc: Doc, urn: str, key: str) -> str:
    resource = _resource(doc, urn)
    for side in ("inputs", "outputs"):
        resource.get(side, {}).pop(key, None)
    return urn


def _open_transfer_egress(doc: Doc) -> str:
    """Egress to the internet from the datasets transfer enclave: reported on its VM."""
    nsg = f"{AZ}bascule:azure:TransferEnclave$azure-native:network:NetworkSecurityGroup::"
    rule = {
        "name": "allow-https-anywhere",
        "priority": 200,
        "direction": "Outbound",
        "access": "Allow",
        "protocol": "Tcp",
        "sourceAddressPrefix": "*",
        "sourcePortRange": "*",
        "destinationAddressPrefix": "Internet",
        "destinationPortRange": "443",
    }
    _append_rule(doc, nsg + "hdh-transfer-datasets-nsg", "securityRules", rule)
    vm = f"{AZ}bascule:azure:TransferEnclave$azure-native:compute:VirtualMachine::"
    return vm + "hdh-transfer-datasets-vm"


def _cutover_without_cnil(doc: Doc) -> str:
    """Wave 1 (cut over) loses its CNIL sign-off: reported on the stack."""
    root = doc["deployment"]["resources"][0]
    assert root["type"] == "pulumi:pulumi:Stack"
    wave = next(w for w in root["outputs"]["waves"] if w["id"] == 1)
    wave["signOffs"] = [o for o in wave["signOffs"] if o["authority"] != "CNIL"]
    return str(root["urn"])


MUTATIONS: dict[str, Mutation] = {
    "SOV-001": lambda d: _set(d, _account("snds-copy"), "location", "eastus"),
    "SOV-002": lambda d: _set(
        d,
        f"{TG}bascule:target:Enclave$openstack:blockstorage/volume:Volume::tail-001-boot-0",
        "region",
        "GRA11",
    ),
    # The qualified host over plain http: only the endpoint rule (SOV-010 still resolves it).
    "SOV-003": lambda d: _set(
        d,
        f"{TG}pulumi:providers:openstack::target-openstack",
        "authUrl",
        "http://auth.eu-west-rbx-snc.cloud.snc.ovh.net/v3",
    ),
    "SOV-004": _add_hyperscaler_bucket,
    "SOV-010": lambda d: _add_provider(d, "scaleway", "exports-scaleway", {"region": "fr-par"}),
    # OUTSCALE's visa (decision 2118) ends on 2026-11-30, six days after TODAY.
    "SOV-011": lambda d: _add_provider(
        d, "outscale", "archive-outscale", {"region": "cloudgouv-eu-west-1"}
    ),
    "SOV-012": _move_to_second_tenancy,
    "PRT-001": lambda d: _set(
        d,
        f"{AZ}bascule:azure:KeyVault$azure-native:keyvault:Vault::hdh-keys-vault",
        "properties.enablePurgeProtection",
        False,
    ),
    "PRT-002": lambda d: _set(
        d, _account("causes-deces"), "encryption.keySource", "Microsoft.Storage"
    ),
    "PRT-003": lambda d: _set(
        d,
        f"{TG}bascule:target:Enclave$openstack:blockstorage/volume:Volume::bulk-001-boot-0",
        "volumeType",
        "classic",
    ),
    "PRT-004": lambda d: _set(
        d,
        f"{AZ}bascule:azure:KeyVault$azure-native:keyvault:Key::pseudo-keys-key",
        "vaultName",
        "hdh-keys-a67838",
    ),
    "PRT-005": lambda d: _set(
        d,
        f"{TG}bascule:target:ObjectStorage$openstack:objectstorage/container:Container::"
        "snds-copy-container",
        "containerRead",
        ".r:*,.rlistings",
    ),
    "PRT-006": lambda d: _set(
        d,
        f"{TG}bascule:target:ObjectStorage$openstack:objectstorage/container:Container::"
        "project-extracts-container",
        "versioning",
        False,
    ),
    "PRT-007": lambda d: _set(d, _account("oscour"), "minimumTlsVersion", "TLS1_0"),
    "PRT-008": lambda d: _set(
        d,
        f"{AZ}bascule:azure:Enclave$azure-native:network:NetworkInterface::cnam-medeco-vm-nic",
        "ipConfigurations.0.publicIPAddress",
        {"id": "/subscriptions/s/resourceGroups/source-rg/providers/Microsoft.Network/x"},
    ),
    "PRT-009": lambda d: _set(
        d,
        f"{AZ}bascule:azure:Enclave$azure-native:network:NetworkSecurityGroup::bulk-002-nsg",
        "securityRules.0.sourceAddressPrefix",
        "0.0.0.0/0",
    ),
    "PRT-010": lambda d: _set(
        d,
        f"{AZ}bascule:azure:Enclave$azure-native:compute:VirtualMachine::cnam-medeco-vm",
        "osProfile.adminPassword",
        "Sant3-Publique!",
    ),
    "PRT-011": lambda d: _set(
        d,
        f"{AZ}bascule:azure:Monitoring$azure-native:operationalinsights:Workspace::"
        "hdh-monitoring-logs",
        "retentionInDays",
        30,
    ),
    "PRT-012": _drop_tags,
    "PRT-013": lambda d: _set(
        d,
        f"{AZ}bascule:azure:KeyVault$azure-native:keyvault:Vault::hdh-pseudo-vault",
        "properties.enableRbacAuthorization",
        False,
    ),
    "MIG-001": _weaken_lock,
    "MIG-002": lambda d: _set(d, _account("open-indicators"), "allowSharedKeyAccess", True),
    "MIG-010": lambda d: _set(
        d, IC_TG + "ikePolicy:IkePolicy::hdh-interconnect-ike", "ikeVersion", "v1"
    ),
    "MIG-011": lambda d: _set(
        d, IC_TG + "ipSecPolicy:IpSecPolicy::hdh-interconnect-ipsec", "transformProtocol", "ah"
    ),
    "MIG-012": lambda d: _drop(
        d, IC_TG + "siteConnection:SiteConnection::hdh-interconnect-connection", "psk"
    ),
    # A range only one end carries: reported on the Azure connection, as every MIG-013 finding.
    "MIG-013": lambda d: (
        _append_rule(
            d,
            IC_TG + "endpointGroup:EndpointGroup::hdh-interconnect-peer",
            "endpoints",
            "10.99.0.0/16",
        )
        and IC_AZ + "VirtualNetworkGatewayConnection::hdh-interconnect-connection"
    ),
    "MIG-014": lambda d: _set(
        d, TI_AZ + "hdh-wave2-datasets-transfer-reads-oscour", "roleDefinitionId", BLOB_CONTRIBUTOR
    ),
    "MIG-015": lambda d: _append_rule(
        d,
        TI_TG + "hdh-wave3-datasets-transfer",
        "accessRules",
        {"service": "object-store", "method": "DELETE", "path": "/v1/*/hdh-snds-copy/**"},
    ),
    "MIG-016": lambda d: _drop(d, TI_TG + "hdh-wave2-datasets-transfer", "expiresAt"),
    "MIG-017": _open_transfer_egress,
    # Wave 4 is planned: its target enclaves stay shut off until the wave is parallel.
    "MIG-018": lambda d: _drop(
        d,
        f"{TG}bascule:target:Enclave$openstack:compute/instance:Instance::gpu-001-vm-0",
        "powerState",
    ),
    "MIG-019": _cutover_without_cnil,
    "MIG-020": lambda d: _set(
        d,
        f"{AZ}bascule:azure:KeyVault$azure-native:keyvault:Key::pseudo-keys-key",
        "properties.attributes",
        {"enabled": True, "exportable": True},
    ),
}


@pytest.fixture(scope="module")
def session() -> Iterator[PolicySession]:
    with PolicySession(DEFAULT_PACKS, project="bascule", stack="prod") as s:
        yield s


@pytest.fixture(scope="module")
def mutated(
    prod_snapshot: Snapshot, session: PolicySession, tmp_path_factory: pytest.TempPathFactory
) -> tuple[PolicyRun, dict[str, str]]:
    doc = json.loads(snapshot_json(prod_snapshot))
    broken = {rule_id: mutate(doc) for rule_id, mutate in MUTATIONS.items()}
    path = tmp_path_factory.mktemp("mutations") / "prod-mutated.json"
    path.write_text(json.dumps(doc))
    return session.run(load_snapshot(path), config_files=STACK_CONFIG, today=TODAY), broken


def test_every_rule_has_a_mutation() -> None:
    assert sorted(MUTATIONS) == sorted(rule.id for rule in ALL_RULES)


def test_unmutated_prod_is_clean(prod_snapshot: Snapshot, session: PolicySession) -> None:
    run = session.run(prod_snapshot, config_files=STACK_CONFIG, today=TODAY)
    assert run.resources_analyzed == len(prod_snapshot) > 4000
    assert [(v.policy, v.urn, v.message) for v in run.violations] == []


@pytest.mark.parametrize("rule", ALL_RULES, ids=[r.id for r in ALL_RULES])
def test_mutation_caught_on_its_urn(rule: Any, mutated: tuple[PolicyRun, dict[str, str]]) -> None:
    run, broken = mutated
    urns = sorted({v.urn for v in run.violations if v.policy == rule.policy_name})
    assert urns == [broken[rule.id]]
    levels = {v.level for v in run.violations if v.policy == rule.policy_name}
    assert levels == {str(rule.enforcement)}


def test_mutations_trip_no_other_resource(mutated: tuple[PolicyRun, dict[str, str]]) -> None:
    run, broken = mutated
    assert {v.urn for v in run.violations} <= set(broken.values())
    assert run.failed


def test_in_process_path_equals_the_grpc_path(
    prod_snapshot: Snapshot,
    mutated: tuple[PolicyRun, dict[str, str]],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    grpc_run, _ = mutated
    doc = json.loads(snapshot_json(prod_snapshot))
    for mutate in MUTATIONS.values():
        mutate(doc)
    path = tmp_path_factory.mktemp("in-process") / "prod-mutated.json"
    path.write_text(json.dumps(doc))
    with PolicySession(DEFAULT_PACKS, project="bascule", stack="prod", in_process=True) as local:
        local_run = local.run(load_snapshot(path), config_files=STACK_CONFIG, today=TODAY)
    # The whole run, field by field (only the snapshot's file name differs).
    assert replace(local_run, source="") == replace(grpc_run, source="")
    assert len(local_run.violations) >= len(MUTATIONS)
