"""A wave's transfer plan from a snapshot (pure: snapshot and options in, plan out).

Each dataset is a `bascule:azure:DatasetStorage` component (its storage account and blob
container) in the source estate and a `bascule:target:ObjectStorage` component (its Swift
container, storage policy and key metadata) in the target one, paired by dataset name. Only
the snapshot's values are used, so a real `pulumi stack export` plans the same as a synth.
Pseudonymisation-key datasets go to a job of their own, with identities of their own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bascule.errors import BadInputError
from bascule.snapshot.model import UNKNOWN, Resource, SecretValue, Snapshot
from bascule.transfer.model import (
    DatasetJob,
    Identity,
    Job,
    Plan,
    SourceSide,
    TargetSide,
)
from bascule.transfer.transport import transport_of

SOURCE_COMPONENT = "bascule:azure:DatasetStorage"
TARGET_COMPONENT = "bascule:target:ObjectStorage"
ACCOUNT_TYPE = "azure-native:storage:StorageAccount"
BLOB_CONTAINER_TYPE = "azure-native:storage:BlobContainer"
SWIFT_CONTAINER_TYPE = "openstack:objectstorage/container:Container"
KEY_TYPE = "azure-native:keyvault:Key"
PSEUDONYMISATION_KEYS = "pseudonymisation-keys"
# Job id -> the token its environment variables carry.
JOBS = {"datasets": "DATASETS", PSEUDONYMISATION_KEYS: "PSEUDO_KEYS"}
AZURE_BLOB_SUFFIX = "blob.core.windows.net"
TLS_VERSIONS = {"TLS1_2", "TLS1_3"}

INTEGRITY = {
    "compare": "md5",
    "sourceHash": "the blob's Content-MD5 from the listing; streamed when it has none",
    "targetHash": "every object streamed from the target: md5 and sha256 of its content",
    "evidence": "sha256",
    "uncheckable": "failure",
}
RCLONE_SETTINGS: dict[str, Any] = {
    "retries": 3,
    "lowLevelRetries": 3,
    "retriesSleep": "2s",
    "timeout": "2m",
    "contimeout": "15s",
    "transfers": 4,
    "checkers": 8,
}
REAL_RUN_TRANSPORT = (
    "HTTPS (TLS 1.2 or later, certificates checked) end to end: from a runner inside the "
    "source VNet to each storage account's private endpoint, and to the target's Swift "
    "endpoint from the Keystone catalog. An IPsec interconnect between the estates, where a "
    "wave has one, carries these TLS flows; confidentiality never rests on it alone."
)


@dataclass(frozen=True)
class PlanOptions:
    wave: int
    source_endpoint: str | None = None  # path-style blob service (Azurite): URL/<account>
    source_auth: str = "msi"
    target_auth_url: str | None = None
    target_auth: str = "keystone"
    allow_loopback_http: bool = False


@dataclass(frozen=True)
class _Side:
    component: Resource
    parts: dict[str, Resource]  # type -> the component's child of that type


def _children(snapshot: Snapshot, component_type: str) -> dict[str, _Side]:
    components = {r.urn: r for r in snapshot.resources if r.type == component_type}
    parts: dict[str, dict[str, Resource]] = {urn: {} for urn in components}
    for resource in snapshot.resources:
        if resource.parent in parts:
            parts[resource.parent].setdefault(resource.type, resource)
    return {c.name: _Side(c, parts[urn]) for urn, c in components.items()}


def _props(resource: Resource) -> Mapping[str, Any]:
    return resource.outputs or resource.inputs


def _known(resource: Resource, key: str, *, required: bool = True) -> Any:
    value: Any = _props(resource)
    for part in key.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    if value == UNKNOWN or isinstance(value, SecretValue):
        raise BadInputError(f"{resource.urn}: {key} is not known in this snapshot")
    if required and value in (None, ""):
        raise BadInputError(f"{resource.urn}: {key} is missing")
    return value


def _part(side: _Side, resource_type: str, dataset: str) -> Resource:
    found = side.parts.get(resource_type)
    if found is None:
        raise BadInputError(f"{side.component.urn}: dataset {dataset} has no {resource_type}")
    return found


def _labels(resource: Resource, key: str) -> dict[str, str]:
    value = _known(resource, key, required=False) or {}
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, Mapping) else {}


def _token(text: str) -> str:
    return re.sub(r"[^A-Z0-9]+", "_", text.upper()).strip("_")


def _source(side: _Side, dataset: str, options: PlanOptions) -> tuple[SourceSide, dict[str, str]]:
    account = _part(side, ACCOUNT_TYPE, dataset)
    container = _part(side, BLOB_CONTAINER_TYPE, dataset)
    name = str(_known(account, "accountName"))
    if _known(account, "enableHttpsTrafficOnly", required=False) is not True:
        raise BadInputError(f"{account.urn}: account {name} accepts plain HTTP")
    tls = _known(account, "minimumTlsVersion", required=False)
    if tls not in TLS_VERSIONS:
        raise BadInputError(f"{account.urn}: account {name} accepts TLS below 1.2 ({tls})")
    if options.source_endpoint:
        endpoint = f"{options.source_endpoint.rstrip('/')}/{name}"
    else:
        endpoint = f"https://{name}.{AZURE_BLOB_SUFFIX}"
    transport_of(
        endpoint, f"source endpoint of {dataset}", allow_loopback_http=options.allow_loopback_http
    )
    side_out = SourceSide(
        account=name,
        container=str(_known(container, "containerName")),
        endpoint=endpoint,
        remote=f"src_{_token(dataset).lower()}",
        key=_known(account, "encryption.keyVaultProperties.keyName", required=False),
    )
    return side_out, _labels(account, "tags")


def _target(side: _Side, dataset: str) -> tuple[TargetSide, dict[str, str], Resource]:
    if SWIFT_CONTAINER_TYPE not in side.parts:
        buckets = sorted(t for t in side.parts if t.rsplit(":", 1)[-1] == "Bucket")
        if buckets:
            raise BadInputError(
                f"{side.component.urn}: dataset {dataset} is held in {buckets[0]}, not a Swift "
                "container: bascule transfer writes to Swift only (the openstack and ovh targets)"
            )
    container = _part(side, SWIFT_CONTAINER_TYPE, dataset)
    metadata = _labels(container, "metadata")
    side_out = TargetSide(
        container=str(_known(container, "name")),
        storage_policy=str(_known(container, "storagePolicy", required=False) or "default"),
        key=metadata.get("kms-key"),
        key_store=metadata.get("kms-store"),
        versioned=_known(container, "versioning", required=False) is True,
        remote=f"dst_{_token(dataset).lower()}",
    )
    return side_out, metadata, container


def _agreed(dataset: str, field: str, source: dict[str, str], target: dict[str, str]) -> str:
    ours, theirs = source.get(field), target.get(field)
    if ours is None or theirs is None:
        raise BadInputError(f"dataset {dataset}: no {field} label on the source or the target")
    if ours != theirs:
        raise BadInputError(
            f"dataset {dataset}: {field} is {ours!r} on the source, {theirs!r} on the target"
        )
    return ours


def _targets_by_dataset(snapshot: Snapshot) -> dict[str, _Side]:
    found: dict[str, _Side] = {}
    for name, side in _children(snapshot, TARGET_COMPONENT).items():
        container = side.parts.get(SWIFT_CONTAINER_TYPE)
        dataset = _labels(container, "metadata").get("dataset", name) if container else name
        found[dataset] = side
    return found


def _identities(
    platform: str, job: str, datasets: list[DatasetJob], options: PlanOptions
) -> tuple[Identity, Identity]:
    prefix = f"BASCULE_TRANSFER_W{options.wave}_{JOBS[job]}_"
    name = f"{platform}-wave{options.wave}-{job}-transfer"
    if options.source_auth == "sas":
        source = Identity(
            "azure-container-sas",
            f"id-{name}",
            {f"sasUrl:{d.name}": f"{prefix}SAS_{_token(d.name)}" for d in datasets},
        )
    else:
        source = Identity(
            "azure-managed-identity", f"id-{name}", {"clientId": f"{prefix}AZURE_CLIENT_ID"}
        )
    if options.target_auth == "tempauth":
        target = Identity(
            "swift-tempauth-user",
            name,
            {"user": f"{prefix}SWIFT_USER", "key": f"{prefix}SWIFT_KEY"},
        )
    else:
        target = Identity(
            "openstack-application-credential",
            name,
            {"id": f"{prefix}OS_APP_CRED_ID", "secret": f"{prefix}OS_APP_CRED_SECRET"},
        )
    return source, target


def _provider(snapshot: Snapshot, container: Resource) -> Mapping[str, Any]:
    provider = snapshot.provider_of(container)
    return _props(provider) if provider is not None else {}


@dataclass
class _Collected:
    by_job: dict[str, list[DatasetJob]]
    platform: str = ""
    provider: Mapping[str, Any] | None = None


def pseudonymisation_keys(snapshot: Snapshot) -> set[str]:
    """Names of the source's pseudonymisation keys (Key Vault keys tagged so)."""
    found = set()
    for key in snapshot.resources:
        if key.type != KEY_TYPE:
            continue
        tags = _labels(key, "tags")
        if (
            tags.get("role") == "pseudonymisation-key"
            or tags.get("classification") == PSEUDONYMISATION_KEYS
        ):
            found.add(str(_known(key, "keyName")))
    return found


