"""Storage: volume encryption, public read, versioning, TLS."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from functools import partial
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
from bascule.rules.check import Params, Resources
from bascule.rules.types import (
    BLOB_CONTAINER,
    INSTANCE,
    OVH_BUCKETS,
    OVH_CLOUD_INSTANCE,
    OVH_INSTANCE,
    SCW_BUCKETS,
    SCW_SERVERS,
    STORAGE_ACCOUNT,
    SWIFT,
    VAULT,
    VOLUME,
    aliased,
)

BLOB_SERVICE = "azure-native:storage:BlobServiceProperties"


# --------------------------------------------------------------------------- PRT-003

OVH_VOLUMES = (
    "ovh:CloudProject/volume:Volume",
    "ovh:index/cloudStorageBlockVolume:CloudStorageBlockVolume",
)
SCW_INSTANCE_VOLUMES = aliased("instance/volume:Volume", "instanceVolume")
SCW_LOCAL = ("l_ssd", "scratch")
# pulumi-openstack 5.5.3 `database.Instance` (Trove): `size` "Specifies the volume size in
# GB", `volumeType` "Specifies the volume type to use" (no default stated, read 2026-12-02):
# the database's data sits on a Cinder volume of that type, or of the cloud's default type
# (not encrypted, as for a Volume) when unset, so it is read as a Volume's volumeType.
TROVE = "openstack:database/instance:Instance"
# A block device with one of these sources creates a new volume (or a local disk).
CREATING_SOURCES = ("image", "blank", "snapshot")


def _volume_type(vtype: Any, allowed: list[str], path: str) -> Iterator[str]:
    if p.is_unknown(vtype):
        return
    if vtype is None or vtype == "":
        yield (
            f"{path} is not set (the default type is not encrypted); "
            f"use one of {p.fmt_list(allowed)}"
        )
    elif not isinstance(vtype, str):
        yield f"cannot verify {path}: {p.show(vtype)} is not a volume type name"
    elif vtype not in allowed:
        yield f"{path} '{vtype}' is not an encrypted volume type {p.fmt_list(allowed)}"


def _allowed(params: Params) -> list[str]:
    return [str(x) for x in p.as_seq(params["encryptedVolumeTypes"])]


def _cinder_volume(view: ResourceView, params: Params) -> Iterator[str]:
    yield from _volume_type(view.props.get("volumeType"), _allowed(params), "volumeType")


def _block_devices(view: ResourceView, params: Params) -> Iterator[str]:
    """An OpenStack instance's boot disk and the volumes its block devices create."""
    props, allowed = view.props, _allowed(params)
    devices = list(p.iter_mappings(props.get("blockDevices")))
    if p.is_unknown(props.get("blockDevices")):
        return
    if not devices and (p.has_value(props.get("imageId")) or p.has_value(props.get("imageName"))):
        yield (
            "boots from its image on the hypervisor's local disk (no blockDevices): the root "
            "disk is not an encrypted volume"
        )
    for index, device in enumerate(devices):
        source = str(device.get("sourceType") or "").lower()
        destination = str(device.get("destinationType") or "local").lower()
        if source not in CREATING_SOURCES or p.is_unknown(device.get("destinationType")):
            continue
        path = f"blockDevices[{index}]"
        if destination == "volume":
            yield from _volume_type(device.get("volumeType"), allowed, f"{path}.volumeType")
        else:
            yield (
                f"{path} ({source} to {destination}) is an ephemeral disk on the hypervisor, "
                "not an encrypted volume"
            )


def _ovh_volume(view: ResourceView, params: Params) -> Iterator[str]:
    encryption = view.props.get("encryption")
    flags = [b.get("enabled", b.get("encrypted")) for b in p.iter_mappings(encryption)]
    if p.is_unknown(encryption) or any(p.is_unknown(f) for f in flags):
        return
    if not any(p.to_bool(f) is True for f in flags):
        shown = "not set" if not flags else p.show(flags[0])
        yield f"encryption.enabled is {shown}: the OVHcloud volume is not LUKS-encrypted"


