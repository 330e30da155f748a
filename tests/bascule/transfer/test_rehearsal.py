"""dev's wave 1, transferred for real: Azurite -> rclone -> Swift on 127.0.0.1, verified."""

from __future__ import annotations

import hashlib
import json

from bascule.transfer.loopback import object_data_files, swift_request
from bascule.transfer.rehearse import Wave


def _md5(data: bytes) -> str:
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


def _seed(wave: Wave) -> dict[str, dict[str, bytes]]:
    content = {
        "snds-extract": {
            "dcir/2024/part-0000.parquet": b"\x00PAR1" + bytes(range(256)) * 40,
            "dcir/2024/part-0001.parquet": b"\x01PAR1" + b"x" * 5000,
            "pmsi/mco.csv": b"id;ghm\n1;05M09\n",
        },
        "open-nomenclatures": {"ccam.csv": b"code;libelle\nAAFA001;...\n"},
        "pseudo-tables": {"keys/2024.bin": bytes(32)},
    }
    for dataset, objects in content.items():
        for name, data in objects.items():
            wave.put(dataset, name, data)
    return content


def test_a_clean_wave_is_copied_and_verified(wave: Wave) -> None:
    content = _seed(wave)
    code, out, err = wave.run()
    assert code == 0, out + err
    assert out.splitlines()[-1] == "transfer run: complete"
    assert [e["action"] for e in wave.objects_log("snds-extract")] == ["copied"] * 3

    code, out, err = wave.verify()
    assert code == 0, out + err
    manifest = wave.manifest()
    assert manifest["result"] == "passed"
    assert manifest["totals"] == {
        "datasets": 3,
        "objects": 5,
        "bytes": sum(len(d) for objects in content.values() for d in objects.values()),
        "failures": 0,
    }
    snds = next(d for d in manifest["datasets"] if d["name"] == "snds-extract")
    assert [(o["name"], o["size"], o["md5"], o["sha256"]) for o in snds["objects"]] == [
        (name, len(data), _md5(data), hashlib.sha256(data).hexdigest())
        for name, data in sorted(content["snds-extract"].items())
    ]
    body = (wave.directory / "verification" / "manifest.json").read_bytes()
    digest = hashlib.sha256(body).hexdigest()
    assert (wave.directory / "verification" / "manifest.json.sha256").read_text() == (
        f"{digest}  manifest.json\n"
    )
    assert out.splitlines()[-1].endswith(f"sha256 {digest}")
    assert (
        json.loads(body)["plan"]["sha256"]
        == hashlib.sha256((wave.directory / "plan.json").read_bytes()).hexdigest()
    )


