#!/usr/bin/env python3
"""Benchmark: `bascule transfer run` and `verify` throughput on the loopback servers.

    .venv/bin/python bench/transfer.py                    # 1,000 small objects, one 256 MiB
    .venv/bin/python bench/transfer.py --small 200 --large-mib 64

Each case is dev's wave 1 on a fresh Azurite and a fresh Swift account (servers on
127.0.0.1, started and stopped by pid): the source is filled (not timed), then `transfer run`
(rclone copy) and `transfer verify` (every object listed, streamed and hashed on the target)
are timed wall-clock, in this process as the CLI runs them. Prints MiB/s and objects/s for
each, and the verify overhead as a ratio of the copy time; writes bench/transfer-results.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bascule.snapshot.write import write_snapshot  # noqa: E402
from bascule.synth import synthesize  # noqa: E402
from bascule.transfer.loopback import (  # noqa: E402
    Rehearsal,
    Swift,
    missing_tools,
    start_azurite,
    start_swift,
)
from bascule.transfer.rehearse import Wave, prepare_wave  # noqa: E402

MIB = 1 << 20


def _fill(wave: Wave, objects: dict[str, bytes]) -> None:
    for name, data in objects.items():
        wave.put("snds-extract", name, data)
    wave.put("open-nomenclatures", "ccam.csv", b"code;libelle\n")
    wave.put("pseudo-tables", "keys/2024.bin", bytes(32))


def _timed(step: Any) -> float:
    start = time.perf_counter()
    code, out, err = step()
    elapsed = time.perf_counter() - start
    if code != 0:
        raise SystemExit(f"bench/transfer.py: step failed ({code}): {out}{err}")
    return elapsed


def _case(
    name: str,
    objects: dict[str, bytes],
    swift: Swift,
    user: tuple[str, str],
    root: Path,
    snapshot: Path,
) -> dict[str, Any]:
    accounts = json.loads(snapshot.with_suffix(".accounts.json").read_text())
    azurite = start_azurite(root / f"azurite-{name}", accounts)
    try:
        wave = prepare_wave(Rehearsal(azurite, swift, user), snapshot, root / f"plan-{name}")
        os.environ.update(wave.environment)
        _fill(wave, objects)
        count, size = len(objects) + 2, sum(map(len, objects.values())) + 13 + 32
        copy_s = _timed(wave.run)
        verify_s = _timed(wave.verify)
    finally:
        azurite.stop()
    mib = size / MIB
    return {
        "case": name,
        "objects": count,
        "bytes": size,
        "copy_s": round(copy_s, 2),
        "verify_s": round(verify_s, 2),
        "copy_mib_s": round(mib / copy_s, 2),
        "copy_objects_s": round(count / copy_s, 1),
        "verify_mib_s": round(mib / verify_s, 2),
        "verify_objects_s": round(count / verify_s, 1),
        "verify_over_copy": round(verify_s / copy_s, 2),
    }


def _dev_snapshot(root: Path) -> Path:
    from bascule.snapshot.load import load_snapshot
    from bascule.transfer.plan import PlanOptions, build_plan

    path = root / "dev.json"
    write_snapshot(synthesize(ROOT, "dev"), path)
    options = PlanOptions(wave=1, source_auth="sas", source_endpoint="https://127.0.0.1:1")
    accounts = [d.source.account for d in build_plan(load_snapshot(path), options).datasets]
    path.with_suffix(".accounts.json").write_text(json.dumps(accounts))
    return path


def _print(results: list[dict[str, Any]]) -> None:
    print(
        f"{'case':<22}{'objects':>8}{'MiB':>9}{'copy s':>8}{'MiB/s':>8}{'obj/s':>8}"
        f"{'verify s':>10}{'MiB/s':>8}{'obj/s':>8}{'verify/copy':>13}"
    )
    for r in results:
        print(
            f"{r['case']:<22}{r['objects']:>8}{r['bytes'] / MIB:>9.1f}{r['copy_s']:>8.2f}"
            f"{r['copy_mib_s']:>8.1f}{r['copy_objects_s']:>8.1f}{r['verify_s']:>10.2f}"
            f"{r['verify_mib_s']:>8.1f}{r['verify_objects_s']:>8.1f}{r['verify_over_copy']:>13.2f}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1000, help="small objects (default 1000)")
    parser.add_argument("--small-kib", type=int, default=16, help="size of each (default 16)")
    parser.add_argument("--large-mib", type=int, default=256, help="the large object (default 256)")
    parser.add_argument("-o", "--output", default=str(ROOT / "bench" / "transfer-results.json"))
    args = parser.parse_args()
    reason = missing_tools()
    if reason:
        raise SystemExit(f"bench/transfer.py: {reason}")
    load_start = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bascule-transfer-bench-") as tmp:
        root = Path(tmp)
        snapshot = _dev_snapshot(root)
        swift = start_swift(root / "swift")
        try:
            small = {
                f"dcir/small/part-{n:05d}.bin": hashlib.sha256(str(n).encode()).digest()
                * (args.small_kib * 1024 // 32)
                for n in range(args.small)
            }
            large = {
                "dcir/large.bin": hashlib.sha256(b"large").digest() * (args.large_mib * MIB // 32)
            }
            results = [
                _case(
                    f"{args.small} x {args.small_kib} KiB",
                    small,
                    swift,
                    swift.users[0],
                    root,
                    snapshot,
                ),
                _case(f"1 x {args.large_mib} MiB", large, swift, swift.users[1], root, snapshot),
            ]
        finally:
            swift.stop()
    _print(results)
    rclone = subprocess.run(["rclone", "version"], capture_output=True, text=True).stdout.split()[1]
    document = {
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(), "rclone": rclone},
        # The machine may be shared: its load, 1-minute average, before and after the run.
        "loadAverage": {"start": load_start[0], "end": os.getloadavg()[0]},
        "servers": "Azurite 3.37.0 -> rclone -> Swift 2.30 (tempauth, encryption), 127.0.0.1",
        "results": results,
    }
    Path(args.output).write_text(json.dumps(document, indent=2) + "\n")
    print(f"written to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