def _ovh_local_boot(path: str, view: ResourceView, params: Params) -> Iterator[str]:
    """An OVHcloud instance booted from an image (`path`) runs on the local disk."""
    image = p.get(view.props, path)
    if p.has_value(image) and not p.is_unknown(image):
        yield (
            f"{path}: the instance boots on the hypervisor's local disk, not an encrypted "
            "volume (boot from an encrypted volume instead)"
        )


def _scw_volume(view: ResourceView, params: Params) -> Iterator[str]:
    """A Scaleway Instance volume on the local disk; a block (sbs) volume's encryption is
    PRT-023's (manual)."""
    vtype = view.props.get("type")
    if isinstance(vtype, str) and vtype.strip().lower() in SCW_LOCAL:
        yield f"type '{vtype}' is a local disk on the hypervisor, not an encrypted volume"


def _scw_root_volume(view: ResourceView, params: Params) -> Iterator[str]:
    root = view.props.get("rootVolume")
    vtype = p.get(root, "volumeType") if isinstance(root, Mapping) else None
    if p.is_unknown(root) or p.is_unknown(vtype):
        return
    if not isinstance(vtype, str) or not vtype:
        yield (
            "rootVolume.volumeType is not set: the commercial type decides, and some boot "
            "from the hypervisor's local disk (l_ssd); set sbs_volume"
        )
    elif vtype.strip().lower() in SCW_LOCAL:
        yield f"rootVolume.volumeType '{vtype}' is the hypervisor's local disk, not a block volume"


_check_volume = p.by_type(
    ((VOLUME, TROVE), _cinder_volume),
    (INSTANCE, _block_devices),
    (OVH_VOLUMES, _ovh_volume),
    (OVH_INSTANCE, partial(_ovh_local_boot, "bootFrom.imageId")),
    (OVH_CLOUD_INSTANCE, partial(_ovh_local_boot, "imageId")),
    (SCW_SERVERS, _scw_root_volume),
    (SCW_INSTANCE_VOLUMES, _scw_volume),
)


PRT_003 = Rule(
    id="PRT-003",
    slug="volume-encryption",
    severity=Severity.HIGH,
    enforcement=Enforcement.MANDATORY,
    description=(
        "Every block volume uses an encrypted (LUKS) volume type, including volumes an instance "
        "or a Trove database creates inline, and no instance keeps data on the hypervisor's "
        "local disk."
    ),
    remediation=(
        "Set `volumeType` to an encrypted type (encrypted-luks) on every "
        "openstack.blockstorage.Volume and openstack.database.Instance (Trove), and on every "
        "`blockDevices` entry that creates a volume (`sourceType` image/blank/snapshot, "
        "`destinationType: volume`); boot instances from such a volume, never from the image "
        "on a local disk; encrypt OVHcloud volumes. "
        "Scaleway: `rootVolume.volumeType: sbs_volume`, no l_ssd or scratch Instance volumes "
        "(block volumes' encryption is evidenced manually, PRT-023)."
    ),
    secnumcloud=("10.1",),
    hds=("hds-security",),
    params={
        "encryptedVolumeTypes": Param.str_list(
            ["encrypted-luks"], "Cinder volume types encrypted at rest."
        )
    },
    resource_check=_check_volume,
    applies_to=(
        VOLUME,
        TROVE,
        INSTANCE,
        *OVH_VOLUMES,
        OVH_INSTANCE,
        OVH_CLOUD_INSTANCE,
        *SCW_SERVERS,
        *SCW_INSTANCE_VOLUMES,
    ),
    checkov_id="CKV_BSC_2",
    rationale=(
        "A Cinder volume on a volume type without encryption is stored in clear on the provider's "
        "storage backend (SecNumCloud 10.1 a: per-volume encryption for block access)."
    ),
)


# --------------------------------------------------------------------------- PRT-005

