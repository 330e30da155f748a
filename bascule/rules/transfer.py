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
  no DELETE, not `unrestricted`, and an expiry (MIG-016, in `bascule.rules.credentials`).
- The transfer enclaves (the Azure VMs holding those identities): no public address, and
  egress only to the tunnel's remote ranges, the source storage's private endpoints and the
  target's declared Keystone/Swift endpoints, over HTTPS.
- Pseudonymisation keys never leave their store: not exportable, no release policy, no
  transfer identity with a role on a vault, no transfer credential reaching Barbican.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bascule.rules import props as p
from bascule.rules.base import (
    Enforcement,
    Finding,
    Param,
    Rule,
    Severity,
    StackResource,
)
from bascule.rules.types import (
    AZ_LOCAL_GATEWAY,
    AZ_SUBNET,
    KEY,
    NIC,
    NSG,
    PRIVATE_ENDPOINT,
    STORAGE_ACCOUNT,
    SWIFT,
    VAULT,
    VM,
)

IDENTITY = "azure-native:managedidentity:UserAssignedIdentity"
ROLE_ASSIGNMENT = "azure-native:authorization:RoleAssignment"
APP_CREDENTIAL = "openstack:identity/applicationCredential:ApplicationCredential"

TRANSFER_ROLE = "transfer-identity"
JOB_TAG = "transfer-job"
PSEUDO = "pseudonymisation-keys"
BLOB_DATA_READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
CREDENTIAL_NAME = re.compile(r"^(?P<platform>.+)-wave(?P<wave>\d+)-(?P<job>.+)-transfer$")
HTTPS = 443


# -- shared lookups -----------------------------------------------------------------------


def _lower(value: Any) -> str | None:
    return value.lower() if isinstance(value, str) and not p.is_unknown(value) else None


def transfer_identities(resources: Sequence[StackResource]) -> dict[str, StackResource]:
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
    text = value.strip().rstrip("/").lower()
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


def _account_for(scope: Scope, resources: Sequence[StackResource]) -> StackResource | None:
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
    resources: Sequence[StackResource],
    params: Mapping[str, Any],
) -> Iterator[str]:
    tags = p.metadata_of(identity.props)
    who = f"transfer identity '{identity.name}' (wave {tags.get('wave')}, job {tags.get(JOB_TAG)})"
    role = _role_guid(assignment.props.get("roleDefinitionId"))
    allowed = [v.lower() for v in p.str_values(params["allowedRoles"])]
    if role is not None and role not in allowed:
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


def _check_source_identities(
    resources: Sequence[StackResource], params: Mapping[str, Any]
) -> Iterator[Finding]:
    identities = transfer_identities(resources)
    if not identities:
        return
    for assignment in resources:
        if assignment.type != ROLE_ASSIGNMENT:
            continue
        identity = _principal_of(assignment, identities)
        if identity is None:
            continue
        for message in _judge_assignment(assignment, identity, resources, params):
            yield Finding(message, assignment.urn)


MIG_014 = Rule(
    id="MIG-014",
    slug="transfer-source-read-only",
    severity=Severity.HIGH,
    enforcement=Enforcement.MANDATORY,
    description=(
        "A wave's Azure transfer identity only reads: Storage Blob Data Reader on that wave's "
        "storage accounts (never a subscription or resource-group scope), and "
        "pseudonymisation-key datasets and health data never share an identity."
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
    applies_to=(IDENTITY, ROLE_ASSIGNMENT, STORAGE_ACCOUNT),
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


def _containers(resources: Sequence[StackResource]) -> dict[str, StackResource]:
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
    cred: StackResource, params: Mapping[str, Any], containers: Mapping[str, StackResource]
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


def _check_target_credentials(
    resources: Sequence[StackResource], params: Mapping[str, Any]
) -> Iterator[Finding]:
    containers = _containers(resources)
    for res in resources:
        if res.type == APP_CREDENTIAL:
            for message in _judge_credential(res, params, containers):
                yield Finding(message, res.urn)


MIG_015 = Rule(
    id="MIG-015",
    slug="transfer-target-write-scoped",
    severity=Severity.HIGH,
    enforcement=Enforcement.MANDATORY,
    description=(
        "A wave's OpenStack transfer credential writes only that wave's containers: explicit "
        "roles, access rules naming its containers (GET, HEAD, PUT on objects; never DELETE), "
        "not unrestricted, and never shared between health data and pseudonymisation keys."
    ),
    remediation=(
        "Create the identity.ApplicationCredential with `unrestricted: false`, `roles` from "
        "`allowedRoles`, and `accessRules` of service `object-store` on `/v1/*/<container>` "
        "(GET, HEAD) and `/v1/*/<container>/**` (GET, HEAD, PUT) for each container of its "
        "wave and job."
    ),
    secnumcloud=("9.3", "9.7"),
    hds=("hds-security",),
    params={
        "allowedRoles": Param.str_list(
            ["member", "swiftoperator", "objectstore_operator"],
            "Keystone roles a transfer credential may carry (those the provider's Swift "
            "treats as write access).",
        )
    },
    stack_check=_check_target_credentials,
    applies_to=(APP_CREDENTIAL, SWIFT),
    rationale=(
        "The target credential is a bearer secret on the transfer VM: unrestricted, with "
        "DELETE or reaching other waves' containers, it can erase or overwrite data already "
        "cut over, and shared between health data and pseudonymisation keys it joins what "
        "must stay apart. SecNumCloud 9.3 (least privilege) and 9.7 (restricted access)."
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


def _allowed_networks(resources: Sequence[StackResource], params: Mapping[str, Any]) -> list[Any]:
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
    resources: Sequence[StackResource],
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
    resources: Sequence[StackResource],
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


def _check_enclaves(
    resources: Sequence[StackResource], params: Mapping[str, Any]
) -> Iterator[Finding]:
    allowed = _allowed_networks(resources, params)
    for vm, held in _holders(resources):
        for message in _vm_messages(vm, held, resources, allowed):
            yield Finding(message, vm.urn)


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
    params={
        "targetEndpointPrefixes": Param.str_list(
            [],
            "Address ranges of the target's Keystone and Swift endpoints a transfer enclave "
            "may reach directly over HTTPS.",
        )
    },
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


def _check_keys_stay(
    resources: Sequence[StackResource], params: Mapping[str, Any]
) -> Iterator[Finding]:
    identities = transfer_identities(resources)
    vaults = {_lower(r.props.get("id")): r for r in resources if r.type == VAULT}
    for res in resources:
        if res.type == KEY and _pseudo_key(res.props):
            for message in _key_messages(res):
                yield Finding(message, res.urn)
        elif res.type == ROLE_ASSIGNMENT and identities:
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
    applies_to=(KEY, VAULT, ROLE_ASSIGNMENT, IDENTITY, APP_CREDENTIAL),
    rationale=(
        "Pseudonymisation keys are what separates pseudonymised data from identities: a key "
        "that can be exported, released or reached by a transfer identity can travel with the "
        "data it protects and undo the pseudonymisation on the other side. SecNumCloud 10.5 "
        "keeps secrets in their container, 9.3 limits who may reach them."
    ),
)

RULES = (MIG_014, MIG_015, MIG_017, MIG_020)
