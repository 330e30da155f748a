"""The source estate under mocks: exposure, encryption, tagging, key separation, structure."""

from __future__ import annotations

import ipaddress
import re
from collections import Counter
from typing import Any

import pytest
from azure_estate_harness import PROVIDER_TYPE, EstateRun, Registration, dev_config, run_estate

from components.tagging import REQUIRED_KEYS

GATEWAY = "bascule:azure:AccessGateway"
ENCLAVE = "bascule:azure:Enclave"
TRANSFER_ENCLAVE = "bascule:azure:TransferEnclave"
INTERCONNECT = "bascule:azure:Interconnect"
# Azure sub-resources and RBAC objects with no tags property.
UNTAGGABLE = {
    "azure-native:network:Subnet",
    "azure-native:network:VirtualNetworkPeering",
    "azure-native:storage:BlobContainer",
    "azure-native:storage:BlobServiceProperties",
    "azure-native:monitor:DiagnosticSetting",
    "azure-native:authorization:ManagementLockByScope",
    "azure-native:authorization:RoleAssignment",
    "azure-native:monitor:SubscriptionDiagnosticSetting",
}


def nic_of(run: EstateRun, vm: Registration) -> list[Registration]:
    by_id = run.by_id()
    return [by_id[ref["id"]] for ref in vm.state["networkProfile"]["networkInterfaces"]]


def test_only_the_gateway_vm_has_a_public_ip(dev_run: EstateRun) -> None:
    vms = dev_run.of_type("compute:VirtualMachine")
    # 3 enclaves, the gateway, and wave 1's two transfer enclaves (it is replicating)
    assert Counter(vm.parent_type for vm in vms) == {ENCLAVE: 3, GATEWAY: 1, TRANSFER_ENCLAVE: 2}
    for vm in vms:
        public = [
            cfg
            for nic in nic_of(dev_run, vm)
            for cfg in nic.state["ipConfigurations"]
            if cfg.get("publicIPAddress")
        ]
        assert bool(public) == (vm.parent_type == GATEWAY), vm.name


def test_every_vm_disk_uses_the_disk_encryption_set(dev_run: EstateRun) -> None:
    (des,) = dev_run.of_type("compute:DiskEncryptionSet")
    assert des.state["encryptionType"] == "EncryptionAtRestWithCustomerKey"
    keys = {k.state["keyName"]: k.state for k in dev_run.of_type("keyvault:Key")}
    assert des.state["activeKey"]["keyUrl"] == keys["disks-cmk"]["keyUriWithVersion"]
    assert re.fullmatch(
        r"https://[\w-]+\.vault\.azure\.net/keys/disks-cmk/[0-9a-f]{32}",
        des.state["activeKey"]["keyUrl"],
    )
    for vm in dev_run.of_type("compute:VirtualMachine"):
        profile = vm.state["storageProfile"]
        disks = [profile["osDisk"], *profile.get("dataDisks", [])]
        for disk in disks:
            assert disk["managedDisk"]["diskEncryptionSet"]["id"] == des.id, vm.name
        if vm.parent_type == ENCLAVE:
            assert len(disks) == 2, vm.name


def test_vms_log_in_with_ssh_keys_only(dev_run: EstateRun) -> None:
    for vm in dev_run.of_type("compute:VirtualMachine"):
        os_profile = vm.state["osProfile"]
        assert "adminPassword" not in os_profile
        linux = os_profile["linuxConfiguration"]
        assert linux["disablePasswordAuthentication"] is True
        assert linux["ssh"]["publicKeys"][0]["keyData"].startswith("ssh-ed25519 ")


def test_storage_accounts_are_private_and_cmk_encrypted(dev_run: EstateRun) -> None:
    accounts = dev_run.of_type("storage:StorageAccount")
    assert len(accounts) == 4  # the 3 datasets and the log archive
    for account in accounts:
        state = account.state
        assert state["allowBlobPublicAccess"] is False
        assert state["allowSharedKeyAccess"] is False
        assert state["publicNetworkAccess"] == "Disabled"
        assert state["minimumTlsVersion"] == "TLS1_2"
        assert state["enableHttpsTrafficOnly"] is True
        if "log-archive" not in account.name:  # datasets are ADLS Gen2
            assert state["isHnsEnabled"] is True
        assert state["encryption"]["keySource"] == "Microsoft.Keyvault"
        name = state["accountName"]
        assert 3 <= len(name) <= 24 and name.isalnum() and name.islower()
    for container in dev_run.of_type("storage:BlobContainer"):
        assert container.state["publicAccess"] == "None"


def test_raw_datasets_keep_versions(dev_run: EstateRun) -> None:
    versioning = {
        r.parent.split("::")[-1]: r.state["isVersioningEnabled"]
        for r in dev_run.of_type("storage:BlobServiceProperties")
    }
    assert versioning == {
        "snds-extract": True,
        "open-nomenclatures": False,
        "pseudo-tables": True,
        "hdh-dev-log-archive": True,
    }


