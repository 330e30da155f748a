"""The transfer plan (`plan.json`): jobs, datasets, identities by reference, transport.

A plan holds no credential. Each identity names the environment variables its secrets come
from; `run` and `verify` read them and hand each job's rclone process only its own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bascule.errors import BadInputError
from bascule.files import read_json_file

PLAN_SCHEMA = "bascule.transfer.plan/v1"
PLAN_FILE = "plan.json"

# Source auth: an Azure managed identity (a real run, on a host inside the source VNet), or
# a container SAS URL per dataset (a user-delegation SAS minted by that identity, or the
# rehearsal's SAS on Azurite: rclone 1.60 signs emulator requests with the well-known
# devstoreaccount1 key only, whatever account is configured).
SOURCE_AUTHS = ("msi", "sas")
# Target auth: a Keystone v3 application credential (a real run), or Swift's tempauth (the
# rehearsal's Swift).
TARGET_AUTHS = ("keystone", "tempauth")


@dataclass(frozen=True)
class Identity:
    """An identity by reference: its kind, its name, the variables its secrets come from."""

    kind: str
    name: str
    env: Mapping[str, str]  # role of the value (clientId, sasUrl:<dataset>...) -> variable


@dataclass(frozen=True)
class SourceSide:
    account: str
    container: str
    endpoint: str  # blob service URL of the account (no credential)
    remote: str  # rclone remote name
    key: str | None  # the account's customer-managed key name


@dataclass(frozen=True)
class TargetSide:
    container: str
    storage_policy: str
    key: str | None
    key_store: str | None
    versioned: bool
    remote: str


@dataclass(frozen=True)
class DatasetJob:
    name: str
    classification: str
    source: SourceSide
    target: TargetSide


@dataclass(frozen=True)
class Job:
    id: str
    rclone_config: str  # file name next to plan.json
    source_identity: Identity
    target_identity: Identity
    target_auth_url: str
    target_region: str | None
    target_tenant: str | None
    datasets: tuple[DatasetJob, ...]


@dataclass(frozen=True)
class Plan:
    stack: str
    platform: str
    wave: int
    snapshot: str
    source_auth: str  # one of SOURCE_AUTHS: the VM's managed identity, or a SAS
    target_auth: str  # one of TARGET_AUTHS: a Keystone v3 credential, or tempauth
    transport: Mapping[str, str]
    integrity: Mapping[str, str]
    rclone: Mapping[str, Any]
    jobs: tuple[Job, ...]
    directory: Path = field(default=Path("."), compare=False)

    @property
    def datasets(self) -> tuple[DatasetJob, ...]:
        return tuple(d for job in self.jobs for d in job.datasets)

    def path_of(self, name: str) -> Path:
        return self.directory / name


_CAMEL = re.compile(r"_([a-z])")


def _camel(name: str) -> str:
    return _CAMEL.sub(lambda m: m.group(1).upper(), name)


def _camel_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {_camel(str(k)): _camel_keys(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_camel_keys(v) for v in value]
    return value


def plan_document(plan: Plan) -> dict[str, Any]:
    body = asdict(plan)
    body.pop("directory")
    # Identity env maps are keyed by role names that must stay as written.
    document = _camel_keys(body)
    for job, raw in zip(document["jobs"], plan.jobs, strict=True):
        job["sourceIdentity"]["env"] = dict(raw.source_identity.env)
        job["targetIdentity"]["env"] = dict(raw.target_identity.env)
    return {"schema": PLAN_SCHEMA, **document}


class _Reader:
    """Typed reads from the plan document, each failure naming the file and the key."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str, problem: str) -> BadInputError:
        return BadInputError(f"{self.path}: {key}: {problem}")

    def obj(self, doc: Any, key: str) -> Mapping[str, Any]:
        if not isinstance(doc, Mapping):
            raise self.fail(key, "expected an object")
        return doc

    def text(self, doc: Mapping[str, Any], name: str, key: str, *, optional: bool = False) -> Any:
        value = doc.get(name)
        if value is None and optional:
            return None
        if not isinstance(value, str) or not value:
            raise self.fail(f"{key}.{name}", "expected a non-empty string")
        return value

    def items(self, doc: Mapping[str, Any], name: str, key: str) -> list[Any]:
        value = doc.get(name)
        if not isinstance(value, list) or not value:
            raise self.fail(f"{key}.{name}", "expected a non-empty list")
        return value


