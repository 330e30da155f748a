#!/usr/bin/env python3
"""Benchmark: bascule synth / policy / parity / check against checkov, as estates grow.

    .venv/bin/python bench/run.py                      # 100, 300, 1000, 3000 enclaves
    .venv/bin/python bench/run.py --sizes 100 300 --no-checkov
    .venv/bin/python bench/run.py --stack scaleway --sizes 100 -o bench/results-scaleway.json

Each size is the prod stack (or `--stack scaleway`: prod with the target on Scaleway) with its
enclave fleets scaled to N enclaves (both estates).
Every command runs as its own process, timed wall-clock, with the peak RSS of its largest
process and of all its processes together. checkov runs in the same session on the same
resources: the Terraform-plan export of the target estate plus the ARM export of the source
(export time not counted). Prints a table and writes the figures as JSON (default
bench/results.json).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from shutil import rmtree
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
BASCULE = [sys.executable, "-m", "bascule"]
PROGRAM_FILES = ("Pulumi.yaml", "__main__.py", "components")
BASES = ("prod", "scaleway")  # the bundled stacks scaled_stack can grow


def scaled_stack(directory: Path, enclaves: int, base: str = "prod") -> Path:
    """A project dir holding the program and `Pulumi.bench<N>.yaml` with N enclaves, from
    `Pulumi.<base>.yaml`."""
    for name in PROGRAM_FILES:
        (directory / name).symlink_to(ROOT / name)
    doc = yaml.safe_load((ROOT / f"Pulumi.{base}.yaml").read_text())
    config = doc["config"]
    fleets = config["bascule:enclaveFleets"]
    total = sum(f["count"] for f in fleets)
    if enclaves < len(fleets):
        raise SystemExit(f"bench: at least {len(fleets)} enclaves (one per fleet)")
    # One per fleet, the rest in proportion (largest remainders), for an exact total.
    shares = [(enclaves - len(fleets)) * f["count"] / total for f in fleets]
    counts = [1 + int(share) for share in shares]
    by_remainder = sorted(range(len(fleets)), key=lambda i: shares[i] - int(shares[i]))
    for i in reversed(by_remainder[len(fleets) - (enclaves - sum(counts)) :]):
        counts[i] += 1
    for fleet, count in zip(fleets, counts, strict=True):
        fleet["count"] = count
    generated = {f"{f['prefix']}-{i:03d}" for f in fleets for i in range(1, f["count"] + 1)}
    config["bascule:enclaves"] = [
        e for e in config["bascule:enclaves"] if e["name"] in generated or "zone" in e
    ]
    path = directory / f"Pulumi.bench{enclaves}.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    # The base's recorded derogations, on this stack's URNs (bascule applies
    # policies/config/<stack>).
    recorded = (ROOT / "policies" / "config" / f"{base}.json").read_text()
    (directory / "policies" / "config").mkdir(parents=True)
    (directory / "policies" / "config" / f"bench{enclaves}.json").write_text(
        recorded.replace(f"urn:pulumi:{base}::", f"urn:pulumi:bench{enclaves}::")
    )
    return path


def measure(
    command: list[str], cwd: Path, repeat: int = 1, before: Callable[[], object] | None = None
) -> dict[str, Any]:
    """The fastest of `repeat` runs of one command (`before` each): on a shared machine the
    minimum is the run least slowed by other work."""
    runs = []
    for _ in range(repeat):
        if before is not None:
            before()
        runs.append(_measure_once(command, cwd))
    return min(runs, key=lambda r: float(r["seconds"]))


def _measure_once(command: list[str], cwd: Path) -> dict[str, Any]:
    """Wall time, peak RSS of the largest process and of all processes together (sampled),
    of one command, in a fresh wrapper process (bench/probe.py)."""
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "probe.py"), *command],
        cwd=cwd, capture_output=True, text=True,
    )  # fmt: skip
    seconds, peak_kb, tree_kb, code = out.stdout.split()
    errors = [line for line in out.stderr.splitlines() if line.startswith("bascule: error:")]
    return {"seconds": round(float(seconds), 3), "peakMb": round(int(peak_kb) / 1024, 1),
            "allProcessesPeakMb": round(int(tree_kb) / 1024, 1),
            "exit": int(code), "synthReused": "unchanged, reusing" in out.stderr,
            "error": errors[-1][len("bascule: error: "):] if errors else ""}  # fmt: skip


def checkov_run(directory: Path, snapshot: Path, repeat: int = 1) -> dict[str, Any]:
    from bascule.checkov.venv import checkov_command
    from bascule.export.arm import to_arm
    from bascule.export.tfplan import to_tfplan
    from bascule.snapshot.load import load_snapshot

    snap = load_snapshot(snapshot)
    plan, arm = to_tfplan(snap), to_arm(snap)
    (directory / "plan.json").write_text(json.dumps(plan.document))
    (directory / "arm.json").write_text(json.dumps(arm.document))
    checkov = checkov_command()
    common = ["--skip-download", "--quiet", "--compact", "-o", "json"]
    tf = measure(
        [*checkov, "-f", "plan.json", "--framework", "terraform_plan", *common], directory, repeat
    )
    az = measure([*checkov, "-f", "arm.json", "--framework", "arm", *common], directory, repeat)
    return {
        "seconds": round(tf["seconds"] + az["seconds"], 3),
        "peakMb": max(tf["peakMb"], az["peakMb"]),
        "allProcessesPeakMb": max(tf["allProcessesPeakMb"], az["allProcessesPeakMb"]),
        "resources": len(plan.urns) + len(arm.urns),
    }


def slope(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of log(time) against log(size)."""
    if len(points) < 2:
        return None
    xs, ys = [math.log(x) for x, _ in points], [math.log(y) for _, y in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return round(sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den, 3)


STEPS = ("synth", "policyGrpc", "policy", "parity", "checkGrpc", "checkCold", "checkWarm")
# The check variants compared with checkov: the engine's protocol, and the default cold and warm.
CHECKS = ("checkGrpc", "checkCold", "checkWarm")


def _load() -> float | None:
    """The 1-minute load average: other work on the machine slows both tools alike, but
    a busy machine's absolute figures are not this tool's."""
    return round(os.getloadavg()[0], 1) if hasattr(os, "getloadavg") else None


def measure_size(
    enclaves: int, with_checkov: bool, repeat: int = 1, base: str = "prod"
) -> dict[str, Any]:
    """One row: every step at one size, in a fresh project, cache and output directory."""
    with tempfile.TemporaryDirectory(prefix="bascule-bench-") as tmp:
        # Outputs stay out of the project: a new file there would be a change to the cache.
        project, out, cache = Path(tmp) / "project", Path(tmp) / "out", Path(tmp) / "cache"
        project.mkdir()
        out.mkdir()
        os.environ["BASCULE_CACHE_DIR"] = str(cache)
        os.environ.pop("BASCULE_NO_CACHE", None)
        os.environ.pop("BASCULE_SYNTH_PARALLEL", None)  # the default: one process per estate
        os.environ.pop("CI", None)  # the cache is off in CI; the warm runs measure it
        stack = scaled_stack(project, enclaves, base).name
        snapshot = str(out / "snapshot.json")
        row: dict[str, Any] = {"enclaves": enclaves, "stack": base}

        def timed(step: str, *args: str, before: Callable[[], object] | None = None) -> None:
            row[step] = measure([*BASCULE, *args], project, repeat, before)

        timed("synth", "synth", stack, "-o", snapshot, "--no-cache")
        row["resources"] = len(json.loads(Path(snapshot).read_text())["deployment"]["resources"])
        # A snapshot carries no stack policy config: give prod's derogations explicitly.
        recorded = str(project / "policies" / "config" / f"bench{enclaves}.json")
        timed("policyGrpc", "policy", snapshot, "--grpc", "--policy-config", recorded)
        timed("policy", "policy", snapshot, "--policy-config", recorded)  # in bascule's process
        timed("parity", "parity", snapshot)
        # As `pulumi preview` would run the packs, never reusing a synth.
        timed("checkGrpc", "check", stack, "--grpc", "--no-cache")
        # The default with an empty cache (emptied before each run): synth, store.
        timed("checkCold", "check", stack, before=lambda: rmtree(cache, ignore_errors=True))
        timed("checkWarm", "check", stack)  # the same, project unchanged: synth reused
        if with_checkov:
            row["checkov"] = checkov_run(out, Path(snapshot), repeat)
            for step in CHECKS:
                row[f"{step}OverCheckov"] = round(
                    row[step]["seconds"] / row["checkov"]["seconds"], 3
                )
        row["checkResourcesPerSecond"] = round(row["resources"] / row["checkCold"]["seconds"], 1)
        return row


def run(
    sizes: list[int], with_checkov: bool, repeat: int = 1, base: str = "prod"
) -> dict[str, Any]:
    load_before = _load()
    rows = []
    for enclaves in sizes:
        rows.append(measure_size(enclaves, with_checkov, repeat, base))
        print(_line(rows[-1]), flush=True)
    help_time = measure([*BASCULE, "--help"], ROOT, repeat)["seconds"]
    return {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "memoryGb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
            "loadAverage": {"start": load_before, "end": _load()},
        },
        "repeat": repeat,
        "stack": base,
        "rows": rows,
        "slopes": {
            step: slope([(r["resources"], r[step]["seconds"]) for r in rows])
            for step in (*STEPS, "checkov")
            if len(rows) >= 2 and all(step in r for r in rows)
        },
        "helpSeconds": help_time,
    }


