"""An OpenStack (and OVHcloud) estate read by resource type (pure). See `resources.py`.

Servers: each `compute/instance` with its volumes (`blockDevices`, `compute/volumeAttach`),
its ports (`networks[].port`, `compute/interfaceAttach`, and the implicit port of a network
named by uuid or name), the security groups of each port (`securityGroupIds`,
`networking/portSecGroupAssociate`, an implicit port's `securityGroups`, Neutron's `default`
group when a port names none) with their rules, and public exposure (floating IPs on its
ports or on the instance, port forwardings, an external network such as `Ext-Net`). A port
with port security off filters nothing. Evidence named but absent from the snapshot makes
the field unverifiable, never empty.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bascule.parity import flows as fl
from bascule.parity import mapping as m
from bascule.parity import vocabulary as v
from bascule.parity.inventory import (
    Estate,
    as_list,
    flavour_capacity,
    get_path,
    group_names,
    iso_days,
    labels_of,
    props,
    resource_id,
    swift_dataset_fields,
)
from bascule.parity.model import CannotVerify, CanonicalObject, Capability
from bascule.parity.resources import by_id, is_audit, make, name_of, types, unique
from bascule.parity.vocabulary import Part
from bascule.snapshot.model import Resource

DEFAULT_GROUP = "default"  # Neutron's group for a port that names none


def _id(value: Any) -> str:
    return str(value).strip().lower() if isinstance(value, str) and value else ""


def _addresses(cidrs: Sequence[str]) -> int | None:
    try:
        return sum(ipaddress.ip_network(c, strict=False).num_addresses for c in cidrs) or None
    except ValueError:
        return None


def openstack_zones(estate: Estate) -> list[tuple[CanonicalObject, list[str]]]:
    subnets = types(estate, Part.SUBNET)
    networks = {_id(resource_id(n)): name_of(n) for n in types(estate, Part.NETWORK)}
    qualifiers = [networks.get(_id(props(s).get("networkId")), "") for s in subnets]
    names = unique([(name_of(s), q) for s, q in zip(subnets, qualifiers, strict=True)])
    out = []
    for name, subnet in zip(names, subnets, strict=True):
        cidr = props(subnet).get("cidr")
        cidrs = [cidr] if isinstance(cidr, str) and cidr else []
        fields = {"cidr": cidr or None, "addresses": _addresses(cidrs)}
        keys = [k for c in cidrs if (k := fl.zone_key(c)) is not None]
        out.append((make(Capability.ZONE, name, fields, [subnet], {}), keys))
    return out


def _networks(estate: Estate) -> list[CanonicalObject]:
    subnets = types(estate, Part.SUBNET)
    out = []
    for network in types(estate, Part.NETWORK):
        nid = _id(resource_id(network))
        own = [s for s in subnets if _id(props(s).get("networkId")) == nid]
        cidrs = sorted(str(props(s).get("cidr")) for s in own if props(s).get("cidr"))
        fields = {
            "cidr": ", ".join(cidrs) or None,
            "subnets": len(own),
            "addresses": _addresses(cidrs),
        }
        out.append(make(Capability.NETWORK, name_of(network), fields, [network, *own]))
    return out


# -- servers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lookups:
    ids: Mapping[str, Resource]
    estate: Estate
    groups_by_name: Mapping[str, Resource]
    group_names: Mapping[str, str]
    external: frozenset[str]  # lower-cased ids and names of public networks


def _lookups(estate: Estate) -> Lookups:
    groups = types(estate, Part.FIREWALL)
    external = {
        key
        for n in types(estate, Part.NETWORK)
        if props(n).get("external") is True
        for key in (_id(resource_id(n)), name_of(n).lower())
    }
    return Lookups(
        by_id(estate.resources),
        estate,
        {name_of(g).lower(): g for g in groups},
        group_names(groups),
        frozenset(external | v.PUBLIC_NETWORKS),
    )


def _of(look: Lookups, part: Part, key: str, value: str) -> list[Resource]:
    """Resources playing `part` whose property `key` is the id `value`."""
    return [r for r in types(look.estate, part) if _id(props(r).get(key)) == value]


def _volume_fields(look: Lookups, instance: Resource) -> tuple[dict[str, Any], list[Resource]]:
    """Data volume total and whether every disk (boot included) is an encrypted volume."""
    iid = _id(resource_id(instance))
    devices = [d for d in as_list(props(instance).get("blockDevices")) if isinstance(d, Mapping)]
    states: list[bool] = [] if devices else [False]  # no block device: a local disk
    missing: list[str] = []
    data_gb, used, seen = 0, [], set()
    attachments = _of(look, Part.DISK_ATTACHMENT, "instanceId", iid)
    attached: list[tuple[str, bool, Mapping[str, Any]]] = [
        (_id(props(a).get("volumeId")), False, {}) for a in attachments
    ]
    chosen = [(_id(d.get("uuid")), d.get("bootIndex") in (0, 0.0, "0"), d) for d in devices]
    for vid, boot, device in chosen + attached:
        if device and str(device.get("destinationType") or "local").lower() != "volume":
            states.append(False)  # an ephemeral local disk: not an encrypted volume
            continue
        from_volume = not device or str(device.get("sourceType") or "").lower() == "volume"
        volume = look.ids.get(vid) if from_volume else None
        if from_volume and volume is None:
            missing.append(f"volume {vid or '(no id)'} not in the snapshot")
            continue
        if volume is not None and volume.urn in seen:
            continue
        used += [volume] if volume is not None else []
        seen |= {volume.urn} if volume is not None else set()
        p = props(volume) if volume is not None else device
        states.append(p.get("volumeType") in m.ENCRYPTED_VOLUME_TYPES)
        size = p.get("size") if volume is not None else device.get("volumeSize")
        if not boot and isinstance(size, int | float) and not isinstance(size, bool):
            data_gb += int(size)
    reason = CannotVerify("; ".join(missing)) if missing else None
    encrypted: Any = False if not all(states) else reason or True
    return {"diskGb": reason or data_gb, "encrypted": encrypted}, used


def _group_flows(look: Lookups, group: Resource) -> set[fl.Flow]:
    gid = _id(resource_id(group))
    rules = [props(r) for r in _of(look, Part.FIREWALL_RULE, "securityGroupId", gid)]
    out = {f for r in rules if (f := fl.sg_rule_flow(r, look.group_names)) is not None}
    inline = as_list(props(group).get("rules"))  # nova-network groups
    return out | {fl.nova_rule_flow(r, look.group_names) for r in inline if isinstance(r, Mapping)}


GroupReading = tuple[set[fl.Flow], list[str], list[Resource]]  # flows, problems, groups


def _groups_flows(look: Lookups, ids: Sequence[str], names: Sequence[str]) -> GroupReading:
    flows: set[fl.Flow] = set()
    problems: list[str] = []
    found: list[Resource] = []
    for key, group in [(i, look.ids.get(i)) for i in ids] + [
        (n, look.groups_by_name.get(n.lower())) for n in names
    ]:
        if group is None:
            problems.append(f"security group {key} not in the snapshot")
            continue
        found.append(group)
        flows |= _group_flows(look, group)
    return flows, problems, found


def _port_flows(look: Lookups, port: Resource) -> GroupReading:
    p = props(port)
    network = look.ids.get(_id(p.get("networkId")))
    security = p.get("portSecurityEnabled")
    if security is None and network is not None:
        security = props(network).get("portSecurityEnabled")
    if security is False:
        return {fl.Flow(fl.INTERNET)}, [], []  # port security off: nothing is filtered
    pid = _id(resource_id(port))
    ids = [_id(g) for g in as_list(p.get("securityGroupIds"))]
    for associate in _of(look, Part.FIREWALL_ATTACHMENT, "portId", pid):
        ids += [_id(g) for g in as_list(props(associate).get("securityGroupIds"))]
    if ids or p.get("noSecurityGroups") is True:
        return _groups_flows(look, [i for i in ids if i], [])
    return _groups_flows(look, [], [DEFAULT_GROUP])


def _public(look: Lookups, instance: Resource, ports: Sequence[Resource]) -> bool:
    iid = _id(resource_id(instance))
    port_ids = {_id(resource_id(p)) for p in ports}
    networks = [n for n in as_list(props(instance).get("networks")) if isinstance(n, Mapping)]
    if any(n.get("floatingIp") for n in networks):
        return True
    named = {_id(n.get(k)) for n in networks for k in ("uuid", "name")}
    named |= {_id(props(p).get("networkId")) for p in ports}
    if named & look.external:
        return True
    linked = [
        *(_id(props(r).get("portId")) for r in types(look.estate, Part.PUBLIC_ADDRESS)),
        *(_id(props(r).get("portId")) for r in types(look.estate, Part.PUBLIC_ADDRESS_ATTACHMENT)),
        *(_id(props(r).get("internalPortId")) for r in types(look.estate, Part.PORT_FORWARDING)),
    ]
    by_instance = _of(look, Part.PUBLIC_ADDRESS_ATTACHMENT, "instanceId", iid)
    return bool(port_ids & set(linked)) or bool(by_instance)


def _network_fields(look: Lookups, instance: Resource) -> tuple[dict[str, Any], list[Resource]]:
    iid = _id(resource_id(instance))
    p = props(instance)
    networks = [n for n in as_list(p.get("networks")) if isinstance(n, Mapping)]
    port_ids = [_id(n.get("port")) for n in networks if n.get("port")]
    attaches = [props(a) for a in _of(look, Part.INTERFACE_ATTACHMENT, "instanceId", iid)]
    port_ids += [_id(a.get("portId")) for a in attaches if a.get("portId")]
    implicit = [n for n in networks if not n.get("port")] + [
        a for a in attaches if not a.get("portId")
    ]
    ports = [look.ids[i] for i in port_ids if i in look.ids]
    missing = [f"port {i} not in the snapshot" for i in port_ids if i not in look.ids]
    flows: set[fl.Flow] = set()
    problems: list[str] = []
    used: list[Resource] = list(ports)
    for port in ports:
        allowed, issues, groups = _port_flows(look, port)
        flows, problems, used = flows | allowed, problems + issues, used + groups
    if implicit:
        names = [str(g) for g in as_list(p.get("securityGroups"))] or [DEFAULT_GROUP]
        allowed, issues, groups = _groups_flows(look, [], names)
        flows, problems, used = flows | allowed, problems + issues, used + groups
    public: Any = _public(look, instance, ports)
    if missing and not public:
        public = CannotVerify("; ".join(missing))
    ingress: Any = frozenset(fl.named(f, look.estate.zones_by_cidr) for f in flows)
    if missing or problems:
        ingress = CannotVerify("; ".join(dict.fromkeys(missing + problems)))
    return {"publicIp": public, "ingress": ingress}, used


def _server(look: Lookups, instance: Resource) -> CanonicalObject:
    p = props(instance)
    flavour = p.get("flavorName") or p.get("flavorId")
    volumes, volume_resources = _volume_fields(look, instance)
    network, network_resources = _network_fields(look, instance)
    fields = {
        "size": str(flavour) if flavour else None,
        **flavour_capacity([flavour]),
        **volumes,
        **network,
    }
    used = [instance, *volume_resources, *network_resources]
    return make(Capability.SERVER, name_of(instance), fields, used)


# -- datasets and logs ------------------------------------------------------------------------


def _retention(labels: Mapping[str, str], lock: Any) -> Any:
    """Audit retention: the `retention-days` label, else an S3 object lock's period."""
    label = str(labels.get("retention-days", ""))
    if label.isdigit():
        return int(label)
    days = get_path(lock, "retentionDays")
    if isinstance(days, int | float) and not isinstance(days, bool):
        return int(days)
    period = iso_days(get_path(lock, "rule.period"))
    if period is not None:
        return period
    return CannotVerify("no retention-days label or object lock period")


