"""rclone configs without secrets; each job's rclone environment holds its own identity only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bascule.errors import BadInputError
from bascule.snapshot.load import parse_snapshot
from bascule.transfer.plan import PlanOptions, build_plan
from bascule.transfer.rclone import Redactor
from bascule.transfer.rclone_config import job_environment, rclone_config_text
from bascule.transfer.transport import transport_of

SAS = "sv=2020-10-02&sr=c&sp=rl&se=2027-01-01T00%3A00%3A00Z&sig=c2VjcmV0c2lnbmF0dXJl"


@pytest.fixture(scope="module")
def sas_plan(dev_snapshot_file: Path) -> Any:
    snapshot = parse_snapshot(json.loads(dev_snapshot_file.read_text()), "dev.json")
    options = PlanOptions(
        wave=1,
        source_auth="sas",
        source_endpoint="http://127.0.0.1:10000",
        target_auth="tempauth",
        target_auth_url="http://127.0.0.1:8080/auth/v1.0",
        allow_loopback_http=True,
    )
    return build_plan(snapshot, options)


@pytest.fixture(scope="module")
def msi_plan(dev_snapshot_file: Path) -> Any:
    snapshot = parse_snapshot(json.loads(dev_snapshot_file.read_text()), "dev.json")
    return build_plan(snapshot, PlanOptions(wave=1))


def _environment(plan: Any) -> dict[str, str]:
    env = {"PATH": "/usr/bin", "RCLONE_CONFIG_STRAY_KEY": "x", "BASCULE_TRANSFER_OTHER": "y"}
    for job in plan.jobs:
        for d in job.datasets:
            variable = job.source_identity.env[f"sasUrl:{d.name}"]
            env[variable] = f"{d.source.endpoint}/{d.source.container}?{SAS}&d={d.name}"
        env[job.target_identity.env["user"]] = f"hdh:{job.id}"
        env[job.target_identity.env["key"]] = f"key-of-{job.id}"
    return env


def test_the_pseudonymisation_job_sees_only_its_own_identity(sas_plan: Any) -> None:
    pseudo = next(j for j in sas_plan.jobs if j.id == "pseudonymisation-keys")
    child, secrets = job_environment(sas_plan, pseudo, _environment(sas_plan))
    assert child == {
        "PATH": "/usr/bin",
        "RCLONE_CONFIG_SRC_PSEUDO_TABLES_SAS_URL": (
            f"http://127.0.0.1:10000/hdhdevpseudotablese26b9e/data?{SAS}&d=pseudo-tables"
        ),
        "RCLONE_CONFIG_DST_PSEUDO_TABLES_USER": "hdh:pseudonymisation-keys",
        "RCLONE_CONFIG_DST_PSEUDO_TABLES_KEY": "key-of-pseudonymisation-keys",
    }
    assert "key-of-datasets" not in secrets


def test_the_config_names_each_secret_and_holds_none(sas_plan: Any, msi_plan: Any) -> None:
    pseudo = next(j for j in sas_plan.jobs if j.id == "pseudonymisation-keys")
    assert rclone_config_text(sas_plan, pseudo).splitlines()[3:] == [
        "",
        "[src_pseudo_tables]",
        "type = azureblob",
        "# sas_url: from BASCULE_TRANSFER_W1_PSEUDO_KEYS_SAS_PSEUDO_TABLES "
        "(SAS URL of pseudo-tables)",
        "",
        "[dst_pseudo_tables]",
        "type = swift",
        "auth = http://127.0.0.1:8080/auth/v1.0",
        "auth_version = 1",
        "storage_policy = encrypted",
        "# user: from BASCULE_TRANSFER_W1_PSEUDO_KEYS_SWIFT_USER (Swift tempauth user)",
        "# key: from BASCULE_TRANSFER_W1_PSEUDO_KEYS_SWIFT_KEY (Swift tempauth key)",
    ]
    pseudo = next(j for j in msi_plan.jobs if j.id == "pseudonymisation-keys")
    assert rclone_config_text(msi_plan, pseudo).splitlines()[3:] == [
        "",
        "[src_pseudo_tables]",
        "type = azureblob",
        "account = hdhdevpseudotablese26b9e",
        "use_msi = true",
        "# msi_client_id: from BASCULE_TRANSFER_W1_PSEUDO_KEYS_AZURE_CLIENT_ID "
        "(managed identity client id)",
        "",
        "[dst_pseudo_tables]",
        "type = swift",
        "auth = https://auth.eu-west-sbg-snc.cloud.snc.ovh.net/v3",
        "auth_version = 3",
        "storage_policy = encrypted",
        "endpoint_type = public",
        "region = eu-west-sbg-snc",
        "# application_credential_id: from BASCULE_TRANSFER_W1_PSEUDO_KEYS_OS_APP_CRED_ID "
        "(application credential id)",
        "# application_credential_secret: from "
        "BASCULE_TRANSFER_W1_PSEUDO_KEYS_OS_APP_CRED_SECRET (application credential)",
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "http://127.0.0.1:10000/hdhdevsndsextract379add/data?" + SAS,
            "not a SAS for http://127.0.0.1:10000/hdhdevpseudotablese26b9e/data",
        ),
        (
            "http://127.0.0.1:10000/hdhdevpseudotablese26b9e/data?"
            + SAS.replace("sp=rl", "sp=rwdl"),
            "permissions dlrw; a source SAS grants read and list (sp=rl) only",
        ),
        (
            "http://203.0.113.9/hdhdevpseudotablese26b9e/data?" + SAS,
            "plain http to 203.0.113.9 refused: a transfer uses TLS endpoints only",
        ),
    ],
)
def test_a_wrong_sas_is_refused_without_showing_it(sas_plan: Any, value: str, message: str) -> None:
    pseudo = next(j for j in sas_plan.jobs if j.id == "pseudonymisation-keys")
    env = _environment(sas_plan)
    env["BASCULE_TRANSFER_W1_PSEUDO_KEYS_SAS_PSEUDO_TABLES"] = value
    with pytest.raises(BadInputError) as caught:
        job_environment(sas_plan, pseudo, env)
    assert caught.value.message == (
        f"BASCULE_TRANSFER_W1_PSEUDO_KEYS_SAS_PSEUDO_TABLES (SAS URL of pseudo-tables): {message}"
    )
    assert "c2VjcmV0c2lnbmF0dXJl" not in caught.value.message


def test_redaction_of_secrets_and_any_sas_signature() -> None:
    redact = Redactor(("key-of-datasets",))
    text = 'GET http://h/a/data?sv=1&sig=abc%2Fdef&sp=rl key="key-of-datasets"'
    assert redact(text) == 'GET http://h/a/data?sv=1&sig=[redacted]&sp=rl key="[redacted]"'


@pytest.mark.parametrize(
    ("url", "allow", "expected"),
    [
        ("https://acct.blob.core.windows.net", False, "tls"),
        ("http://127.0.0.1:10000", True, "loopback-http"),
        ("http://[::1]:8080/auth/v1.0", True, "loopback-http"),
        ("http://localhost:8080", True, "loopback-http"),
        ("http://127.8.9.1:8080", True, "loopback-http"),
    ],
)
def test_transports(url: str, allow: bool, expected: str) -> None:
    assert transport_of(url, "x", allow_loopback_http=allow) == expected


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "http://127.0.0.1.nip.io",
            "x: plain http to 127.0.0.1.nip.io refused: a transfer uses TLS endpoints only",
        ),
        (
            "http://0.0.0.0:80",
            "x: plain http to 0.0.0.0 refused: a transfer uses TLS endpoints only",
        ),
        ("ftp://127.0.0.1", "x: not an https URL: ftp://127.0.0.1"),
        ("https://", "x: not an https URL: https://"),
        (
            "http://[::ffff:10.0.0.1]",
            "x: plain http to ::ffff:10.0.0.1 refused: a transfer uses TLS endpoints only",
        ),
    ],
)
def test_not_loopback_is_refused_even_with_the_flag(url: str, message: str) -> None:
    with pytest.raises(BadInputError) as caught:
        transport_of(url, "x", allow_loopback_http=True)
    assert caught.value.message == message