def _line(row: dict[str, Any]) -> str:
    parts = [f"{row['enclaves']:>5} enclaves {row['resources']:>6} resources"]
    for step in (*STEPS, "checkov"):
        if step in row:
            parts.append(f"{step} {row[step]['seconds']:.2f}s {row[step]['peakMb']:.0f}MB")
    for step in CHECKS:
        if f"{step}OverCheckov" in row:
            parts.append(f"{step}/checkov {row[f'{step}OverCheckov']:.2f}")
    return " | ".join(parts)


def _load_text(machine: dict[str, Any]) -> str:
    load = machine.get("loadAverage")
    if not load:
        return "not recorded by this run"
    return f"{load['start']} at the start, {load['end']} at the end"


def _repeat_text(results: dict[str, Any]) -> str:
    repeat = results.get("repeat", 1)
    return f"; each figure the fastest of {repeat} runs" if repeat > 1 else ""


def markdown(results: dict[str, Any]) -> str:
    machine = results["machine"]
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {machine['cpus']} CPUs, {machine['memoryGb']} GiB, Python "
        f"{machine['python']}, {machine['platform']}; 1-minute load average "
        f"{_load_text(machine)}{_repeat_text(results)}. "
        "Produced by `bench/run.py`: "
        "wall-clock seconds, and peak RSS (MB) of each command's largest process; where "
        "the command's processes together peak higher (sampled every 20 ms), that sum follows "
        'as "all" (the policy packs\' analyzers, the second synth process).',
        "",
        "- **synth**: `bascule synth STACK --no-cache`",
        "- **policy gRPC**: `bascule policy SNAPSHOT --grpc`, the packs' analyzer processes "
        "over gRPC (what `pulumi preview --policy-pack` runs); **policy**: the default, the "
        "same packs' servicers in bascule's process",
        "- **check gRPC**: `bascule check STACK --grpc --no-cache` (synth, packs over gRPC, "
        "parity)",
        "- **check cold**: `bascule check STACK` (the default) with an empty synth cache; "
        "**warm**: the same command again, the project unchanged (synth result reused)",
        "- **checkov**: checkov alone on the same resources (Terraform-plan export of the "
        "target plus ARM export of the source, export time not counted)",
        "",
        "| enclaves | resources | synth | policy gRPC | policy | parity | check gRPC "
        "| check cold | check warm | checkov |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def cell(row: dict[str, Any], step: str) -> str:
        if step not in row:
            return "-"
        figures = row[step]
        cell = f"{figures['seconds']:.1f} s / {figures['peakMb']:.0f} MB"
        if figures["allProcessesPeakMb"] > figures["peakMb"] * 1.05:
            cell += f" ({figures['allProcessesPeakMb']:.0f} MB all)"
        return cell

    for row in results["rows"]:
        cells = [cell(row, step) for step in (*STEPS, "checkov")]
        lines.append(f"| {row['enclaves']} | {row['resources']} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Ratio to checkov's time on the same resources:",
        "",
        "| enclaves | check gRPC | check cold | check warm |",
        "|---:|---:|---:|---:|",
    ]
    for row in results["rows"]:
        ratios = [
            f"{row[f'{s}OverCheckov']:.2f}" if f"{s}OverCheckov" in row else "-" for s in CHECKS
        ]
        lines.append(f"| {row['enclaves']} | " + " | ".join(ratios) + " |")
    slopes = ", ".join(f"{step} {value}" for step, value in results["slopes"].items())
    lines += [
        "",
        f"Growth (log-log slope of time against resources): {slopes}. "
        f"`bascule --help`: {results['helpSeconds']} s.",
        "",
    ]
    return "\n".join(lines)