TEMP_URL = "openstack:objectstorage/tempUrl:TempUrl"
ACCOUNT = "openstack:objectstorage/accountV1:AccountV1"
OVH_PRESIGN = "ovh:CloudProject/regionStoragePresign:RegionStoragePresign"
OVH_S3_POLICY = "ovh:CloudProject/s3Policy:S3Policy"
SCW_BUCKET_ACLS = aliased("object/bucketAcl:BucketAcl", "objectBucketAcl")
SCW_BUCKET_POLICIES = aliased("object/bucketPolicy:BucketPolicy", "objectBucketPolicy")
SCW_WEBSITES = aliased(
    "object/bucketWebsiteConfiguration:BucketWebsiteConfiguration",
    "objectBucketWebsiteConfiguration",
)
SCW_ITEMS = aliased("object/item:Item", "objectItem")
# pulumi-azure-native 3.29 `storage.StorageAccountStaticWebsite` (accountName, indexDocument,
# error404Document): enables the account's static website, served from its `$web` container.
# Microsoft, "Static website hosting in Azure Storage" (learn.microsoft.com/azure/storage/blobs/
# storage-blob-static-website, as quoted by cloudconformity.com's "publicly accessible web
# containers" and cyber.engineer, read 2026-12-02): the files "are served through anonymous
# access requests" and "disabling public access on a storage account does not affect static
# websites that are hosted in that storage account".
STATIC_WEBSITE = "azure-native:storage:StorageAccountStaticWebsite"
SCW_STORAGE = (*SCW_BUCKETS, *SCW_BUCKET_ACLS, *SCW_BUCKET_POLICIES, *SCW_WEBSITES, *SCW_ITEMS)
# S3 canned ACLs that grant beyond the owner's project (AWS canned ACL list, which Scaleway
# documents as the one it follows).
PUBLIC_CANNED_ACLS = ("public-read", "public-read-write", "authenticated-read")
# S3 grantee groups: everyone, and every authenticated user of the provider.
PUBLIC_GRANTEES = ("/global/allusers", "/global/authenticatedusers")
# Swift's referrer designators (swift/common/middleware/acl.py clean_acl).
REFERRER = (".r", ".ref", ".referer", ".referrer")


def swift_acl(acl: str) -> tuple[list[str], list[str]]:
    """(referrer grants, any-user grants) of a Swift v1 ACL, as written.

    Entries are comma-separated and stripped; `.r:`/`.ref:`/`.referer:`/`.referrer:` with a
    value not starting with `-` grants by HTTP Referer, which any client sets (public); `*`
    and `*:*` are every user of every project."""
    referrers, anyone = [], []
    for raw in acl.split(","):
        entry = raw.strip()
        if not entry:
            continue
        first, sep, second = (part.strip() for part in entry.partition(":"))
        if sep and first in REFERRER and not second.startswith("-"):
            referrers.append(entry)
        elif entry == "*" or (sep and first == "*" and second == "*"):
            anyone.append(entry)
    return referrers, anyone


def _is_dataset(metadata: Mapping[str, str]) -> bool:
    return "dataset" in metadata or metadata.get("classification") in p.HEALTH_CLASSES


def _temp_url_keys(metadata: Mapping[str, str]) -> list[str]:
    return sorted(k for k in metadata if k.lower().replace("_", "-").startswith("temp-url-key"))


def _swift_sharing(view: ResourceView, params: Params) -> Iterator[str]:
    props = view.props
    metadata = p.tag_map(props.get("metadata")) or {}
    for field, verb in (("containerRead", "read"), ("containerWrite", "write")):
        acl = props.get(field)
        if not isinstance(acl, str) or p.is_unknown(acl) or not acl.strip():
            continue
        referrers, anyone = swift_acl(acl)
        if referrers:
            yield f"{field} '{acl}' grants public {verb} by referrer ({', '.join(referrers)})"
        if anyone:
            yield f"{field} '{acl}' grants {verb} to any user of any project ({', '.join(anyone)})"
        if field == "containerWrite" and _is_dataset(metadata) and not (referrers or anyone):
            yield f"containerWrite '{acl}' grants write access to a dataset container"
    sync = props.get("containerSyncTo")
    if p.has_value(sync) and not p.is_unknown(sync):
        yield f"containerSyncTo '{sync}' copies the container to another cluster or account"
    if metadata.get("classification") != "open-data" and _temp_url_keys(metadata):
        yield "metadata sets a Temp-URL key: temporary URLs (bearer links) to its objects"


