"""The Scaleway target's per-wave transfer identities, built from the dev stack (wave 1
replicating, cutover 2027-02-15) under bascule's fake cloud: one IAM application per job,
its project-scoped policy, a bucket policy per bucket of the job, and an API key expiring at
the cutover."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from target_harness import SCALEWAY_SETTINGS, TargetRun, dev_config

from components.config.stack import StackConfig
from components.target.scaleway.transfer_identity import PERMISSION_SETS

PROJECT = SCALEWAY_SETTINGS["scalewayProjectId"]
APP = "scaleway:iam/application:Application"
POLICY = "scaleway:iam/policy:Policy"
KEY = "scaleway:iam/apiKey:ApiKey"
BUCKET_POLICY = "scaleway:object/bucketPolicy:BucketPolicy"
HEALTH, PSEUDO = "hdh-dev-wave1-datasets-transfer", "hdh-dev-wave1-pseudonymisation-keys-transfer"


@pytest.fixture(scope="module")
def scw(build_target: Callable[[StackConfig], TargetRun]) -> TargetRun:
    return build_target(dev_config(**SCALEWAY_SETTINGS))


def test_one_application_per_job_named_as_the_openstack_credential(scw: TargetRun) -> None:
    apps = scw.typed(APP)
    assert sorted(str(a.inputs["name"]) for a in apps) == [HEALTH, PSEUDO]
    assert {a.parent_type for a in apps} == {"bascule:target:TransferIdentity"}
    assert {a.provider_type for a in apps} == {"pulumi:providers:scaleway"}


def test_policy_grants_object_sets_in_the_jobs_project_only(scw: TargetRun) -> None:
    rules = {p.name: p.inputs["rules"] for p in scw.typed(POLICY)}
    assert set(rules) == {f"{HEALTH}-policy", f"{PSEUDO}-policy"}
    for found in rules.values():
        assert [sorted(r) for r in found] == [["permissionSetNames", "projectIds"]]
        assert found[0]["permissionSetNames"] == list(PERMISSION_SETS)
    assert rules[f"{HEALTH}-policy"][0]["projectIds"] == [PROJECT]
    # The pseudonymisation tables' project, never the platform's.
    assert rules[f"{PSEUDO}-policy"][0]["projectIds"] != [PROJECT]


def test_bucket_policies_list_read_put_for_the_application_only(scw: TargetRun) -> None:
    found = {str(b.inputs["bucket"]): b for b in scw.typed(BUCKET_POLICY)}
    assert sorted(found) == [
        "hdh-dev-open-nomenclatures",
        "hdh-dev-pseudo-tables",
        "hdh-dev-snds-extract",
    ]
    for bucket, res in found.items():
        doc = json.loads(str(res.inputs["policy"]))
        assert doc["Version"] == "2023-04-17"
        actions = sorted(a for s in doc["Statement"] for a in s["Action"])
        assert actions == ["s3:GetObject", "s3:ListBucket", "s3:PutObject"]
        assert [s["Resource"] for s in doc["Statement"]] == [[bucket], [f"{bucket}/*"]]
        principals = {s["Principal"]["SCW"] for s in doc["Statement"]}
        assert len(principals) == 1 and next(iter(principals)).startswith("application_id:")
    assert found["hdh-dev-pseudo-tables"].inputs["projectId"] != PROJECT
    assert found["hdh-dev-snds-extract"].inputs["projectId"] == PROJECT


def test_api_key_belongs_to_the_application_and_expires_at_cutover(scw: TargetRun) -> None:
    keys = scw.typed(KEY)
    assert sorted(k.name for k in keys) == [f"{HEALTH}-key", f"{PSEUDO}-key"]
    for key in keys:
        assert key.inputs["expiresAt"] == "2027-02-15T23:59:59Z"
        assert "applicationId" in key.inputs and "userId" not in key.inputs
