"""Writing a plan's files (plan.json, one rclone configuration per job) and its summary."""

from __future__ import annotations

import json
from pathlib import Path

from bascule.errors import UsageError
from bascule.transfer.model import PLAN_FILE, Plan, plan_document
from bascule.transfer.rclone_config import Secret, rclone_config_text, secrets_of


def write_plan(plan: Plan, directory: Path) -> list[Path]:
    files = {PLAN_FILE: json.dumps(plan_document(plan), indent=2, sort_keys=True) + "\n"}
    for job in plan.jobs:
        files[job.rclone_config] = rclone_config_text(plan, job)
    written = []
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            path = directory / name
            path.write_text(text, encoding="utf-8")
            written.append(path)
    except OSError as err:
        raise UsageError(f"{directory}: cannot write the plan: {err.strerror or err}") from None
    return written


def describe_plan(plan: Plan) -> str:
    lines = [
        f"Transfer plan: stack {plan.stack}, wave {plan.wave}, {len(plan.datasets)} datasets "
        f"in {len(plan.jobs)} jobs",
        f"Transport: source {plan.transport['source']}, target {plan.transport['target']}",
    ]
    if "loopback-http" in (plan.transport["source"], plan.transport["target"]):
        lines.append("  (loopback rehearsal: plain http on 127.0.0.1 only, never a real run)")
    lines.append(f"A real run: {plan.transport['realRun']}")
    for job in plan.jobs:
        lines += [
            "",
            f"Job {job.id} (rclone config {job.rclone_config})",
            f"  source identity: {job.source_identity.kind} {job.source_identity.name}",
            f"  target identity: {job.target_identity.kind} {job.target_identity.name}",
            f"  target: {job.target_auth_url}"
            + (f", region {job.target_region}" if job.target_region else ""),
        ]
        for d in job.datasets:
            lines.append(
                f"  {d.name} ({d.classification}): {d.source.account}/{d.source.container} -> "
                f"{d.target.container} [policy {d.target.storage_policy}, key "
                f"{d.target.key or 'none'} in {d.target.key_store or 'none'}]"
            )
        lines.append("  environment:")
        lines += [f"    {s.variable}: {s.role}" for s in _unique(secrets_of(plan, job))]
    return "\n".join(lines) + "\n"


def _unique(secrets: tuple[Secret, ...]) -> list[Secret]:
    seen: dict[str, Secret] = {}
    for secret in secrets:
        seen.setdefault(secret.variable, secret)
    return list(seen.values())