def _account_sharing(view: ResourceView, params: Params) -> Iterator[str]:
    props = view.props
    if _temp_url_keys(p.tag_map(props.get("metadata")) or {}):
        yield "account metadata sets a Temp-URL key: temporary URLs to every container's objects"
    headers = props.get("headers")
    if isinstance(headers, Mapping):
        for name in sorted(str(k) for k in headers):
            if name.lower() == "x-account-access-control":
                yield f"headers '{name}' shares every container of the project"


def _temp_url(view: ResourceView, params: Params) -> Iterator[str]:
    props = view.props
    yield (
        f"temporary URL (a bearer link) to '{props.get('container')!s}/"
        f"{props.get('object')!s}' for {props.get('method') or 'get'}"
    )


def _presigned_url(view: ResourceView, params: Params) -> Iterator[str]:
    yield f"presigned URL (a bearer link) to object '{view.props.get('object')!s}'"


def _s3_policy(view: ResourceView, params: Params) -> Iterator[str]:
    """An S3 bucket policy (OVHcloud S3Policy, Scaleway BucketPolicy)."""
    raw = view.props.get("policy")
    if p.is_unknown(raw):
        return
    try:
        doc = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        yield "cannot verify the S3 policy: it is not valid JSON"
        return
    statements = doc.get("Statement") if isinstance(doc, Mapping) else None
    for index, st in enumerate(p.iter_mappings(statements)):
        if str(st.get("Effect", "")).lower() != "allow":
            continue
        if _anyone(st.get("Principal")):
            yield f"Statement[{index}] allows Principal '*' (anyone)"
        elif "NotPrincipal" in st:
            yield f"Statement[{index}] allows NotPrincipal (everyone but the principals named)"
        resources = [str(r) for r in p.as_seq(st.get("Resource"))]
        if any(r in ("*", "arn:aws:s3:::*", "arn:aws:s3:::*/*") for r in resources):
            yield f"Statement[{index}] allows {p.fmt_list(resources)}: every bucket of the project"


def _anyone(principal: Any) -> bool:
    """`"*"`, or `*` under any principal kind (`AWS`, Scaleway's `SCW`...)."""
    if isinstance(principal, str):
        return principal.strip() == "*"
    if isinstance(principal, Mapping):
        return any(str(v).strip() == "*" for k in principal for v in p.as_seq(principal[k]))
    return False


def _canned(acl: Any, field: str) -> Iterator[str]:
    if isinstance(acl, str) and not p.is_unknown(acl) and acl.strip().lower() in PUBLIC_CANNED_ACLS:
        yield f"{field} '{acl}' grants access beyond the project (a public canned ACL)"


def _grants(policy: Any) -> Iterator[str]:
    for index, grant in enumerate(p.iter_mappings(p.get(policy, "grants"))):
        uri = p.get(grant, "grantee.uri")
        if isinstance(uri, str) and uri.strip().lower().endswith(PUBLIC_GRANTEES):
            permission = grant.get("permission")
            yield (
                f"accessControlPolicy.grants[{index}] grants {p.show(permission)} to "
                f"'{uri}' (everyone)"
            )


def _scw_bucket(view: ResourceView, params: Params) -> Iterator[str]:
    yield from _canned(view.props.get("acl"), "acl")


def _scw_bucket_acl(view: ResourceView, params: Params) -> Iterator[str]:
    yield from _canned(view.props.get("acl"), "acl")
    yield from _grants(view.props.get("accessControlPolicy"))


