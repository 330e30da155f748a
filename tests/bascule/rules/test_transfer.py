"""Transfer rules beyond their fixtures. MIG-016: Go durations, Entra ID's default lifetime
against the limit, preview unknowns, the spellings of "no expiry" that must not pass.
MIG-014: every kind of role grant, roles named rather than given by id."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

import pytest

from bascule.rules import props as p
from bascule.rules.base import ProviderView, ResourceView, StackResource
from bascule.rules.catalog import rule_by_id
from bascule.rules.transfer import (
    EC2_CREDENTIAL,
    ENTRA_APPLICATION,
    ENTRA_PASSWORDS,
    OVH_S3_CREDENTIAL,
    ROLE_GRANTS,
    parse_duration,
)

CLASSIC = "azure:authorization/assignment:Assignment"

PASSWORD = ENTRA_PASSWORDS[0]
ON = {"checkDate": "2026-11-24"}


def check(type_: str, props: Mapping[str, Any], config: Mapping[str, Any] = ON) -> list[str]:
    view = ResourceView(
        type=type_, props=props, urn=f"urn:pulumi:dev::bascule::{type_}::r", name="r"
    )
    return rule_by_id("MIG-016").check_resource(view, config)


@pytest.mark.parametrize(
    ("text", "hours"),
    [("240h", 240), ("2400h30m", 2400.5), ("1.5h", 1.5), (".5h", 0.5), ("90m", 1.5), ("3600s", 1)],
)
def test_go_durations_are_read_as_endDateRelative_takes_them(text: str, hours: float) -> None:
    assert parse_duration(text) == dt.timedelta(hours=hours)


@pytest.mark.parametrize("text", ["", "240", "ten days", "-240h", "240 h", "10d", "P10D", "h"])
def test_anything_else_is_not_a_duration(text: str) -> None:
    assert parse_duration(text) is None


def test_entra_default_two_years_passes_only_a_limit_of_two_years_or_more() -> None:
    wide = {**ON, "maxLifetimeDays": 730}
    assert check(PASSWORD, {"applicationId": "/applications/a"}, wide) == []
    assert check(
        PASSWORD, {"applicationId": "/applications/a"}, {**ON, "maxLifetimeDays": 729}
    ) == [
        "endDate is not set: Entra ID ends the password two years after its start, more than "
        "729 days"
    ]


def test_a_blank_or_non_text_end_is_not_an_end() -> None:
    for value in ("", "  ", None, 0):
        assert check(PASSWORD, {"endDate": value}) == [
            "endDate is not set: Entra ID ends the password two years after its start, more "
            "than 180 days"
        ]


def test_an_end_computed_at_preview_is_left_to_the_export() -> None:
    assert check(PASSWORD, {"endDate": p.UNKNOWN}) == []
    assert check(PASSWORD, {"endDateRelative": p.UNKNOWN}) == []
    assert check(ENTRA_APPLICATION, {"password": p.UNKNOWN}) == []


def test_an_explicit_end_wins_over_a_relative_one() -> None:
    props = {"endDate": "2027-01-01T00:00:00Z", "endDateRelative": "87600h"}
    assert check(PASSWORD, props) == []


def test_an_application_without_a_password_block_holds_no_secret() -> None:
    assert check(ENTRA_APPLICATION, {"displayName": "app"}) == []
    assert check(ENTRA_APPLICATION, {"displayName": "app", "password": None}) == []


@pytest.mark.parametrize("type_", [EC2_CREDENTIAL, OVH_S3_CREDENTIAL])
def test_a_credential_that_cannot_expire_fails_whatever_it_claims(type_: str) -> None:
    # Neither schema has an expiry: a property spelt like one changes nothing.
    for props in ({}, {"expiresAt": "2026-12-01T00:00:00Z"}, {"endDate": "2026-12-01"}):
        assert len(check(type_, props, {**ON, "maxLifetimeDays": 100000})) == 1


def test_a_time_with_an_offset_is_compared_in_utc() -> None:
    # 2027-05-23T23:30-01:00 is 2027-05-24T00:30Z: past the last instant of 180 days.
    assert check(PASSWORD, {"endDate": "2027-05-23T23:30:00-01:00"}) != []
    assert check(PASSWORD, {"endDate": "2027-05-23T23:30:00+01:00"}) == []


# --------------------------------------------------------------------------- MIG-014 grants

TRANSFER = StackResource(
    type="azure-native:managedidentity:UserAssignedIdentity",
    props={
        "principalId": "d9f4e506-90e5-5422-a268-c5b0d58462ad",
        "tags": {"role": "transfer-identity", "wave": "1", "transfer-job": "datasets"},
    },
    urn="urn:pulumi:dev::bascule::azure-native:managedidentity:UserAssignedIdentity::t",
    name="t",
)
ACCOUNT = StackResource(
    type="azure-native:storage:StorageAccount",
    props={
        "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/a",
        "tags": {"wave": "1", "classification": "pseudonymised-health"},
    },
    urn="urn:pulumi:dev::bascule::azure-native:storage:StorageAccount::a",
    name="a",
)


def grant(type_: str, **props: Any) -> StackResource:
    scope = {"scope": ACCOUNT.props["id"], "principalId": TRANSFER.props["principalId"]}
    return StackResource(
        type=type_, props={**scope, **props}, urn=f"urn:pulumi:dev::bascule::{type_}::g", name="g"
    )


def grant_messages(*resources: StackResource) -> list[str]:
    rule = rule_by_id("MIG-014")
    return [f.message for f in rule.check_stack([TRANSFER, ACCOUNT, *resources])]


@pytest.mark.parametrize("name", ["Storage Blob Data Reader", "storage blob data reader "])
def test_a_classic_assignment_naming_the_reader_role_is_the_reader_role(name: str) -> None:
    assert grant_messages(grant(CLASSIC, roleDefinitionName=name)) == []


def test_a_classic_assignment_naming_another_role_says_the_name_at_preview() -> None:
    # At preview the provider has not resolved the name to an id yet.
    assert grant_messages(grant(CLASSIC, roleDefinitionName="Storage Blob Data Owner")) == [
        "transfer identity 't' (wave 1, job datasets) gets role Storage Blob Data Owner: a "
        "transfer identity reads only (allowed: [2a2b9908-6ea1-4ae2-8e65-a410df84e7d1])"
    ]


def test_a_role_resolved_at_deployment_is_left_to_the_export() -> None:
    assert grant_messages(grant(CLASSIC, roleDefinitionName=p.UNKNOWN)) == []
    assert grant_messages(grant(CLASSIC, roleDefinitionId=p.UNKNOWN)) == []


@pytest.mark.parametrize("type_", ROLE_GRANTS)
def test_every_kind_of_grant_is_judged(type_: str) -> None:
    owner = (
        "/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
    )
    assert len(grant_messages(grant(type_, roleDefinitionId=owner))) == 1
    assert grant_messages(grant(type_)) == [
        "cannot verify the role transfer identity 't' (wave 1, job datasets) gets: the grant "
        "names no role definition"
    ]


# --------------------------------------------------------------------------- MIG-015 Scaleway

SCW = "urn:pulumi:scaleway::bascule::"
HDH_PROJECT = "7d1f6c2a-3b5e-4a9d-8c0f-1e2d3c4b5a69"
APP = StackResource(
    type="scaleway:iam/application:Application",
    props={"name": "hdh-wave2-datasets-transfer", "id": "a1"},
    urn=f"{SCW}scaleway:iam/application:Application::hdh-wave2-datasets-transfer",
    name="hdh-wave2-datasets-transfer",
)
BUCKET = StackResource(
    type="scaleway:object/bucket:Bucket",
    props={
        "name": "hdh-oscour",
        "projectId": HDH_PROJECT,
        "tags": {"dataset": "oscour", "wave": "2", "classification": "pseudonymised-health"},
    },
    urn=f"{SCW}scaleway:object/bucket:Bucket::oscour-bucket",
    name="oscour-bucket",
)


def scw_policy(rules: Any, app_id: Any = "a1", deps: tuple[str, ...] = ()) -> StackResource:
    return StackResource(
        type="scaleway:iam/policy:Policy",
        props={"name": "pol", "applicationId": app_id, "rules": rules},
        urn=f"{SCW}scaleway:iam/policy:Policy::pol",
        name="pol",
        dependencies=deps,
    )


def scw_messages(*resources: StackResource) -> list[str]:
    rule = rule_by_id("MIG-015")
    return [f.message for f in rule.check_stack([APP, BUCKET, *resources], {})]


def test_a_policy_scoped_to_its_project_with_object_sets_passes() -> None:
    sets = ["ObjectStorageBucketsRead", "ObjectStorageObjectsRead", "ObjectStorageObjectsWrite"]
    rules = [{"projectIds": [HDH_PROJECT], "permissionSetNames": sets}]
    assert scw_messages(scw_policy(rules)) == []


def other_bucket(name: str) -> StackResource:
    """A bucket of the same project, of no job of the application, with no bucket policy."""
    props = {**BUCKET.props, "name": name, "tags": {"dataset": name, "wave": "1"}}
    urn = f"{SCW}scaleway:object/bucket:Bucket::{name}"
    return dataclasses.replace(BUCKET, props=props, urn=urn)


@pytest.mark.parametrize(
    ("sets", "can"),
    [
        (["ObjectStorageObjectsWrite"], "write"),
        (["ObjectStorageObjectsRead", "ObjectStorageObjectsWrite"], "read and write"),
        (["ObjectStorageReadOnly", "ObjectStorageObjectsWrite"], "read and write"),
        (["ObjectStorageObjectsRead"], None),  # no write set: nothing to fence against
    ],
)
def test_an_unfenced_bucket_of_its_project_is_said_as_what_it_can_do(
    sets: list[str], can: str | None
) -> None:
    policy = scw_policy([{"projectIds": [HDH_PROJECT], "permissionSetNames": sets}])
    messages = [m for m in scw_messages(other_bucket("hdh-cepidc"), policy) if "grants" not in m]
    assert messages == (
        [
            f"transfer application 'hdh-wave2-datasets-transfer' can {can} bucket 'hdh-cepidc' "
            f"(project '{HDH_PROJECT}'), which is not one of its job's: Scaleway IAM is "
            "project-wide and no bucket policy fences 'hdh-cepidc'; put a bucket policy on it, "
            "or the wave's buckets in a project of their own"
        ]
        if can
        else []
    )


def test_a_bucket_in_its_providers_project_is_in_that_project() -> None:
    """A bucket stating no projectId is created in its provider's project: the policy on that
    project reaches the job's bucket, not another project."""
    provider = ProviderView(
        type="pulumi:providers:scaleway",
        props={"projectId": HDH_PROJECT},
        urn=f"{SCW}pulumi:providers:scaleway::target",
        name="target",
    )
    props = {k: v for k, v in BUCKET.props.items() if k != "projectId"}
    bucket = dataclasses.replace(BUCKET, props=props, provider=provider)
    sets = ["ObjectStorageBucketsRead", "ObjectStorageObjectsRead", "ObjectStorageObjectsWrite"]
    policy = scw_policy([{"projectIds": [HDH_PROJECT], "permissionSetNames": sets}])
    rule = rule_by_id("MIG-015")
    assert [f.message for f in rule.check_stack([APP, bucket, policy], {})] == []


