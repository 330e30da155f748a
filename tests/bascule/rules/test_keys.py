"""PRT-002, PRT-004 and PRT-013 beyond their fixtures: encryption scopes and key vault
properties, vault names in another case, IP rules that open a vault or a Managed HSM."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bascule.rules import props as p
from bascule.rules.base import ResourceView, StackResource
from bascule.rules.catalog import rule_by_id

U = "urn:pulumi:dev::bascule::"
VAULT = "azure-native:keyvault:Vault"
HSM = "azure-native:keyvault:ManagedHsm"
KEY = "azure-native:keyvault:Key"
SCOPE = "azure-native:storage:EncryptionScope"
ACCOUNT = "azure-native:storage:StorageAccount"


def check(rule: str, type_: str, props: Mapping[str, Any]) -> list[str]:
    view = ResourceView(type=type_, props=props, urn=f"{U}{type_}::r", name="r")
    return rule_by_id(rule).check_resource(view)


def acls(*values: Any, public: Any = "Enabled", action: Any = "Deny") -> dict[str, Any]:
    rules = [{"value": v} for v in values]
    return {
        "properties": {
            "enableRbacAuthorization": True,
            "publicNetworkAccess": public,
            "networkAcls": {"defaultAction": action, "ipRules": rules},
        }
    }


# --------------------------------------------------------------------------- PRT-013


@pytest.mark.parametrize("type_", [VAULT, HSM])
@pytest.mark.parametrize("value", ["0.0.0.0/0", "0.0.0.0", "*", " 0.0.0.0/0 "])
def test_an_ip_rule_for_anyone_opens_the_store(type_: str, value: str) -> None:
    assert check("PRT-013", type_, acls("51.15.20.0/24", value)) == [
        f"properties.networkAcls.ipRules[1].value is '{value}': the whole internet is allowed"
    ]


def test_ip_rules_that_together_cover_the_internet() -> None:
    halves = acls("0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/1")
    assert check("PRT-013", VAULT, halves) == [
        "properties.networkAcls.ipRules together allow the whole internet "
        "(0.0.0.0/2, 64.0.0.0/2, 128.0.0.0/1)"
    ]


@pytest.mark.parametrize("public", ["Disabled", "disabled"])
def test_the_acl_is_judged_even_with_public_access_disabled(public: str) -> None:
    # As defaultAction is (PRT-013's fail.json): the ACL is one flag away from governing.
    assert check("PRT-013", VAULT, acls("0.0.0.0/0", public=public)) == [
        "properties.networkAcls.ipRules[0].value is '0.0.0.0/0': the whole internet is allowed"
    ]


def test_narrow_ip_rules_unknowns_and_missing_values_pass() -> None:
    props = acls("51.15.20.0/24", "198.51.100.7", p.UNKNOWN, None)
    assert check("PRT-013", VAULT, props) == []
    assert check("PRT-013", HSM, acls("51.15.20.0/24", public=p.UNKNOWN)) == []


@pytest.mark.parametrize("value", [42, "not-an-ip", "51.15.20.0/33"])
def test_an_unreadable_ip_rule_cannot_be_verified(value: Any) -> None:
    assert check("PRT-013", VAULT, acls(value)) == [
        f"cannot verify properties.networkAcls.ipRules[0].value {p.show(value)}: "
        "not an IPv4 address or range"
    ]


def test_a_managed_hsm_is_judged_on_its_network_only() -> None:
    hsm = {"properties": {"networkAcls": {"defaultAction": "Allow"}}}
    assert check("PRT-013", HSM, hsm) == [
        "properties.networkAcls.defaultAction is 'Allow', must be 'Deny'"
    ]
    assert check("PRT-013", HSM, {}) == [
        "properties.networkAcls.defaultAction is not set, must be 'Deny'"
    ]


# --------------------------------------------------------------------------- PRT-002


@pytest.mark.parametrize("source", ["Microsoft.Storage", "microsoft.storage", "", 3])
def test_a_platform_key_scope_fails(source: Any) -> None:
    assert check("PRT-002", SCOPE, {"source": source}) == [
        f"source is {p.show(source)}, must be 'Microsoft.KeyVault' (blobs written in this "
        "scope get a platform-managed key)"
    ]


def test_a_scope_without_source_cannot_be_verified() -> None:
    assert check("PRT-002", SCOPE, {}) == [
        "cannot verify the key of the encryption scope: source is not set (no default "
        "documented); set source: Microsoft.KeyVault with keyVaultProperties.keyUri"
    ]


@pytest.mark.parametrize("kvp", [None, {}, {"keyUri": ""}])
def test_a_key_vault_scope_names_its_key(kvp: Any) -> None:
    props = {"source": "MICROSOFT.KEYVAULT", "keyVaultProperties": kvp}
    assert check("PRT-002", SCOPE, props) == [
        "keyVaultProperties.keyUri is missing (no customer-managed key referenced)"
    ]


@pytest.mark.parametrize(
    "props",
    [
        {"source": p.UNKNOWN},
        {"source": "Microsoft.KeyVault", "keyVaultProperties": p.UNKNOWN},
        {"source": "Microsoft.KeyVault", "keyVaultProperties": {"keyUri": p.UNKNOWN}},
        {"source": " Microsoft.KeyVault ", "keyVaultProperties": {"keyUri": "https://k/keys/a"}},
    ],
)
def test_scope_unknowns_and_key_vault_scopes_pass(props: Mapping[str, Any]) -> None:
    assert check("PRT-002", SCOPE, props) == []


DES = "azure-native:compute:DiskEncryptionSet"
DES_KEY = {"keyUrl": "https://kv-hdh-data.vault.azure.net/keys/cmk-disk/0123abcd"}


@pytest.mark.parametrize(
    "etype",
    [
        "EncryptionAtRestWithCustomerKey",
        "EncryptionAtRestWithPlatformAndCustomerKeys",
        "ConfidentialVmEncryptedWithCustomerKey",
        "encryptionatrestwithcustomerkey",
    ],
)
def test_a_disk_encryption_set_on_a_customer_key_passes(etype: str) -> None:
    assert check("PRT-002", DES, {"encryptionType": etype, "activeKey": DES_KEY}) == []


def test_a_disk_encryption_set_on_a_platform_key_fails() -> None:
    props = {"encryptionType": "EncryptionAtRestWithPlatformKey", "activeKey": DES_KEY}
    assert check("PRT-002", DES, props) == [
        "encryptionType is 'EncryptionAtRestWithPlatformKey', must be "
        "EncryptionAtRestWithCustomerKey, EncryptionAtRestWithPlatformAndCustomerKeys or "
        "ConfidentialVmEncryptedWithCustomerKey"
    ]


def test_a_disk_encryption_set_without_type_or_key_cannot_be_verified() -> None:
    assert check("PRT-002", DES, {"activeKey": {"keyUrl": " "}}) == [
        "cannot verify the key type of the disk encryption set: encryptionType is not set "
        "(no default documented); set EncryptionAtRestWithCustomerKey",
        "activeKey.keyUrl is missing (no customer-managed key referenced)",
    ]


def test_a_disk_encryption_set_whose_type_is_not_text_cannot_be_verified() -> None:
    assert check("PRT-002", DES, {"encryptionType": 1, "activeKey": DES_KEY}) == [
        "cannot verify the key type of the disk encryption set: encryptionType is 1"
    ]


def test_a_disk_encryption_set_with_unknowns_is_skipped() -> None:
    props = {"encryptionType": p.UNKNOWN, "activeKey": {"keyUrl": p.UNKNOWN}}
    assert check("PRT-002", DES, props) == []


@pytest.mark.parametrize(("client", "found"), [("None", False), ("", False), ("abc", True)])
def test_a_cross_tenant_key_cannot_be_verified(client: str, found: bool) -> None:
    props = {
        "encryptionType": "EncryptionAtRestWithCustomerKey",
        "activeKey": DES_KEY,
        "federatedClientId": client,
    }
    expected = [
        "cannot verify the key of the disk encryption set: federatedClientId is 'abc', the key "
        "lives in a vault of another tenant"
    ]
    assert check("PRT-002", DES, props) == (expected if found else [])


def test_account_key_vault_properties_must_name_the_key() -> None:
    enc = {"keySource": "Microsoft.Keyvault", "keyVaultProperties": {"keyName": ""}}
    assert check("PRT-002", ACCOUNT, {"encryption": enc}) == [
        "encryption.keyVaultProperties.keyName is missing (no customer-managed key)",
        "encryption.keyVaultProperties.keyVaultUri is missing (no customer-managed key)",
    ]
    enc["keyVaultProperties"] = {"keyName": "cmk", "keyVaultUri": p.UNKNOWN}
    assert check("PRT-002", ACCOUNT, {"encryption": enc}) == []


# --------------------------------------------------------------------------- PRT-004


def res(type_: str, name: str, props: Mapping[str, Any]) -> StackResource:
    return StackResource(type=type_, props=props, urn=f"{U}{type_}::{name}", name=name)


def key(name: str, vault: str, klass: str) -> StackResource:
    return res(KEY, name, {"vaultName": vault, "tags": {"classification": klass}})


def separation(*resources: StackResource) -> list[tuple[str | None, str]]:
    return [(f.urn, f.message) for f in rule_by_id("PRT-004").check_stack(resources)]


PSEUDO_VAULT = res(VAULT, "kv-pseudo", {"tags": {"classification": "pseudonymisation-keys"}})


@pytest.mark.parametrize(
    ("resources", "flagged", "message"),
    [
        (  # the vault classified pseudonymisation-keys, a dataset key naming it in capitals
            [
                PSEUDO_VAULT,
                key("k-pseudo", "KV-PSEUDO", "pseudonymisation-keys"),
                key("k-data", "Kv-Pseudo", "pseudonymised-health"),
            ],
            "k-data",
            "key 'k-data' of classification 'pseudonymised-health' is in vault 'KV-PSEUDO' "
            "that holds pseudonymisation keys",
        ),
        (  # a vault outside the stack, named in two cases
            [
                key("k-pseudo", "kv-shared", "pseudonymisation-keys"),
                key("k-disk", "KV-SHARED", "platform"),
            ],
            "k-disk",
            "key 'k-disk' of classification 'platform' is in vault 'kv-shared' "
            "that holds pseudonymisation keys",
        ),
    ],
)
def test_a_vault_name_in_another_case_is_the_same_vault(
    resources: list[StackResource], flagged: str, message: str
) -> None:
    assert separation(*resources) == [(f"{U}{KEY}::{flagged}", message)]


def test_a_key_id_in_another_case_joins_its_vault() -> None:
    ref = "/subscriptions/s/vaults/KV-Pseudo/keys/k-data"
    by_id = res(KEY, "k-data", {"id": ref, "tags": {"classification": "platform"}})
    found = separation(key("k-pseudo", "kv-pseudo", "pseudonymisation-keys"), by_id)
    assert [urn for urn, _ in found] == [f"{U}{KEY}::k-data"]


SECRET = "azure-native:keyvault:Secret"


def test_a_pseudonymisation_secret_counts_as_a_vault_member() -> None:
    ref = "/subscriptions/s/resourceGroups/r/providers/Microsoft.KeyVault/vaults/KV-Data/secrets/s"
    salt = res(SECRET, "salt", {"id": ref, "tags": {"classification": "pseudonymisation-keys"}})
    found = separation(key("k-data", "kv-data", "pseudonymised-health"), salt)
    assert found == [
        (
            f"{U}{KEY}::k-data",
            "key 'k-data' of classification 'pseudonymised-health' is in vault 'kv-data' "
            "that holds pseudonymisation keys",
        )
    ]


def test_a_secret_naming_no_vault_cannot_be_verified() -> None:
    assert separation(res(SECRET, "salt", {"secretName": "salt"})) == [
        (
            f"{U}{SECRET}::salt",
            "cannot verify the pseudonymisation-key separation of secret 'salt': it names no "
            "vault (no vaultName, no vault in its id)",
        )
    ]
    assert separation(res(SECRET, "salt", {"vaultName": p.UNKNOWN})) == []


# --------------------------------------------------------------------------- PRT-026

DES = "azure-native:compute:DiskEncryptionSet"
VM = "azure-native:compute:VirtualMachine"
DISK = "azure-native:compute:Disk"
SETS = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/diskEncryptionSets"
VAULTS = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault"
HEX = "0123456789abcdef0123456789abcdef"


def store(type_: str, name: str, purge: Any = True) -> StackResource:
    kind = "vaults" if type_ == VAULT else "managedHSMs"
    props = {"name": name, "id": f"{VAULTS}/{kind}/{name}", "properties": {}}
    if purge is not None:
        props["properties"] = {"enablePurgeProtection": purge}
    return res(type_, name, props)


def disk_set(name: str, url: Any, source: Any = None) -> StackResource:
    key: dict[str, Any] = {"keyUrl": url}
    if source is not None:
        key["sourceVault"] = {"id": source}
    return res(DES, name, {"id": f"{SETS}/{name}", "activeKey": key})


def disk_keys(*resources: StackResource) -> list[tuple[str | None, str]]:
    return [(f.urn, f.message) for f in rule_by_id("PRT-026").check_stack(resources)]


@pytest.mark.parametrize(
    ("type_", "host"),
    [
        (VAULT, "kv-disks.vault.azure.net"),
        (VAULT, "KV-DISKS.Vault.Azure.Net"),
        (VAULT, "kv-disks.vault.azure.net:443"),
        (HSM, "kv-disks.managedhsm.azure.net"),
        (HSM, "KV-Disks.MANAGEDHSM.azure.net"),
    ],
)
def test_a_set_on_a_key_of_an_estate_store_passes(type_: str, host: str) -> None:
    found = disk_keys(store(type_, "kv-disks"), disk_set("des", f"https://{host}/keys/k/{HEX}"))
    assert found == []


def test_a_managed_hsm_host_is_not_a_vault_of_the_same_name() -> None:
    url = f"https://kv-disks.managedhsm.azure.net/keys/k/{HEX}"
    assert disk_keys(store(VAULT, "kv-disks"), disk_set("des", url)) == [
        (
            f"{U}{DES}::des",
            "cannot verify the key of disk encryption set 'des': activeKey.keyUrl names Managed "
            "HSM 'kv-disks', not one of this estate (its purge protection and ACL cannot be shown)",
        )
    ]


@pytest.mark.parametrize(("type_", "kind"), [(VAULT, "key vault"), (HSM, "Managed HSM")])
@pytest.mark.parametrize(("purge", "shown"), [(False, "false"), (None, "not set"), ("no", "'no'")])
def test_a_store_without_purge_protection_fails(
    type_: str, kind: str, purge: Any, shown: str
) -> None:
    host = "kv-disks.vault.azure.net" if type_ == VAULT else "kv-disks.managedhsm.azure.net"
    found = disk_keys(store(type_, "kv-disks", purge), disk_set("des", f"https://{host}/keys/k"))
    assert found == [
        (
            f"{U}{DES}::des",
            f"disk encryption set 'des' takes its key from {kind} 'kv-disks' whose "
            f"properties.enablePurgeProtection is {shown}, must be true",
        )
    ]


@pytest.mark.parametrize(
    "url",
    [
        "http://kv-disks.vault.azure.net/keys/k",
        "https://kv-disks.example.org/keys/k",
        "https://kv-disks.vault.azure.net.example.org/keys/k",
        "https://kv-disks.vault.example.org/keys/k",
        "https://kv-disks.vault.azure.cn/keys/k",
        "https://kv-disks.vault.azure.net/secrets/k",
        "x",
    ],
)
def test_a_key_url_that_is_not_one_cannot_be_verified(url: str) -> None:
    assert disk_keys(store(VAULT, "kv-disks"), disk_set("des", url)) == [
        (
            f"{U}{DES}::des",
            f"cannot verify the key of disk encryption set 'des': activeKey.keyUrl '{url}' is "
            "not a Key Vault or Managed HSM key URL of the Azure public cloud",
        )
    ]


def test_a_source_vault_in_another_case_with_a_slash_is_the_vault() -> None:
    source = f"{VAULTS}/vaults/kv-disks".upper() + "/"
    found = disk_keys(
        store(VAULT, "kv-disks"), disk_set("des", "https://kv-disks.vault.azure.net/keys/k", source)
    )
    assert found == []


def test_unknowns_are_skipped() -> None:
    preview_vault = res(VAULT, "kv-new", {"name": p.UNKNOWN, "id": p.UNKNOWN})
    foreign = disk_set("des", "https://kv-new-123.vault.azure.net/keys/k", p.UNKNOWN)
    assert disk_keys(preview_vault, foreign, disk_set("des-2", p.UNKNOWN)) == []
    preview_set = res(DES, "des-new", {"id": p.UNKNOWN})
    disk = res(DISK, "d", {"encryption": {"diskEncryptionSetId": f"{SETS}/des-new"}})
    assert disk_keys(preview_set, disk) == []


def test_a_vm_data_disk_on_a_foreign_set_fails_beside_an_estate_os_disk() -> None:
    ours, theirs = f"{SETS}/des".upper(), "/subscriptions/x/providers/c/diskEncryptionSets/d"

    def managed(ref: str) -> dict[str, Any]:
        return {"managedDisk": {"diskEncryptionSet": {"id": ref}}}

    profile = {"osDisk": managed(ours), "dataDisks": [managed(ours), managed(theirs)]}
    vm = res(VM, "vm", {"storageProfile": profile})
    found = disk_keys(store(VAULT, "kv"), disk_set("des", "https://kv.vault.azure.net/keys/k"), vm)
    assert found == [
        (
            f"{U}{VM}::vm",
            f"cannot verify the key of storageProfile.dataDisks[1].managedDisk."
            f"diskEncryptionSet.id '{theirs}': not a disk encryption set of this estate (its key "
            "and vault cannot be shown)",
        )
    ]


def test_a_set_id_that_is_not_text_cannot_be_verified() -> None:
    disk = res(DISK, "d", {"encryption": {"diskEncryptionSetId": 42}})
    assert disk_keys(disk) == [
        (
            f"{U}{DISK}::d",
            "cannot verify the disk encryption set: encryption.diskEncryptionSetId is 42",
        )
    ]


# ------------------------------------------- PRT-002 and PRT-026: images, galleries, AKS

IMAGE = "azure-native:compute:Image"
GALLERY = "azure-native:compute:GalleryImageVersion"
AKS = "azure-native:containerservice:ManagedCluster"
OURS = f"{SETS}/des"
THEIRS = "/subscriptions/other/resourceGroups/rg/providers/Microsoft.Compute/diskEncryptionSets/des"
FOREIGN = "not a disk encryption set of this estate (its key and vault cannot be shown)"
CLASS = "kubernetes:storage.k8s.io/v1:StorageClass"
CLASS_SET = "diskEncryptionSetID"


def disk_class(parameters: Any, provisioner: Any = "disk.csi.azure.com") -> dict[str, Any]:
    return {"provisioner": provisioner, "parameters": parameters}


def estate(*resources: StackResource) -> list[tuple[str | None, str]]:
    return disk_keys(
        store(VAULT, "kv"), disk_set("des", "https://kv.vault.azure.net/keys/k"), *resources
    )


def image_with(data: Any) -> dict[str, Any]:
    return {"storageProfile": {"osDisk": {"diskEncryptionSet": {"id": OURS}}, "dataDisks": data}}


def test_a_data_disk_map_is_not_read_as_a_list_of_one_disk() -> None:
    # {"lun": 0, ...} where a list is due: the provider reads no disk from it, nor does the rule
    block = {"lun": 0, "diskEncryptionSet": {"id": OURS}}
    assert check("PRT-002", IMAGE, image_with(block)) == [
        "cannot verify the disk encryption set: storageProfile.dataDisks is dict"
    ]
    managed = {"managedDisk": {"diskEncryptionSet": {"id": OURS}}}
    vm = {"storageProfile": {"osDisk": managed, "dataDisks": {"lun": 0, **managed}}}
    assert check("PRT-002", VM, vm) == [
        "cannot verify the data disks: storageProfile.dataDisks is dict, not a list"
    ]
    assert estate(res(IMAGE, "img", image_with(block))) == [
        (
            f"{U}{IMAGE}::img",
            "cannot verify the disk encryption set: storageProfile.dataDisks is dict",
        )
    ]


def test_read_only_proxies_read_as_plain_values() -> None:
    encryption = {"osDiskImage": {"diskEncryptionSetId": THEIRS}, "dataDiskImages": ({"lun": 0},)}
    target = MappingProxyType({"name": "francecentral", "encryption": MappingProxyType(encryption)})
    props = MappingProxyType({"publishingProfile": MappingProxyType({"targetRegions": (target,)})})
    path = "publishingProfile.targetRegions[0].encryption"
    assert check("PRT-002", GALLERY, props) == [
        f"{path}.dataDiskImages[0].diskEncryptionSetId is not set in region 'francecentral' "
        "(the replica is encrypted with a platform-managed key)"
    ]
    assert estate(res(GALLERY, "v", props)) == [
        (
            f"{U}{GALLERY}::v",
            f"cannot verify the key of {path}.osDiskImage.diskEncryptionSetId '{THEIRS}': "
            f"{FOREIGN}",
        )
    ]


def test_a_set_still_unknown_silences_foreign_ids_not_wrong_types() -> None:
    preview = res(DES, "des-new", {"id": p.UNKNOWN})
    aks = res(AKS, "aks", {"diskEncryptionSetID": THEIRS})
    broken = res(IMAGE, "img", image_with("lun0"))
    assert disk_keys(preview, aks, broken) == [
        (
            f"{U}{IMAGE}::img",
            "cannot verify the disk encryption set: storageProfile.dataDisks is 'lun0'",
        )
    ]


BOUNDED = settings(max_examples=60, deadline=None)
spellings = st.tuples(
    st.lists(st.booleans(), min_size=len(OURS), max_size=len(OURS)),
    st.sampled_from(["", "/", "  ", "/ "]),
)


@BOUNDED
@given(spellings, st.sampled_from(["aks", "image", "gallery", "class"]))
def test_any_case_or_trailing_slash_of_an_estate_set_is_that_set(
    spelling: tuple[list[bool], str], kind: str
) -> None:
    upper, tail = spelling
    ref = "".join(c.upper() if u else c for c, u in zip(OURS, upper, strict=True)) + tail
    made = {
        "aks": res(AKS, "r", {"diskEncryptionSetID": ref}),
        "class": res(CLASS, "r", disk_class({"diskEncryptionSetID": ref})),
        "image": res(IMAGE, "r", image_with([{"lun": 0, "diskEncryptionSet": {"id": ref}}])),
        "gallery": res(
            GALLERY,
            "r",
            {
                "publishingProfile": {
                    "targetRegions": [
                        {
                            "name": "francecentral",
                            "encryption": {"osDiskImage": {"diskEncryptionSetId": ref}},
                        }
                    ]
                }
            },
        ),
    }
    assert estate(made[kind]) == []


@BOUNDED
@given(st.lists(st.booleans(), min_size=len(CLASS_SET), max_size=len(CLASS_SET)))
def test_any_case_of_the_class_parameter_name_is_read(upper: list[bool]) -> None:
    # "parameter names are case-insensitive" (azuredisk-csi-driver docs/driver-parameters.md)
    name = "".join(c.upper() if u else c.lower() for c, u in zip(CLASS_SET, upper, strict=True))
    assert check("PRT-002", CLASS, disk_class({name: OURS})) == []
    assert estate(res(CLASS, "sc", disk_class({name: OURS}))) == []
    assert estate(res(CLASS, "sc", disk_class({name: THEIRS}))) == [
        (f"{U}{CLASS}::sc", f"cannot verify the key of parameters.{name} '{THEIRS}': {FOREIGN}")
    ]


@pytest.mark.parametrize(
    "provisioner",
    [
        "file.csi.azure.com",
        "ebs.csi.aws.com",
        "Disk.CSI.Azure.com",
        " disk.csi.azure.com",
        42,
        None,
    ],
)
def test_a_class_of_another_provisioner_is_not_a_disk_class(provisioner: Any) -> None:
    assert check("PRT-002", CLASS, disk_class({}, provisioner)) == []
    assert estate(res(CLASS, "sc", disk_class({CLASS_SET: THEIRS}, provisioner))) == []


def test_a_class_read_through_proxies_and_with_two_spellings() -> None:
    both = MappingProxyType({CLASS_SET: OURS, "diskencryptionsetid": THEIRS})
    props = MappingProxyType(disk_class(both, "kubernetes.io/azure-disk"))
    assert check("PRT-002", CLASS, props) == [
        "cannot verify the disk encryption set: parameters names it 2 times "
        "('diskEncryptionSetID', 'diskencryptionsetid'), the driver reads names without case "
        "and takes one of them in no documented order; keep one diskEncryptionSetID"
    ]
    assert estate(res(CLASS, "sc", props)) == [
        (
            f"{U}{CLASS}::sc",
            f"cannot verify the key of parameters.diskencryptionsetid '{THEIRS}': {FOREIGN}",
        )
    ]
