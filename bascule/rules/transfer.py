"""A wave's transfer identities and enclaves: least privilege on both ends.

- Azure: a user-assigned managed identity tagged `role=transfer-identity` (with its wave and
  its `transfer-job`) reads that wave's source accounts and nothing else. The built-in role
  Storage Blob Data Reader (2a2b9908-6ea1-4ae2-8e65-a410df84e7d1) reads blobs, lists
  containers and mints user-delegation keys, nothing more (its definition, quoted in
  MicrosoftDocs/azure-docs articles/role-based-access-control/role-definitions.md, read
  2026-12-01).
- OpenStack: an application credential named `<platform>-wave<N>-<job>-transfer` (the name
  `bascule transfer plan` refers to) with explicit roles, access rules (Keystone's
  `access_rules`: service, method, path with `*` and `**` wildcards, as pulumi_openstack's
  ApplicationCredentialAccessRule documents them) restricted to that wave's containers,
  no DELETE, not `unrestricted`, and an expiry.
- Scaleway: an IAM application of that name whose IAM policies (its groups' too) and bucket
  policies allow only listing, reading and writing objects of its wave's and job's buckets
  (bascule/rules/scw_transfer.py), and an API key with an expiry.
- The transfer enclaves (the Azure VMs holding those identities): no public address, and
  egress only to the tunnel's remote ranges, the source storage's private endpoints and the
  target's declared Keystone/Swift endpoints, over HTTPS.
- Pseudonymisation keys never leave their store: not exportable, no release policy, no
  transfer identity with a role on a vault, no transfer credential reaching Barbican.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from bascule.rules import props as p
from bascule.rules.base import (
    Enforcement,
    Finding,
    Param,
    ResourceView,
    Rule,
    Severity,
    StackResource,
)
from bascule.rules.check import Params, Resources, findings
from bascule.rules.qualification import CHECK_DATE, check_date
from bascule.rules.scw_transfer import SCW_TRANSFER_TYPES, scaleway_findings
from bascule.rules.types import (
    AZ_LOCAL_GATEWAY,
    AZ_SUBNET,
    KEY,
    NIC,
    NSG,
    PRIVATE_ENDPOINT,
    SCW_API_KEYS,
    STORAGE_ACCOUNT,
    SWIFT,
    VAULT,
    VM,
)

IDENTITY = "azure-native:managedidentity:UserAssignedIdentity"
ROLE_ASSIGNMENT = "azure-native:authorization:RoleAssignment"
# Every way a program can give an Azure principal a role (schemas read 2026-12-02): the
# native RoleAssignment and PIM eligibility (azure-native 3.29 PimRoleEligibilitySchedule:
# principalId, roleDefinitionId, scope), the classic provider's Assignment (pulumi-azure:
# roleDefinitionId or roleDefinitionName) and its PIM active and eligible assignments. An
# eligible role is judged as granted: whether the principal can activate it alone is not
# for a snapshot to say.
ROLE_GRANTS = (
    ROLE_ASSIGNMENT,
    "azure-native:authorization:PimRoleEligibilitySchedule",
    "azure:authorization/assignment:Assignment",
    "azure:pim/activeRoleAssignment:ActiveRoleAssignment",
    "azure:pim/eligibleRoleAssignment:EligibleRoleAssignment",
)
APP_CREDENTIAL = "openstack:identity/applicationCredential:ApplicationCredential"

TRANSFER_ROLE = "transfer-identity"
JOB_TAG = "transfer-job"
PSEUDO = "pseudonymisation-keys"
BLOB_DATA_READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
# A classic Assignment may name a built-in role instead: the one a transfer identity takes.
BUILT_IN_ROLE_NAMES = {"storage blob data reader": BLOB_DATA_READER}
CREDENTIAL_NAME = re.compile(r"^(?P<platform>.+)-wave(?P<wave>\d+)-(?P<job>.+)-transfer$")
HTTPS = 443


# -- shared lookups -----------------------------------------------------------------------


def _lower(value: Any) -> str | None:
    return value.lower() if isinstance(value, str) and not p.is_unknown(value) else None


def transfer_identities(resources: Resources) -> dict[str, StackResource]:
    """The transfer identities, by URN (tagged role=transfer-identity)."""
    return {
        r.urn: r
        for r in resources
        if r.type == IDENTITY and p.metadata_of(r.props).get("role") == TRANSFER_ROLE
    }


def _principal_of(
    assignment: StackResource, identities: Mapping[str, StackResource]
) -> StackResource | None:
    """The transfer identity a role assignment grants: by principal id when the export has
    it, else by the dependency the reference made (a synthesized snapshot)."""
    wanted = _lower(assignment.props.get("principalId"))
    for identity in identities.values():
        if wanted is not None and _lower(identity.props.get("principalId")) == wanted:
            return identity
    linked = [identities[u] for u in assignment.dependencies if u in identities]
    return linked[0] if len(linked) == 1 else None


def _role_guid(value: Any) -> str | None:
    text = _lower(value)
    return text.rstrip("/").rsplit("/", 1)[-1] if text else None


def granted_role(assignment: StackResource) -> str | None:
    """The role a grant gives: its definition's GUID, else the built-in role it names (a
    name bascule does not know stays as written); None when it says neither."""
    role = _role_guid(assignment.props.get("roleDefinitionId"))
    name = assignment.props.get("roleDefinitionName")
    if role is None and isinstance(name, str) and name.strip() and not p.is_unknown(name):
        return BUILT_IN_ROLE_NAMES.get(name.strip().lower(), name.strip())
    return role


def _role_unknown(assignment: StackResource) -> bool:
    props = assignment.props
    return p.is_unknown(props.get("roleDefinitionId")) or p.is_unknown(
        props.get("roleDefinitionName")
    )


SCOPE = re.compile(
    r"^/subscriptions/[^/]+(?:/resourcegroups/[^/]+(?:/providers/(?P<ns>[^/]+)/(?P<kind>[^/]+)/"
    r"(?P<name>[^/]+)(?P<rest>/.*)?)?)?$"
)


@dataclass(frozen=True)
class Scope:
    text: str
    kind: str  # "root", "management-group", "subscription", "resource-group", "resource"
    namespace: str = ""
    resource_type: str = ""
    name: str = ""


def parse_scope(value: str) -> Scope:
    text = p.arm_id(value)
    if text in ("", "/"):
        return Scope(text, "root")
    if text.startswith("/providers/microsoft.management/managementgroups/"):
        return Scope(text, "management-group")
    match = SCOPE.match(text)
    if match is None:
        return Scope(text, "unknown")
    if match.group("ns") is None:
        return Scope(text, "resource-group" if "/resourcegroups/" in text else "subscription")
    return Scope(text, "resource", match.group("ns"), match.group("kind"), match.group("name"))


def _account_for(scope: Scope, resources: Resources) -> StackResource | None:
    for res in resources:
        if res.type != STORAGE_ACCOUNT:
            continue
        rid = _lower(res.props.get("id"))
        names = {_lower(res.props.get("accountName")), _lower(res.props.get("name"))}
        if rid and (scope.text == rid or scope.text.startswith(rid + "/")):
            return res
        if scope.resource_type == "storageaccounts" and scope.name in names:
            return res
    return None


def _is_pseudo(props: Mapping[str, Any]) -> bool:
    return p.metadata_of(props).get("classification") == PSEUDO


# --------------------------------------------------------------------------- MIG-014


def _judge_assignment(
    assignment: StackResource,
    identity: StackResource,
    resources: Resources,
    params: Params,
) -> Iterator[str]:
    tags = p.metadata_of(identity.props)
    who = f"transfer identity '{identity.name}' (wave {tags.get('wave')}, job {tags.get(JOB_TAG)})"
    role = granted_role(assignment)
    allowed = [v.lower() for v in p.str_values(params["allowedRoles"])]
    if role is None and not _role_unknown(assignment):
        yield f"cannot verify the role {who} gets: the grant names no role definition"
    elif role is not None and role.lower() not in allowed:
        yield (
            f"{who} gets role {role}: a transfer identity reads only (allowed: "
            f"{p.fmt_list(allowed)})"
        )
    scope_value = assignment.props.get("scope")
    if p.is_unknown(scope_value):
        return
    if not isinstance(scope_value, str):
        yield f"cannot verify the scope of {who}'s role assignment: scope is not set"
        return
    scope = parse_scope(scope_value)
    if scope.kind != "resource":
        yield (
            f"{who} is granted at {scope.kind} scope '{scope_value}': only its wave's storage "
            "accounts"
        )
        return
    account = _account_for(scope, resources)
    if account is None:
        yield (
            f"cannot verify {who}'s scope '{scope_value}': it names no storage account of this "
            "snapshot"
        )
        return
    wave = p.wave_of(account.props)
    if wave != p.wave_of(identity.props):
        yield f"{who} reads storage account '{account.name}' of wave {wave}: only its own wave's"
    if _is_pseudo(account.props) != (tags.get(JOB_TAG) == PSEUDO):
        yield (
            f"{who} reads storage account '{account.name}' "
            f"({p.metadata_of(account.props).get('classification')}): pseudonymisation-key "
            "datasets and health data never share a transfer identity"
        )


def _check_source_identities(resources: Resources, params: Params) -> Iterator[Finding]:
    identities = transfer_identities(resources)
    if not identities:
        return
    for assignment in resources:
        if assignment.type not in ROLE_GRANTS:
            continue
        identity = _principal_of(assignment, identities)
        if identity is None:
            continue
        yield from findings(
            _judge_assignment(assignment, identity, resources, params), assignment.urn
        )


MIG_014 = Rule(
    id="MIG-014",
    slug="transfer-source-read-only",
    severity=Severity.HIGH,
    enforcement=Enforcement.MANDATORY,
    description=(
        "A wave's Azure transfer identity only reads: Storage Blob Data Reader on that wave's "
        "storage accounts (never a subscription or resource-group scope), and "
        "pseudonymisation-key datasets and health data never share an identity. Every grant "
        "counts: role assignments and PIM active or eligible assignments, in azure-native or "
        "the classic azure provider, by role id or built-in role name."
    ),
    remediation=(
        "Assign the transfer identity `Storage Blob Data Reader` with `scope` set to each "
        "storage account (or container) of its wave and job, nothing wider."
    ),
    secnumcloud=("9.3", "9.7"),
    hds=("hds-security",),
    params={
        "allowedRoles": Param.str_list(
            [BLOB_DATA_READER],
            "Role definition GUIDs a transfer identity may hold (default: Storage Blob Data "
            "Reader).",
        )
    },
    stack_check=_check_source_identities,
    applies_to=(IDENTITY, *ROLE_GRANTS, STORAGE_ACCOUNT),
    rationale=(
        "A transfer identity runs unattended on a VM with network reach to both estates: if "
        "it can write or delete the source, a compromise or a wrong sync direction destroys "
        "the only complete copy before the target is loaded. SecNumCloud 9.3 asks for "
        "least-privilege access rights, 9.7 for access restricted to the information needed."
    ),
)


# --------------------------------------------------------------------------- MIG-015

WRITE_METHODS = ("GET", "HEAD", "PUT")


def credential_wave(name: str) -> tuple[str, str] | None:
    """(wave, job) from `<platform>-wave<N>-<job>-transfer`, else None."""
    match = CREDENTIAL_NAME.match(name)
    return (str(int(match.group("wave"))), match.group("job")) if match else None


def _containers(resources: Resources) -> dict[str, StackResource]:
    found = {}
    for res in resources:
        name = res.props.get("name")
        if res.type == SWIFT and isinstance(name, str):
            found[name] = res
    return found


def _path_container(path: str) -> tuple[str | None, bool]:
    """(container segment, whether the path reaches objects) of `/v1/<account>/<c>[/...]`."""
    parts = path.strip().split("/")
    if len(parts) < 4 or parts[0] != "" or parts[1] != "v1":
        return None, False
    return parts[3], len(parts) > 4


def _judge_rule(
    rule: Mapping[str, Any],
    index: int,
    credential: tuple[str, str],
    containers: Mapping[str, StackResource],
) -> Iterator[str]:
    at = f"accessRules[{index}]"
    service = str(rule.get("service") or "").lower()
    method = str(rule.get("method") or "").upper()
    path = rule.get("path")
    if service != "object-store":
        yield f"{at}.service is '{service}': a transfer credential reaches object-store only"
        return
    if method not in WRITE_METHODS:
        yield (
            f"{at}.method is '{method}': a transfer credential never deletes or rewrites metadata "
            "(GET, HEAD, PUT)"
        )
    if not isinstance(path, str) or p.is_unknown(path):
        return
    container, objects = _path_container(path)
    if container is None or not container or any(c in container for c in "*{}"):
        yield f"{at}.path '{path}' does not name one container: it would reach every container"
        return
    if method == "PUT" and not objects:
        yield f"{at}.path '{path}': PUT on the container itself can change its ACLs and policy"
    target = containers.get(container)
    if target is None:
        yield f"cannot verify {at}.path '{path}': container '{container}' is not in this snapshot"
        return
    wave, job = credential
    if p.wave_of(target.props) != wave:
        yield (
            f"{at}.path '{path}' reaches container '{container}' of wave "
            f"{p.wave_of(target.props)}: only wave {wave}'s"
        )
    if _is_pseudo(target.props) != (job == PSEUDO):
        yield (
            f"{at}.path '{path}' reaches container '{container}': pseudonymisation-key "
            "datasets and health data never share a transfer credential"
        )


def _judge_credential(
    cred: StackResource, params: Params, containers: Mapping[str, StackResource]
) -> Iterator[str]:
    props = cred.props
    if p.to_bool(props.get("unrestricted")) is True:
        yield "unrestricted is true: the credential could create other credentials and trusts"
    roles = props.get("roles")
    allowed = p.str_values(params["allowedRoles"])
    if roles is None:
        yield "roles is not set: the credential inherits every role of the user who creates it"
    elif not p.is_unknown(roles):
        extra = [r for r in p.str_values(roles) if r not in allowed]
        if extra:
            yield (
                f"roles {p.fmt_list(extra)} are not allowed for a transfer credential "
                f"({p.fmt_list(allowed)})"
            )
    rules = props.get("accessRules")
    if p.is_unknown(rules):
        return
    entries = list(p.iter_mappings(rules))
    if not entries:
        yield "accessRules is not set: the credential can call every API of the project"
        return
    name = props.get("name") if isinstance(props.get("name"), str) else cred.name
    credential = credential_wave(str(name))
    if credential is None:
        yield (
            f"cannot verify which wave credential '{name}' serves: name it "
            "<platform>-wave<N>-<job>-transfer"
        )
        return
    for index, rule in enumerate(entries):
        yield from _judge_rule(rule, index, credential, containers)


def _check_target_credentials(resources: Resources, params: Params) -> Iterator[Finding]:
    containers = _containers(resources)
    for res in resources:
        if res.type == APP_CREDENTIAL:
            yield from findings(_judge_credential(res, params, containers), res.urn)
    yield from scaleway_findings(resources, params, credential_wave)


MIG_015 = Rule(
    id="MIG-015",
    slug="transfer-target-write-scoped",
    severity=Severity.HIGH,
    enforcement=Enforcement.MANDATORY,
    description=(
        "A wave's OpenStack transfer credential writes only that wave's containers: explicit "
        "roles, access rules naming its containers (GET, HEAD, PUT on objects; never DELETE), "
        "not unrestricted, and never shared between health data and pseudonymisation keys. "
        "On Scaleway, the IAM policies reaching the transfer application (its own and its "
        "groups') grant only Object Storage list, read and object write, and Key Manager "
        "encrypt and decrypt for its SSE-KMS buckets, in its buckets' project (never an "
        "organization scope or another project), its buckets' policies "
        "allow it s3:ListBucket, s3:GetObject and s3:PutObject only, on its wave's and job's "
        "buckets only, no other bucket of its projects is left without a bucket policy (IAM "
        "alone would let it write there), and no transfer API key belongs to a user."
    ),
    remediation=(
        "Create the identity.ApplicationCredential with `unrestricted: false`, `roles` from "
        "`allowedRoles`, and `accessRules` of service `object-store` on `/v1/*/<container>` "
        "(GET, HEAD) and `/v1/*/<container>/**` (GET, HEAD, PUT) for each container of its "
        "wave and job. On Scaleway, attach to the iam.Application one iam.Policy with "
        "`projectIds` set to its datasets' project and `permissionSetNames` from "
        "`allowedPermissionSets`, and put on each of its buckets a bucket policy naming "
        "`application_id:<id>` for s3:ListBucket, s3:GetObject and s3:PutObject."
    ),
    secnumcloud=("9.3", "9.7"),
    hds=("hds-security",),
    params={
        "allowedRoles": Param.str_list(
            ["member", "swiftoperator", "objectstore_operator"],
            "Keystone roles a transfer credential may carry (those the provider's Swift "
            "treats as write access).",
        ),
        "allowedPermissionSets": Param.str_list(
            [
                "ObjectStorageBucketsRead",
                "ObjectStorageObjectsRead",
                "ObjectStorageObjectsWrite",
                "KeyManagerKeyEncrypt",
                "KeyManagerKeyDecrypt",
            ],
            "Scaleway IAM permission sets a transfer application may hold: Object Storage's "
            "for listing, reading and writing objects, and the Key Manager encrypt and decrypt "
            "sets that uploading to and downloading from an SSE-KMS bucket require.",
        ),
    },
    stack_check=_check_target_credentials,
    applies_to=(APP_CREDENTIAL, SWIFT, *SCW_TRANSFER_TYPES),
    rationale=(
        "The target credential is a bearer secret on the transfer VM: unrestricted, with "
        "DELETE or reaching other waves' containers, it can erase or overwrite data already "
        "cut over, and shared between health data and pseudonymisation keys it joins what "
        "must stay apart. SecNumCloud 9.3 (least privilege) and 9.7 (restricted access)."
    ),
)


# --------------------------------------------------------------------------- MIG-016
#
# Every bearer credential of either estate ends, and soon.
#
# What each kind says about its end, from the provider schemas (read 2026-12-02):
# - `expiresAt` (RFC 3339): OpenStack application credentials (pulumi-openstack 5.5.3:
#   "if omitted, an application credential will never expire") and Scaleway IAM API keys
#   (pulumiverse-scaleway 1.60).
# - `endDate` (RFC 3339), or the deprecated `endDateRelative` (a Go duration, "240h",
#   "2400h30m"): Entra ID application and service principal passwords and certificates, and
#   the `password` block of an application (pulumi-azuread 6.10.0 schema). A password with
#   neither is given two years by Entra ID ("startDateTime + 2 years", Microsoft Graph
#   `application: addPassword`, learn.microsoft.com/graph/api/application-addpassword, read
#   2026-12-02); a certificate's then comes from the certificate, which a snapshot does not
#   show.
# - Nothing: OpenStack EC2 credentials (pulumi-openstack 5.5.3 `identity.Ec2CredentialV3`:
#   project, region, user; Keystone keeps them until deleted) and OVHcloud S3 credentials
#   (pulumi-ovh 2.22.0 `CloudProject.S3Credential`: service name, user). Both are access and
#   secret keys to the object store the data lands in: they cannot be bounded, so they fail.

# A Scaleway IAM API key (an application's or a user's; SCW_API_KEYS, scw_transfer.py) is a
# bearer credential too.
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


def _limit(params: Params) -> int:
    return p.to_int(params["maxLifetimeDays"]) or 0


def _check_end(field: str, value: str, params: Params) -> Iterator[str]:
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


def _check_lifetime(field: str, value: Any, params: Params) -> Iterator[str]:
    lifetime = parse_duration(value) if isinstance(value, str) else None
    if lifetime is None:
        yield f"cannot verify when it expires: {field} '{value}' is not a duration like 240h"
    elif lifetime > dt.timedelta(days=_limit(params)):
        yield (
            f"{field} {value} is longer than {_limit(params)} days: set endDate to the "
            "wave's cutover date"
        )


def _check_unset(expiry: Expiry, params: Params) -> Iterator[str]:
    if expiry.default_days is None:
        yield expiry.unset
    elif expiry.default_days > _limit(params):
        yield f"{expiry.unset}, more than {_limit(params)} days"


def _check_expiry(view: ResourceView, params: Params) -> Iterator[str]:
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


# --------------------------------------------------------------------------- MIG-017


def _network(value: Any) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    if not isinstance(value, str):
        return None
    try:
        return ipaddress.ip_network(value.strip(), strict=False)
    except ValueError:
        return None


def _allowed_networks(resources: Resources, params: Params) -> list[Any]:
    """The tunnel's remote ranges, the private endpoints' subnets, the declared endpoints."""
    nets: list[Any] = []
    subnets = {_lower(r.props.get("id")): r for r in resources if r.type == AZ_SUBNET}
    for res in resources:
        if res.type == AZ_LOCAL_GATEWAY:
            nets += p.as_seq(p.get(res.props, "localNetworkAddressSpace.addressPrefixes"))
        elif res.type == PRIVATE_ENDPOINT:
            subnet = subnets.get(_lower(p.get(res.props, "subnet.id")))
            if subnet is not None:
                nets.append(subnet.props.get("addressPrefix"))
    nets += p.as_seq(params["targetEndpointPrefixes"])
    return [n for n in (_network(v) for v in nets) if n is not None]


def _inside(prefix: Any, allowed: list[Any]) -> bool:
    net = _network(prefix)
    return net is not None and any(
        net.version == a.version and net.subnet_of(a)
        for a in allowed  # type: ignore[arg-type]
    )


def _egress_messages(nsg: StackResource, allowed: list[Any]) -> Iterator[str]:
    rules = [r for r in p.iter_mappings(nsg.props.get("securityRules"))]
    outbound = [r for r in rules if str(r.get("direction", "")).lower() == "outbound"]
    denies = [
        r
        for r in outbound
        if str(r.get("access", "")).lower() == "deny"
        and str(r.get("destinationAddressPrefix", "")) == "*"
        and str(r.get("destinationPortRange", "")) == "*"
        and str(r.get("protocol", "*")) == "*"  # a Tcp-only deny lets UDP (DNS) out
    ]
    if not denies:
        yield (
            f"network security group '{nsg.name}' has no deny-all outbound rule: Azure's defaults "
            "let it reach the internet"
        )
    floor = min((p.to_int(r.get("priority")) or 4096 for r in denies), default=4097)
    for rule in outbound:
        if str(rule.get("access", "")).lower() != "allow":
            continue
        if (p.to_int(rule.get("priority")) or 0) > floor:
            continue
        prefixes = [
            rule.get("destinationAddressPrefix"),
            *p.as_seq(rule.get("destinationAddressPrefixes")),
        ]
        prefixes = [x for x in prefixes if x]
        outside = [x for x in prefixes if not p.is_unknown(x) and not _inside(x, allowed)]
        port = p.parse_port_spec(rule.get("destinationPortRange"))
        name = rule.get("name")
        if outside:
            yield (
                f"rule '{name}' of '{nsg.name}' allows egress to {p.fmt_list(outside)}: only the "
                "tunnel, the storage private endpoints and the target's declared endpoints"
            )
        if port != (HTTPS, HTTPS):
            yield (
                f"rule '{name}' of '{nsg.name}' allows egress on "
                f"{rule.get('destinationPortRange')!r}: HTTPS (443) only"
            )


def _holders(
    resources: Resources,
) -> Iterator[tuple[StackResource, list[StackResource]]]:
    """Each VM holding transfer identities, with those identities."""
    identities = transfer_identities(resources)
    by_id = {_lower(i.props.get("id")): i for i in identities.values()}
    for vm in resources:
        if vm.type != VM:
            continue
        assigned = p.get(vm.props, "identity.userAssignedIdentities")
        keys = list(assigned) if isinstance(assigned, Mapping) else list(p.as_seq(assigned))
        held = [by_id[k] for k in (_lower(x) for x in keys) if k in by_id]
        if held:
            yield vm, held


def _vm_messages(
    vm: StackResource,
    held: list[StackResource],
    resources: Resources,
    allowed: list[Any],
) -> Iterator[str]:
    jobs = sorted({str(p.metadata_of(i.props).get(JOB_TAG)) for i in held})
    if len(jobs) > 1:
        yield (
            f"'{vm.name}' holds transfer identities of jobs {p.fmt_list(jobs)}: pseudonymisation "
            "keys and health data never share a transfer enclave"
        )
    nics = {_lower(r.props.get("id")): r for r in resources if r.type == NIC}
    nsgs = {_lower(r.props.get("id")): r for r in resources if r.type == NSG}
    refs = [
        _lower(n.get("id"))
        for n in p.iter_mappings(p.get(vm.props, "networkProfile.networkInterfaces"))
    ]
    for ref in refs:
        nic = nics.get(ref)
        if nic is None:
            yield (
                f"cannot verify the egress of '{vm.name}': its network interface is not in this "
                "snapshot"
            )
            continue
        for index, config in enumerate(p.iter_mappings(nic.props.get("ipConfigurations"))):
            if p.has_value(config.get("publicIPAddress")):
                yield (
                    f"'{nic.name}' ipConfigurations[{index}] has a public address: a transfer "
                    "enclave has none"
                )
        nsg = nsgs.get(_lower(p.get(nic.props, "networkSecurityGroup.id")))
        if nsg is None:
            yield (
                f"'{nic.name}' has no network security group of its own: its egress is not "
                "restricted"
            )
            continue
        yield from _egress_messages(nsg, allowed)


def _check_enclaves(resources: Resources, params: Params) -> Iterator[Finding]:
    allowed = _allowed_networks(resources, params)
    holders = list(_holders(resources))
    bad = [v for v in p.as_seq(params["targetEndpointPrefixes"]) if _network(v) is None]
    for value in bad if holders else ():
        yield Finding(
            "cannot verify the declared transfer endpoints: targetEndpointPrefixes entry "
            f"{p.show(value)} is not a CIDR (it allows nothing)"
        )
    for vm, held in holders:
        yield from findings(_vm_messages(vm, held, resources, allowed), vm.urn)


ENCLAVE_PARAMS = {
    "targetEndpointPrefixes": Param.str_list(
        [],
        "Address ranges of the target's Keystone and Swift endpoints a transfer enclave "
        "may reach directly over HTTPS.",
    )
}

MIG_017 = Rule(
    id="MIG-017",
    slug="transfer-enclave-egress",
    severity=Severity.HIGH,
    enforcement=Enforcement.MANDATORY,
    description=(
        "A VM holding a transfer identity has no public address, one job's identities only, "
        "and egress only over HTTPS to the tunnel's remote ranges, the source storage's "
        "private endpoints and the target's declared Keystone/Swift endpoints."
    ),
    remediation=(
        "Give the transfer enclave's NIC its own NSG: allow outbound TCP 443 to the local "
        "network gateway's prefixes, the private-endpoint subnet and `targetEndpointPrefixes`, "
        "then deny `*` outbound; no public IP; one VM per transfer job."
    ),
    secnumcloud=("9.7", "10.2", "13.2"),
    hds=("hds-security", "third-country-access"),
    params=dict(ENCLAVE_PARAMS),
    stack_check=_check_enclaves,
    applies_to=(VM, NIC, NSG, IDENTITY, AZ_SUBNET, PRIVATE_ENDPOINT, AZ_LOCAL_GATEWAY),
    rationale=(
        "The transfer VM holds read access to the source and write access to the target: any "
        "other egress (the internet, other ports, other ranges) is an exfiltration path for "
        "the health data it copies, and a public address or a second job's identity widens "
        "what one compromise reaches. SecNumCloud 9.7 (restricted access), 10.2 (flows only "
        "through the encrypted tunnel or HTTPS) and 13.2 (network partitioning)."
    ),
)


# --------------------------------------------------------------------------- MIG-020


def _pseudo_key(props: Mapping[str, Any]) -> bool:
    tags = p.metadata_of(props)
    return tags.get("role") == "pseudonymisation-key" or tags.get("classification") == PSEUDO


def _key_messages(key: StackResource) -> Iterator[str]:
    if p.to_bool(p.get(key.props, "properties.attributes.exportable")) is True:
        yield f"pseudonymisation key '{key.name}' is exportable: it must never leave its vault"
    if p.has_value(p.get(key.props, "properties.releasePolicy")):
        yield (
            f"pseudonymisation key '{key.name}' has a release policy: it must never leave its vault"
        )


def _check_keys_stay(resources: Resources, params: Params) -> Iterator[Finding]:
    identities = transfer_identities(resources)
    vaults = {_lower(r.props.get("id")): r for r in resources if r.type == VAULT}
    for res in resources:
        if res.type == KEY and _pseudo_key(res.props):
            yield from findings(_key_messages(res), res.urn)
        elif res.type in ROLE_GRANTS and identities:
            identity = _principal_of(res, identities)
            scope = res.props.get("scope")
            if identity is None or not isinstance(scope, str):
                continue
            parsed = parse_scope(scope)
            on_vault = parsed.resource_type == "vaults" or any(
                v and (parsed.text == v or parsed.text.startswith(v + "/")) for v in vaults
            )
            if on_vault:
                yield Finding(
                    f"transfer identity '{identity.name}' has a role on key vault scope "
                    f"'{scope}': key material never travels with the data",
                    res.urn,
                )
        elif res.type == APP_CREDENTIAL:
            for index, rule in enumerate(p.iter_mappings(res.props.get("accessRules"))):
                if str(rule.get("service", "")).lower() == "key-manager":
                    yield Finding(
                        f"accessRules[{index}] reaches key-manager (Barbican): a transfer "
                        "credential never touches key material",
                        res.urn,
                    )


MIG_020 = Rule(
    id="MIG-020",
    slug="pseudonymisation-keys-stay",
    severity=Severity.CRITICAL,
    enforcement=Enforcement.MANDATORY,
    description=(
        "Pseudonymisation keys never leave their store during the migration: not exportable, "
        "no release policy, no transfer identity with a role on a key vault, no transfer "
        "credential reaching Barbican."
    ),
    remediation=(
        "Drop `attributes.exportable` and `releasePolicy` from pseudonymisation keys; scope "
        "transfer identities to storage only; keep `key-manager` out of application "
        "credentials' access rules. The target gets keys of its own (components/target/kms.py)."
    ),
    secnumcloud=("9.3", "10.5"),
    hds=("hds-security",),
    stack_check=_check_keys_stay,
    applies_to=(KEY, VAULT, *ROLE_GRANTS, IDENTITY, APP_CREDENTIAL),
    rationale=(
        "Pseudonymisation keys are what separates pseudonymised data from identities: a key "
        "that can be exported, released or reached by a transfer identity can travel with the "
        "data it protects and undo the pseudonymisation on the other side. SecNumCloud 10.5 "
        "keeps secrets in their container, 9.3 limits who may reach them."
    ),
)

RULES = (MIG_014, MIG_015, MIG_016, MIG_017, MIG_020)
