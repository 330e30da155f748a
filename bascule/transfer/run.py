"""`bascule transfer run`: copy every dataset of the plan with rclone.

Before anything is copied, each target container must exist with the declared storage
policy, key and versioning (Pulumi creates it; rclone would create one on the default
policy). rclone copies with checksums, bounded retries and timeouts; a rerun copies only what
is missing or different. Objects the last verification found different or uncheckable are
copied again unconditionally: rclone compares listings, and Swift's listing keeps the ETag of
the upload even when the stored bytes changed since. Every object gets a line in
logs/<dataset>.objects.jsonl: copied, replaced, unchanged or failed.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO

from bascule.transfer.compare import CONTENT, SIZE, UNCHECKED, container_findings
from bascule.transfer.manifest import DIRECTORY, MANIFEST_FILE
from bascule.transfer.model import DatasetJob, Plan
from bascule.transfer.rclone import RcloneError
from bascule.transfer.session import JobSession, check_endpoints, open_job
from bascule.transfer.swift import SwiftError
from bascule.transfer.transport import unreachable

LOGS = "logs"
RECOPY_KINDS = {CONTENT, SIZE, UNCHECKED}


def previous_failures(plan: Plan) -> dict[str, list[str]]:
    """Dataset -> objects the last verification found different or could not check."""
    path = plan.path_of(DIRECTORY) / MANIFEST_FILE
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    found: dict[str, list[str]] = {}
    for failure in document.get("failures", []) if isinstance(document, dict) else []:
        if (
            isinstance(failure, dict)
            and failure.get("kind") in RECOPY_KINDS
            and failure.get("object")
        ):
            found.setdefault(str(failure["dataset"]), []).append(str(failure["object"]))
    return found


def object_log(log_text: str, listed: Mapping[str, int]) -> list[dict[str, Any]]:
    """One entry per source object from rclone's JSON log (INFO: copies, errors)."""
    actions: dict[str, dict[str, Any]] = {}
    for line in log_text.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        name, message = entry.get("object"), str(entry.get("msg", ""))
        if not isinstance(name, str) or name not in listed:
            continue
        if entry.get("level") == "error":
            actions[name] = {"action": "failed", "message": message.strip()}
        elif message.startswith("Copied (replaced"):
            actions[name] = {"action": "replaced"}
        elif message.startswith("Copied"):
            actions[name] = {"action": "copied"}
    return [
        {"object": name, "size": size, **actions.get(name, {"action": "unchanged"})}
        for name, size in sorted(listed.items())
    ]


def _copy_dataset(
    session: JobSession, dataset: DatasetJob, logs: Path, recopy: list[str], progress: bool
) -> tuple[bool, str]:
    rclone = session.rclone
    source = f"{dataset.source.remote}:{dataset.source.container}"
    target = f"{dataset.target.remote}:{dataset.target.container}"
    log_file = logs / f"{dataset.name}.log"
    log_file.unlink(missing_ok=True)
    down = unreachable(dataset.source.endpoint)
    if down:
        return False, f"{dataset.name}: source endpoint {down}"
    try:
        listed = {str(e["Path"]): int(e["Size"]) for e in rclone.lsjson(source)}
    except RcloneError as err:
        return False, f"{dataset.name}: cannot list the source: {err}"
    code, stderr = rclone.copy(source, target, log_file, progress=progress)
    if recopy and code == 0:
        code, stderr = rclone.copy(source, target, log_file, progress=progress, files_from=recopy)
    text = rclone.redact(log_file.read_text(encoding="utf-8")) if log_file.exists() else ""
    log_file.write_text(text, encoding="utf-8")
    entries = object_log(text, listed)
    with (logs / f"{dataset.name}.objects.jsonl").open("w", encoding="utf-8") as out:
        out.writelines(json.dumps(e, sort_keys=True) + "\n" for e in entries)
    counts = {
        a: sum(1 for e in entries if e["action"] == a)
        for a in ("copied", "replaced", "unchanged", "failed")
    }
    summary = ", ".join(f"{n} {a}" for a, n in counts.items())
    ok = code == 0 and counts["failed"] == 0
    tail = ""
    if not ok:
        last = stderr.strip().splitlines()[-1] if stderr.strip() else f"see {log_file}"
        tail = f"; rclone exit {code}: {last}"
    return ok, f"{dataset.name}: {len(listed)} objects: {summary} (log {log_file}){tail}"


def _refusals(session: JobSession) -> list[str]:
    """Why the job's target containers cannot receive its datasets (none: go ahead)."""
    messages = []
    for dataset in session.job.datasets:
        try:
            headers = session.swift.container_headers(dataset.target.container)
        except SwiftError as err:
            messages.append(f"container {dataset.target.container}: {err}")
            continue
        messages += [f.message for f in container_findings(dataset, headers)]
    return messages


def run_plan(plan: Plan, *, allow_loopback_http: bool, out: TextIO) -> int:
    check_endpoints(plan, allow_loopback_http=allow_loopback_http)
    logs = plan.path_of(LOGS)
    logs.mkdir(parents=True, exist_ok=True)
    recopy = previous_failures(plan)
    progress = sys.stderr.isatty()
    ok = True
    for job in plan.jobs:
        session = open_job(plan, job, allow_loopback_http=allow_loopback_http)
        refused = _refusals(session)
        if refused:
            for message in refused:
                print(f"refused: {message}", file=out)
            ok = False
            continue
        print(f"job {job.id}: {len(job.datasets)} datasets", file=out)
        for dataset in job.datasets:
            done, line = _copy_dataset(
                session, dataset, logs, recopy.get(dataset.name, []), progress
            )
            ok = ok and done
            print(f"  {line}", file=out)
    print("transfer run: " + ("complete" if ok else "INCOMPLETE"), file=out)
    return 0 if ok else 1