def _bucket_fields(bucket: Resource) -> dict[str, Any]:
    """An OVHcloud S3 bucket: private unless an S3 policy outside Pulumi says otherwise, its
    server-side encryption held by OVHcloud (no customer key), its redundancy the region's."""
    p = props(bucket)
    rules = as_list(get_path(p, "replication.rules"))
    replicated = any(
        isinstance(r, Mapping) and str(r.get("status", "")).lower() == "enabled" for r in rules
    )
    status = str(get_path(p, "versioning.status") or "").lower()
    return {
        "classification": labels_of(bucket).get("classification"),
        "key": None,
        "customerManagedKey": False,
        "versioning": status == "enabled",
        "publicAccess": False,
        "replication": 3
        if replicated
        else CannotVerify("an S3 bucket's redundancy is its region's, not in the snapshot"),
    }


def _stores(estate: Estate) -> list[CanonicalObject]:
    out = []
    for store in [*types(estate, Part.CONTAINER), *types(estate, Part.BUCKET)]:
        labels = labels_of(store)
        if is_audit(labels):
            retention = _retention(labels, props(store).get("objectLock"))
            out.append(
                make(Capability.LOGGING, name_of(store), {"retentionDays": retention}, [store])
            )
            continue
        swift = store.type in v.types_of(estate.name, Part.CONTAINER)
        fields = swift_dataset_fields(store) if swift else _bucket_fields(store)
        out.append(make(Capability.DATASET, name_of(store), fields, [store]))
    return out


def openstack_objects(estate: Estate) -> list[CanonicalObject]:
    """Networks, servers, datasets and logs of an OpenStack estate (zones and keys apart)."""
    look = _lookups(estate)
    servers = [_server(look, i) for i in types(estate, Part.SERVER)]
    return [*_networks(estate), *servers, *_stores(estate)]
