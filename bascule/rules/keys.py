"""Key management: Key Vault hardening, customer-managed keys, key separation."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import partial
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from bascule.rules import cidr
from bascule.rules import props as p
from bascule.rules.base import (
    Enforcement,
    Finding,
    Param,
    ResourceView,
    Rule,
    Severity,
    StackResource,
)
from bascule.rules.check import Params, Resources, findings
from bascule.rules.types import (
    BARBICAN_ORDER,
    BARBICAN_SECRET,
    DISK,
    KEY,
    MANAGED_HSM,
    OKMS_KEY,
    OVH_BUCKETS,
    SCW_KEYS,
    SCW_SSE,
    STORAGE_ACCOUNT,
    SWIFT,
    VAULT,
    VM,
    VMSS,
)

SNAPSHOT = "azure-native:compute:Snapshot"
DES = "azure-native:compute:DiskEncryptionSet"
IMAGE = "azure-native:compute:Image"
GALLERY_VERSION = "azure-native:compute:GalleryImageVersion"
MANAGED_CLUSTER = "azure-native:containerservice:ManagedCluster"
STORAGE_CLASSES = (
    "kubernetes:storage.k8s.io/v1:StorageClass",
    "kubernetes:storage.k8s.io/v1beta1:StorageClass",
)
ENCRYPTION_SCOPE = "azure-native:storage:EncryptionScope"
RECOVERY_VAULT = "azure-native:recoveryservices:Vault"
BACKUP_VAULT = "azure-native:dataprotection:BackupVault"
BARBICAN_CONTAINER = "openstack:keymanager/containerV1:ContainerV1"
KV_SECRET = "azure-native:keyvault:Secret"
PSEUDO = "pseudonymisation-keys"


# --------------------------------------------------------------------------- PRT-001


def _check_purge(view: ResourceView, params: Params) -> Iterator[str]:
    if view.type in SCW_KEYS:
        value = view.props.get("unprotected")
        if p.to_bool(value) is True:
            yield "unprotected is true: the key can be deleted, and every object it wraps with it"
        return
    if view.type in (VAULT, MANAGED_HSM):
        yield from _store_purge(view.props)


def _store_purge(props: Mapping[str, Any]) -> Iterator[str]:
    """A Key Vault's or Managed HSM's purge protection and soft delete (PRT-001, PRT-026)."""
    purge = p.get(props, "properties.enablePurgeProtection")
    if not p.is_unknown(purge) and p.to_bool(purge) is not True:
        yield f"properties.enablePurgeProtection is {p.show(purge)}, must be true"
    soft = p.get(props, "properties.enableSoftDelete")
    if p.to_bool(soft) is False:
        yield f"properties.enableSoftDelete is {p.show(soft)}, must not be false"


PRT_001 = Rule(
    id="PRT-001",
    slug="keyvault-purge-protection",
    severity=Severity.HIGH,
    enforcement=Enforcement.MANDATORY,
    description=(
        "Every Key Vault and Managed HSM has purge protection on and soft delete not disabled; "
        "every Scaleway Key Manager key is protected from deletion."
    ),
    remediation=(
        "Set `properties.enablePurgeProtection: true` and leave `properties.enableSoftDelete` "
        "true (or unset) on the azure-native keyvault.Vault and keyvault.ManagedHsm; purge "
        "protection cannot be turned off once enabled. Scaleway: leave `unprotected` unset "
        "or false on keymanager.Key (protected is the default)."
    ),
    secnumcloud=("10.5", "12.5", "17.4"),
    hds=("hds-security",),
    resource_check=_check_purge,
    applies_to=(VAULT, MANAGED_HSM, *SCW_KEYS),
    rationale=(
        "Purge protection and soft delete keep a deleted key (and every dataset it unwraps) "
        "recoverable for the retention period: without them one compromised administrator can "
        "destroy the keys of the whole platform (SecNumCloud 10.5 key life cycle, 12.5 backups, "
        "17.4 availability)."
    ),
)


# --------------------------------------------------------------------------- PRT-002

CMK_DISK_TYPES = ("encryptionatrestwithcustomerkey", "encryptionatrestwithplatformandcustomerkeys")


def _des_id(disk: Any) -> Any:
    return p.get(disk, "managedDisk.diskEncryptionSet.id")


class _Slot(NamedTuple):
    """One place a resource names a disk encryption set: its path, its value, whether a
    customer key needs it set (PRT-002), where it applies (a gallery region), and whether the
    value is a block or list of the wrong type (whatever it holds, no set can be read)."""

    path: str
    value: Any
    required: bool = True
    where: str = ""
    misshapen: bool = False

    @property
    def unreadable(self) -> bool:
        """Set, but no set can be read from it: a wrong type, a wrong shape, or blank."""
        value = self.value
        return self.misshapen or not isinstance(value, str) or not value.strip()


_SlotWalk = Callable[[Any, str], Iterator[_Slot]]


def _block_slots(block: Any, path: str, fields: Sequence[tuple[str, bool]]) -> Iterator[_Slot]:
    """The set ids at `fields` (dotted, each with whether it is required) of one block; a
    block that is not a mapping comes back whole, to be reported as a wrong type."""
    if block is not None and not p.is_unknown(block) and not isinstance(block, Mapping):
        yield _Slot(path, block, misshapen=True)
        return
    for field, required in fields:
        yield _Slot(f"{path}.{field}", p.get(block, field), required)


def _list_slots(value: Any, path: str, each: _SlotWalk) -> Iterator[_Slot]:
    """`each` block of a list, by `path[i]`; a value that is not a list comes back whole."""
    if value is None or p.is_unknown(value):
        return
    if not p.is_seq(value):
        yield _Slot(path, value, misshapen=True)
        return
    for index, block in enumerate(value):
        yield from each(block, f"{path}[{index}]")


VM_DISK_FIELDS = (
    ("managedDisk.diskEncryptionSet.id", True),
    ("managedDisk.securityProfile.diskEncryptionSet.id", False),
)


def _vm_slots(base: str, props: Mapping[str, Any]) -> Iterator[_Slot]:
    """Each OS and data disk's `managedDisk.diskEncryptionSet.id` and
    `managedDisk.securityProfile.diskEncryptionSet.id` (azure-native 3.29.0 compute
    ManagedDiskParametersArgs, VMDiskSecurityProfileArgs, read 2026-12-02)."""
    profile = p.get(props, base)
    if not isinstance(profile, Mapping):
        return
    disk = partial(_block_slots, fields=VM_DISK_FIELDS)
    yield from disk(profile.get("osDisk"), f"{base}.osDisk")
    yield from _list_slots(profile.get("dataDisks"), f"{base}.dataDisks", disk)


def _image_slots(props: Mapping[str, Any]) -> Iterator[_Slot]:
    """A managed image's `storageProfile.osDisk.diskEncryptionSet.id` and each
    `storageProfile.dataDisks[i].diskEncryptionSet.id` (azure-native 3.29.0 compute/_inputs.py
    ImageOSDiskArgs and ImageDataDiskArgs, getter name="diskEncryptionSet", a
    DiskEncryptionSetParametersArgs with `id`, read 2026-12-02). An image is a copy of a
    disk; a storage profile that is not a mapping is reported whole."""
    profile = props.get("storageProfile")
    if profile is not None and not p.is_unknown(profile) and not isinstance(profile, Mapping):
        yield _Slot("storageProfile", profile, misshapen=True)
        return
    disk = partial(_block_slots, fields=(("diskEncryptionSet.id", True),))
    yield from disk(p.get(profile, "osDisk"), "storageProfile.osDisk")
    yield from _list_slots(p.get(profile, "dataDisks"), "storageProfile.dataDisks", disk)


GALLERY_TARGETS = ("targetRegions", "targetExtendedLocations")
GALLERY_OS_FIELDS = (
    ("encryption.osDiskImage.diskEncryptionSetId", True),
    ("encryption.osDiskImage.securityProfile.secureVMDiskEncryptionSetId", False),
)


def _region(target: Any) -> str:
    """in region '<name>' of a replica target, or "" when its name is not known."""
    name = p.get(target, "name")
    return f" in region {p.show(name)}" if isinstance(name, str) and not p.is_unknown(name) else ""


def _target_slots(target: Any, path: str) -> Iterator[_Slot]:
    """One replica target's `encryption` (EncryptionImagesArgs): `osDiskImage.
    diskEncryptionSetId`, `osDiskImage.securityProfile.secureVMDiskEncryptionSetId` and each
    `dataDiskImages[j].diskEncryptionSetId`; its `name` is the region (azure-native 3.29.0
    compute/_inputs.py TargetRegionArgs, GalleryTargetExtendedLocationArgs,
    OSDiskImageEncryptionArgs, OSDiskImageSecurityProfileArgs, DataDiskImageEncryptionArgs,
    read 2026-12-02)."""
    where = _region(target)
    disk = partial(_block_slots, fields=(("diskEncryptionSetId", True),))
    images = p.get(target, "encryption.dataDiskImages")
    for slot in (
        *_block_slots(target, path, GALLERY_OS_FIELDS),
        *_list_slots(images, f"{path}.encryption.dataDiskImages", disk),
    ):
        yield slot._replace(where=where)


def _gallery_slots(props: Mapping[str, Any]) -> Iterator[_Slot]:
    """Each replica target of a gallery image version: `publishingProfile.targetRegions[i]`
    and `publishingProfile.targetExtendedLocations[i]` (azure-native 3.29.0
    GalleryImageVersionPublishingProfileArgs, read 2026-12-02)."""
    for key in GALLERY_TARGETS:
        path = f"publishingProfile.{key}"
        yield from _list_slots(p.get(props, path), path, _target_slots)


def _cluster_slots(props: Mapping[str, Any]) -> Iterator[_Slot]:
    """An AKS cluster's `diskEncryptionSetID` (azure-native 3.29.0
    containerservice/managed_cluster.py, getter name="diskEncryptionSetID", read 2026-12-02):
    the set of its nodes' OS and data disks."""
    yield _Slot("diskEncryptionSetID", props.get("diskEncryptionSetID"))


# The Azure Disk CSI driver (`disk.csi.azure.com`) and the in-tree plugin whose StorageClass
# parameters it takes ("storage class `disk.csi.azure.com` parameters are compatible with
# built-in azuredisk plugin", kubernetes-sigs/azuredisk-csi-driver README.md, read 2026-12-02;
# docs/driver-parameters.md, read the same day, says nothing of it). Kubernetes hands a class to
# the provisioner whose name equals `provisioner`; neither page says anything of its case, so
# the names match exactly (a class spelt otherwise is served by no disk driver, makes no disk).
DISK_PROVISIONERS = ("disk.csi.azure.com", "kubernetes.io/azure-disk")
CLASS_SET = "diskencryptionsetid"


def _class_keys(params: Mapping[str, Any], name: str = CLASS_SET) -> list[str]:
    """The keys of a class's `parameters` that spell `name` (lower-case), in any case."""
    return [k for k in params if isinstance(k, str) and k.lower() == name]


def _disk_class(props: Mapping[str, Any]) -> bool:
    """A StorageClass of an Azure disk provisioner; an unknown provisioner (a preview) is
    silent, and so is one that is not a string (secret or wrong type): the API server takes
    `provisioner` as a string, no disk driver serves such a class."""
    provisioner = props.get("provisioner")
    return isinstance(provisioner, str) and provisioner in DISK_PROVISIONERS


def _class_slots(props: Mapping[str, Any]) -> Iterator[_Slot]:
    """A Kubernetes StorageClass (pulumi-kubernetes storage/v1 and storage/v1beta1
    StorageClass: `provisioner`, `parameters` a map of strings, read 2026-12-02) of the Azure
    Disk CSI driver: each persistent volume of the class is a managed disk made with its
    `diskEncryptionSetID`, "ResourceId of the disk encryption set to use for enabling
    encryption at rest", default "" ("parameter names are case-insensitive": every spelling
    of the key is read; `diskEncryptionType` takes EncryptionAtRestWithCustomerKey, the
    default, or EncryptionAtRestWithPlatformAndCustomerKeys, judged by _class_params;
    kubernetes-sigs/azuredisk-csi-driver docs/driver-parameters.md, read 2026-12-02). A class
    of another provisioner (file.csi.azure.com, non-Azure ones) makes no Azure disk: not read."""
    params = props.get("parameters")
    if not _disk_class(props) or p.is_unknown(params):
        return
    if params is not None and not isinstance(params, Mapping):
        yield _Slot("parameters", params, misshapen=True)
        return
    found = params if params is not None else {}
    keys = _class_keys(found)
    if not keys:
        yield _Slot("parameters.diskEncryptionSetID", None)
    for key in keys:
        yield _Slot(f"parameters.{key}", found[key])


def _class_params(props: Mapping[str, Any]) -> Iterator[str]:
    """Two spellings of `diskEncryptionSetID` on one disk class: the driver lower-cases each
    name as it ranges over the map (ParseDiskParameters, pkg/azureutils, read 2026-12-02),
    and Go's map order is unspecified, so no source says which set the disks get. A
    `diskEncryptionType` other than the two documented ones (compared without case, as
    Disk `encryption.type`) is no customer key the driver documents."""
    params = props.get("parameters")
    if not _disk_class(props) or not isinstance(params, Mapping):
        return
    keys = sorted(_class_keys(params))
    if len(keys) > 1:
        names = ", ".join(f"'{key}'" for key in keys)
        yield (
            f"cannot verify the disk encryption set: parameters names it {len(keys)} times "
            f"({names}), the driver reads names without case and takes one of them in no "
            "documented order; keep one diskEncryptionSetID"
        )
    for key in _class_keys(params, "diskencryptiontype"):
        value = params[key]
        if p.is_unknown(value) or value == "" or str(value).lower() in CMK_DISK_TYPES:
            continue  # "" is the documented default, EncryptionAtRestWithCustomerKey
        if not isinstance(value, str):
            yield f"cannot verify the key type: parameters.{key} is {p.show(value)}"
        else:
            yield (
                f"parameters.{key} is {p.show(value)}, must be EncryptionAtRestWithCustomerKey "
                "or EncryptionAtRestWithPlatformAndCustomerKeys"
            )


def _plain_slots(props: Mapping[str, Any]) -> Iterator[_Slot]:
    """Disk/Snapshot `encryption.diskEncryptionSetId` and, for confidential VMs,
    `securityProfile.secureVMDiskEncryptionSetId` (azure-native 3.29.0 compute EncryptionArgs,
    DiskSecurityProfileArgs, read 2026-12-02)."""
    for path in ("encryption.diskEncryptionSetId", "securityProfile.secureVMDiskEncryptionSetId"):
        yield _Slot(path, p.get(props, path))


SET_SLOTS: dict[str, Callable[[Mapping[str, Any]], Iterator[_Slot]]] = {
    DISK: _plain_slots,
    SNAPSHOT: _plain_slots,
    VM: partial(_vm_slots, "storageProfile"),
    VMSS: partial(_vm_slots, "virtualMachineProfile.storageProfile"),
    IMAGE: _image_slots,
    GALLERY_VERSION: _gallery_slots,
    MANAGED_CLUSTER: _cluster_slots,
    **dict.fromkeys(STORAGE_CLASSES, _class_slots),
}
"""Where each kind names its disk encryption sets (PRT-026 reads them all)."""

# Why an unset required slot means no customer key, per kind: "By default, managed disks use
# platform-managed encryption keys. All managed disks, snapshots, images, and data written to
# existing managed disks are automatically encrypted-at-rest with platform-managed keys"
# (learn.microsoft.com/en-us/azure/virtual-machines/disk-encryption, read 2026-12-02); AKS:
# "By default, data is encrypted with Microsoft-managed keys" (learn.microsoft.com/en-us/azure/
# aks/azure-disk-customer-managed-keys, read 2026-12-02).
UNSET_MEANS = {
    IMAGE: "the image disk is encrypted with a platform-managed key",
    GALLERY_VERSION: "the replica is encrypted with a platform-managed key",
    MANAGED_CLUSTER: "node OS and data disks are encrypted with Microsoft-managed keys",
    **dict.fromkeys(
        STORAGE_CLASSES, "persistent volumes of this class are encrypted with platform-managed keys"
    ),
}


def _slot_keys(view: ResourceView, params: Params) -> Iterator[str]:
    """PRT-002 over an image, a gallery image version, an AKS cluster or a disk StorageClass:
    every required slot names a set; a wrong type or a blank one cannot be verified (PRT-026
    judges whose set)."""
    if view.type == GALLERY_VERSION:
        yield from _gallery_targets(view.props)
    if view.type in STORAGE_CLASSES:
        yield from _class_params(view.props)
    for slot in SET_SLOTS[view.type](view.props):
        if p.is_unknown(slot.value) or not slot.required:
            continue
        if slot.value is None:
            yield f"{slot.path} is not set{slot.where} ({UNSET_MEANS[view.type]})"
        elif slot.unreadable:
            shown = p.show(slot.value)
            yield f"cannot verify the disk encryption set: {slot.path} is {shown}{slot.where}"


def _gallery_targets(props: Mapping[str, Any]) -> Iterator[str]:
    """No `targetRegions`: the version is replicated to the gallery's own region, with a key
    no field of the version shows (azure-native 3.29.0 names no default): cannot verify."""
    regions = p.get(props, "publishingProfile.targetRegions")
    if p.is_unknown(regions) or (regions is not None and not p.is_seq(regions)):
        return  # a wrong type is reported as a slot
    if not regions:
        yield (
            "cannot verify the key of the image version's replicas: "
            "publishingProfile.targetRegions is not set (no field shows the key of the replica "
            "in the gallery's region); list each region with "
            "encryption.osDiskImage.diskEncryptionSetId"
        )
    yield from _gallery_luns(props)


def _gallery_luns(props: Mapping[str, Any]) -> Iterator[str]:
    """Each data disk image the version declares (`storageProfile.dataDiskImages[].lun`,
    azure-native 3.29.0 GalleryImageVersionStorageProfileArgs, GalleryDataDiskImageArgs, read
    2026-12-02) must be named by lun in every target's `encryption.dataDiskImages`: one left
    out keeps the default, platform-managed key in that region."""
    declared = p.iter_mappings(p.get(props, "storageProfile.dataDiskImages"))
    luns = {lun for lun in (p.to_int(d.get("lun")) for d in declared) if lun is not None}
    for key in GALLERY_TARGETS if luns else ():
        path = f"publishingProfile.{key}"
        targets = p.get(props, path)
        if p.is_seq(targets):
            for index, target in enumerate(targets):
                yield from _target_luns(target, f"{path}[{index}]", luns)


def _target_luns(target: Any, path: str, luns: set[int]) -> Iterator[str]:
    images = p.get(target, "encryption.dataDiskImages")
    if not isinstance(target, Mapping) or p.is_unknown(images):
        return
    if images is not None and not p.is_seq(images):
        return  # a wrong type is reported as a slot
    named = [p.get(d, "lun") for d in p.iter_mappings(images)]
    if any(p.is_unknown(lun) for lun in named):
        return
    for lun in sorted(luns - {p.to_int(x) for x in named}):
        yield (
            f"{path}.encryption.dataDiskImages names no lun {lun}{_region(target)} "
            "(that data disk's replica is encrypted with a platform-managed key)"
        )


def _managed_disks(profile: Any, path: str) -> Iterator[str]:
    """OS and data disks of a VM or scale-set storage profile without a disk encryption set."""
    if p.is_unknown(profile) or not isinstance(profile, Mapping):
        return
    os_des = _des_id(profile.get("osDisk"))
    if not p.is_unknown(os_des) and not p.has_value(os_des):
        yield (
            f"{path}.osDisk.managedDisk.diskEncryptionSet.id is missing "
            "(OS disk not encrypted with a customer-managed key)"
        )
    disks = profile.get("dataDisks")
    if disks is not None and not p.is_unknown(disks) and not p.is_seq(disks):
        yield f"cannot verify the data disks: {path}.dataDisks is {p.show(disks)}, not a list"
        return
    for index, disk in enumerate(p.as_seq(disks)):
        if not isinstance(disk, Mapping):
            if not p.is_unknown(disk):
                yield f"cannot verify the data disk: {path}.dataDisks[{index}] is {p.show(disk)}"
            continue
        des = _des_id(disk)
        if not p.is_unknown(des) and not p.has_value(des):
            lun = p.to_int(disk.get("lun"))
            label = f"lun {lun}" if lun is not None else f"index {index}"
            yield f"{path}.dataDisks[{index}] ({label}) has no managedDisk.diskEncryptionSet.id"


def _vm_disks(path: str, view: ResourceView, params: Params) -> Iterator[str]:
    """The disks of a VM's (`storageProfile`) or a scale set's storage profile."""
    yield from _managed_disks(p.get(view.props, path), path)


def _disk_encryption(view: ResourceView, params: Params) -> Iterator[str]:
    props = view.props
    etype = p.get(props, "encryption.type")
    if p.is_unknown(etype):
        return
    if not isinstance(etype, str) or etype.lower() not in CMK_DISK_TYPES:
        yield (
            f"encryption.type is {p.show(etype)}, must be EncryptionAtRestWithCustomerKey or "
            "EncryptionAtRestWithPlatformAndCustomerKeys"
        )
    else:
        des = p.get(props, "encryption.diskEncryptionSetId")
        if not p.is_unknown(des) and not p.has_value(des):
            yield "encryption.diskEncryptionSetId is missing"


# DiskEncryptionSetType (azure-native 3.29.0 compute/_enums.py, Azure REST API 2024-03-02, read
# 2026-12-02): EncryptionAtRestWithCustomerKey, EncryptionAtRestWithPlatformAndCustomerKeys,
# ConfidentialVmEncryptedWithCustomerKey; all three use a customer-managed key. The default of
# an unset encryptionType: unknown (the SDK documents none), so unset is "cannot verify".
CMK_DES_TYPES = (*CMK_DISK_TYPES, "confidentialvmencryptedwithcustomerkey")


def _des_federated(view: ResourceView) -> Iterator[str]:
    """federatedClientId: "Multi-tenant application client id to access key vault in a
    different tenant. Setting the value to 'None' will clear the property." (azure-native 3.29.0
    compute.DiskEncryptionSet, read 2026-12-02): the key then sits in another tenant's vault,
    whose purge protection and network rules this estate cannot show."""
    client = view.props.get("federatedClientId")
    if p.is_unknown(client) or not p.has_value(client):
        return
    if isinstance(client, str) and client.strip().lower() == "none":
        return
    yield (
        f"cannot verify the key of the disk encryption set: federatedClientId is {p.show(client)}, "
        "the key lives in a vault of another tenant"
    )


def _disk_encryption_set(view: ResourceView, params: Params) -> Iterator[str]:
    """A disk naming this set is encrypted with the set's key: the set must name a customer key.
    activeKey.keyUrl: "Fully versioned Key Url pointing to a key in KeyVault" (azure-native 3.29.0
    compute KeyForDiskEncryptionSetArgs, read 2026-12-02)."""
    etype = view.props.get("encryptionType")
    if etype is None:
        yield (
            "cannot verify the key type of the disk encryption set: encryptionType is not set "
            "(no default documented); set EncryptionAtRestWithCustomerKey"
        )
    elif not p.is_unknown(etype) and not isinstance(etype, str):
        yield (
            "cannot verify the key type of the disk encryption set: "
            f"encryptionType is {p.show(etype)}"
        )
    elif not p.is_unknown(etype) and etype.strip().lower() not in CMK_DES_TYPES:
        yield (
            f"encryptionType is {p.show(etype)}, must be EncryptionAtRestWithCustomerKey, "
            "EncryptionAtRestWithPlatformAndCustomerKeys or ConfidentialVmEncryptedWithCustomerKey"
        )
    url = p.get(view.props, "activeKey.keyUrl")
    if not p.is_unknown(url) and not (isinstance(url, str) and url.strip()):
        yield "activeKey.keyUrl is missing (no customer-managed key referenced)"
    yield from _des_federated(view)


def _storage_account(view: ResourceView, params: Params) -> Iterator[str]:
    props = view.props
    source = p.get(props, "encryption.keySource")
    if p.is_unknown(source):
        return
    if not isinstance(source, str) or source.lower() != "microsoft.keyvault":
        yield (
            f"encryption.keySource is {p.show(source)}, must be 'Microsoft.Keyvault' "
            "(customer-managed key)"
        )
        return
    kvp = p.get(props, "encryption.keyVaultProperties")
    if p.is_unknown(kvp):
        return
    if not (p.is_mapping(kvp) and len(kvp) > 0):
        yield "encryption.keyVaultProperties is missing (no customer-managed key referenced)"
        return
    # keyName "The name of KeyVault key", keyVaultUri "The Uri of KeyVault" (azure-native
    # 3.29 storage KeyVaultPropertiesArgs, read 2026-12-02): a block without both names no key.
    for field in ("keyName", "keyVaultUri"):
        value = kvp.get(field)
        if not p.is_unknown(value) and not p.has_value(value):
            yield f"encryption.keyVaultProperties.{field} is missing (no customer-managed key)"


def _encryption_scope(view: ResourceView, params: Params) -> Iterator[str]:
    """A blob container or a write naming this scope is encrypted with the scope's key, not
    the account's: a Microsoft.Storage scope puts platform-managed keys back on a CMK account.
    source: "The provider for the encryption scope. Possible values (case-insensitive):
    Microsoft.Storage, Microsoft.KeyVault"; keyVaultProperties "a required field if encryption
    scope 'source' attribute is set to 'Microsoft.KeyVault'" (azure-native 3.29
    storage.EncryptionScope, read 2026-12-02). Default of an unset source: unknown (the SDK
    says none)."""
    source = view.props.get("source")
    if p.is_unknown(source):
        return
    if source is None:
        yield (
            "cannot verify the key of the encryption scope: source is not set (no default "
            "documented); set source: Microsoft.KeyVault with keyVaultProperties.keyUri"
        )
        return
    if not isinstance(source, str) or source.strip().lower() != "microsoft.keyvault":
        yield (
            f"source is {p.show(source)}, must be 'Microsoft.KeyVault' (blobs written in this "
            "scope get a platform-managed key)"
        )
        return
    uri = p.get(view.props, "keyVaultProperties.keyUri")
    if not p.is_unknown(uri) and not p.has_value(uri):
        yield "keyVaultProperties.keyUri is missing (no customer-managed key referenced)"


def _backup_vault(view: ResourceView, params: Params) -> Iterator[str]:
    if view.type == RECOVERY_VAULT:
        path = "properties.encryption.keyVaultProperties.keyUri"
    else:
        path = "properties.securitySettings.encryptionSettings.keyVaultProperties.keyUri"
    uri = p.get(view.props, path)
    if not p.is_unknown(uri) and not p.has_value(uri):
        yield f"{path} is missing (backups encrypted with platform-managed keys)"


def _swift_dataset(view: ResourceView, params: Params) -> Iterator[str]:
    props = view.props
    metadata = p.tag_map(props.get("metadata"))
    if metadata is None:
        return
    is_dataset = "dataset" in metadata or metadata.get("classification") in p.HEALTH_CLASSES
    if not is_dataset:
        return
    policies = [str(x) for x in p.as_seq(params["encryptedStoragePolicies"])]
    policy = props.get("storagePolicy")
    if not p.is_unknown(policy) and policy not in policies:
        yield (
            f"storagePolicy is {p.show(policy)}, not an encrypted storage policy "
            f"{p.fmt_list(policies)}"
        )
    if not metadata.get("kms-key"):
        yield "metadata 'kms-key' is missing (no customer-managed key referenced)"


def _ovh_bucket(view: ResourceView, params: Params) -> Iterator[str]:
    props = view.props
    encryption = props.get("encryption")
    if p.is_unknown(encryption):
        return
    algorithm = None
    for block in p.iter_mappings(encryption):
        algorithm = block.get("sseAlgorithm") or block.get("algorithm")
    if p.is_unknown(algorithm):
        return
    if not isinstance(algorithm, str) or algorithm.strip().upper() != "AES256":
        shown = "not set" if algorithm is None else f"'{algorithm}'"
        yield f"encryption algorithm is {shown}: objects stored in clear, must be AES256 (SSE-OMK)"


SSE_ALGORITHMS = ("aes256", "aws:kms")  # the SDK's valid values (AES256: Scaleway's key)


def _scw_sse(view: ResourceView, params: Params) -> Iterator[str]:
    """An encryption algorithm, and a Key Manager key with aws:kms; which buckets need
    aws:kms (health data) is PRT-022's, which sees the bucket's classification."""
    props = view.props
    rules = props.get("rules")
    if p.is_unknown(rules):
        return
    found = False
    for index, rule in enumerate(p.iter_mappings(rules)):
        for default in p.iter_mappings(rule.get("applyServerSideEncryptionByDefault")):
            found = True
            algorithm, key = default.get("sseAlgorithm"), default.get("kmsMasterKeyId")
            if p.is_unknown(algorithm) or p.is_unknown(key):
                continue
            path = f"rules[{index}].applyServerSideEncryptionByDefault"
            name = str(algorithm or "").strip().lower()
            if name not in SSE_ALGORITHMS:
                yield f"{path}.sseAlgorithm is {p.show(algorithm)}: not AES256 or aws:kms"
            elif name == "aws:kms" and not p.has_value(key):
                yield f"{path}.kmsMasterKeyId is not set: no Key Manager key named"
    if not found:
        yield "no rules[].applyServerSideEncryptionByDefault: objects get no default encryption"


_check_cmk = p.by_type(
    (STORAGE_ACCOUNT, _storage_account),
    (ENCRYPTION_SCOPE, _encryption_scope),
    (VM, partial(_vm_disks, "storageProfile")),
    (VMSS, partial(_vm_disks, "virtualMachineProfile.storageProfile")),
    ((DISK, SNAPSHOT), _disk_encryption),
    (DES, _disk_encryption_set),
    ((IMAGE, GALLERY_VERSION, MANAGED_CLUSTER, *STORAGE_CLASSES), _slot_keys),
    ((RECOVERY_VAULT, BACKUP_VAULT), _backup_vault),
    (SWIFT, _swift_dataset),
    (OVH_BUCKETS, _ovh_bucket),
    (SCW_SSE, _scw_sse),
)


PRT_002 = Rule(
    id="PRT-002",
    slug="customer-managed-keys",
    severity=Severity.HIGH,
    enforcement=Enforcement.MANDATORY,
    description=(
        "Storage accounts and their encryption scopes, VM and scale-set disks, managed disks, "
        "snapshots, managed images, gallery image version replicas, AKS node disks, persistent "
        "volumes of Azure Disk StorageClasses, disk encryption sets, backup vaults and dataset "
        "containers are encrypted with "
        "customer-managed keys; object buckets are encrypted."
    ),
    remediation=(
        "Azure: set StorageAccount `encryption.keySource: Microsoft.Keyvault` with "
        "`encryption.keyVaultProperties` (`keyName`, `keyVaultUri`), EncryptionScope `source: "
        "Microsoft.KeyVault` with `keyVaultProperties.keyUri`, "
        "`managedDisk.diskEncryptionSet.id` on every VM OS/data disk (also "
        "`virtualMachineProfile.storageProfile` of scale sets), Disk and Snapshot "
        "`encryption.type: EncryptionAtRestWithCustomerKey`, Image "
        "`storageProfile.osDisk.diskEncryptionSet.id` and each data disk's, GalleryImageVersion "
        "`publishingProfile.targetRegions` listing every region (and `targetExtendedLocations` "
        "every edge zone) with `encryption.osDiskImage.diskEncryptionSetId` and an "
        "`encryption.dataDiskImages[]` entry with `diskEncryptionSetId` per data disk lun, "
        "ManagedCluster `diskEncryptionSetID` (at cluster creation), Kubernetes StorageClass "
        "of `disk.csi.azure.com` or `kubernetes.io/azure-disk` `parameters.diskEncryptionSetID` "
        "(one spelling of the name; a `diskEncryptionType`, if set, a customer-key type), "
        "DiskEncryptionSet "
        "`encryptionType: EncryptionAtRestWithCustomerKey` with `activeKey.keyUrl` (no "
        "`federatedClientId`), "
        "a Key Vault key on Recovery "
        "Services and Backup vaults. OpenStack: create dataset containers with "
        "`storagePolicy` set to an encrypted policy and metadata `kms-key` naming the "
        "Barbican/OKMS key. OVHcloud buckets: `encryption` AES256. Scaleway: a "
        "BucketServerSideEncryptionConfiguration with `sseAlgorithm` AES256, or aws:kms with "
        "`kmsMasterKeyId` naming a Key Manager key (PRT-022: one per bucket, aws:kms for "
        "health data)."
    ),
    secnumcloud=("10.1", "10.5"),
    hds=("hds-security",),
    params={
        "encryptedStoragePolicies": Param.str_list(
            ["encrypted"], "Swift storage policies encrypted at rest."
        )
    },
    resource_check=_check_cmk,
    applies_to=(
        STORAGE_ACCOUNT,
        ENCRYPTION_SCOPE,
        VM,
        VMSS,
        DISK,
        SNAPSHOT,
        DES,
        IMAGE,
        GALLERY_VERSION,
        MANAGED_CLUSTER,
        *STORAGE_CLASSES,
        RECOVERY_VAULT,
        BACKUP_VAULT,
        SWIFT,
        *OVH_BUCKETS,
        *SCW_SSE,
    ),
    rationale=(
        "SecNumCloud 10.1 requires stored data to be encrypted with at least one key per tenant, "
        "and 10.5 requires those keys in a security container the tenant controls. Platform-"
        "managed keys fail both: the provider holds the key."
    ),
)