def _scw_website(view: ResourceView, params: Params) -> Iterator[str]:
    yield f"website configuration publishes bucket '{view.props.get('bucket')!s}' over HTTP"


def _scw_item(view: ResourceView, params: Params) -> Iterator[str]:
    yield from _canned(view.props.get("visibility"), "visibility")


def _azure_account(view: ResourceView, params: Params) -> Iterator[str]:
    props = view.props
    if p.to_bool(props.get("allowBlobPublicAccess")) is True:
        yield "allowBlobPublicAccess is true, must be false"
    yield from _public_network(props.get("publicNetworkAccess"), "publicNetworkAccess")
    shared = props.get("allowSharedKeyAccess")
    health = p.has_class(props, p.HEALTH_CLASSES)
    if health and not p.is_unknown(shared) and p.to_bool(shared) is not False:
        shown = "not set (defaults to true)" if shared is None else p.show(shared)
        yield (
            f"allowSharedKeyAccess is {shown}: account keys and SAS tokens (bearer "
            "credentials) reach health data"
        )
    if p.to_bool(props.get("allowCrossTenantReplication")) is True:
        yield "allowCrossTenantReplication is true: objects can be replicated to other tenants"


def _azure_static_website(view: ResourceView, params: Params) -> Iterator[str]:
    name = view.props.get("accountName")
    account = "" if p.is_unknown(name) or not isinstance(name, str) else f" '{name}'"
    yield (
        f"static website on storage account{account} serves its $web container to anyone, "
        "whatever allowBlobPublicAccess says"
    )


def _azure_vault(view: ResourceView, params: Params) -> Iterator[str]:
    path = "properties.publicNetworkAccess"
    yield from _public_network(p.get(view.props, path), path)


def _azure_container(view: ResourceView, params: Params) -> Iterator[str]:
    access = view.props.get("publicAccess")
    if access is None or p.is_unknown(access):
        return
    if not isinstance(access, str):
        yield f"cannot verify publicAccess: {p.show(access)} is not None, Blob or Container"
    elif access.strip().lower() != "none":
        yield f"publicAccess is '{access}', must be 'None'"


_check_public = p.by_type(
    (SWIFT, _swift_sharing),
    (ACCOUNT, _account_sharing),
    (TEMP_URL, _temp_url),
    (OVH_PRESIGN, _presigned_url),
    ((OVH_S3_POLICY, *SCW_BUCKET_POLICIES), _s3_policy),
    (SCW_BUCKETS, _scw_bucket),
    (SCW_BUCKET_ACLS, _scw_bucket_acl),
    (SCW_WEBSITES, _scw_website),
    (SCW_ITEMS, _scw_item),
    (STORAGE_ACCOUNT, _azure_account),
    (STATIC_WEBSITE, _azure_static_website),
    (VAULT, _azure_vault),
    (BLOB_CONTAINER, _azure_container),
)


def _public_network(value: Any, path: str) -> Iterator[str]:
    if p.is_unknown(value):
        return
    if not isinstance(value, str) or value.lower() != "disabled":
        shown = "not set (defaults to Enabled)" if value is None else f"'{value}'"
        yield f"{path} is {shown}, must be 'Disabled'"