def test_every_taggable_resource_carries_the_required_tags(dev_run: EstateRun) -> None:
    checked = 0
    for r in dev_run.registrations:
        if not r.custom or r.type == PROVIDER_TYPE or r.type in UNTAGGABLE:
            continue
        tags = r.state.get("tags") or {}
        assert all(tags.get(key) for key in REQUIRED_KEYS), (r.type, r.name, tags)
        assert tags["estate"] == "source"
        checked += 1
    assert checked > 30


def test_gateway_and_enclave_tags(dev_run: EstateRun) -> None:
    for r in dev_run.registrations:
        if r.parent_type == GATEWAY and r.type != "azure-native:network:Subnet":  # untaggable
            assert r.state["tags"]["role"] == "access-gateway"
        if r.parent_type == ENCLAVE and r.custom:
            assert r.state["tags"]["project"] == r.parent.split("::")[-1]


def test_pseudonymisation_keys_live_in_their_own_vault(dev_run: EstateRun) -> None:
    vault_of = {k.state["keyName"]: k.state["vaultName"] for k in dev_run.of_type("keyvault:Key")}
    assert vault_of["pseudo-keys"] != vault_of["datasets-cmk"]
    assert vault_of["datasets-cmk"] == vault_of["disks-cmk"]
    keys = dev_run.inventory["keys"]
    assert keys["pseudo-keys"]["vault"] == vault_of["pseudo-keys"]
    assert keys["pseudo-keys"]["azureKty"] == "RSA-HSM"
    assert keys["pseudo-keys"]["azureKeySize"] == 3072


def test_key_vaults_are_hardened(dev_run: EstateRun) -> None:
    vaults = dev_run.of_type("keyvault:Vault")
    assert len(vaults) == 2
    for vault in vaults:
        props = vault.state["properties"]
        assert props["sku"]["name"] == "premium"
        assert props["enablePurgeProtection"] is True
        assert props["enableSoftDelete"] is True
        assert props["softDeleteRetentionInDays"] == 90
        assert props["enableRbacAuthorization"] is True
        assert props["publicNetworkAccess"] == "Disabled"
        assert props["networkAcls"]["defaultAction"] == "Deny"
    for key in dev_run.of_type("keyvault:Key"):
        assert key.state["properties"]["kty"] == "RSA-HSM"
    audited = {d.state["resourceUri"] for d in dev_run.of_type("monitor:DiagnosticSetting")}
    assert {v.id for v in vaults} <= audited


def test_log_retention(dev_run: EstateRun) -> None:
    (workspace,) = dev_run.of_type("operationalinsights:Workspace")
    assert workspace.state["retentionInDays"] >= 180
    assert workspace.state["sku"]["name"] == "PerGB2018"


def test_network_is_hub_and_spoke_with_internet_denied(dev_run: EstateRun) -> None:
    assert len(dev_run.of_type("network:VirtualNetwork")) == 4
    subnets = dev_run.of_type("network:Subnet")
    assert {s.state["addressPrefix"] for s in subnets} == {
        "10.10.0.0/24",
        "10.10.1.0/24",
        "10.10.2.0/24",
        "10.10.16.0/20",
        "10.10.255.0/27",  # the GatewaySubnet: Azure does not support an NSG on it
    }
    subnets = [s for s in subnets if s.parent_type != INTERCONNECT]
    zone_nsgs = [
        n for n in dev_run.of_type("network:NetworkSecurityGroup") if n.name.endswith("-nsg")
    ]
    by_id = dev_run.by_id()
    for subnet in subnets:
        nsg = by_id[subnet.state["networkSecurityGroup"]["id"]]
        assert nsg in zone_nsgs
        *allows, deny = nsg.state["securityRules"]
        assert (deny["sourceAddressPrefix"], deny["access"], deny["priority"]) == (
            "Internet",
            "Deny",
            4096,
        )
        # Only the gateway zone admits anything from the internet: the gateway's port.
        expected = ["allow-tcp-443"] if subnet.parent_type == GATEWAY else []
        assert [r["name"] for r in allows] == expected, subnet.name


def _peers(run: EstateRun) -> set[tuple[str, str]]:
    by_id = run.by_id()
    return {
        (p.state["virtualNetworkName"], by_id[p.state["remoteVirtualNetwork"]["id"]].name)
        for p in run.of_type("network:VirtualNetworkPeering")
    }


