"""What `run` and `verify` share: the plan's endpoints re-checked, each job's environment,
rclone and a logged-in Swift session."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from bascule.errors import BadInputError
from bascule.transfer.model import Job, Plan
from bascule.transfer.rclone import Rclone, Redactor, find_rclone, rclone_version
from bascule.transfer.rclone_config import job_environment
from bascule.transfer.swift import SwiftSession, login
from bascule.transfer.transport import LOOPBACK_HTTP, transport_of


@dataclass(frozen=True)
class JobSession:
    job: Job
    rclone: Rclone
    swift: SwiftSession
    rclone_version: str


def check_endpoints(plan: Plan, *, allow_loopback_http: bool) -> None:
    """Every endpoint of the plan again: a plan file cannot grant itself plain http."""
    if LOOPBACK_HTTP in plan.transport.values() and not allow_loopback_http:
        raise BadInputError(
            f"{plan.path_of('plan.json')}: a loopback-http rehearsal plan needs "
            "--allow-loopback-http"
        )
    for job in plan.jobs:
        transport_of(
            job.target_auth_url,
            f"job {job.id}: target auth URL",
            allow_loopback_http=allow_loopback_http,
        )
        for dataset in job.datasets:
            transport_of(
                dataset.source.endpoint,
                f"dataset {dataset.name}: source endpoint",
                allow_loopback_http=allow_loopback_http,
            )


def open_job(
    plan: Plan, job: Job, *, allow_loopback_http: bool, environ: Mapping[str, str] | None = None
) -> JobSession:
    environ = os.environ if environ is None else environ
    config = plan.path_of(job.rclone_config)
    if not config.is_file():
        raise BadInputError(f"{config}: rclone configuration of job {job.id} not found")
    child_env, secrets = job_environment(plan, job, environ)
    credential = {role: environ[variable] for role, variable in job.target_identity.env.items()}
    swift = login(
        plan.target_auth,
        job.target_auth_url,
        job.target_region,
        credential,
        allow_loopback_http=allow_loopback_http,
    )
    binary = find_rclone()
    version = rclone_version(binary)
    rclone = Rclone(binary, config, child_env, plan.rclone, Redactor(secrets))
    return JobSession(job, rclone, swift, version)