def _collect(snapshot: Snapshot, options: PlanOptions) -> _Collected:
    pseudo_keys = pseudonymisation_keys(snapshot)
    sources = _children(snapshot, SOURCE_COMPONENT)
    targets = _targets_by_dataset(snapshot)
    if not sources:
        raise BadInputError(f"{snapshot.source}: no dataset storage in the source estate")
    for orphan in sorted(set(targets) - set(sources)):
        raise BadInputError(f"dataset {orphan}: no {SOURCE_COMPONENT} in the source estate")
    found = _Collected({job: [] for job in JOBS})
    for name in sorted(sources):
        if name not in targets:
            raise BadInputError(f"dataset {name}: no {TARGET_COMPONENT} in the target estate")
        source, source_labels = _source(sources[name], name, options)
        target, target_labels, container = _target(targets[name], name)
        if _agreed(name, "wave", source_labels, target_labels) != str(options.wave):
            continue
        classification = _agreed(name, "classification", source_labels, target_labels)
        project = _agreed(name, "project", source_labels, target_labels)
        if found.platform and project != found.platform:
            raise BadInputError(f"dataset {name}: project {project!r}, not {found.platform!r}")
        found.platform = project
        found.provider = found.provider or _provider(snapshot, container)
        # Labelled so, or encrypted with a pseudonymisation key: a relabelled dataset still
        # never shares a job (and identities) with health data.
        pseudo = classification == PSEUDONYMISATION_KEYS or bool(
            {source.key, target.key} & pseudo_keys
        )
        job = PSEUDONYMISATION_KEYS if pseudo else "datasets"
        found.by_job[job].append(DatasetJob(name, classification, source, target))
    if not any(found.by_job.values()):
        raise BadInputError(f"{snapshot.source}: wave {options.wave} has no dataset to transfer")
    return found