def test_peerings_give_every_flow_the_platform_needs_a_path(dev_run: EstateRun) -> None:
    """Azure peering is not transitive and the hub has no router: spokes that talk (the
    gateway to the enclaves, the enclaves to the data zone's private endpoints) are peered
    directly, both ways; other spokes only with the hub."""
    hub = {("hub-vnet", f"{z}-vnet") for z in ("gateway", "data", "research")}
    direct = {("gateway-vnet", "research-vnet"), ("research-vnet", "data-vnet")}
    expected = {*hub, *direct}
    assert _peers(dev_run) == expected | {(b, a) for a, b in expected}
    assert ("gateway-vnet", "data-vnet") not in _peers(dev_run)


def test_enclaves_accept_only_the_gateway_zone(dev_run: EstateRun) -> None:
    enclave_nsgs = [
        n for n in dev_run.of_type("network:NetworkSecurityGroup") if n.parent_type == ENCLAVE
    ]
    assert len(enclave_nsgs) == 3
    for nsg in enclave_nsgs:
        *allows, deny = nsg.state["securityRules"]
        assert allows and all(r["sourceAddressPrefix"] == "10.10.1.0/24" for r in allows)
        assert all(r["access"] == "Allow" and r["protocol"] == "Tcp" for r in allows)
        assert (deny["access"], deny["sourceAddressPrefix"]) == ("Deny", "*")


def _first_match(rules: list[dict[str, Any]], source: str, port: int) -> str:
    """Azure's evaluation of one NSG for an inbound TCP flow from an internet address: the
    lowest priority number that matches decides; the default DenyAllInBound otherwise."""
    for rule in sorted(rules, key=lambda r: r["priority"]):
        if rule["direction"] != "Inbound" or rule["protocol"] not in ("Tcp", "*"):
            continue
        sources = rule.get("sourceAddressPrefixes") or [rule["sourceAddressPrefix"]]
        in_source = any(
            s in ("*", "Internet")
            or ipaddress.ip_address(source) in ipaddress.ip_network(s, strict=False)
            for s in sources
        )
        ports = rule["destinationPortRange"]
        if in_source and ports in ("*", str(port)):
            return str(rule["access"])
    return "Deny"


def test_an_internet_client_reaches_the_gateway_port_and_nothing_else(dev_run: EstateRun) -> None:
    """Inbound, Azure evaluates the subnet's NSG, then the NIC's: both must allow."""
    by_id = dev_run.by_id()
    (nic,) = [n for n in dev_run.of_type("network:NetworkInterface") if n.parent_type == GATEWAY]
    subnet = by_id[nic.state["ipConfigurations"][0]["subnet"]["id"]]
    layers = [
        by_id[subnet.state["networkSecurityGroup"]["id"]],
        by_id[nic.state["networkSecurityGroup"]["id"]],
    ]
    verdicts = {
        port: [_first_match(nsg.state["securityRules"], "198.51.100.7", port) for nsg in layers]
        for port in (443, 22, 3389)
    }
    assert verdicts == {443: ["Allow", "Allow"], 22: ["Deny", "Deny"], 3389: ["Deny", "Deny"]}


def test_gateway_exposes_only_its_port(dev_run: EstateRun) -> None:
    nsgs = {
        n.name: n
        for n in dev_run.of_type("network:NetworkSecurityGroup")
        if n.parent_type == GATEWAY
    }
    assert sorted(nsgs) == ["gateway-nsg", "hdh-dev-gateway-nsg"]  # the zone's, the NIC's
    allow, deny = nsgs["hdh-dev-gateway-nsg"].state["securityRules"]
    assert (allow["protocol"], allow["destinationPortRange"]) == ("Tcp", "443")
    assert allow["sourceAddressPrefixes"] == ["0.0.0.0/0"]
    assert deny["access"] == "Deny"
    gateway_types = Counter(r.type for r in dev_run.registrations if r.parent_type == GATEWAY)
    assert gateway_types == {
        "azure-native:network:PublicIPAddress": 1,
        "azure-native:network:NetworkSecurityGroup": 2,
        "azure-native:network:Subnet": 1,
        "azure-native:network:NetworkInterface": 1,
        "azure-native:compute:VirtualMachine": 1,
    }
    # The gateway's, and the VPN gateway's (the interconnect's one endpoint)
    assert Counter(p.parent_type for p in dev_run.of_type("network:PublicIPAddress")) == {
        GATEWAY: 1,
        INTERCONNECT: 1,
    }


def test_every_resource_has_a_parent_and_the_explicit_provider(dev_run: EstateRun) -> None:
    providers = [r for r in dev_run.registrations if r.type == PROVIDER_TYPE]
    assert len(providers) == 1
    provider_urn = f"urn:pulumi:test::bascule::bascule:azure:Estate${PROVIDER_TYPE}::source-azure"
    for r in dev_run.registrations:
        if r.type == "bascule:azure:Estate":
            assert r.parent_type == "pulumi:pulumi:Stack"
            continue
        assert r.parent, (r.type, r.name)
        if r.custom and r.type != PROVIDER_TYPE:
            assert r.provider.startswith(provider_urn + "::"), (r.type, r.name, r.provider)


