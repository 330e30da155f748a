"""dev's wave 1, transferred for real: Azurite -> rclone -> Swift on 127.0.0.1, verified."""

from __future__ import annotations

import hashlib
import json

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
