"""The plan of dev's wave 1, from the synthesized stack export, and what it refuses."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bascule.errors import BadInputError
from bascule.snapshot.load import parse_snapshot
from bascule.snapshot.model import UNKNOWN
from bascule.transfer.model import load_plan, plan_document
from bascule.transfer.plan import PlanOptions, build_plan
from bascule.transfer.rehearse import cli

Document = dict[str, Any]


@pytest.fixture(scope="module")
def dev_document(dev_snapshot_file: Path) -> Document:
    return json.loads(dev_snapshot_file.read_text())


def _plan(document: Document, **options: Any) -> Any:
    return build_plan(parse_snapshot(document, "dev.json"), PlanOptions(**{"wave": 1, **options}))


def _resource(document: Document, name: str) -> dict[str, Any]:
    """NAME or PACKAGE:NAME (`openstack:pseudo-tables-container`: the Swift one)."""
    package, _, name = name.rpartition(":")
    found = [
        r
        for r in document["deployment"]["resources"]
        if r["urn"].endswith(f"::{name}") and r["type"].startswith(package)
    ]
    assert len(found) == 1, name
    return found[0]


def _mutated(document: Document, name: str, change: Callable[[dict[str, Any]], None]) -> Document:
    changed = copy.deepcopy(document)
    resource = _resource(changed, name)
    for key in ("inputs", "outputs"):
        if key in resource:
            change(resource[key])
    return changed


def test_dev_wave_1(dev_document: Document) -> None:
    plan = _plan(dev_document)
    assert (plan.stack, plan.platform, plan.wave) == ("dev", "hdh-dev", 1)
    assert plan.transport["source"] == plan.transport["target"] == "tls"
    jobs = {job.id: job for job in plan.jobs}
    assert list(jobs) == ["datasets", "pseudonymisation-keys"]
    rows = [
        (
            job.id,
            d.name,
            d.classification,
            d.source.account,
            d.source.container,
            d.source.endpoint,
            d.target.container,
            d.target.storage_policy,
            d.target.key,
            d.target.key_store,
            d.target.versioned,
        )
        for job in plan.jobs
        for d in job.datasets
    ]
    assert rows == [
        (
            "datasets",
            "open-nomenclatures",
            "open-data",
            "hdhdevopennomenclaff393e",
            "data",
            "https://hdhdevopennomenclaff393e.blob.core.windows.net",
            "hdh-dev-open-nomenclatures",
            "encrypted",
            "datasets-cmk",
            "hdh-dev-keys",
            True,
        ),
        (
            "datasets",
            "snds-extract",
            "pseudonymised-health",
            "hdhdevsndsextract379add",
            "data",
            "https://hdhdevsndsextract379add.blob.core.windows.net",
            "hdh-dev-snds-extract",
            "encrypted",
            "datasets-cmk",
            "hdh-dev-keys",
            True,
        ),
        (
            "pseudonymisation-keys",
            "pseudo-tables",
            "pseudonymisation-keys",
            "hdhdevpseudotablese26b9e",
            "data",
            "https://hdhdevpseudotablese26b9e.blob.core.windows.net",
            "hdh-dev-pseudo-tables",
            "encrypted",
            "pseudo-keys",
            "hdh-dev-pseudo",
            True,
        ),
    ]
    health, pseudo = jobs["datasets"], jobs["pseudonymisation-keys"]
    assert (health.target_auth_url, health.target_region) == (
        "https://auth.eu-west-sbg-snc.cloud.snc.ovh.net/v3",
        "eu-west-sbg-snc",
    )
    assert (health.source_identity.kind, health.source_identity.name) == (
        "azure-managed-identity",
        "id-hdh-dev-wave1-datasets-transfer",
    )
    assert dict(health.source_identity.env) == {
        "clientId": "BASCULE_TRANSFER_W1_DATASETS_AZURE_CLIENT_ID"
    }
    assert (pseudo.target_identity.kind, pseudo.target_identity.name) == (
        "openstack-application-credential",
        "hdh-dev-wave1-pseudonymisation-keys-transfer",
    )
    # (role, variable name) pairs: names of variables, no value is in the plan.
    assert sorted(pseudo.target_identity.env.items()) == [
        ("id", "BASCULE_TRANSFER_W1_PSEUDO_KEYS_OS_APP_CRED_ID"),
        ("secret", "BASCULE_TRANSFER_W1_PSEUDO_KEYS_OS_APP_CRED_SECRET"),
    ]
    health_vars = {*health.source_identity.env.values(), *health.target_identity.env.values()}
    pseudo_vars = {*pseudo.source_identity.env.values(), *pseudo.target_identity.env.values()}
    assert health_vars.isdisjoint(pseudo_vars)


def test_the_plan_file_reads_back_to_the_same_plan(dev_document: Document, tmp_path: Path) -> None:
    from bascule.transfer.write import write_plan

    plan = _plan(dev_document, source_auth="sas", source_endpoint="https://blob.example.eu")
    write_plan(plan, tmp_path)
    again = load_plan(str(tmp_path))
    assert plan_document(again) == plan_document(plan)
    assert again.jobs[0].source_identity.env == {
        "sasUrl:open-nomenclatures": "BASCULE_TRANSFER_W1_DATASETS_SAS_OPEN_NOMENCLATURES",
        "sasUrl:snds-extract": "BASCULE_TRANSFER_W1_DATASETS_SAS_SNDS_EXTRACT",
    }


def _tags(key: str, value: str) -> Callable[[dict[str, Any]], None]:
    return lambda props: props["tags"].__setitem__(key, value)


def _metadata(key: str, value: str) -> Callable[[dict[str, Any]], None]:
    return lambda props: props["metadata"].__setitem__(key, value)


@pytest.mark.parametrize(
    ("name", "change", "message"),
    [
        (
            "snds-extract-account",
            lambda p: p.__setitem__("enableHttpsTrafficOnly", False),
            "account hdhdevsndsextract379add accepts plain HTTP",
        ),
        (
            "snds-extract-account",
            lambda p: p.__setitem__("minimumTlsVersion", "TLS1_0"),
            "account hdhdevsndsextract379add accepts TLS below 1.2 (TLS1_0)",
        ),
        (
            "snds-extract-account",
            lambda p: p.__setitem__("accountName", UNKNOWN),
            "accountName is not known in this snapshot",
        ),
        (
            "openstack:pseudo-tables-container",
            _metadata("classification", "open-data"),
            "dataset pseudo-tables: classification is 'pseudonymisation-keys' on the source, "
            "'open-data' on the target",
        ),
        (
            "openstack:snds-extract-container",
            _metadata("wave", "2"),
            "dataset snds-extract: wave is '1' on the source, '2' on the target",
        ),
    ],
)
def test_refused(dev_document: Document, name: str, change: Any, message: str) -> None:
    document = _mutated(dev_document, name, change)
    with pytest.raises(BadInputError) as caught:
        _plan(document)
    assert caught.value.message.endswith(message), caught.value.message


def test_a_relabelled_pseudonymisation_dataset_still_gets_its_own_job(
    dev_document: Document,
) -> None:
    document = _mutated(dev_document, "pseudo-tables-account", _tags("classification", "open-data"))
    document = _mutated(
        document, "openstack:pseudo-tables-container", _metadata("classification", "open-data")
    )
    plan = _plan(document)
    assert [(j.id, [d.name for d in j.datasets]) for j in plan.jobs] == [
        ("datasets", ["open-nomenclatures", "snds-extract"]),
        ("pseudonymisation-keys", ["pseudo-tables"]),
    ]


def test_a_dataset_without_a_target_container_is_refused(dev_document: Document) -> None:
    document = copy.deepcopy(dev_document)
    resources = document["deployment"]["resources"]
    component = "bascule:target:ObjectStorage::snds-extract"
    document["deployment"]["resources"] = [
        r
        for r in resources
        if not r["urn"].endswith(component) and not str(r.get("parent", "")).endswith(component)
    ]
    with pytest.raises(BadInputError) as caught:
        _plan(document)
    assert caught.value.message == (
        "dataset snds-extract: no bascule:target:ObjectStorage in the target estate"
    )


def test_a_dataset_in_a_bucket_is_refused_by_name(dev_document: Document) -> None:
    """A target whose datasets are buckets (Scaleway Object Storage) is not planned as if a
    Swift container were merely missing: the refusal says what holds the data."""
    document = copy.deepcopy(dev_document)
    container = _resource(document, "openstack:snds-extract-container")
    bucket = "scaleway:object/bucket:Bucket"
    container["urn"] = container["urn"].replace(container["type"], bucket)
    container["type"] = bucket
    with pytest.raises(BadInputError) as caught:
        _plan(document)
    assert caught.value.message == (
        "urn:pulumi:dev::bascule::bascule:target:Estate$bascule:target:ObjectStorage::"
        "snds-extract: dataset snds-extract is held in scaleway:object/bucket:Bucket, not a "
        "Swift container: bascule transfer writes to Swift only (the openstack and ovh targets)"
    )


def test_a_wave_without_datasets_is_refused(dev_snapshot_file: Path) -> None:
    code, _, err = cli(
        "transfer", "plan", str(dev_snapshot_file), "--wave", "2", "-o", "/nonexistent"
    )
    assert (code, err) == (
        2,
        f"bascule: error: {dev_snapshot_file}: wave 2 has no dataset to transfer\n",
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--source-auth", "sas", "--source-endpoint", "http://127.0.0.1:10000"],
            "source endpoint of open-nomenclatures: plain http to loopback 127.0.0.1 refused "
            "without --allow-loopback-http (test rehearsals only)",
        ),
        (
            [
                "--source-auth",
                "sas",
                "--source-endpoint",
                "http://10.10.2.4",
                "--allow-loopback-http",
            ],
            "source endpoint of open-nomenclatures: plain http to 10.10.2.4 refused: a transfer "
            "uses TLS endpoints only",
        ),
        (
            ["--target-auth-url", "http://keystone.example.eu/v3", "--allow-loopback-http"],
            "target auth URL: plain http to keystone.example.eu refused: a transfer uses TLS "
            "endpoints only",
        ),
        (
            ["--source-endpoint", "https://blob.example.eu"],
            "--source-endpoint takes --source-auth sas (path-style endpoints)",
        ),
    ],
)
def test_plain_http_is_refused(
    dev_snapshot_file: Path, tmp_path: Path, options: list[str], message: str
) -> None:
    code, out, err = cli(
        "transfer", "plan", str(dev_snapshot_file), "--wave", "1", "-o", str(tmp_path), *options
    )
    assert (code, out, err) == (2, "", f"bascule: error: {message}\n")
    assert list(tmp_path.iterdir()) == []