def test_a_policy_whose_application_is_unknown_at_preview_is_tied_by_dependency() -> None:
    rules = [{"projectIds": [HDH_PROJECT], "permissionSetNames": ["ObjectStorageFullAccess"]}]
    assert scw_messages(scw_policy(rules, p.UNKNOWN, (APP.urn,))) == [
        "IAM policy 'pol' rules[0] grants [ObjectStorageFullAccess]: transfer application "
        "'hdh-wave2-datasets-transfer' lists, reads and writes objects, and uses its buckets' "
        "keys, only (allowed: [ObjectStorageBucketsRead, ObjectStorageObjectsRead, "
        "ObjectStorageObjectsWrite, KeyManagerKeyEncrypt, KeyManagerKeyDecrypt])"
    ]
    assert scw_messages(scw_policy(rules, p.UNKNOWN)) == []  # another application's


def test_unknown_rules_or_projects_are_left_to_the_export() -> None:
    assert scw_messages(scw_policy(p.UNKNOWN)) == []
    rules = [{"projectIds": p.UNKNOWN, "permissionSetNames": ["ObjectStorageObjectsWrite"]}]
    assert scw_messages(scw_policy(rules)) == []


def test_a_rule_naming_no_scope_cannot_be_verified() -> None:
    rules = [{"permissionSetNames": ["ObjectStorageObjectsWrite"]}, {"projectIds": []}]
    assert scw_messages(scw_policy(rules)) == [
        "cannot verify IAM policy 'pol' rules[0]: it names neither a project nor an organization",
        "cannot verify IAM policy 'pol' rules[1]: it names neither a project nor an organization",
        "cannot verify IAM policy 'pol' rules[1]: permissionSetNames is not a list",
    ]


def test_the_built_key_expiry_passes_mig016_and_a_key_without_one_fails() -> None:
    key = "scaleway:iam/apiKey:ApiKey"
    props = {"applicationId": "a1", "defaultProjectId": HDH_PROJECT}
    assert check(key, {**props, "expiresAt": "2027-01-18T23:59:59Z"}) == []
    assert check(key, props) == ["expiresAt is not set: the credential never expires"]


def test_a_declared_endpoint_that_is_no_cidr_is_said_not_dropped() -> None:
    from fixtures import DATA, run_rule

    rule = rule_by_id("MIG-017")
    config = {"targetEndpointPrefixes": ["203.0.113.144/28", "swift.example", 7]}
    found = run_rule(rule, DATA / "MIG-017" / "pass.json", config)
    assert [f["message"] for f in found] == [
        "cannot verify the declared transfer endpoints: targetEndpointPrefixes entry "
        "'swift.example' is not a CIDR (it allows nothing)",
        "cannot verify the declared transfer endpoints: targetEndpointPrefixes entry 7 is not "
        "a CIDR (it allows nothing)",
    ]