def _identity(r: _Reader, doc: Any, key: str) -> Identity:
    doc = r.obj(doc, key)
    env = r.obj(doc.get("env"), f"{key}.env")
    for role, variable in env.items():
        if not isinstance(variable, str) or not re.fullmatch(r"[A-Z][A-Z0-9_]*", variable):
            raise r.fail(f"{key}.env.{role}", "expected an environment variable name")
    return Identity(r.text(doc, "kind", key), r.text(doc, "name", key), dict(env))


def _dataset(r: _Reader, doc: Any, key: str) -> DatasetJob:
    doc = r.obj(doc, key)
    src = r.obj(doc.get("source"), f"{key}.source")
    dst = r.obj(doc.get("target"), f"{key}.target")
    versioned = dst.get("versioned")
    if not isinstance(versioned, bool):
        raise r.fail(f"{key}.target.versioned", "expected true or false")
    return DatasetJob(
        name=r.text(doc, "name", key),
        classification=r.text(doc, "classification", key),
        source=SourceSide(
            account=r.text(src, "account", f"{key}.source"),
            container=r.text(src, "container", f"{key}.source"),
            endpoint=r.text(src, "endpoint", f"{key}.source"),
            remote=r.text(src, "remote", f"{key}.source"),
            key=r.text(src, "key", f"{key}.source", optional=True),
        ),
        target=TargetSide(
            container=r.text(dst, "container", f"{key}.target"),
            storage_policy=r.text(dst, "storagePolicy", f"{key}.target"),
            key=r.text(dst, "key", f"{key}.target", optional=True),
            key_store=r.text(dst, "keyStore", f"{key}.target", optional=True),
            versioned=versioned,
            remote=r.text(dst, "remote", f"{key}.target"),
        ),
    )


def _job(r: _Reader, doc: Any, key: str) -> Job:
    doc = r.obj(doc, key)
    config = r.text(doc, "rcloneConfig", key)
    if Path(config).name != config:
        raise r.fail(f"{key}.rcloneConfig", "expected a file name next to the plan")
    return Job(
        id=r.text(doc, "id", key),
        rclone_config=config,
        source_identity=_identity(r, doc.get("sourceIdentity"), f"{key}.sourceIdentity"),
        target_identity=_identity(r, doc.get("targetIdentity"), f"{key}.targetIdentity"),
        target_auth_url=r.text(doc, "targetAuthUrl", key),
        target_region=r.text(doc, "targetRegion", key, optional=True),
        target_tenant=r.text(doc, "targetTenant", key, optional=True),
        datasets=tuple(
            _dataset(r, d, f"{key}.datasets[{i}]")
            for i, d in enumerate(r.items(doc, "datasets", key))
        ),
    )


def load_plan(path_text: str) -> Plan:
    """PLAN is plan.json or the directory holding it."""
    path = Path(path_text)
    if path.is_dir():
        path = path / PLAN_FILE
    r = _Reader(path)
    doc = r.obj(read_json_file(str(path), "transfer plan"), "(document)")
    if doc.get("schema") != PLAN_SCHEMA:
        raise r.fail("schema", f"expected {PLAN_SCHEMA!r}, got {doc.get('schema')!r}")
    wave = doc.get("wave")
    if not isinstance(wave, int) or isinstance(wave, bool):
        raise r.fail("wave", "expected an integer")
    source_auth, target_auth = doc.get("sourceAuth"), doc.get("targetAuth")
    if source_auth not in SOURCE_AUTHS:
        raise r.fail("sourceAuth", f"expected one of {', '.join(SOURCE_AUTHS)}")
    if target_auth not in TARGET_AUTHS:
        raise r.fail("targetAuth", f"expected one of {', '.join(TARGET_AUTHS)}")
    return Plan(
        stack=r.text(doc, "stack", "(document)"),
        platform=r.text(doc, "platform", "(document)"),
        wave=wave,
        snapshot=r.text(doc, "snapshot", "(document)"),
        source_auth=source_auth,
        target_auth=target_auth,
        transport=dict(r.obj(doc.get("transport"), "transport")),
        integrity=dict(r.obj(doc.get("integrity"), "integrity")),
        rclone=dict(r.obj(doc.get("rclone"), "rclone")),
        jobs=tuple(_job(r, j, f"jobs[{i}]") for i, j in enumerate(r.items(doc, "jobs", "(doc)"))),
        directory=path.parent,
    )