def readme_table(results: dict[str, Any]) -> str:
    """The README's headline figures, from a results document (a test keeps them in sync)."""

    def figure(row: dict[str, Any], step: str) -> str:
        if step not in row:
            return "-"
        seconds = row[step]["seconds"]
        ratio = row.get(f"{step}OverCheckov")
        return f"{seconds:.1f} s" + (f" ({ratio:.2f} x checkov)" if ratio is not None else "")

    lines = [
        "| enclaves (resources) | check, cold | check, warm | check --grpc, cold | checkov |",
        "|---|---:|---:|---:|---:|",
    ]
    for row in results["rows"]:
        checkov = f"{row['checkov']['seconds']:.1f} s" if "checkov" in row else "-"
        lines.append(
            f"| {row['enclaves']:,} ({row['resources']:,}) | {figure(row, 'checkCold')} | "
            f"{figure(row, 'checkWarm')} | {figure(row, 'checkGrpc')} | {checkov} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 300, 1000, 3000])
    parser.add_argument("--no-checkov", dest="checkov", action="store_false")
    parser.add_argument(
        "--stack",
        choices=BASES,
        default="prod",
        help="the stack scaled: prod, or prod with the target on Scaleway",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, metavar="N", help="keep the fastest of N runs of each"
    )
    parser.add_argument("-o", "--output", default=str(ROOT / "bench" / "results.json"))
    parser.add_argument("--markdown", metavar="FILE", help="also write a Markdown table")
    args = parser.parse_args(argv)
    results = run(args.sizes, args.checkov, args.repeat, args.stack)
    failed = [
        (row["enclaves"], step)
        for row in results["rows"]
        for step in STEPS
        if row[step]["exit"] not in (0, 1)
    ]
    print(f"log-log slopes: {results['slopes']}; --help {results['helpSeconds']:.2f}s")
    Path(args.output).write_text(json.dumps(results, indent=2) + "\n")
    if args.markdown:
        Path(args.markdown).write_text(markdown(results))
    if failed:
        print(f"bench: commands failed: {failed}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