PRT_005 = Rule(
    id="PRT-005",
    slug="storage-no-public-read",
    severity=Severity.CRITICAL,
    enforcement=Enforcement.MANDATORY,
    description=(
        "No storage is shared beyond its project: no public or any-user ACL, no write ACL on "
        "datasets, no temporary or presigned URL, no container sync, no public network access, "
        "no bearer keys on health data, no static website."
    ),
    remediation=(
        "Swift: remove `.r:`/`.ref:`/`.referer:`/`.referrer:` and `*:*` entries from "
        "`containerRead`/`containerWrite`, write ACLs from dataset containers, "
        "`containerSyncTo`, Temp-URL keys (container or account metadata) and TempUrl "
        "resources. OVHcloud: no presigned URLs, S3 policies scoped to named buckets. "
        "Scaleway: `acl` private on buckets, BucketAcl and items, no grant to AllUsers or "
        "AuthenticatedUsers, no bucket policy statement for Principal '*' (or `SCW: *`), no "
        "website configuration. Azure: "
        "`allowBlobPublicAccess: false`, `publicNetworkAccess: Disabled` (storage accounts, "
        "Key Vault), `publicAccess: None`, `allowSharedKeyAccess: false` on health data, no "
        "cross-tenant replication, no static website (its `$web` container is served "
        "anonymously); reach them through private endpoints."
    ),
    secnumcloud=("9.7", "13.2"),
    hds=("hds-security",),
    resource_check=_check_public,
    applies_to=(
        SWIFT,
        ACCOUNT,
        TEMP_URL,
        OVH_PRESIGN,
        OVH_S3_POLICY,
        *SCW_STORAGE,
        STORAGE_ACCOUNT,
        STATIC_WEBSITE,
        VAULT,
        BLOB_CONTAINER,
    ),
    checkov_id="CKV_BSC_1",
    rationale=(
        "A public-read container, blob or key vault reachable from the internet exposes health "
        "data to anyone (SecNumCloud 9.7: resources protected against unauthorised access; 13.2 "
        "network partitioning)."
    ),
)


# --------------------------------------------------------------------------- PRT-006


def _account_names(res: StackResource) -> set[str]:
    names = {res.name}
    for key in ("accountName", "name"):
        value = res.props.get(key)
        if isinstance(value, str) and value and not p.is_unknown(value):
            names.add(value.lower())
    return {n.lower() for n in names}


def _service_account(res: StackResource) -> str | None:
    value = res.props.get("accountName")
    if isinstance(value, str) and value and not p.is_unknown(value):
        return value.lower()
    match = re.search(r"/storageAccounts/([^/]+)", str(res.props.get("id") or ""), re.I)
    return match.group(1).lower() if match else None


def _first_flag(props: Mapping[str, Any]) -> Any:
    return next((v.get("enabled") for v in p.iter_mappings(props.get("versioning"))), None)


# pulumi-ovh 2.22 `versioning.status`: "Versioning status. One of `DISABLED`, `ENABLED`,
# `SUSPENDED`." (CloudStorageObjectBucketVersioningArgs; CloudProject StorageVersioningArgs says
# only "Versioning status"; the OVHcloud API spells them lowercase), read 2026-12-02. Unset: the
# SDK states no default (unknown there); an S3 bucket is unversioned until versioning is enabled
# (AWS S3 user guide, "Working with objects in a versioning-enabled bucket": unversioned is the
# default state), which OVHcloud's S3 API follows. SUSPENDED keeps no new versions.
OVH_VERSIONING_OFF = ("disabled", "suspended")


def _ovh_versioning(res: StackResource, cls: str | None) -> str | None:
    """Why an OVHcloud S3 bucket keeps no previous versions, or None (versioned, unknown)."""
    value = res.props.get("versioning")
    blocks = list(p.iter_mappings(value))
    statuses = [b.get("status") for b in blocks]
    if p.is_unknown(value) or any(p.is_unknown(s) for s in statuses):
        return None
    words = [s.strip().lower() if isinstance(s, str) else s for s in statuses]
    if "enabled" in words:
        return None
    if value in (None, []) or (blocks and all(w is None for w in words)):
        return (
            f"bucket '{res.name}' of classification '{cls}' has versioning.status not set "
            "(an S3 bucket is unversioned by default); versioning.status ENABLED is required"
        )
    odd = [s for s, w in zip(statuses, words, strict=True) if w not in (*OVH_VERSIONING_OFF, None)]
    if not blocks or odd:
        shown = (
            f"versioning.status is {p.show(odd[0])}" if odd else f"versioning is {p.show(value)}"
        )
        return f"cannot verify the versioning of bucket '{res.name}': {shown}"
    return (
        f"bucket '{res.name}' of classification '{cls}' has versioning.status "
        f"{p.show(next(s for s in statuses if s is not None))}; versioning.status ENABLED is "
        "required"
    )


