"""PRT-005 and PRT-006 beyond their fixtures: an Azure static website (anonymous reads of the
`$web` container whatever `allowBlobPublicAccess` says) and OVHcloud S3 buckets'
`versioning.status` (both OVH types; case spellings, unset, unknowns, unreadable values)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from bascule.rules import props as p
from bascule.rules.base import ResourceView, StackResource
from bascule.rules.catalog import rule_by_id

STACK = "urn:pulumi:dev::bascule::"
STATIC_WEBSITE = "azure-native:storage:StorageAccountStaticWebsite"
# pulumi-ovh 2.22.0's two S3 bucket classes, spelled out rather than taken from the rule.
OVH_BUCKETS = (
    "ovh:CloudProject/storage:Storage",
    "ovh:index/cloudStorageObjectBucket:CloudStorageObjectBucket",
)
REQUIRED = "versioning.status ENABLED is required"


def public(type_: str, props: Mapping[str, Any]) -> list[str]:
    urn = f"{STACK}bascule:source:DataPlatform${type_}::r"
    return rule_by_id("PRT-005").check_resource(ResourceView(type_, props, urn, "r"))


def versioning(
    type_: str, props: Mapping[str, Any], cls: str = "pseudonymised-health"
) -> list[str]:
    urn = f"{STACK}bascule:target:Enclave${type_}::ds"
    tagged = {"tags": {"classification": cls}, **props}
    found = rule_by_id("PRT-006").check_stack([StackResource(type_, tagged, urn, "ds")])
    assert all(f.urn == urn for f in found)
    return [f.message for f in found]


# ------------------------------------------------------------------ PRT-005 static website


def test_a_static_website_serves_its_account_anonymously() -> None:
    assert rule_by_id("PRT-005").applies(STATIC_WEBSITE)
    assert public(STATIC_WEBSITE, {"accountName": "sthdhraw01", "indexDocument": "index.html"}) == [
        "static website on storage account 'sthdhraw01' serves its $web container to anyone, "
        "whatever allowBlobPublicAccess says"
    ]


@pytest.mark.parametrize("name", [p.UNKNOWN, None, 3])
def test_a_static_website_is_reported_even_when_its_account_name_is_not_readable(
    name: Any,
) -> None:
    assert public(STATIC_WEBSITE, {"accountName": name}) == [
        "static website on storage account serves its $web container to anyone, "
        "whatever allowBlobPublicAccess says"
    ]


# ------------------------------------------------------------------ PRT-006 OVHcloud S3


@pytest.mark.parametrize("type_", OVH_BUCKETS)
@pytest.mark.parametrize(
    "value", [{"status": "ENABLED"}, {"status": "enabled"}, [{"status": " Enabled "}]]
)
def test_an_ovh_bucket_with_versioning_enabled_passes(type_: str, value: Any) -> None:
    assert rule_by_id("PRT-006").applies(type_)
    assert versioning(type_, {"versioning": value}) == []


@pytest.mark.parametrize("type_", OVH_BUCKETS)
@pytest.mark.parametrize("props", [{}, {"versioning": {}}, {"versioning": []}])
def test_an_ovh_bucket_without_versioning_status_is_unversioned(
    type_: str, props: Mapping[str, Any]
) -> None:
    assert versioning(type_, props, "pseudonymisation-keys") == [
        "bucket 'ds' of classification 'pseudonymisation-keys' has versioning.status not set "
        f"(an S3 bucket is unversioned by default); {REQUIRED}"
    ]


@pytest.mark.parametrize("type_", OVH_BUCKETS)
@pytest.mark.parametrize("status", ["DISABLED", "Suspended", "suspended"])
def test_an_ovh_bucket_with_versioning_disabled_or_suspended_fails(type_: str, status: str) -> None:
    assert versioning(type_, {"versioning": {"status": status}}) == [
        f"bucket 'ds' of classification 'pseudonymised-health' has versioning.status "
        f"'{status}'; {REQUIRED}"
    ]


@pytest.mark.parametrize("type_", OVH_BUCKETS)
@pytest.mark.parametrize(
    "props", [{"versioning": p.UNKNOWN}, {"versioning": {"status": p.UNKNOWN}}]
)
def test_an_ovh_bucket_versioning_unknown_at_preview_is_skipped(
    type_: str, props: Mapping[str, Any]
) -> None:
    assert versioning(type_, props) == []


@pytest.mark.parametrize(
    ("props", "shown"),
    [
        ({"versioning": {"status": "on"}}, "versioning.status is 'on'"),
        ({"versioning": {"status": True}}, "versioning.status is true"),
        ({"versioning": [{"status": "DISABLED"}, {"status": 1}]}, "versioning.status is 1"),
        ({"versioning": "ENABLED"}, "versioning is 'ENABLED'"),
        ({"versioning": True}, "versioning is true"),
    ],
)
def test_an_ovh_bucket_versioning_that_cannot_be_read_is_not_passed(
    props: Mapping[str, Any], shown: str
) -> None:
    assert versioning(OVH_BUCKETS[1], props) == [
        f"cannot verify the versioning of bucket 'ds': {shown}"
    ]


def test_an_ovh_bucket_outside_the_protected_classifications_is_not_read() -> None:
    assert versioning(OVH_BUCKETS[0], {}, "open-data") == []
    assert versioning(OVH_BUCKETS[0], {"versioning": {"status": "on"}}, "open-data") == []


# ------------------------------------------------------------------ PRT-003 Trove

TROVE = "openstack:database/instance:Instance"
VOLUME = "openstack:blockstorage/volume:Volume"
TROVE_PROPS = {"size": 20, "datastore": {"type": "postgresql", "version": "15"}}


def volume(type_: str, props: Mapping[str, Any]) -> list[str]:
    urn = f"{STACK}bascule:target:Enclave${type_}::db"
    return rule_by_id("PRT-003").check_resource(ResourceView(type_, props, urn, "db"))


def test_a_trove_database_without_volume_type_gets_the_default_unencrypted_type() -> None:
    assert rule_by_id("PRT-003").applies(TROVE)
    assert volume(TROVE, TROVE_PROPS) == [
        "volumeType is not set (the default type is not encrypted); use one of [encrypted-luks]"
    ]
    assert volume(TROVE, {**TROVE_PROPS, "volumeType": ""}) == volume(TROVE, TROVE_PROPS)


@pytest.mark.parametrize("vtype", ["classic", "high-speed", "Encrypted-LUKS"])
def test_a_trove_database_on_another_volume_type_fails(vtype: str) -> None:
    assert volume(TROVE, {**TROVE_PROPS, "volumeType": vtype}) == [
        f"volumeType '{vtype}' is not an encrypted volume type [encrypted-luks]"
    ]


def test_a_trove_database_on_an_encrypted_type_or_unknown_at_preview_passes() -> None:
    assert volume(TROVE, {**TROVE_PROPS, "volumeType": "encrypted-luks"}) == []
    assert volume(TROVE, {**TROVE_PROPS, "volumeType": p.UNKNOWN}) == []


@pytest.mark.parametrize("type_", [TROVE, VOLUME])
@pytest.mark.parametrize(("vtype", "shown"), [(True, "true"), (3, "3"), (["luks"], "list")])
def test_a_volume_type_that_is_not_a_name_cannot_be_verified(
    type_: str, vtype: Any, shown: str
) -> None:
    assert volume(type_, {"volumeType": vtype}) == [
        f"cannot verify volumeType: {shown} is not a volume type name"
    ]


# ------------------------------------------------------------------ PRT-005 blob containers

BLOB_CONTAINER = "azure-native:storage:BlobContainer"


@pytest.mark.parametrize("access", ["Blob", "Container", "blob", "CONTAINER", ""])
def test_a_blob_container_open_to_anonymous_reads_fails(access: str) -> None:
    assert public(BLOB_CONTAINER, {"publicAccess": access}) == [
        f"publicAccess is '{access}', must be 'None'"
    ]


@pytest.mark.parametrize("props", [{}, {"publicAccess": "None"}, {"publicAccess": " none "}])
def test_a_private_blob_container_passes(props: Mapping[str, Any]) -> None:
    # Unset: pulumi-azure-native 3.29's BlobContainer docstring names no default for
    # publicAccess (unknown there), and the account's allowBlobPublicAccess "default
    # interpretation is false" refuses anonymous reads anyway (read 2026-12-02).
    assert public(BLOB_CONTAINER, props) == []
    assert public(BLOB_CONTAINER, {"publicAccess": p.UNKNOWN}) == []


@pytest.mark.parametrize(("access", "shown"), [(True, "true"), (1, "1"), (["Blob"], "list")])
def test_a_blob_container_public_access_that_is_not_a_name_cannot_be_verified(
    access: Any, shown: str
) -> None:
    assert public(BLOB_CONTAINER, {"publicAccess": access}) == [
        f"cannot verify publicAccess: {shown} is not None, Blob or Container"
    ]
