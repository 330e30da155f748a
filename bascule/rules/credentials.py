"""MIG-016: every bearer credential of either estate ends, and soon.

What each kind says about its end, from the provider schemas (read 2026-12-02):
- `expiresAt` (RFC 3339): OpenStack application credentials (pulumi-openstack 5.5.3:
  "if omitted, an application credential will never expire") and Scaleway IAM API keys
  (pulumiverse-scaleway 1.60).
- `endDate` (RFC 3339), or the deprecated `endDateRelative` (a Go duration, "240h",
  "2400h30m"): Entra ID application and service principal passwords and certificates, and
  the `password` block of an application (pulumi-azuread 6.10.0 schema). A password with
  neither is given two years by Entra ID ("startDateTime + 2 years", Microsoft Graph
  `application: addPassword`, learn.microsoft.com/graph/api/application-addpassword, read
  2026-12-02); a certificate's then comes from the certificate, which a snapshot does not
  show.
- Nothing: OpenStack EC2 credentials (pulumi-openstack 5.5.3 `identity.Ec2CredentialV3`:
  project, region, user; Keystone keeps them until deleted) and OVHcloud S3 credentials
  (pulumi-ovh 2.22.0 `CloudProject.S3Credential`: service name, user). Both are access and
  secret keys to the object store the data lands in: they cannot be bounded, so they fail.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from bascule.rules import props as p
from bascule.rules.base import Enforcement, Param, ResourceView, Rule, Severity
from bascule.rules.qualification import CHECK_DATE, check_date
from bascule.rules.transfer import APP_CREDENTIAL

# A Scaleway IAM API key (an application's or a user's): a bearer credential like the above.
SCW_API_KEYS = ("scaleway:iam/apiKey:ApiKey", "scaleway:index/iamApiKey:IamApiKey")
ENTRA_PASSWORDS = (
    "azuread:index/applicationPassword:ApplicationPassword",
    "azuread:index/servicePrincipalPassword:ServicePrincipalPassword",
)
ENTRA_CERTIFICATES = (
    "azuread:index/applicationCertificate:ApplicationCertificate",
    "azuread:index/servicePrincipalCertificate:ServicePrincipalCertificate",
)
ENTRA_APPLICATION = "azuread:index/application:Application"
EC2_CREDENTIAL = "openstack:identity/ec2CredentialV3:Ec2CredentialV3"
OVH_S3_CREDENTIAL = "ovh:CloudProject/s3Credential:S3Credential"
ENTRA_DEFAULT_DAYS = 730  # Microsoft Graph addPassword: startDateTime + 2 years


@dataclass(frozen=True)
class Expiry:
    """Where a kind says when it ends, and what it means when it says nothing."""

    field: str | None  # a dotted path; None: the kind has no end at all
    unset: str  # the finding when `field` is not set (or the kind has none)
    relative: str | None = None  # a lifetime from its start, read when `field` is not set
    default_days: int | None = None  # the lifetime the service gives when nothing is set


_NEVER = "is not set: the credential never expires"
_ENTRA = Expiry(
    "endDate",
    "endDate is not set: Entra ID ends the password two years after its start",
    relative="endDateRelative",
    default_days=ENTRA_DEFAULT_DAYS,
)
EXPIRY: Mapping[str, Expiry] = {
    APP_CREDENTIAL: Expiry("expiresAt", f"expiresAt {_NEVER}"),
    **dict.fromkeys(SCW_API_KEYS, Expiry("expiresAt", f"expiresAt {_NEVER}")),
    **dict.fromkeys(ENTRA_PASSWORDS, _ENTRA),
    **dict.fromkeys(
        ENTRA_CERTIFICATES,
        Expiry(
            "endDate",
            "cannot verify when it expires: endDate is not set and Entra ID then takes the "
            "certificate's own end, which the snapshot does not show",
            relative="endDateRelative",
        ),
    ),
    ENTRA_APPLICATION: Expiry(
        "password.endDate", f"password.{_ENTRA.unset}", default_days=ENTRA_DEFAULT_DAYS
    ),
    EC2_CREDENTIAL: Expiry(
        None, "an EC2 credential cannot expire (Keystone keeps it until it is deleted)"
    ),
    OVH_S3_CREDENTIAL: Expiry(
        None, "an OVHcloud S3 credential cannot expire (it lasts until it is deleted)"
    ),
}
_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")
_UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}


def _parse_time(value: str) -> dt.datetime | None:
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)


def parse_duration(value: str) -> dt.timedelta | None:
    """A Go duration without sign ("240h", "2400h30m", "1.5h"), as endDateRelative takes."""
    text = value.strip()
    if not text or _DURATION_PART.sub("", text):
        return None
    seconds = sum(float(n) * _UNIT_SECONDS[u] for n, u in _DURATION_PART.findall(text))
    return dt.timedelta(seconds=seconds)


def _is_set(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip()) and not p.is_unknown(value)


def _limit(params: Mapping[str, Any]) -> int:
    return p.to_int(params["maxLifetimeDays"]) or 0


def _check_end(field: str, value: str, params: Mapping[str, Any]) -> Iterator[str]:
    expires = _parse_time(value)
    if expires is None:
        yield f"cannot verify when it expires: {field} '{value}' is not an RFC 3339 time"
        return
    on = check_date(params)
    if isinstance(on, str):
        yield on
        return
    limit = _limit(params)
    latest = dt.datetime.combine(on + dt.timedelta(days=limit), dt.time.max, tzinfo=dt.UTC)
    if expires > latest:
        yield (
            f"{field} {value} is more than {limit} days after {on.isoformat()}: set it to "
            "the wave's cutover date"
        )


def _check_lifetime(field: str, value: Any, params: Mapping[str, Any]) -> Iterator[str]:
    lifetime = parse_duration(value) if isinstance(value, str) else None
    if lifetime is None:
        yield f"cannot verify when it expires: {field} '{value}' is not a duration like 240h"
    elif lifetime > dt.timedelta(days=_limit(params)):
        yield (
            f"{field} {value} is longer than {_limit(params)} days: set endDate to the "
            "wave's cutover date"
        )


def _check_unset(expiry: Expiry, params: Mapping[str, Any]) -> Iterator[str]:
    if expiry.default_days is None:
        yield expiry.unset
    elif expiry.default_days > _limit(params):
        yield f"{expiry.unset}, more than {_limit(params)} days"


def _check_expiry(view: ResourceView, params: Mapping[str, Any]) -> Iterator[str]:
    expiry = EXPIRY.get(view.type)
    if expiry is None:
        return
    if expiry.field is None:
        yield expiry.unset
        return
    if view.type == ENTRA_APPLICATION and view.props.get("password") is None:
        return  # no password block: the application holds no secret of its own
    value = p.get(view.props, expiry.field)
    if _is_set(value):
        yield from _check_end(expiry.field, value, params)
        return
    relative = view.props.get(expiry.relative) if expiry.relative else None
    if p.is_unknown(value) or p.is_unknown(relative):
        return  # computed at preview: the export's value is checked
    if relative is not None:
        yield from _check_lifetime(str(expiry.relative), relative, params)
    else:
        yield from _check_unset(expiry, params)


MIG_016 = Rule(
    id="MIG-016",
    slug="transfer-credential-expiry",
    severity=Severity.MEDIUM,
    enforcement=Enforcement.MANDATORY,
    description=(
        "Every bearer credential expires, at most `maxLifetimeDays` after the check date "
        "(bascule sets a wave's to its cutover date): OpenStack application credentials, "
        "Scaleway IAM API keys, Entra ID application and service principal passwords and "
        "certificates; OpenStack EC2 and OVHcloud S3 credentials, which cannot expire, fail."
    ),
    remediation=(
        "Set `expiresAt` (RFC 3339, UTC) on the identity.ApplicationCredential or the "
        "iam.ApiKey, `endDate` on the Entra ID password or certificate; replace an EC2 or S3 "
        "credential by an application credential with an expiry."
    ),
    secnumcloud=("9.5",),
    hds=("hds-security",),
    params={
        "checkDate": CHECK_DATE,
        "maxLifetimeDays": Param(p.int_schema(1), 180, "Longest credential lifetime (days)."),
    },
    resource_check=_check_expiry,
    applies_to=tuple(EXPIRY),
    rationale=(
        "A credential without an expiry outlives its wave: a copy left on a VM, in a log or "
        "in a backup stays valid long after the transfer ended, and an EC2 or S3 key pair "
        "reaches the same object store as the application credential it stands in for. "
        "SecNumCloud 9.5 asks for authentication means bounded in time; bascule ends them "
        "at the wave's cutover."
    ),
)

RULES = (MIG_016,)
