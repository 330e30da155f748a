"""Object-level parity of one dataset (pure: listings and hashes in, records and findings out).

Every source object must be on the target with the same size and the same content MD5, the
target's computed from its streamed content; no object may be on the target only; the target
container must carry the declared storage policy, key, key store and versioning and no public
read ACL. Anything that could not be checked is a finding, never a pass.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bascule.transfer.model import DatasetJob
from bascule.transfer.swift import StreamedHash

MISSING, EXTRA, SIZE, CONTENT, UNCHECKED, CONTAINER = (
    "missing",
    "extra",
    "size",
    "content",
    "unchecked",
    "container",
)


@dataclass(frozen=True)
class Finding:
    dataset: str
    object: str | None  # None: the container itself
    kind: str
    message: str


@dataclass(frozen=True)
class SourceObject:
    size: int
    md5: str | None  # None: no stored Content-MD5 (a blob uploaded in blocks)


@dataclass(frozen=True)
class ObjectRecord:
    name: str
    size: int
    md5: str | None
    sha256: str | None
    md5_from: str  # "listing" | "stream" | "none"
    status: str  # "ok" or a finding kind


def container_findings(dataset: DatasetJob, headers: Mapping[str, str] | None) -> list[Finding]:
    target = dataset.target
    name = target.container

    def found(message: str) -> Finding:
        return Finding(dataset.name, None, CONTAINER, f"container {name}: {message}")

    if headers is None:
        return [found("does not exist on the target")]
    findings = []
    expected = {
        "x-storage-policy": ("storage policy", target.storage_policy),
        "x-container-meta-kms-key": ("key", target.key),
        "x-container-meta-kms-store": ("key store", target.key_store),
    }
    for header, (what, wanted) in expected.items():
        if wanted is not None and headers.get(header) != wanted:
            findings.append(
                found(f"{what} is {headers.get(header)!r}, the plan declares {wanted!r}")
            )
    if target.versioned and headers.get("x-versions-enabled", "").lower() != "true":
        findings.append(found("versioning is off, the plan declares it on"))
    read_acl = headers.get("x-container-read", "")
    if ".r:" in read_acl:
        findings.append(found(f"public read ACL {read_acl!r}"))
    return findings


SEGMENTS_SUFFIX = "_segments"


def segments_findings(dataset: DatasetJob, headers: Mapping[str, str] | None) -> list[Finding]:
    """rclone keeps a large object's segments in <container>_segments: same policy due."""
    if headers is None:
        return []
    policy, wanted = headers.get("x-storage-policy"), dataset.target.storage_policy
    if policy == wanted:
        return []
    name = dataset.target.container + SEGMENTS_SUFFIX
    message = f"container {name}: storage policy is {policy!r}, the plan declares {wanted!r}"
    return [Finding(dataset.name, None, CONTAINER, message)]


def _one(
    dataset: str,
    name: str,
    source: SourceObject,
    target_size: int | None,
    source_md5: str | None,
    streamed: StreamedHash | str | None,
    md5_from: str,
) -> tuple[ObjectRecord, Finding | None]:

    def result(
        status: str, message: str | None, sha: str | None = None
    ) -> tuple[ObjectRecord, Finding | None]:
        record = ObjectRecord(name, source.size, source_md5, sha, md5_from, status)
        return record, (Finding(dataset, name, status, message) if message else None)

    def size_differs(size: int) -> tuple[ObjectRecord, Finding | None]:
        return result(SIZE, f"{name}: {size} bytes on the target, {source.size} on the source")

    if target_size is None:
        return result(MISSING, f"{name}: missing on the target")
    # The streamed length decides: a segmented object's manifest lists 0 bytes (DLO).
    if isinstance(streamed, str) or streamed is None:
        if target_size != source.size:
            return size_differs(target_size)
        why = streamed or "not streamed"
        return result(UNCHECKED, f"{name}: could not be checked: target content: {why}")
    if streamed.size != source.size:
        return size_differs(streamed.size)
    if source_md5 is None:
        return result(UNCHECKED, f"{name}: could not be checked: no source hash (stream failed)")
    if streamed.md5 != source_md5:
        return result(
            CONTENT,
            f"{name}: content differs (md5 {streamed.md5} on the target, "
            f"{source_md5} on the source)",
        )
    return result("ok", None, streamed.sha256)


def compare_dataset(
    dataset: str,
    source: Mapping[str, SourceObject],
    target_sizes: Mapping[str, int],
    source_streamed: Mapping[str, str],
    target_streamed: Mapping[str, StreamedHash | str],
) -> tuple[list[ObjectRecord], list[Finding]]:
    records, findings = [], []
    for name in sorted(source):
        md5 = source_streamed.get(name) or source[name].md5
        stored = source[name].md5
        if stored and name in source_streamed and source_streamed[name] != stored:
            message = f"{name}: source content differs from its stored Content-MD5 {stored}"
            findings.append(Finding(dataset, name, CONTENT, message))
        md5_from = "stream" if name in source_streamed else ("listing" if stored else "none")
        record, finding = _one(
            dataset,
            name,
            source[name],
            target_sizes.get(name),
            md5,
            target_streamed.get(name),
            md5_from,
        )
        records.append(record)
        if finding:
            findings.append(finding)
    for name in sorted(set(target_sizes) - set(source)):
        findings.append(Finding(dataset, name, EXTRA, f"{name}: on the target only (extra object)"))
    if not source:
        findings.append(
            Finding(
                dataset,
                None,
                UNCHECKED,
                "the source container lists no object: nothing was verified",
            )
        )
    return records, findings