def test_urns_are_unique(dev_run: EstateRun) -> None:
    urns = Counter((r.parent_type, r.type, r.name) for r in dev_run.registrations)
    assert [u for u, n in urns.items() if n > 1] == []


def test_enclaves_stay_small(dev_run: EstateRun) -> None:
    per_enclave = Counter(
        r.parent.split("::")[-1] for r in dev_run.registrations if r.parent_type == ENCLAVE
    )
    assert set(per_enclave) == {"proj-001", "proj-002", "proj-003"}
    assert max(per_enclave.values()) <= 5


def test_inventory_shape(dev_run: EstateRun) -> None:
    inventory = dev_run.inventory
    assert set(inventory) == {"zones", "datasets", "keys", "enclaves"}
    assert inventory["zones"]["research"]["cidr"] == "10.10.16.0/20"
    assert inventory["zones"]["hub"]["role"] == "hub"
    assert inventory["datasets"]["snds-extract"] | {"id": None, "storageAccount": None} == {
        "classification": "pseudonymised-health",
        "sizeGb": 2048,
        "raw": True,
        "wave": 1,
        "key": "datasets-cmk",
        "vault": inventory["keys"]["datasets-cmk"]["vault"],
        "storageAccount": None,
        "readOnly": False,
        "id": None,
    }
    gpu_enclave = inventory["enclaves"]["proj-002"]
    assert (gpu_enclave["vcpu"], gpu_enclave["ramGb"], gpu_enclave["gpu"]) == (8, 64, 1)
    assert gpu_enclave["vmSize"].startswith("Standard_NC")
    assert inventory["enclaves"]["proj-001"]["vmSize"] == "Standard_D4s_v5"


def test_before_cutover_data_stores_are_locked_against_deletion_only(dev_run: EstateRun) -> None:
    locks = dev_run.of_type("authorization:ManagementLockByScope")
    assert sorted(lock.name for lock in locks) == [
        "hdh-dev-keys-no-delete",
        "hdh-dev-log-archive-no-delete",
        "hdh-dev-pseudo-no-delete",
        "open-nomenclatures-no-delete",
        "pseudo-tables-no-delete",
        "snds-extract-no-delete",
    ]
    assert {lock.state["level"] for lock in locks} == {"CanNotDelete"}


def test_cut_over_datasets_are_locked_read_only(cutover_run: EstateRun) -> None:
    locks = [
        lock
        for lock in cutover_run.of_type("authorization:ManagementLockByScope")
        if lock.state["level"] == "ReadOnly"
    ]
    accounts = {a.id for a in cutover_run.of_type("storage:StorageAccount")}
    assert len(locks) == 3
    for lock in locks:
        assert lock.state["level"] == "ReadOnly"
        assert lock.state["scope"] in accounts
    assert all(d["readOnly"] for d in cutover_run.inventory["datasets"].values())


@pytest.mark.parametrize("instances", [2])
def test_instances_multiply_vms_not_nsgs(instances: int) -> None:
    overrides = [
        {"name": "proj-002", "size": {"vcpu": 8, "ramGb": 64, "gpu": 1, "diskGb": 500}},
        {"name": "proj-003", "instances": instances},
    ]
    run = run_estate(dev_config(enclaves=overrides))
    names = {r.name for r in run.of_type("compute:VirtualMachine") if r.parent.endswith("proj-003")}
    assert names == {"proj-003-vm", "proj-003-vm-1"}
    nsgs = [r for r in run.of_type("network:NetworkSecurityGroup") if r.name == "proj-003-nsg"]
    assert len(nsgs) == 1


def test_the_log_archive_outlives_a_decommissioned_wave() -> None:
    # Wave 1 holds every dataset: decommissioned, its dataset keys are deleted (their
    # destruction is the datasets' crypto-erasure), so the log archive, kept for its retention,
    # moves to the one key left in that vault, the disk key.
    sign_off = {"authority": "CNIL", "reference": "test", "date": "2027-02-01"}
    waves = [
        {"id": 1, "name": "pilot", "status": "decommissioned", "cutoverDate": "2027-02-15",
         "signOffs": [sign_off]},
        {"id": 2, "name": "bulk", "status": "planned"},
    ]  # fmt: skip
    run = run_estate(dev_config(waves=waves))
    keys = {k.name for k in run.of_type("keyvault:Key")}
    assert keys == {"disks-cmk-key"}
    (archive,) = run.of_type("storage:StorageAccount")  # the datasets' accounts are gone
    assert archive.name == "hdh-dev-log-archive-account"
    assert archive.state["encryption"]["keyVaultProperties"]["keyName"] == "disks-cmk"
