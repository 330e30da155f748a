#!/usr/bin/env python3
"""Hostile snapshot files: time and peak memory until bascule answers or refuses.

    .venv/bin/python bench/hostile.py                 # 100 MB files
    .venv/bin/python bench/hostile.py --mb 20 -o out.json

Builds, in a temporary directory, a snapshot of many real resources (the prod synth repeated
under new names), one holding a single huge string, one nested far too deep, one that is not
UTF-8 and one over the size limit, then times `bascule inventory` and `bascule policy
--in-process` on each (own process, peak RSS). Prints a table; `-o` writes JSON.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from run import BASCULE, measure  # noqa: E402  (bench/run.py, next to this file)


def _export(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {"version": 3, "deployment": {"resources": resources}}


def many_resources(seed: list[dict[str, Any]], stack: str, megabytes: int) -> str:
    """The seed's resources repeated under new stack names until the file reaches the size."""
    copies = max(1, megabytes * 2**20 // len(json.dumps(_export(seed))))
    seed_text = json.dumps(seed)
    resources: list[dict[str, Any]] = []
    for copy in range(copies):
        resources.extend(
            json.loads(seed_text.replace(f"urn:pulumi:{stack}::", f"urn:pulumi:c{copy}::"))
        )
    return json.dumps(_export(resources))


def huge_string(megabytes: int) -> str:
    resource = {
        "urn": "urn:pulumi:dev::bascule::azure-native:storage:StorageAccount::big",
        "custom": True,
        "type": "azure-native:storage:StorageAccount",
        "inputs": {"location": "francecentral", "description": "x" * (megabytes * 2**20)},
    }
    return json.dumps(_export([resource]))


def deep_nesting(depth: int) -> str:
    return '{"version": 3, "deployment": {"resources": [' + "[" * depth + "]" * depth + "]}}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=int, default=100, help="size of the large files (MB)")
    parser.add_argument("--stack", default="prod", help="stack whose synth seeds the resources")
    parser.add_argument("-o", "--output", metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--markdown", metavar="FILE", help="also write a Markdown table")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bascule-hostile-") as tmp:
        directory = Path(tmp)
        seed_file = directory / "prod.json"
        subprocess.run(
            [*BASCULE, "synth", args.stack, "-o", str(seed_file), "--no-cache"],
            cwd=ROOT,
            check=True,
            stderr=subprocess.DEVNULL,
        )
        seed = json.loads(seed_file.read_text())["deployment"]["resources"]
        files = {
            f"{args.mb} MB of resources": many_resources(seed, args.stack, args.mb),
            f"one {args.mb} MB string": huge_string(args.mb),
            "nested 100,000 deep": deep_nesting(100_000),
        }
        for label, text in files.items():
            (directory / "file.json").write_text(text)
            rows.append(_measure(label, directory, len(text)))
        (directory / "file.json").write_bytes(b'{"version": 3, "deployment": \xff\xfe}')
        rows.append(_measure("not UTF-8", directory, 32))
        limit = max(1, args.mb // 2)
        large = files[f"{args.mb} MB of resources"]
        (directory / "file.json").write_text(large)
        oversize = {"BASCULE_MAX_SNAPSHOT_MB": str(limit)}
        rows.append(_measure(f"over a {limit} MB limit", directory, len(large), oversize))
    for row in rows:
        print(
            f"{row['file']:<28} {row['megabytes']:>7.1f} MB | "
            + " | ".join(
                f"{step} {row[step]['seconds']:.2f}s {row[step]['peakMb']:.0f}MB "
                f"exit {row[step]['exit']}"
                + (f" ({row[step]['error']})" if row[step].get("error") else "")
                for step in ("inventory", "policy")
            )
        )
    if args.output:
        Path(args.output).write_text(json.dumps(rows, indent=2) + "\n")
    if args.markdown:
        Path(args.markdown).write_text(markdown(rows))
    return 0


def markdown(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| file | size | inventory | policy --in-process | answer |",
        "|---|---:|---:|---:|---|",
    ]
    for row in rows:
        inv, pol = row["inventory"], row["policy"]
        answer = f"exit 2: `{pol['error']}`" if pol["error"] else f"exit {pol['exit']} (report)"
        lines.append(
            f"| {row['file']} | {row['megabytes']} MB "
            f"| {inv['seconds']:.2f} s / {inv['peakMb']:.0f} MB "
            f"| {pol['seconds']:.2f} s / {pol['peakMb']:.0f} MB | {answer} |"
        )
    return "\n".join(lines) + "\n"


def _measure(label: str, directory: Path, size: int, env: dict[str, str] | None = None) -> dict:
    import os

    saved = {k: os.environ.get(k) for k in env or {}}
    os.environ.update(env or {})
    try:
        row: dict[str, Any] = {"file": label, "megabytes": round(size / 2**20, 1)}
        row["inventory"] = measure([*BASCULE, "inventory", "file.json"], directory)
        row["policy"] = measure([*BASCULE, "policy", "file.json", "--in-process"], directory)
        return row
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


if __name__ == "__main__":
    sys.exit(main())
