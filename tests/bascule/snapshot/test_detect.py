"""Snapshot files are recognised by content, whatever their name; stack files never are."""

from __future__ import annotations

import gzip
from pathlib import Path

from bascule.snapshot.detect import looks_like_snapshot


def test_recognised_by_content(tmp_path: Path) -> None:
    cases = {
        "dev": b'  \n{"version": 3, "deployment": {}}',  # a checkpoint copied without suffix
        "dev.json.bak": b'{"version": 3, "checkpoint": {}}',  # the DIY backend's backup
        "up.log": b'{"sequence":1,"timestamp":0,"cancelEvent":{}}\n',
        "bom.txt": b'\xef\xbb\xbf{"steps": []}',
        "dev.json.gz": gzip.compress(b"{}"),
        "dev.json.zst": b"\x28\xb5\x2f\xfd\x00",
    }
    for name, content in cases.items():
        (tmp_path / name).write_bytes(content)
        assert looks_like_snapshot(str(tmp_path / name)), name


def test_stack_names_and_stack_files_are_not_snapshots(tmp_path: Path) -> None:
    (tmp_path / "prod").write_text("not json, a note someone left")
    (tmp_path / "Pulumi.dev.yaml").write_text("{config: {}}\n")  # YAML flow style
    assert not looks_like_snapshot(str(tmp_path / "prod"))
    assert not looks_like_snapshot(str(tmp_path / "Pulumi.dev.yaml"))
    assert not looks_like_snapshot("dev")
    assert not looks_like_snapshot("organization/bascule/dev")
    assert looks_like_snapshot(str(tmp_path / "missing.json"))  # "no such file", not a stack
    (tmp_path / "empty.json").write_bytes(b"")
    assert looks_like_snapshot(str(tmp_path / "empty.json"))  # then refused as "not JSON"