def build_plan(snapshot: Snapshot, options: PlanOptions) -> Plan:
    if options.source_endpoint and options.source_auth != "sas":
        raise BadInputError("--source-endpoint takes --source-auth sas (path-style endpoints)")
    found = _collect(snapshot, options)
    provider = found.provider or {}
    auth_url = options.target_auth_url or provider.get("authUrl")
    if not isinstance(auth_url, str) or not auth_url:
        raise BadInputError(f"{snapshot.source}: the target provider has no authUrl")
    allow = options.allow_loopback_http
    datasets = [d for ds in found.by_job.values() for d in ds]
    transports = {
        transport_of(d.source.endpoint, d.name, allow_loopback_http=allow) for d in datasets
    }
    jobs = []
    for job_id, members in found.by_job.items():
        if not members:
            continue
        source_id, target_id = _identities(found.platform, job_id, members, options)
        jobs.append(
            Job(
                id=job_id,
                rclone_config=f"rclone-{job_id}.conf",
                source_identity=source_id,
                target_identity=target_id,
                target_auth_url=auth_url,
                target_region=_str_or_none(provider.get("region")),
                target_tenant=_str_or_none(provider.get("tenantName")),
                datasets=tuple(members),
            )
        )
    return Plan(
        stack=snapshot.stack or snapshot.source,
        platform=found.platform,
        wave=options.wave,
        snapshot=snapshot.source,
        source_auth=options.source_auth,
        target_auth=options.target_auth,
        transport={
            "source": "+".join(sorted(transports)),
            "target": transport_of(auth_url, "target auth URL", allow_loopback_http=allow),
            "realRun": REAL_RUN_TRANSPORT,
        },
        integrity=dict(INTEGRITY),
        rclone=dict(RCLONE_SETTINGS),
        jobs=tuple(jobs),
    )


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value and value != UNKNOWN else None
