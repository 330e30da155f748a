"""`bascule transfer verify`: every object of every dataset, checked on both sides.

Listings give names and sizes (rclone for the source, Swift's JSON listing for the target);
every target object is downloaded and hashed (MD5 to compare, SHA-256 for the evidence),
because Swift's listing repeats the ETag stored at upload and cannot see bytes that changed
on disk since. Source blobs with no stored Content-MD5 are hashed by download too (rclone
hashsum --download), or every blob with --stream-source.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bascule.transfer.compare import (
    SEGMENTS_SUFFIX,
    UNCHECKED,
    Finding,
    ObjectRecord,
    SourceObject,
    compare_dataset,
    container_findings,
    segments_findings,
)
from bascule.transfer.model import PLAN_FILE, DatasetJob, Plan
from bascule.transfer.rclone import RcloneError
from bascule.transfer.session import JobSession, check_endpoints, open_job
from bascule.transfer.swift import StreamedHash, SwiftError
from bascule.transfer.transport import unreachable

STREAMS = 8


@dataclass(frozen=True)
class DatasetResult:
    dataset: DatasetJob
    job: str
    records: tuple[ObjectRecord, ...]
    findings: tuple[Finding, ...]


@dataclass
class Verification:
    plan: Plan
    plan_sha256: str
    datasets: list[DatasetResult]
    verified_at: str
    rclone_version: str
    stream_source: bool
    manifest: Path | None = None
    manifest_sha256: str | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.findings


def _source_objects(session: JobSession, dataset: DatasetJob) -> dict[str, SourceObject]:
    entries = session.rclone.lsjson(f"{dataset.source.remote}:{dataset.source.container}")
    objects = {}
    for entry in entries:
        hashes = entry.get("Hashes") or {}
        objects[str(entry["Path"])] = SourceObject(int(entry["Size"]), hashes.get("md5") or None)
    return objects


def _stream_target(
    session: JobSession, container: str, names: list[str]
) -> dict[str, StreamedHash | str]:
    def one(name: str) -> tuple[str, StreamedHash | str]:
        try:
            return name, session.swift.stream_hash(container, name)
        except SwiftError as err:
            return name, str(err)

    with ThreadPoolExecutor(max_workers=STREAMS) as pool:
        return dict(pool.map(one, names))


def verify_dataset(
    session: JobSession, dataset: DatasetJob, *, stream_source: bool
) -> DatasetResult:
    def failed(message: str) -> DatasetResult:
        finding = Finding(dataset.name, None, UNCHECKED, f"could not be checked: {message}")
        return DatasetResult(dataset, session.job.id, (), (*found, finding))

    container = dataset.target.container
    try:
        headers = session.swift.container_headers(container)
    except SwiftError as err:
        return DatasetResult(
            dataset, session.job.id, (), (Finding(dataset.name, None, UNCHECKED, str(err)),)
        )
    found = tuple(container_findings(dataset, headers))
    if headers is None:
        return DatasetResult(dataset, session.job.id, (), found)
    down = unreachable(dataset.source.endpoint)
    if down:
        return failed(f"source endpoint {down}")
    try:
        segments = session.swift.container_headers(container + SEGMENTS_SUFFIX)
        found += tuple(segments_findings(dataset, segments))
        source = _source_objects(session, dataset)
        target = {o.name: o.size for o in session.swift.list_objects(container)}
    except (RcloneError, SwiftError) as err:
        return failed(str(err))
    comparable = [n for n in sorted(source) if n in target]
    to_hash = [n for n in comparable if stream_source or source[n].md5 is None]
    source_streamed = (
        session.rclone.hashsum_md5(f"{dataset.source.remote}:{dataset.source.container}", to_hash)
        if to_hash
        else {}
    )
    target_streamed = _stream_target(session, container, comparable)
    records, findings = compare_dataset(
        dataset.name, source, target, source_streamed, target_streamed
    )
    return DatasetResult(dataset, session.job.id, tuple(records), (*found, *findings))


def verify_plan(
    plan: Plan, *, allow_loopback_http: bool, stream_source: bool = False
) -> Verification:
    # Here, not at module level: manifest.py types its arguments with this module's classes.
    from bascule.transfer.manifest import write_manifest

    check_endpoints(plan, allow_loopback_http=allow_loopback_http)
    plan_sha256 = hashlib.sha256(plan.path_of(PLAN_FILE).read_bytes()).hexdigest()
    results: list[DatasetResult] = []
    version = ""
    for job in plan.jobs:
        session = open_job(plan, job, allow_loopback_http=allow_loopback_http)
        version = session.rclone_version
        results += [verify_dataset(session, d, stream_source=stream_source) for d in job.datasets]
    verification = Verification(
        plan=plan,
        plan_sha256=plan_sha256,
        datasets=results,
        verified_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        rclone_version=version,
        stream_source=stream_source,
        findings=[f for r in results for f in r.findings],
    )
    write_manifest(verification)
    return verification