def _corrupt(wave: Wave, dataset: str, name: str) -> None:
    """Flip bytes of the object's stored (encrypted) data on the Swift disk, size unchanged."""
    files = object_data_files(wave.rehearsal, wave.dataset(dataset).target.container, name)
    assert files, name
    data = bytearray(files[-1].read_bytes())
    data[len(data) // 2] ^= 0xFF
    files[-1].write_bytes(bytes(data))


def _swift(wave: Wave, method: str, dataset: str, name: str, body: bytes = b"") -> int:
    container = wave.dataset(dataset).target.container
    return swift_request(wave.rehearsal, method, f"{container}/{name}", body=body)


def test_corrupted_missing_and_extra_objects_are_each_caught_by_name(wave: Wave) -> None:
    _seed(wave)
    assert wave.run()[0] == 0
    _corrupt(wave, "snds-extract", "dcir/2024/part-0001.parquet")
    assert _swift(wave, "DELETE", "snds-extract", "pmsi/mco.csv") == 204
    assert _swift(wave, "PUT", "pseudo-tables", "keys/stray.bin", b"not from the source") == 201

    code, out, _ = wave.verify()
    assert code == 1
    failures = wave.manifest()["failures"]
    assert [(f["dataset"], f["object"], f["kind"]) for f in failures] == [
        ("snds-extract", "dcir/2024/part-0001.parquet", "content"),
        ("snds-extract", "pmsi/mco.csv", "missing"),
        ("pseudo-tables", "keys/stray.bin", "extra"),
    ]
    assert "    missing: pmsi/mco.csv: missing on the target" in out.splitlines()
    assert "    extra: keys/stray.bin: on the target only (extra object)" in out.splitlines()
    assert out.splitlines()[-2] == "FAILED: 5 objects in 3 datasets, 3 failures"

    # A rerun copies the missing object, and the corrupted one again (the last verification
    # named it: Swift's listing still shows the upload's ETag, so rclone alone would skip it).
    code, out, err = wave.run()
    assert code == 0, out + err
    actions = {e["object"]: e["action"] for e in wave.objects_log("snds-extract")}
    # Swift's object server quarantines an object whose bytes fail its own MD5 once verify
    # has read it whole, so the recopy usually finds no object there ("copied"); "replaced"
    # if rclone got there first.
    recopied = actions.pop("dcir/2024/part-0001.parquet")
    assert recopied in ("copied", "replaced")
    assert actions == {"dcir/2024/part-0000.parquet": "unchanged", "pmsi/mco.csv": "copied"}
    code, out, _ = wave.verify()
    assert code == 1  # the extra object stays: run never deletes on the target
    assert [f["object"] for f in wave.manifest()["failures"]] == ["keys/stray.bin"]
    assert _swift(wave, "DELETE", "pseudo-tables", "keys/stray.bin") == 204
    assert wave.verify()[0] == 0


def test_an_object_that_cannot_be_read_could_not_be_checked_and_fails(wave: Wave) -> None:
    _seed(wave)
    assert wave.run()[0] == 0
    _corrupt(wave, "open-nomenclatures", "ccam.csv")
    assert wave.verify()[0] == 1  # read once: Swift's object server quarantines it
    assert wave.verify()[0] == 1
    [failure] = wave.manifest()["failures"]
    assert failure["kind"] == "unchecked"
    assert failure["message"].startswith("ccam.csv: could not be checked: target content: ")
    assert "HTTP 404" in failure["message"]


def test_a_blob_uploaded_in_blocks_is_verified_by_streaming(wave: Wave) -> None:
    blocks = [bytes([n]) * (1 << 20) for n in range(3)]
    wave.put_blocks("snds-extract", "dcir/big.parquet", blocks)
    wave.put("open-nomenclatures", "ccam.csv", b"code\n")
    wave.put("pseudo-tables", "k.bin", b"\x01" * 32)
    client = wave.rehearsal.azurite.client(wave.dataset("snds-extract").source.account)
    assert "content-md5" not in client.properties("data", "dcir/big.parquet")
    assert wave.run()[0] == 0
    assert wave.verify()[0] == 0
    snds = next(d for d in wave.manifest()["datasets"] if d["name"] == "snds-extract")
    [record] = snds["objects"]
    assert (record["sourceMd5From"], record["md5"]) == ("stream", _md5(b"".join(blocks)))

    # Same size, other bytes, no source hash: rclone's copy cannot tell, the stream can.
    _corrupt(wave, "snds-extract", "dcir/big.parquet")
    assert wave.run()[0] == 0
    assert wave.objects_log("snds-extract")[0]["action"] == "unchanged"
    assert wave.verify()[0] == 1
    assert [(f["object"], f["kind"]) for f in wave.manifest()["failures"]] == [
        ("dcir/big.parquet", "content")
    ]


def test_a_100_mib_object_stored_in_segments(wave: Wave) -> None:
    data = hashlib.sha256(b"seed").digest() * (100 * (1 << 20) // 32)
    wave.put("snds-extract", "dcir/2024/full.parquet", data)
    wave.put("open-nomenclatures", "ccam.csv", b"code\n")
    wave.put("pseudo-tables", "k.bin", b"\x01" * 32)
    # Segments of 32 MiB, as objects above Swift's 5 GiB limit are stored for real.
    plan = json.loads((wave.directory / "plan.json").read_text())
    plan["rclone"]["swiftChunkSize"] = "32M"
    (wave.directory / "plan.json").write_text(json.dumps(plan))
    assert wave.run()[0] == 0
    segments = wave.dataset("snds-extract").target.container + "_segments"
    assert swift_request(wave.rehearsal, "HEAD", segments) == 204
    assert wave.verify()[0] == 0
    snds = next(d for d in wave.manifest()["datasets"] if d["name"] == "snds-extract")
    assert snds["objects"][0]["size"] == 100 * (1 << 20)
    assert snds["objects"][0]["sha256"] == hashlib.sha256(data).hexdigest()


def test_junit_and_json_reports(wave: Wave) -> None:
    import xml.etree.ElementTree as ET

    _seed(wave)
    assert wave.run()[0] == 0
    assert _swift(wave, "DELETE", "snds-extract", "pmsi/mco.csv") == 204
    code, out, _ = wave.verify("--format", "junit")
    assert code == 1
    suites = ET.fromstring(out).findall("testsuite")
    assert [(s.get("name"), s.get("tests"), s.get("failures")) for s in suites] == [
        ("transfer-open-nomenclatures", "2", "0"),
        ("transfer-snds-extract", "4", "1"),
        ("transfer-pseudo-tables", "2", "0"),
    ]
    [failure] = suites[1].iter("failure")
    assert failure.get("message") == "missing: pmsi/mco.csv: missing on the target"
    sha = (wave.directory / "verification" / "manifest.json.sha256").read_text().split()[0]
    prop = suites[1].find("properties/property")
    assert prop is not None and prop.get("value") == sha
    code, out, _ = wave.verify("--format", "json")
    document = json.loads(out)
    assert (code, document["result"], document["manifestSha256"]) == (
        1,
        "failed",
        (wave.directory / "verification" / "manifest.json.sha256").read_text().split()[0],
    )
