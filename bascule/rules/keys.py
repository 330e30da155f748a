"""Key management: Key Vault hardening, customer-managed keys, key separation."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

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

VAULT = "azure-native:keyvault:Vault"
KEY = "azure-native:keyvault:Key"
STORAGE_ACCOUNT = "azure-native:storage:StorageAccount"
VM = "azure-native:compute:VirtualMachine"
DISK = "azure-native:compute:Disk"
SWIFT = "openstack:objectstorage/container:Container"
BARBICAN_SECRET = "openstack:keymanager/secretV1:SecretV1"
BARBICAN_ORDER = "openstack:keymanager/orderV1:OrderV1"
BARBICAN_CONTAINER = "openstack:keymanager/containerV1:ContainerV1"
OKMS_KEY = "ovh:Okms/serviceKey:ServiceKey"
PSEUDO = "pseudonymisation-keys"


# --------------------------------------------------------------------------- PRT-001


def _check_purge(view: ResourceView, params: Mapping[str, Any]) -> Iterator[str]:
    if view.type != VAULT:
        return
    purge = p.get(view.props, "properties.enablePurgeProtection")
    if not p.is_unknown(purge) and p.to_bool(purge) is not True:
        yield f"properties.enablePurgeProtection is {p.show(purge)}, must be true"
    soft = p.get(view.props, "properties.enableSoftDelete")
    if p.to_bool(soft) is False:
        yield f"properties.enableSoftDelete is {p.show(soft)}, must not be false"


PRT_001 = Rule(
    id="PRT-001",
    slug="keyvault-purge-protection",
    pack="protection",
    severity=Severity.HIGH,
    enforcement=Enforcement.MANDATORY,
    description="Every Key Vault has purge protection on and soft delete not disabled.",
    remediation=(
        "Set `properties.enablePurgeProtection: true` and leave `properties.enableSoftDelete` "
        "true (or unset) on the azure-native keyvault.Vault; purge protection cannot be "
        "turned off once enabled."
    ),
    secnumcloud=("19.4", "10.5"),
    hds=("hds-security",),
    resource_check=_check_purge,
    applies_to=(VAULT,),
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


def _check_cmk(view: ResourceView, params: Mapping[str, Any]) -> Iterator[str]:
    props = view.props
    if view.type == STORAGE_ACCOUNT:
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
        if not p.is_unknown(kvp) and not (p.is_mapping(kvp) and len(kvp) > 0):
            yield "encryption.keyVaultProperties is missing (no customer-managed key referenced)"
    elif view.type == VM:
        profile = p.get(props, "storageProfile")
        if p.is_unknown(profile):
            return
        os_des = _des_id(p.get(props, "storageProfile.osDisk"))
        if not p.is_unknown(os_des) and not p.has_value(os_des):
            yield (
                "storageProfile.osDisk.managedDisk.diskEncryptionSet.id is missing "
                "(OS disk not encrypted with a customer-managed key)"
            )
        for index, disk in enumerate(p.iter_mappings(p.get(props, "storageProfile.dataDisks"))):
            des = _des_id(disk)
            if not p.is_unknown(des) and not p.has_value(des):
                lun = p.to_int(disk.get("lun"))
                label = f"lun {lun}" if lun is not None else f"index {index}"
                yield (
                    f"storageProfile.dataDisks[{index}] ({label}) has no "
                    "managedDisk.diskEncryptionSet.id"
                )
    elif view.type == DISK:
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
    elif view.type == SWIFT:
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


PRT_002 = Rule(
    id="PRT-002",
    slug="customer-managed-keys",
    pack="protection",
    severity=Severity.HIGH,
    enforcement=Enforcement.MANDATORY,
    description=(
        "Storage accounts, VM disks, managed disks and dataset containers are encrypted "
        "with customer-managed keys."
    ),
    remediation=(
        "Azure: set StorageAccount `encryption.keySource: Microsoft.Keyvault` with "
        "`encryption.keyVaultProperties`, `managedDisk.diskEncryptionSet.id` on every VM "
        "OS/data disk and Disk `encryption.type: EncryptionAtRestWithCustomerKey`. "
        "OpenStack: create dataset containers with `storagePolicy` set to an encrypted "
        "policy and metadata `kms-key` naming the Barbican/OKMS key."
    ),
    secnumcloud=("10.1", "10.5"),
    hds=("hds-security",),
    params={
        "encryptedStoragePolicies": Param(
            p.str_list_schema(), ["encrypted"], "Swift storage policies encrypted at rest."
        )
    },
    resource_check=_check_cmk,
    applies_to=(STORAGE_ACCOUNT, VM, DISK, SWIFT),
    rationale=(
        "SecNumCloud 10.1 requires stored data to be encrypted with at least one key per tenant, "
        "and 10.5 requires those keys in a security container the tenant controls. Platform-"
        "managed keys fail both: the provider holds the key."
    ),
)


# --------------------------------------------------------------------------- PRT-004


def _props_name(res: StackResource, *keys: str) -> set[str]:
    names = {res.name}
    for key in keys:
        value = res.props.get(key)
        if isinstance(value, str) and value and not p.is_unknown(value):
            names.add(value)
    return names


def _azure_findings(resources: Sequence[StackResource]) -> Iterator[Finding]:
    vault_class: dict[str, str | None] = {}
    for res in resources:
        if res.type == VAULT:
            for name in _props_name(res, "vaultName", "name"):
                vault_class[name] = p.classification_of(res.props)
    keys_by_vault: dict[str, list[StackResource]] = {}
    for res in resources:
        if res.type != KEY:
            continue
        vault = res.props.get("vaultName")
        if not isinstance(vault, str) or p.is_unknown(vault):
            # outputs: the vault name is in the id .../vaults/<vault>/keys/<key>
            match = re.search(r"/vaults/([^/]+)/", str(res.props.get("id") or ""))
            if not match:
                continue
            vault = match.group(1)
        keys_by_vault.setdefault(vault, []).append(res)
    for vault, keys in keys_by_vault.items():
        vclass = vault_class.get(vault)
        classes = {key.urn: p.classification_of(key.props) or vclass for key in keys}
        has_pseudo = any(c == PSEUDO for c in classes.values())
        for key in keys:
            kclass = classes[key.urn]
            if kclass == PSEUDO and vclass not in (None, PSEUDO):
                yield Finding(
                    f"pseudonymisation key '{key.name}' is in vault '{vault}' of classification "
                    f"'{vclass}', not a dedicated pseudonymisation-keys vault",
                    key.urn,
                )
            elif kclass != PSEUDO and (vclass == PSEUDO or (vclass is None and has_pseudo)):
                yield Finding(
                    f"key '{key.name}' of classification '{kclass}' is in vault '{vault}' "
                    "that holds pseudonymisation keys",
                    key.urn,
                )


def _barbican_findings(resources: Sequence[StackResource]) -> Iterator[Finding]:
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
        members: dict[str, StackResource] = {}
        unresolved = False
        for ref in p.iter_mappings(res.props.get("secretRefs")):
            value = ref.get("secretRef")
            if isinstance(value, str) and value in by_ref:
                members[by_ref[value].urn] = by_ref[value]
            else:
                unresolved = True
        if unresolved or p.is_unknown(res.props.get("secretRefs")):
            for dep in res.dependencies:
                if dep in by_urn:
                    members[dep] = by_urn[dep]
        pseudo = sorted(m.name for m in members.values() if p.classification_of(m.props) == PSEUDO)
        other = sorted(m.name for m in members.values() if p.classification_of(m.props) != PSEUDO)
        if pseudo and other:
            yield Finding(
                f"Barbican container '{res.name}' holds pseudonymisation secret(s) "
                f"{p.fmt_list(pseudo)} together with other secret(s) {p.fmt_list(other)}",
                res.urn,
            )


def _is_pseudo_service_key(res: StackResource, marker: str) -> bool:
    marker = marker.lower()
    for text in (res.name, res.props.get("name"), res.props.get("context")):
        if isinstance(text, str) and not p.is_unknown(text) and marker in text.lower():
            return True
    return False


def _okms_findings(resources: Sequence[StackResource], marker: str) -> Iterator[Finding]:
    keys = [r for r in resources if r.type == OKMS_KEY]
    for key in keys:
        if not _is_pseudo_service_key(key, marker):
            continue
        okms = key.props.get("okmsId")
        if not isinstance(okms, str) or not okms or p.is_unknown(okms):
            continue
        sharing = sorted(
            other.name
            for other in keys
            if other.urn != key.urn
            and not _is_pseudo_service_key(other, marker)
            and other.props.get("okmsId") == okms
        )
        if sharing:
            yield Finding(
                f"pseudonymisation service key '{key.name}' shares OKMS '{okms}' with dataset "
                f"key(s) {p.fmt_list(sharing)}",
                key.urn,
            )


def _check_separation(
    resources: Sequence[StackResource], params: Mapping[str, Any]
) -> Iterator[Finding]:
    """What is matched (props are outputs, or inputs for a never-deployed snapshot):

    - Azure: a `keyvault:Key` belongs to the vault named by its `vaultName` (else parsed
      from its `id` `.../vaults/<name>/keys/...`); a `keyvault:Vault` is known by
      `vaultName`, `name` or its resource name. A key's classification is its own
      `tags.classification`, else its vault's. Reported on the Key: a pseudonymisation key
      in a vault classified otherwise; any other key in a vault classified
      pseudonymisation-keys (or, vault unclassified, sharing it with a pseudonymisation key).
    - Barbican: a `ContainerV1`'s `secretRefs[].secretRef` are matched to `SecretV1`/
      `OrderV1` by their `secretRef` or `id`; if any ref is unknown/unmatched, the
      container's dependency URNs that are SecretV1/OrderV1 are used too. Classification
      is the member's `metadata.classification` (an OrderV1 has none: "other"). Reported
      on the container when it holds pseudonymisation and other secrets.
    - OVH: a `ServiceKey` is a pseudonymisation key when its resource name, `name` or
      `context` contains `pseudonymisationKeyMarker`; reported on it when another
      (dataset) ServiceKey has the same known `okmsId`.
    """
    yield from _azure_findings(resources)
    yield from _barbican_findings(resources)
    yield from _okms_findings(resources, str(params["pseudonymisationKeyMarker"]))


PRT_004 = Rule(
    id="PRT-004",
    slug="pseudonymisation-key-separation",
    pack="protection",
    severity=Severity.CRITICAL,
    enforcement=Enforcement.MANDATORY,
    description=(
        "Pseudonymisation keys live in a key store (Key Vault, Barbican container, OKMS) "
        "separate from every dataset or platform key."
    ),
    remediation=(
        "Azure: put keys classified pseudonymisation-keys in a dedicated keyvault.Vault "
        "tagged classification=pseudonymisation-keys and nothing else there. Barbican: "
        "keep pseudonymisation secrets (metadata classification=pseudonymisation-keys) in "
        "their own ContainerV1. OVH: create the pseudonymisation ServiceKey in its own "
        "Okms (distinct okmsId)."
    ),
    secnumcloud=("9.7", "10.5"),
    hds=("hds-security",),
    params={
        "pseudonymisationKeyMarker": Param(
            {"type": "string"},
            "pseudonymisation",
            "OVH ServiceKey whose resource name, `name` or `context` contains this text is a "
            "pseudonymisation key (OKMS keys carry no tags).",
        )
    },
    stack_check=_check_separation,
    applies_to=(VAULT, KEY, BARBICAN_SECRET, BARBICAN_ORDER, BARBICAN_CONTAINER, OKMS_KEY),
    rationale=(
        "The pseudonymisation keys are what separates the SNDS from directly identifying data. "
        "Keeping them in the same key store as dataset keys lets one role or one compromise reach "
        "both (SecNumCloud 10.5 c, 9.7 separation)."
    ),
)


# --------------------------------------------------------------------------- PRT-013


def _check_vault_hardening(view: ResourceView, params: Mapping[str, Any]) -> Iterator[str]:
    if view.type != VAULT:
        return
    rbac = p.get(view.props, "properties.enableRbacAuthorization")
    if not p.is_unknown(rbac) and p.to_bool(rbac) is not True:
        yield f"properties.enableRbacAuthorization is {p.show(rbac)}, must be true"
    action = p.get(view.props, "properties.networkAcls.defaultAction")
    if p.is_unknown(action):
        return
    if not isinstance(action, str) or action.lower() != "deny":
        yield f"properties.networkAcls.defaultAction is {p.show(action)}, must be 'Deny'"


PRT_013 = Rule(
    id="PRT-013",
    slug="keyvault-hardening",
    pack="protection",
    severity=Severity.MEDIUM,
    enforcement=Enforcement.ADVISORY,
    description=("Key Vaults use RBAC authorization and deny network access by default."),
    remediation=(
        "Set `properties.enableRbacAuthorization: true` and `properties.networkAcls` "
        "with `defaultAction: Deny` (allow only private endpoints / trusted services)."
    ),
    secnumcloud=("10.5", "9.7"),
    hds=("hds-security",),
    resource_check=_check_vault_hardening,
    applies_to=(VAULT,),
    rationale=(
        "RBAC authorization (instead of vault access policies) and a deny-by-default network ACL "
        "keep key access nominative and private (SecNumCloud 10.5, 13.2)."
    ),
)


RULES = (
    PRT_001,
    PRT_002,
    PRT_004,
    PRT_013,
)
