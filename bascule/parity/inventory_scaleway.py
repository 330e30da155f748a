"""The Scaleway target's components read as canonical objects (pure: snapshot in, fields out).

bascule's Scaleway components (components/target/scaleway/) keep the capability type tokens
(`bascule:target:Network`, `...:Enclave`...), so parity finds them as it finds OpenStack's;
only the resources inside differ, and these readers read them (pulumiverse-scaleway 1.60
types and property names, read 2026-12-01 in the installed SDK):

- zones: `network/privateNetwork` `ipv4Subnet.subnet`;
- compute: `instance/server` (`type` from components/target/scaleway/catalog.py, `rootVolume`,
  `additionalVolumeIds` -> `block/volume` `sizeInGb`, `ipId`/`ipIds`/`enableDynamicIp`/
  `publicIps`, `securityGroupId`), `instance/ip`, `instance/securityGroup` (default policies and
  `inboundRules`) and `instance/securityGroupRules`;
- datasets: `object/bucket` (tags, `versioning.enabled`, a deprecated `acl`),
  `object/bucketAcl`, `object/bucketPolicy`, `object/bucketServerSideEncryptionConfiguration`;
- keys: `keymanager/key` (`algorithm` such as `aes_256_gcm`, `rotationPolicy.rotationPeriod`,
  `projectId`: the store);
- logging: the audit buckets' `objectLockEnabled` and `object/bucketLockConfiguration`
  `rule.defaultRetention` (`mode` COMPLIANCE, `days|years`);
- interconnect: `s2svpn/connection` (`ikev2Ciphers`, `espCiphers`, `secretId`) and
  `s2svpn/routingPolicy` (`prefixFilterIns`, `prefixFilterOuts`).

What a Scaleway snapshot cannot show is "cannot verify", never a pass: Block Storage takes no
encryption setting, and an Object Storage bucket carries no redundancy setting.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping, Sequence
from typing import Any

from bascule.parity import flows as fl
from bascule.parity.inventory import (
    Estate,
    KeyReading,
    as_list,
    capacity,
    get_path,
    key_algorithm,
    labels_of,
    props,
    resource_id,
    unique_names,
)
from bascule.parity.model import CannotVerify, Capability
from bascule.rules.ipsec_suites import SCW_CIPHERS, SCW_GROUPS
from bascule.snapshot.model import UNKNOWN, Resource
from components.target.scaleway.catalog import server_type

SERVER = "scaleway:instance/server:Server"
VOLUME = "scaleway:block/volume:Volume"
IP = "scaleway:instance/ip:Ip"
GROUP = "scaleway:instance/securityGroup:SecurityGroup"
GROUP_RULES = "scaleway:instance/securityGroupRules:SecurityGroupRules"
PRIVATE_NETWORK = "scaleway:network/privateNetwork:PrivateNetwork"
BUCKET = "scaleway:object/bucket:Bucket"
BUCKET_ACL = "scaleway:object/bucketAcl:BucketAcl"
BUCKET_POLICY = "scaleway:object/bucketPolicy:BucketPolicy"
BUCKET_SSE = (
    "scaleway:object/bucketServerSideEncryptionConfiguration:"
    "BucketServerSideEncryptionConfiguration"
)
BUCKET_LOCK = "scaleway:object/bucketLockConfiguration:BucketLockConfiguration"
KEY = "scaleway:keymanager/key:Key"
CONNECTION = "scaleway:s2svpn/connection:Connection"
ROUTING_POLICY = "scaleway:s2svpn/routingPolicy:RoutingPolicy"
# Paths from the internet to a private address, not to a server by id: a Public Gateway's
# port forwarding and a Load Balancer's backend.
FORWARDERS = (
    "scaleway:network/publicGatewayPatRule:PublicGatewayPatRule",
    "scaleway:loadbalancers/backend:Backend",
)
PUBLIC_ACLS = frozenset({"public-read", "public-read-write", "authenticated-read"})
UNENCRYPTED_VOLUMES = CannotVerify(
    "Scaleway Block Storage takes no encryption setting (pulumiverse-scaleway 1.60): "
    "encryption at rest is not in the snapshot"
)
NO_REDUNDANCY = CannotVerify("a Scaleway bucket carries no redundancy setting")


def is_scaleway(estate: Estate, component: Resource) -> bool:
    return any(r.package == "scaleway" for r in estate.children.get(component.urn, ()))


def _inside(estate: Estate, component: Resource, kind: str) -> list[Resource]:
    return [r for r in estate.children.get(component.urn, ()) if r.type == kind]


def _text(value: Any) -> str:
    return str(value).strip() if isinstance(value, str) and value != UNKNOWN else ""


def _addresses(cidr: str) -> int | None:
    try:
        return ipaddress.ip_network(cidr).num_addresses
    except ValueError:
        return None


def zone_cidr(resource: Resource) -> str | None:
    cidr = get_path(props(resource), "ipv4Subnet.subnet")
    return cidr if isinstance(cidr, str) and cidr != UNKNOWN else None


def read_zone(estate: Estate, component: Resource) -> dict[str, Any]:
    networks = _inside(estate, component, PRIVATE_NETWORK)
    cidr = zone_cidr(networks[0]) if networks else None
    return {"cidr": cidr, "addresses": _addresses(cidr) if cidr else None}


# -- compute ------------------------------------------------------------------------------


def _public(server: Resource, inside: Sequence[Resource]) -> bool:
    p = props(server)
    return (
        any(r.type == IP for r in inside)
        or bool(_text(p.get("ipId")))
        or bool(as_list(p.get("ipIds")))
        or p.get("enableDynamicIp") is True
        or bool(as_list(p.get("publicIps")))
    )


def _rule_flow(rule: Mapping[str, Any]) -> fl.Flow | None:
    if str(rule.get("action", "")).lower() != "accept":
        return None
    peer = fl.raw_peer(rule.get("ipRange") or rule.get("ip") or fl.INTERNET)
    protocol = str(rule.get("protocol") or "ANY").lower()
    port = rule.get("port")
    low, high = fl.port_range(rule.get("portRange")) if rule.get("portRange") else (port, port)
    low = int(low) if isinstance(low, int | float) else None
    high = int(high) if isinstance(high, int | float) else low
    return fl.Flow(peer, fl.ANY if protocol == "any" else protocol, low, high)


def _group_flows(estate: Estate, group: Resource | None) -> set[fl.Flow]:
    """What a security group admits inbound: its accept rules, and everything when its
    default policy accepts (or when the server names none: Scaleway's default group)."""
    if group is None:
        return {fl.Flow(fl.INTERNET)}
    p = props(group)
    gid = resource_id(group)
    rules = [r for r in as_list(p.get("inboundRules")) if isinstance(r, Mapping)]
    for extra in estate.of_type(GROUP_RULES):
        if _text(props(extra).get("securityGroupId")) == gid:
            rules += [
                r for r in as_list(props(extra).get("inboundRules")) if isinstance(r, Mapping)
            ]
    flows = {f for r in rules if (f := _rule_flow(r)) is not None}
    if str(p.get("inboundDefaultPolicy") or "accept").lower() != "drop":
        flows.add(fl.Flow(fl.INTERNET))
    return flows


def _forwarded(estate: Estate) -> CannotVerify | None:
    found = sorted({r.type.rsplit(":", 1)[-1] for r in estate.of_type(*FORWARDERS)})
    if not found:
        return None
    return CannotVerify(
        f"the estate forwards public traffic to private addresses ({', '.join(found)}): "
        "which instance it reaches is not in the snapshot"
    )


def read_compute(estate: Estate, component: Resource) -> dict[str, Any]:
    inside = estate.children.get(component.urn, ())
    servers = [r for r in inside if r.type == SERVER]
    volumes = {resource_id(v): v for v in estate.of_type(VOLUME)}
    groups = {resource_id(g): g for g in estate.of_type(GROUP)}
    types = [_text(props(s).get("type")) for s in servers]
    known = [server_type(t) for t in types]
    unknown = [t or "(none)" for t, k in zip(types, known, strict=True) if k is None]
    data: list[int] = []
    flows: set[str] = set()
    for server in servers:
        ids = [_text(i) for i in as_list(props(server).get("additionalVolumeIds"))]
        data.append(
            sum(int(float(props(volumes[i]).get("sizeInGb") or 0)) for i in ids if i in volumes)
        )
        group = groups.get(_text(props(server).get("securityGroupId")))
        flows |= {fl.named(f, estate.zones_by_cidr) for f in _group_flows(estate, group)}
    return {
        "size": ", ".join(sorted(set(types))) or None,
        "instances": len(servers),
        **capacity(
            [(k.vcpu, k.ram_gb, k.gpu) if k else None for k in known],
            unknown,
            "Scaleway Instance type",
        ),
        "diskGb": min(data) if data else None,
        "encrypted": UNENCRYPTED_VOLUMES if servers else False,
        "publicIp": any(_public(s, inside) for s in servers) or _forwarded(estate) or False,
        "ingress": frozenset(flows),
    }


# -- datasets -----------------------------------------------------------------------------


def _of_bucket(estate: Estate, kind: str, bucket: Resource) -> list[Resource]:
    names = {_text(props(bucket).get("name")), resource_id(bucket)}
    return [r for r in estate.of_type(kind) if _text(props(r).get("bucket")) in names - {""}]


def _public_policy(policy: Resource) -> bool:
    text = props(policy).get("policy")
    return isinstance(text, str) and bool(
        re.search(r'"Principal"\s*:\s*"\*"|"SCW"\s*:\s*"\*"', text)
    )


def _public_acl(acl: Resource) -> bool:
    """A canned public ACL, or a grant to a predefined group (all users, any account)."""
    p = props(acl)
    grants = as_list(get_path(p, "accessControlPolicy.grants"))
    groups = [str(get_path(g, "grantee.uri") or "") for g in grants]
    return _text(p.get("acl")) in PUBLIC_ACLS or any(
        "AllUsers" in uri or "AuthenticatedUsers" in uri for uri in groups
    )


def _key_name(estate: Estate, key_ref: str) -> str | None:
    for key in estate.of_type(KEY):
        own = resource_id(key)
        if key_ref and key_ref in (own, own.rsplit("/", 1)[-1], _text(props(key).get("name"))):
            return _text(props(key).get("name")) or key.name
    return None


def bucket_fields(estate: Estate, bucket: Resource) -> dict[str, Any]:
    """One bucket's dataset fields, with its ACLs, policies and SSE configuration."""
    p = props(bucket)
    rules = [
        get_path(rule, "applyServerSideEncryptionByDefault") or {}
        for sse in _of_bucket(estate, BUCKET_SSE, bucket)
        for rule in as_list(props(sse).get("rules"))
    ]
    kms = [
        _text(r.get("kmsMasterKeyId")) for r in rules if _text(r.get("sseAlgorithm")) == "aws:kms"
    ]
    key = _key_name(estate, kms[0]) if kms else None
    return {
        "classification": labels_of(bucket).get("classification"),
        "key": key,
        "customerManagedKey": key is not None,
        "versioning": get_path(p, "versioning.enabled") is True,
        "publicAccess": _text(p.get("acl")) in PUBLIC_ACLS
        or any(_public_acl(a) for a in _of_bucket(estate, BUCKET_ACL, bucket))
        or any(_public_policy(x) for x in _of_bucket(estate, BUCKET_POLICY, bucket)),
        "replication": NO_REDUNDANCY,
    }


def read_dataset(estate: Estate, component: Resource) -> dict[str, Any]:
    """The dataset's first bucket, weakened by any other the component holds (a second,
    public or unversioned bucket beside the first is no less the dataset's)."""
    fields = [bucket_fields(estate, b) for b in _inside(estate, component, BUCKET)]
    if not fields:
        return {}
    first = fields[0]
    return {
        **first,
        "customerManagedKey": all(f["customerManagedKey"] for f in fields),
        "versioning": all(f["versioning"] for f in fields),
        "publicAccess": any(f["publicAccess"] for f in fields),
    }


# -- keys -----------------------------------------------------------------------------------


def _hours_days(period: Any) -> int | None:
    """Key Manager rotation periods are Go durations (`8760h`): whole days, else None."""
    match = re.fullmatch(r"(\d+)h", _text(period))
    return int(match[1]) // 24 if match else None


def read_keys(estate: Estate) -> list[KeyReading]:
    keys = estate.of_type(KEY)
    stores = {k.urn: _text(props(k).get("projectId")) or "(provider project)" for k in keys}
    short = [(_text(props(k).get("name")) or k.name, stores[k.urn], k) for k in keys]
    names = dict(zip((k.urn for k in keys), unique_names(short), strict=True))
    out: list[KeyReading] = []
    for k in keys:
        words = _text(props(k).get("algorithm")).split("_")  # aes_256_gcm, rsa_oaep_3072_sha256
        size = next((w for w in words[1:] if w.isdigit()), None)
        algorithm, strength = key_algorithm(words[0] if words else None, size)
        out.append(
            (
                names[k.urn],
                {
                    "algorithm": algorithm,
                    "strengthBits": strength,
                    "rotationDays": _hours_days(
                        get_path(props(k), "rotationPolicy.rotationPeriod")
                    ),
                    "securityContainer": True,  # Key Manager is a KMS
                    "storeSharedWith": frozenset(
                        names[o.urn]
                        for o in keys
                        if o.urn != k.urn and stores[o.urn] == stores[k.urn]
                    ),
                },
                k,
            )
        )
    return out


# -- logging and interconnect ---------------------------------------------------------------


def _locked_days(estate: Estate, bucket: Resource) -> int | None:
    """Days a bucket keeps every object write-once: its default retention in COMPLIANCE mode
    (GOVERNANCE lets a privileged account delete), with object lock enabled on the bucket."""
    if props(bucket).get("objectLockEnabled") is not True:
        return None
    days: list[int] = []
    for lock in _of_bucket(estate, BUCKET_LOCK, bucket):
        retention = get_path(props(lock), "rule.defaultRetention") or {}
        if str(retention.get("mode", "")).upper() != "COMPLIANCE":
            continue
        d, y = retention.get("days"), retention.get("years")
        value = d if isinstance(d, int | float) else y * 365 if isinstance(y, int | float) else None
        days += [int(value)] if value is not None else []
    return max(days) if days else None


def read_logging(estate: Estate, component: Resource) -> dict[str, Any]:
    """The shortest write-once retention of the audit buckets (None when one has none)."""
    days = [_locked_days(estate, b) for b in _inside(estate, component, BUCKET)]
    known = [d for d in days if d is not None]
    return {"retentionDays": min(known) if known and len(known) == len(days) else None}


def _cipher(ciphers: Any) -> Mapping[str, Any]:
    found = [c for c in as_list(ciphers) if isinstance(c, Mapping)]
    return found[0] if len(found) == 1 else {}


def _ranges(values: Any) -> list[str] | None:
    items = as_list(values)
    try:
        return sorted(str(ipaddress.ip_network(v, strict=False)) for v in items) or None
    except (TypeError, ValueError):
        return None


def read_interconnect(estate: Estate, component: Resource) -> dict[str, Any]:
    connections = _inside(estate, component, CONNECTION)
    policies = _inside(estate, component, ROUTING_POLICY)
    conn = props(connections[0]) if len(connections) == 1 else {}
    policy = props(policies[0]) if len(policies) == 1 else {}
    ike, esp = _cipher(conn.get("ikev2Ciphers")), _cipher(conn.get("espCiphers"))
    esp_cipher = SCW_CIPHERS.get(_text(esp.get("encryption")))
    aead = bool(esp_cipher and esp_cipher.endswith("-gcm"))
    return {
        "ikeVersion": "ikev2" if conn else None,
        "ikeEncryption": SCW_CIPHERS.get(_text(ike.get("encryption"))),
        "ikePrf": _text(ike.get("integrity")) or None,
        "dhGroup": SCW_GROUPS.get(_text(ike.get("dhGroup"))),
        "espEncryption": esp_cipher,
        "espIntegrity": "aead" if aead else _text(esp.get("integrity")) or None,
        "pfsGroup": SCW_GROUPS.get(_text(esp.get("dhGroup")), 0 if esp else None),
        "sourceRanges": _ranges(policy.get("prefixFilterIns")),
        "targetRanges": _ranges(policy.get("prefixFilterOuts")),
        "preSharedKey": bool(_text(conn.get("secretId"))),
        "ipsecLifetimeSeconds": None,  # Scaleway's connection takes none (its own: unknown)
    }


READERS = {
    Capability.ZONE: read_zone,
    Capability.DATASET: read_dataset,
    Capability.ENCLAVE: read_compute,
    Capability.GATEWAY: read_compute,
    Capability.LOGGING: read_logging,
    Capability.INTERCONNECT: read_interconnect,
}
