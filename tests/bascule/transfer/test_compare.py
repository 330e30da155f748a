"""Object-level parity as a pure function: every kind of finding, with its exact message."""

from __future__ import annotations

from bascule.transfer.compare import SourceObject, compare_dataset, container_findings
from bascule.transfer.model import DatasetJob, SourceSide, TargetSide
from bascule.transfer.swift import StreamedHash

MD5_A, MD5_B = "0" * 32, "1" * 32


def _streamed(md5: str, size: int = 3) -> StreamedHash:
    return StreamedHash(size, md5, "f" * 64)


def test_every_finding_kind() -> None:
    source = {
        "ok": SourceObject(3, MD5_A),
        "gone": SourceObject(3, MD5_A),
        "short": SourceObject(3, MD5_A),
        "changed": SourceObject(3, MD5_A),
        "unreadable": SourceObject(3, MD5_A),
        "blocks": SourceObject(3, None),
        "blocks-unhashed": SourceObject(3, None),
    }
    target = {"ok": 3, "short": 2, "changed": 3, "unreadable": 3, "blocks": 3, "blocks-unhashed": 3}
    target["stray"] = 9
    streamed: dict[str, StreamedHash | str] = {
        "ok": _streamed(MD5_A),
        "changed": _streamed(MD5_B),
        "unreadable": "GET data/unreadable: HTTP 404",
        "blocks": _streamed(MD5_B),
        "blocks-unhashed": _streamed(MD5_B),
    }
    records, findings = compare_dataset("d", source, target, {"blocks": MD5_B}, streamed)
    assert [(r.name, r.status, r.md5_from) for r in records] == [
        ("blocks", "ok", "stream"),
        ("blocks-unhashed", "unchecked", "none"),
        ("changed", "content", "listing"),
        ("gone", "missing", "listing"),
        ("ok", "ok", "listing"),
        ("short", "size", "listing"),
        ("unreadable", "unchecked", "listing"),
    ]
    assert [(f.object, f.kind, f.message) for f in findings] == [
        (
            "blocks-unhashed",
            "unchecked",
            "blocks-unhashed: could not be checked: no source hash (stream failed)",
        ),
        (
            "changed",
            "content",
            f"changed: content differs (md5 {MD5_B} on the target, {MD5_A} on the source)",
        ),
        ("gone", "missing", "gone: missing on the target"),
        ("short", "size", "short: 2 bytes on the target, 3 on the source"),
        (
            "unreadable",
            "unchecked",
            "unreadable: could not be checked: target content: GET data/unreadable: HTTP 404",
        ),
        ("stray", "extra", "stray: on the target only (extra object)"),
    ]


def test_an_empty_source_is_not_a_pass() -> None:
    records, findings = compare_dataset("d", {}, {}, {}, {})
    assert records == []
    assert [(f.object, f.kind, f.message) for f in findings] == [
        (None, "unchecked", "the source container lists no object: nothing was verified")
    ]


def test_a_source_blob_whose_bytes_fail_its_own_md5() -> None:
    _, findings = compare_dataset(
        "d", {"x": SourceObject(3, MD5_A)}, {"x": 3}, {"x": MD5_B}, {"x": _streamed(MD5_B)}
    )
    assert [f.message for f in findings] == [
        f"x: source content differs from its stored Content-MD5 {MD5_A}"
    ]


def _dataset() -> DatasetJob:
    return DatasetJob(
        "pseudo-tables",
        "pseudonymisation-keys",
        SourceSide("acct", "data", "https://acct.blob.core.windows.net", "src_p", "pseudo-keys"),
        TargetSide(
            "hdh-dev-pseudo-tables", "encrypted", "pseudo-keys", "hdh-dev-pseudo", True, "dst_p"
        ),
    )


def test_container_checks() -> None:
    good = {
        "x-storage-policy": "encrypted",
        "x-container-meta-kms-key": "pseudo-keys",
        "x-container-meta-kms-store": "hdh-dev-pseudo",
        "x-versions-enabled": "True",
    }
    assert container_findings(_dataset(), good) == []
    bad = {
        **good,
        "x-container-meta-kms-key": "datasets-cmk",
        "x-container-read": ".r:*,.rlistings",
    }
    assert [f.message for f in container_findings(_dataset(), bad)] == [
        "container hdh-dev-pseudo-tables: key is 'datasets-cmk', the plan declares 'pseudo-keys'",
        "container hdh-dev-pseudo-tables: public read ACL '.r:*,.rlistings'",
    ]
    assert [f.message for f in container_findings(_dataset(), None)] == [
        "container hdh-dev-pseudo-tables: does not exist on the target"
    ]