# --------------------------------------------------------------------------- PRT-004

OTHER = "other"
# Classification values that mean "pseudonymisation keys", compared without case, spaces,
# dashes or underscores, in either spelling.
PSEUDO_CLASSES = frozenset(
    {
        "pseudonymisationkeys",
        "pseudonymizationkeys",
        "pseudonymisationkey",
        "pseudonymizationkey",
        "pseudonymisation",
        "pseudonymization",
        "pseudokeys",
    }
)
# Words of a key's own name that tell its purpose when it carries no classification (OVHcloud
# KMS keys and Barbican orders take no tags): the purposes of the stack config, any spelling.
OTHER_WORDS = ("dataset", "disk", "platform", "volume", "backup", "audit")


def _letters(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _class_purpose(value: str | None) -> str | None:
    if not value:
        return None
    return PSEUDO if _letters(value) in PSEUDO_CLASSES else OTHER


def _name_purpose(*texts: Any) -> str | None:
    words = [_letters(t) for t in texts if isinstance(t, str) and t and not p.is_unknown(t)]
    if any(
        "pseudo" in w and "pseudonymisedhealth" not in w and "pseudonymizedhealth" not in w
        for w in words
    ):
        return PSEUDO
    if any(word in w for w in words for word in OTHER_WORDS):
        return OTHER
    return None


def _declared(res: StackResource, params: Params) -> bool:
    declared = set(p.str_values(params.get("pseudonymisationKeys")))
    return res.urn in declared or res.name in declared or res.props.get("name") in declared


def _purpose(res: StackResource, params: Params, fallback: str | None = None) -> str | None:
    """pseudonymisation-keys, "other", or None when nothing about the key says."""
    if _declared(res, params):
        return PSEUDO
    own = _class_purpose(p.classification_of(res.props))
    if own is not None:
        return own
    if fallback is not None:
        return fallback
    meta = res.props.get("meta")
    meta_name = meta.get("name") if isinstance(meta, Mapping) else None
    return _name_purpose(res.name, res.props.get("name"), res.props.get("context"), meta_name)


def _unknown(
    kind: str, store: str, members: Sequence[tuple[str, str | None]], urn: str
) -> Iterator[Finding]:
    """A store shared by keys one of which tells no purpose: the separation cannot be verified."""
    unknown = sorted(name for name, purpose in members if purpose is None)
    if len(members) >= 2 and unknown:
        yield Finding(
            f"cannot verify the pseudonymisation-key separation of {kind} '{store}': nothing "
            f"tells what {p.fmt_list(unknown)} is for (no classification, no pseudonymisation, "
            "dataset or disk in its name); classify it or list it in `pseudonymisationKeys`",
            urn,
        )


def _store_unknowns(
    kind: str,
    store: str,
    keys: Sequence[StackResource],
    purposes: Mapping[str, str | None],
    every_key: bool = False,
) -> Iterator[Finding]:
    """`_unknown` for a store of keys: on its first key of unknown purpose, or on each."""
    members = [(k.name, purposes[k.urn]) for k in keys]
    unknown = [k for k in keys if purposes[k.urn] is None]
    for key in unknown if every_key else unknown[:1]:
        yield from _unknown(kind, store, members, key.urn)


def _shared_store(
    store: str, keys: Sequence[StackResource], purposes: Mapping[str, str | None], message: str
) -> Iterator[Finding]:
    """Each pseudonymisation key of a store that also holds other keys: `message` with
    `{key}` (its name), `{store}` and `{others}` (their names)."""
    others = sorted(k.name for k in keys if purposes[k.urn] == OTHER)
    for key in keys:
        if purposes[key.urn] == PSEUDO and others:
            text = message.format(key=key.name, store=store, others=p.fmt_list(others))
            yield Finding(text, key.urn)


def _props_name(res: StackResource, *keys: str) -> set[str]:
    names = {res.name}
    for key in keys:
        value = res.props.get(key)
        if isinstance(value, str) and value and not p.is_unknown(value):
            names.add(value)
    return names


def _vault_of(res: StackResource) -> str | None:
    vault = res.props.get("vaultName")
    if isinstance(vault, str) and vault and not p.is_unknown(vault):
        return vault
    # outputs: the vault name is in the id .../vaults/<vault>/keys/<key>
    match = re.search(r"/vaults/([^/]+)/", str(res.props.get("id") or ""), re.I)
    return match.group(1) if match else None


def _kind(res: StackResource) -> str:
    return "secret" if res.type == KV_SECRET else "key"


def _vault_members(
    resources: Resources,
) -> tuple[dict[str, list[StackResource]], dict[str, str], list[Finding]]:
    """Keys and secrets by vault name lower-cased, the first spelling of each, and a finding
    for each naming no vault. "Resource and resource group names are case-insensitive unless
    specifically noted ... Always perform a case-insensitive comparison of names"
    (learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules, read
    2026-12-02): `KV-Pseudo` and `kv-pseudo` are one vault."""
    by_vault: dict[str, list[StackResource]] = {}
    spelled: dict[str, str] = {}
    nowhere: list[Finding] = []
    for res in resources:
        if res.type not in (KEY, KV_SECRET):
            continue
        vault = _vault_of(res)
        if vault is not None:
            by_vault.setdefault(vault.lower(), []).append(res)
            spelled.setdefault(vault.lower(), vault)
        elif not p.is_unknown(res.props.get("vaultName")) and not p.is_unknown(res.props.get("id")):
            nowhere.append(
                Finding(
                    f"cannot verify the pseudonymisation-key separation of {_kind(res)} "
                    f"'{res.name}': it names no vault (no vaultName, no vault in its id)",
                    res.urn,
                )
            )
    return by_vault, spelled, nowhere


def _azure_findings(resources: Resources, params: Params) -> Iterator[Finding]:
    """A pseudonymisation secret (a salt, an HMAC key) is stored as a keyvault.Secret as often
    as a Key: both count as the vault's members."""
    vault_class: dict[str, str | None] = {}
    for res in resources:
        if res.type == VAULT:
            for name in _props_name(res, "vaultName", "name"):
                vault_class[name.lower()] = p.classification_of(res.props)
    by_vault, spelled, nowhere = _vault_members(resources)
    yield from nowhere
    for folded, keys in by_vault.items():
        vault, vclass = spelled[folded], vault_class.get(folded)
        vpurpose = _class_purpose(vclass)
        purposes = {key.urn: _purpose(key, params, vpurpose) for key in keys}
        has_pseudo = PSEUDO in purposes.values()
        for key in keys:
            purpose = purposes[key.urn]
            kclass = p.classification_of(key.props) or vclass
            if purpose == PSEUDO and vpurpose == OTHER:
                yield Finding(
                    f"pseudonymisation {_kind(key)} '{key.name}' is in vault '{vault}' of "
                    f"classification '{vclass}', not a dedicated pseudonymisation-keys vault",
                    key.urn,
                )
            elif purpose == OTHER and (vpurpose == PSEUDO or (vpurpose is None and has_pseudo)):
                yield Finding(
                    f"{_kind(key)} '{key.name}' of classification '{kclass}' is in vault "
                    f"'{vault}' that holds pseudonymisation keys",
                    key.urn,
                )
        yield from _store_unknowns("Key Vault", vault, keys, purposes)


def _barbican_members(
    res: StackResource, by_ref: Mapping[str, StackResource], by_urn: Mapping[str, StackResource]
) -> tuple[dict[str, StackResource], list[str]]:
    members: dict[str, StackResource] = {}
    outside: list[str] = []
    refs = res.props.get("secretRefs")
    for ref in p.iter_mappings(refs):
        value = ref.get("secretRef")
        if isinstance(value, str) and value in by_ref:
            members[by_ref[value].urn] = by_ref[value]
        elif isinstance(value, str) and value and not p.is_unknown(value):
            outside.append(str(ref.get("name") or value))
    if p.is_unknown(refs) or any(p.is_unknown(r.get("secretRef")) for r in p.iter_mappings(refs)):
        for dep in res.dependencies:
            if dep in by_urn:
                members[dep] = by_urn[dep]
    return members, outside


def _barbican_findings(resources: Resources, params: Params) -> Iterator[Finding]:
    by_ref: dict[str, StackResource] = {}
    by_urn: dict[str, StackResource] = {}
    for res in resources:
        if res.type in (BARBICAN_SECRET, BARBICAN_ORDER):
            by_urn[res.urn] = res
            for key in ("secretRef", "id"):
                value = res.props.get(key)
                if isinstance(value, str) and value and not p.is_unknown(value):
                    by_ref[value] = res
    for res in resources:
        if res.type != BARBICAN_CONTAINER:
            continue
        found, outside = _barbican_members(res, by_ref, by_urn)
        members = [(m.name, _purpose(m, params)) for m in found.values()]
        members += [(name, None) for name in outside]
        pseudo = sorted(name for name, purpose in members if purpose == PSEUDO)
        other = sorted(name for name, purpose in members if purpose == OTHER)
        if pseudo and other:
            yield Finding(
                f"Barbican container '{res.name}' holds pseudonymisation secret(s) "
                f"{p.fmt_list(pseudo)} together with other secret(s) {p.fmt_list(other)}",
                res.urn,
            )
        else:
            yield from _unknown("Barbican container", res.name, members, res.urn)


OKMS_SHARED = (
    "pseudonymisation service key '{key}' shares OKMS '{store}' with dataset key(s) {others}"
)


def _okms_findings(resources: Resources, params: Params) -> Iterator[Finding]:
    by_okms: dict[str, list[StackResource]] = {}
    for key in resources:
        okms = key.props.get("okmsId") if key.type == OKMS_KEY else None
        if isinstance(okms, str) and okms and not p.is_unknown(okms):
            by_okms.setdefault(okms, []).append(key)
        elif key.type == OKMS_KEY and not p.is_unknown(okms):
            yield Finding(
                f"cannot verify the pseudonymisation-key separation of service key '{key.name}': "
                "it names no OKMS (okmsId)",
                key.urn,
            )
    for okms, keys in by_okms.items():
        purposes = {key.urn: _purpose(key, params) for key in keys}
        yield from _shared_store(okms, keys, purposes, OKMS_SHARED)
        yield from _store_unknowns("OKMS", okms, keys, purposes, every_key=True)


def _scw_project(res: StackResource) -> str | bool | None:
    """The Scaleway Project a key lives in: its `projectId`, else its provider's; None when
    neither says (the credentials' default project decides), False when unknown."""
    for props in (res.props, res.provider.props if res.provider else {}):
        value = props.get("projectId")
        if p.is_unknown(value):
            return False
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _scw_purpose(key: StackResource, params: Params) -> str | None:
    """A key whose name or `role` tag says pseudonymisation is one, whatever its
    classification says (a generic `platform` class must not hide it)."""
    purpose = _purpose(key, params)
    if purpose == PSEUDO:
        return purpose
    role = p.metadata_of(key.props).get("role")
    if _name_purpose(key.name, key.props.get("name"), role) == PSEUDO:
        return PSEUDO
    return purpose


SCW_SHARED = (
    "pseudonymisation key '{key}' shares Scaleway Project '{store}' with key(s) {others}: "
    "whoever manages one manages both"
)


def _scaleway_findings(resources: Resources, params: Params) -> Iterator[Finding]:
    """A Scaleway key store is a Project: IAM grants Key Manager rights per Project."""
    by_project: dict[str, list[StackResource]] = {}
    for key in resources:
        if key.type not in SCW_KEYS:
            continue
        project = _scw_project(key)
        if project is None:
            yield Finding(
                f"cannot verify the pseudonymisation-key separation of key '{key.name}': neither "
                "it nor its provider sets projectId (SCW_DEFAULT_PROJECT_ID decides)",
                key.urn,
            )
        elif project:
            by_project.setdefault(str(project), []).append(key)
    for project, keys in by_project.items():
        purposes = {key.urn: _scw_purpose(key, params) for key in keys}
        yield from _shared_store(project, keys, purposes, SCW_SHARED)
        yield from _store_unknowns("Scaleway Project", project, keys, purposes)


def _check_separation(resources: Resources, params: Params) -> Iterator[Finding]:
    """A key's purpose is its own classification (tags, Barbican metadata), else its vault's,
    else the words of its names (resource name, `name`, `context`, an order's `meta.name`):
    pseudonymisation in any spelling, or dataset/disk/platform; else unknown. Stores: the
    Key Vault named by `vaultName` (or the key's id; names compared without case), the
    Barbican container's `secretRefs` (its dependencies when a ref is unknown), the OKMS of
    `okmsId`. A store mixing pseudonymisation keys with others is a violation; a shared store
    holding a key of unknown purpose cannot be verified.
    """
    yield from _azure_findings(resources, params)
    yield from _barbican_findings(resources, params)
    yield from _okms_findings(resources, params)
    yield from _scaleway_findings(resources, params)


PRT_004 = Rule(
    id="PRT-004",
    slug="pseudonymisation-key-separation",
    severity=Severity.CRITICAL,
    enforcement=Enforcement.MANDATORY,
    description=(
        "Pseudonymisation keys live in a key store (Key Vault, Barbican container, OKMS, "
        "Scaleway Project) separate from every dataset or platform key."
    ),
    remediation=(
        "Azure: put keys and secrets classified pseudonymisation-keys in a dedicated "
        "keyvault.Vault tagged classification=pseudonymisation-keys and nothing else there. "
        "Barbican: keep pseudonymisation secrets (metadata classification=pseudonymisation-keys) "
        "in "
        "their own ContainerV1. OVH: create the pseudonymisation ServiceKey in its own "
        "Okms (distinct okmsId). Scaleway: create the pseudonymisation keymanager.Key in its "
        "own Project (a distinct `projectId`, on the key or its provider)."
    ),
    secnumcloud=("9.7", "10.5"),
    hds=("hds-security",),
    params={
        "pseudonymisationKeys": Param.str_list(
            [],
            "Names or URNs of keys to treat as pseudonymisation keys whatever they are called.",
        )
    },
    stack_check=_check_separation,
    applies_to=(
        VAULT,
        KEY,
        KV_SECRET,
        BARBICAN_SECRET,
        BARBICAN_ORDER,
        BARBICAN_CONTAINER,
        OKMS_KEY,
        *SCW_KEYS,
    ),
    rationale=(
        "The pseudonymisation keys are what separates the SNDS from directly identifying data. "
        "Keeping them in the same key store as dataset keys lets one role or one compromise reach "
        "both (SecNumCloud 10.5 c, 9.7 separation)."
    ),
)


# --------------------------------------------------------------------------- PRT-013


def _open_ip_rules(props: Mapping[str, Any]) -> Iterator[str]:
    """`networkAcls.ipRules` letting the whole internet in: with `defaultAction: Deny` that is
    the same as Allow. Judged even when `publicNetworkAccess` is Disabled (which "will override
    the set firewall rules", azure-native 3.29 keyvault VaultPropertiesArgs, read 2026-12-02),
    as `defaultAction` is: the ACL is what is left the day public access is enabled again,
    one flag away."""
    rules = p.get(props, "properties.networkAcls.ipRules")
    networks: list[cidr.Network] = []
    for index, rule in enumerate(p.iter_mappings(rules)):
        value = rule.get("value")
        if p.is_unknown(value) or value is None:
            continue
        path = f"properties.networkAcls.ipRules[{index}].value"
        source = cidr.classify(value) if isinstance(value, str) else None
        if source is None or (not source.networks and not source.anyone):
            yield f"cannot verify {path} {p.show(value)}: not an IPv4 address or range"
        elif source.anyone:
            yield f"{path} is '{value}': the whole internet is allowed"
            return
        else:
            networks.extend(source.networks)
    if networks and cidr.covers_all_public(networks, 4):
        shown = cidr.describe(networks)
        yield f"properties.networkAcls.ipRules together allow the whole internet ({shown})"


def _network_acls(view: ResourceView, params: Params) -> Iterator[str]:
    action = p.get(view.props, "properties.networkAcls.defaultAction")
    if not p.is_unknown(action) and (not isinstance(action, str) or action.lower() != "deny"):
        yield f"properties.networkAcls.defaultAction is {p.show(action)}, must be 'Deny'"
    yield from _open_ip_rules(view.props)


def _vault_hardening(view: ResourceView, params: Params) -> Iterator[str]:
    rbac = p.get(view.props, "properties.enableRbacAuthorization")
    if not p.is_unknown(rbac) and p.to_bool(rbac) is not True:
        yield f"properties.enableRbacAuthorization is {p.show(rbac)}, must be true"
    yield from _network_acls(view, params)


# Managed HSM: no access policies, its data plane is always local RBAC ("Managed HSM local
# RBAC", learn.microsoft.com/azure/key-vault/managed-hsm/access-control, read 2026-12-02):
# only its network is judged.
_check_vault_hardening = p.by_type((VAULT, _vault_hardening), (MANAGED_HSM, _network_acls))


PRT_013 = Rule(
    id="PRT-013",
    slug="keyvault-hardening",
    severity=Severity.MEDIUM,
    enforcement=Enforcement.ADVISORY,
    description=(
        "Key Vaults use RBAC authorization; Key Vaults and Managed HSMs deny network access by "
        "default and allow no IP rule covering the whole internet."
    ),
    remediation=(
        "Set `properties.enableRbacAuthorization: true` (Key Vault) and `properties.networkAcls` "
        "with `defaultAction: Deny` (allow only private endpoints / trusted services) on "
        "keyvault.Vault and keyvault.ManagedHsm; no `networkAcls.ipRules[].value` of "
        "0.0.0.0/0, even with `publicNetworkAccess: Disabled`."
    ),
    secnumcloud=("10.5", "13.2"),
    hds=("hds-security",),
    resource_check=_check_vault_hardening,
    applies_to=(VAULT, MANAGED_HSM),
    rationale=(
        "RBAC authorization (instead of vault access policies) and a deny-by-default network ACL "
        "keep key access nominative and private (SecNumCloud 10.5, 13.2)."
    ),
)


# --------------------------------------------------------------------------- PRT-026

# Key identifiers: "https://{vault-name}.vault.azure.net/keys/..." (Key Vault) and
# "https://{hsm-name}.managedhsm.azure.net/keys/..." (Managed HSM)
# (learn.microsoft.com/en-us/azure/key-vault/about-keys-secrets-and-certificates, "Object
# identifiers", checked with the search tool 2026-12-02; Azure China: vault.azure.cn,
# managedhsm.chinacloudapi.cn per docs.azure.cn's copy of the page, read the same day).
# Only the public cloud's suffixes: a vault of the same name under another
# cloud's suffix (vault.azure.cn, vault.usgovcloudapi.net) or any other domain is another
# store, which this rule cannot tie to the estate. The store's name is the host's first
# label; names compare without case (resource-name-rules, as PRT-004).
KEY_HOSTS = {"vault.azure.net": VAULT, "managedhsm.azure.net": MANAGED_HSM}
STORE_KIND = {VAULT: "key vault", MANAGED_HSM: "Managed HSM"}


def _key_store_of(url: str) -> tuple[str, str] | None:
    """(store type, store name lower-cased) of a key URL, None when it is not one."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").rstrip(".")
    name, _, domain = host.partition(".")
    kind = KEY_HOSTS.get(domain)
    if parts.scheme.lower() != "https" or not name or kind is None:
        return None
    if not parts.path.lower().startswith("/keys/"):
        return None
    return kind, name


class _Estate:
    """The estate's key stores (by type and name, and by id) and disk encryption sets (by id),
    and whether one of them is still unknown (a preview: nothing can be said absent)."""

    def __init__(self, resources: Resources) -> None:
        self.stores: dict[tuple[str, str], StackResource] = {}
        self.store_ids: dict[str, StackResource] = {}
        self.sets: set[str] = set()
        self.partial_stores = self.partial_sets = False
        for res in resources:
            if res.type in (VAULT, MANAGED_HSM):
                self._add_store(res)
            elif res.type == DES:
                ident = _des_own_id(res)
                if ident is False:
                    self.partial_sets = True
                elif isinstance(ident, str):
                    self.sets.add(p.arm_id(ident))

    def _add_store(self, res: StackResource) -> None:
        for field in ("vaultName", "name", "id"):
            value = res.props.get(field)
            if p.is_unknown(value):
                self.partial_stores = True
            elif isinstance(value, str) and value.strip() and field == "id":
                self.store_ids[p.arm_id(value)] = res
            elif isinstance(value, str) and value.strip():
                self.stores[(res.type, value.strip().lower())] = res


def _des_own_id(res: StackResource) -> str | bool | None:
    """A disk encryption set's ARM id: its `id` output, else the id its inputs make
    (/subscriptions/<provider subscriptionId>/resourceGroups/<rg>/providers/
    Microsoft.Compute/diskEncryptionSets/<diskEncryptionSetName>); False when unknown."""
    ident = res.props.get("id")
    if p.is_unknown(ident):
        return False
    if isinstance(ident, str) and ident.strip():
        return ident
    sub = res.provider.props.get("subscriptionId") if res.provider else None
    group, name = res.props.get("resourceGroupName"), res.props.get("diskEncryptionSetName")
    parts = (sub, group, name)
    if any(p.is_unknown(x) for x in parts):
        return False
    if not all(isinstance(x, str) and x for x in parts):
        return None
    return (
        f"/subscriptions/{sub}/resourceGroups/{group}/providers/"
        f"Microsoft.Compute/diskEncryptionSets/{name}"
    )


def _store_name(store: StackResource) -> str:
    for field in ("vaultName", "name"):
        value = store.props.get(field)
        if isinstance(value, str) and value.strip() and not p.is_unknown(value):
            return value.strip()
    return store.name


def _set(des: StackResource) -> str:
    return f"disk encryption set '{des.name}'"


def _source_vault(
    des: StackResource, estate: _Estate, store: StackResource | None
) -> Iterator[str]:
    """activeKey.sourceVault.id: "Resource Id" of the vault holding the key (azure-native
    3.29.0 compute SourceVaultArgs, read 2026-12-02): one of the estate, the keyUrl's own."""
    source = p.get(des.props, "activeKey.sourceVault.id")
    if p.is_unknown(source) or source is None:
        return
    if not isinstance(source, str) or not source.strip():
        shown = p.show(source)
        yield f"cannot verify the key vault of {_set(des)}: activeKey.sourceVault.id is {shown}"
        return
    found = estate.store_ids.get(p.arm_id(source))
    if found is None and not estate.partial_stores:
        yield (
            f"cannot verify the key vault of {_set(des)}: activeKey.sourceVault.id '{source}' is "
            "not a key vault of this estate (its purge protection and ACL cannot be shown)"
        )
    elif found is not None and store is not None and found.urn != store.urn:
        yield (
            f"cannot verify the key vault of {_set(des)}: activeKey.sourceVault.id names "
            f"'{_store_name(found)}', activeKey.keyUrl a key of '{_store_name(store)}'"
        )


def _des_store(des: StackResource, estate: _Estate) -> Iterator[str]:
    """The store of the set's key: of this estate, with purge protection (PRT-001's check)."""
    url = p.get(des.props, "activeKey.keyUrl")
    if p.is_unknown(url) or not (isinstance(url, str) and url.strip()):
        return  # PRT-002 judges a set naming no key
    found = _key_store_of(url)
    store = estate.stores.get(found) if found else None
    if found is None:
        yield (
            f"cannot verify the key of {_set(des)}: activeKey.keyUrl '{url}' is not a Key Vault "
            "or Managed HSM key URL of the Azure public cloud"
        )
    elif store is None and not estate.partial_stores:
        kind, name = found
        yield (
            f"cannot verify the key of {_set(des)}: activeKey.keyUrl names {STORE_KIND[kind]} "
            f"'{name}', not one of this estate (its purge protection and ACL cannot be shown)"
        )
    elif store is not None:
        for message in _store_purge(store.props):
            yield (
                f"{_set(des)} takes its key from {STORE_KIND[store.type]} "
                f"'{_store_name(store)}' whose {message}"
            )
    yield from _source_vault(des, estate, store)


FOREIGN_SET = "not a disk encryption set of this estate (its key and vault cannot be shown)"


def _disk_sets(res: StackResource, estate: _Estate) -> Iterator[str]:
    """Each set a resource names (SET_SLOTS) is one of the estate's, by folded ARM id: another
    subscription's set of the same name is another set."""
    for slot in SET_SLOTS[res.type](res.props):
        path, value = slot.path, slot.value
        if p.is_unknown(value) or value is None:
            continue  # a missing set is PRT-002's
        if slot.unreadable:
            yield f"cannot verify the disk encryption set: {path} is {p.show(value)}"
        elif estate.partial_sets:
            continue  # a set still unknown may be this one
        elif p.arm_id(value) not in estate.sets:
            yield f"cannot verify the key of {path} '{value}': {FOREIGN_SET}"


def _check_disk_keys(resources: Resources, params: Params) -> Iterator[Finding]:
    estate = _Estate(resources)
    for res in resources:
        if res.type == DES:
            yield from findings(_des_store(res, estate), res.urn)
        elif res.type in SET_SLOTS:
            yield from findings(_disk_sets(res, estate), res.urn)


PRT_026 = Rule(
    id="PRT-026",
    slug="disk-keys-in-estate",
    severity=Severity.HIGH,
    enforcement=Enforcement.MANDATORY,
    description=(
        "Every disk encryption set takes its key from a Key Vault or Managed HSM of the estate "
        "that has purge protection, and every disk, snapshot, VM, scale set, managed image, "
        "gallery image version, AKS cluster and Azure Disk StorageClass names a disk "
        "encryption set of the estate."
    ),
    rationale=(
        "A disk encryption set is only as safe as the vault of its key: a key in a vault outside "
        "the estate is held and can be deleted by whoever runs that vault, and a key in a vault "
        "without purge protection can be destroyed with every disk it wraps (SecNumCloud 10.1 "
        "one key per tenant, 10.5 keys in a container the tenant controls and their life cycle)."
    ),
    remediation=(
        "Point the DiskEncryptionSet's `activeKey.keyUrl` (and `activeKey.sourceVault.id`) at a "
        "key of a keyvault.Vault or keyvault.ManagedHsm the stack declares, with "
        "`properties.enablePurgeProtection: true`; point every Disk and Snapshot "
        "`encryption.diskEncryptionSetId` and every VM or scale-set disk's "
        "`managedDisk.diskEncryptionSet.id` (and `securityProfile` ones), every Image disk's "
        "`diskEncryptionSet.id`, every GalleryImageVersion target's `encryption` "
        "(`osDiskImage.diskEncryptionSetId`, `osDiskImage.securityProfile."
        "secureVMDiskEncryptionSetId`, `dataDiskImages[].diskEncryptionSetId`) and the "
        "ManagedCluster `diskEncryptionSetID` and the Azure Disk StorageClass "
        "`parameters.diskEncryptionSetID` at a DiskEncryptionSet the stack declares."
    ),
    secnumcloud=("10.1", "10.5"),
    hds=("hds-security",),
    stack_check=_check_disk_keys,
    applies_to=(VAULT, MANAGED_HSM, DES, *SET_SLOTS),
)


RULES = (
    PRT_001,
    PRT_002,
    PRT_004,
    PRT_013,
    PRT_026,
)