def _azure_versioning(
    res: StackResource, cls: str | None, services: Sequence[StackResource]
) -> str | None:
    """Why a storage account keeps no blob versions, or None (versioned, immutable, unknown)."""
    immutable = p.get(res.props, "immutableStorageWithVersioning.enabled")
    if p.to_bool(immutable) is True:
        return None
    names = _account_names(res)
    matched = [s for s in services if _service_account(s) in names or res.urn in s.dependencies]
    values = [s.props.get("isVersioningEnabled") for s in matched]
    if any(p.is_unknown(v) for v in values) or any(p.to_bool(v) is True for v in values):
        return None
    shown = (
        "has no BlobServiceProperties"
        if not matched
        else f"has BlobServiceProperties isVersioningEnabled {p.show(values[0])}"
    )
    return (
        f"storage account '{res.name}' of classification '{cls}' {shown}; "
        "blob versioning (or immutable storage) is required"
    )


def _unversioned(
    res: StackResource, cls: str | None, services: Sequence[StackResource]
) -> str | None:
    if res.type == SWIFT and p.swift_versioned(res.props) is False:
        return (
            f"container '{res.name}' of classification '{cls}' has neither "
            "versioning nor versioningLegacy"
        )
    if res.type in SCW_BUCKETS and p.s3_versioned(res.props) is False:
        return (
            f"bucket '{res.name}' of classification '{cls}' has versioning.enabled "
            f"{p.show(_first_flag(res.props))}; versioning is required"
        )
    if res.type in OVH_BUCKETS:
        return _ovh_versioning(res, cls)
    if res.type == STORAGE_ACCOUNT:
        return _azure_versioning(res, cls, services)
    return None


def _check_versioning(resources: Resources, params: Params) -> Iterator[Finding]:
    classes = [str(c) for c in p.as_seq(params["protectedClassifications"])]
    services = [r for r in resources if r.type == BLOB_SERVICE]
    for res in resources:
        if not p.has_class(res.props, classes):
            continue
        message = _unversioned(res, p.classification_of(res.props), services)
        if message:
            yield Finding(message, res.urn)


PRT_006 = Rule(
    id="PRT-006",
    slug="raw-data-versioning",
    severity=Severity.HIGH,
    enforcement=Enforcement.MANDATORY,
    description=(
        "Health datasets and pseudonymisation keys storage keeps previous versions "
        "(Swift, Scaleway or OVHcloud S3 bucket versioning, Azure blob versioning or immutable "
        "storage)."
    ),
    remediation=(
        "Swift: set `versioning: true` on the container (or the legacy `versioningLegacy` "
        "with an archive container). Scaleway: `versioning.enabled: true` on the bucket. "
        "OVHcloud S3 (CloudProject Storage, CloudStorageObjectBucket): `versioning.status: "
        "ENABLED` (not DISABLED or SUSPENDED). "
        "Azure: add a storage.BlobServiceProperties with "
        "`isVersioningEnabled: true` for the account (or "
        "`immutableStorageWithVersioning.enabled: true` on the account)."
    ),
    secnumcloud=("12.5",),
    hds=("hds-security",),
    params={
        "protectedClassifications": p.health_classes_param(
            "Classifications whose storage must be versioned or immutable."
        )
    },
    stack_check=_check_versioning,
    applies_to=(BLOB_SERVICE, SWIFT, STORAGE_ACCOUNT, *SCW_BUCKETS, *OVH_BUCKETS),
    rationale=(
        "Raw extracts and pseudonymisation tables cannot be regenerated: an overwrite or a "
        "deletion must be recoverable from a previous version (SecNumCloud 12.5 backups)."
    ),
)


RULES = (PRT_003, PRT_005, PRT_006)
