"""rclone's configuration for one job, and the environment that carries its secrets.

The file holds no secret: each secret option is named in a comment with the variable it
comes from. `run` and `verify` read the job's variables (BASCULE_TRANSFER_W<N>_<JOB>_...) and
pass them to rclone as RCLONE_CONFIG_<REMOTE>_<OPTION>, rclone's own way of reading a config
value from the environment; every other BASCULE_TRANSFER_ and RCLONE_CONFIG_ variable is
removed from the child's environment, so a job's rclone never sees another job's identity.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from bascule.errors import BadInputError
from bascule.transfer.model import DatasetJob, Job, Plan
from bascule.transfer.transport import transport_of

ENV_PREFIXES = ("BASCULE_TRANSFER_", "RCLONE_CONFIG_")
SOURCE_SAS_PERMISSIONS = set("rl")  # read and list: the source is never written


@dataclass(frozen=True)
class Secret:
    remote: str
    option: str
    variable: str  # where bascule reads it
    role: str  # what it is, for messages

    @property
    def rclone_variable(self) -> str:
        return f"RCLONE_CONFIG_{self.remote.upper()}_{self.option.upper()}"


def _source_secrets(plan: Plan, job: Job, dataset: DatasetJob) -> Iterator[Secret]:
    env, remote = job.source_identity.env, dataset.source.remote
    if plan.source_auth == "sas":
        yield Secret(remote, "sas_url", env[f"sasUrl:{dataset.name}"], f"SAS URL of {dataset.name}")
    else:
        yield Secret(remote, "msi_client_id", env["clientId"], "managed identity client id")


def _target_secrets(plan: Plan, job: Job, dataset: DatasetJob) -> Iterator[Secret]:
    env, remote = job.target_identity.env, dataset.target.remote
    if plan.target_auth == "tempauth":
        yield Secret(remote, "user", env["user"], "Swift tempauth user")
        yield Secret(remote, "key", env["key"], "Swift tempauth key")
    else:
        yield Secret(remote, "application_credential_id", env["id"], "application credential id")
        yield Secret(
            remote, "application_credential_secret", env["secret"], "application credential"
        )


def secrets_of(plan: Plan, job: Job) -> tuple[Secret, ...]:
    try:
        return tuple(
            secret
            for dataset in job.datasets
            for secrets in (_source_secrets, _target_secrets)
            for secret in secrets(plan, job, dataset)
        )
    except KeyError as missing:
        raise BadInputError(
            f"job {job.id}: its identities name no variable for {missing}"
        ) from None


def _source_section(plan: Plan, dataset: DatasetJob) -> list[str]:
    lines = [f"[{dataset.source.remote}]", "type = azureblob"]
    if plan.source_auth == "msi":
        lines += [f"account = {dataset.source.account}", "use_msi = true"]
    return lines


def _target_section(plan: Plan, job: Job, dataset: DatasetJob) -> list[str]:
    lines = [
        f"[{dataset.target.remote}]",
        "type = swift",
        f"auth = {job.target_auth_url}",
        f"auth_version = {1 if plan.target_auth == 'tempauth' else 3}",
        # A container rclone would have to create gets the declared policy; run refuses to
        # start before the container exists with it anyway.
        f"storage_policy = {dataset.target.storage_policy}",
    ]
    if plan.target_auth == "keystone":
        lines.append("endpoint_type = public")
        if job.target_region:
            lines.append(f"region = {job.target_region}")
    return lines


def rclone_config_text(plan: Plan, job: Job) -> str:
    header = [
        f"# bascule transfer: stack {plan.stack}, wave {plan.wave}, job {job.id}.",
        "# No secret is in this file. `bascule transfer run` sets each secret below from the",
        "# variable named with it, as rclone's RCLONE_CONFIG_<REMOTE>_<OPTION>.",
    ]
    secrets = secrets_of(plan, job)
    sections: list[str] = []
    for dataset in job.datasets:
        for lines, remote in (
            (_source_section(plan, dataset), dataset.source.remote),
            (_target_section(plan, job, dataset), dataset.target.remote),
        ):
            sections += ["", *lines]
            sections += [
                f"# {s.option}: from {s.variable} ({s.role})" for s in secrets if s.remote == remote
            ]
    return "\n".join(header + sections) + "\n"


def _check_sas(plan: Plan, dataset: DatasetJob, secret: Secret, url: str) -> None:
    what = f"{secret.variable} ({secret.role})"
    transport_of(url, what, allow_loopback_http=plan.transport.get("source") == "loopback-http")
    parts = urlsplit(url)
    expected = f"{dataset.source.endpoint}/{dataset.source.container}"
    if f"{parts.scheme}://{parts.netloc}{parts.path}".rstrip("/") != expected:
        raise BadInputError(f"{what}: not a SAS for {expected}")
    permissions = set("".join(parse_qs(parts.query).get("sp", [])))
    if not permissions or not permissions <= SOURCE_SAS_PERMISSIONS:
        raise BadInputError(
            f"{what}: permissions {''.join(sorted(permissions)) or 'none'}; "
            "a source SAS grants read and list (sp=rl) only"
        )


def job_environment(
    plan: Plan, job: Job, environ: Mapping[str, str]
) -> tuple[dict[str, str], tuple[str, ...]]:
    """The child environment for this job's rclone, and the secret values (to redact)."""
    child = {k: v for k, v in environ.items() if not k.startswith(ENV_PREFIXES)}
    values: list[str] = []
    datasets = {d.source.remote: d for d in job.datasets}
    for secret in secrets_of(plan, job):
        value = environ.get(secret.variable, "")
        if not value:
            raise BadInputError(f"job {job.id}: {secret.variable} ({secret.role}) is not set")
        if secret.option == "sas_url":
            _check_sas(plan, datasets[secret.remote], secret, value)
        child[secret.rclone_variable] = value
        values.append(value)
    return child, tuple(values)
