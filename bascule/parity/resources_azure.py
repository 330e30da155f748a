"""An Azure estate read by resource type (azure-native; pure). See `resources.py`.

Servers: each `VirtualMachine` with its disks (inline, or the `Disk` its `managedDisk.id`
names), its NICs (`networkInterfaces[].id`, or inline `networkInterfaceConfigurations`), the
NSG of each NIC and of each NIC's subnet (inline `securityRules` and `SecurityRule`
resources), and its public IPs. Evidence named but absent from the snapshot (a NIC, an NSG,
a subnet in another stack) makes the field unverifiable, never empty.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bascule.parity import flows as fl
from bascule.parity import mapping as m
from bascule.parity.inventory import (
    Estate,
    as_list,
    as_map,
    azure_account_fields,
    azure_capacity,
    get_path,
    labels_of,
    nsg_rules,
    props,
)
from bascule.parity.model import CannotVerify, CanonicalObject, Capability
from bascule.parity.resources import (
    by_id,
    is_audit,
    last_segment,
    make,
    name_of,
    ref_id,
    types,
    unique,
)
from bascule.parity.vocabulary import Part
from bascule.snapshot.model import Resource
from components.azure.sizing import size_by_name

CMK_DISK_ENCRYPTION = frozenset(
    {"encryptionatrestwithcustomerkey", "encryptionatrestwithplatformandcustomerkeys"}
)


@dataclass(frozen=True)
class Subnet:
    name: str
    network: str  # its virtual network's name
    cidrs: tuple[str, ...]
    nsg: str  # lower-cased id of its NSG, "" when none
    ids: tuple[str, ...]  # lower-cased ids it is referenced by
    resource: Resource  # the Subnet resource, or the VirtualNetwork declaring it inline


def _cidrs(p: Mapping[str, Any]) -> tuple[str, ...]:
    values = [p.get("addressPrefix"), *(as_list(p.get("addressPrefixes")))]
    return tuple(dict.fromkeys(str(c) for c in values if isinstance(c, str) and c))


def _subnets(estate: Estate) -> list[Subnet]:
    """Subnet resources, then subnets declared inline in a VirtualNetwork (a real export's
    VNet outputs list every subnet again: a Subnet resource wins over its inline copy)."""
    found: dict[tuple[str, str], Subnet] = {}
    for r in types(estate, Part.SUBNET):
        p = props(r)
        network = str(p.get("virtualNetworkName") or "")
        s = Subnet(
            name_of(r),
            network,
            _cidrs(p),
            ref_id(p.get("networkSecurityGroup")),
            (ref_id(r.id or p.get("id")),),
            r,
        )
        found[(network.lower(), s.name.lower())] = s
    for vnet in types(estate, Part.NETWORK):
        network = name_of(vnet)
        for inline in as_list(props(vnet).get("subnets")):
            if not isinstance(inline, Mapping) or not inline.get("name"):
                continue
            key = (network.lower(), str(inline["name"]).lower())
            ids = (ref_id(inline.get("id")), f"{ref_id(vnet.id)}/subnets/{key[1]}")
            if key in found:
                old = found[key]
                found[key] = Subnet(
                    old.name,
                    old.network,
                    old.cidrs or _cidrs(inline),
                    old.nsg,
                    old.ids + ids,
                    old.resource,
                )
                continue
            nsg = ref_id(inline.get("networkSecurityGroup"))
            found[key] = Subnet(str(inline["name"]), network, _cidrs(inline), nsg, ids, vnet)
    return list(found.values())


def _addresses(cidrs: Sequence[str]) -> int | None:
    try:
        return sum(ipaddress.ip_network(c, strict=False).num_addresses for c in cidrs) or None
    except ValueError:
        return None


def azure_zones(estate: Estate) -> list[tuple[CanonicalObject, list[str]]]:
    """Each subnet as a `zone`, with the CIDRs flows name it by."""
    subnets = _subnets(estate)
    names = unique([(s.name, s.network) for s in subnets])
    out = []
    for name, s in zip(names, subnets, strict=True):
        fields = {"cidr": ", ".join(s.cidrs) or None, "addresses": _addresses(s.cidrs)}
        keys = [k for c in s.cidrs if (k := fl.zone_key(c)) is not None]
        out.append((make(Capability.ZONE, name, fields, [s.resource], {}), keys))
    return out


def _networks(estate: Estate, subnets: Sequence[Subnet]) -> list[CanonicalObject]:
    vnets = types(estate, Part.NETWORK)
    names = unique([(name_of(n), str(props(n).get("resourceGroupName") or "")) for n in vnets])
    out = []
    for name, vnet in zip(names, vnets, strict=True):
        own = [s for s in subnets if s.network.lower() == name_of(vnet).lower()]
        space = as_list(get_path(props(vnet), "addressSpace.addressPrefixes"))
        cidrs = [c for s in own for c in s.cidrs]
        fields = {
            "cidr": ", ".join(str(c) for c in space) or None,
            "subnets": len(own),
            "addresses": _addresses(cidrs),
        }
        out.append(make(Capability.NETWORK, name, fields, [vnet, *(s.resource for s in own)]))
    return out


# -- servers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lookups:
    ids: Mapping[str, Resource]
    subnets: Mapping[str, Subnet]  # by every id a subnet is referenced by
    rules: Sequence[Resource]  # SecurityRule resources
    zones: Mapping[str, str]
    spaces: Mapping[str, tuple[str, ...]]  # vnet name (lower) -> its `VirtualNetwork` tag


def _space(vnet: Resource) -> list[str]:
    return [str(c) for c in as_list(get_path(props(vnet), "addressSpace.addressPrefixes"))]


def _virtual_network_tags(estate: Estate) -> dict[str, tuple[str, ...]]:
    """Each vnet's address space and its peers' (peering resources or inline peerings)."""
    vnets = types(estate, Part.NETWORK)
    ids = {ref_id(n.id): n for n in vnets}
    peerings: list[tuple[str, Mapping[str, Any]]] = [
        (str(props(r).get("virtualNetworkName") or "").lower(), props(r))
        for r in types(estate, Part.NETWORK_PEERING)
    ]
    for vnet in vnets:
        inline = as_list(props(vnet).get("virtualNetworkPeerings"))
        peerings += [(name_of(vnet).lower(), p) for p in inline if isinstance(p, Mapping)]
    out = {name_of(n).lower(): _space(n) for n in vnets}
    for local, peering in peerings:
        remote = ids.get(ref_id(peering.get("remoteVirtualNetwork")))
        prefixes = as_list(get_path(peering, "remoteAddressSpace.addressPrefixes"))
        out.setdefault(local, [])
        out[local] += [str(c) for c in prefixes] + (_space(remote) if remote else [])
    return {name: tuple(dict.fromkeys(cidrs)) for name, cidrs in out.items()}


def _lookups(estate: Estate) -> Lookups:
    subnets = {i: s for s in _subnets(estate) for i in s.ids if i}
    rules = types(estate, Part.FIREWALL_RULE)
    spaces = _virtual_network_tags(estate)
    return Lookups(by_id(estate.resources), subnets, rules, estate.zones_by_cidr, spaces)


def _disk_cmk(disk: Resource | None) -> bool:
    if disk is None:
        return False
    encryption = as_map(props(disk).get("encryption"))
    kind = str(get_path(encryption, "type") or "").lower()
    return bool(get_path(encryption, "diskEncryptionSetId")) or kind in CMK_DISK_ENCRYPTION


def _disks(look: Lookups, vm: Resource) -> tuple[dict[str, Any], list[Resource]]:
    """Data disk total and whether every disk is under a customer-managed key."""
    storage = as_map(get_path(props(vm), "storageProfile"))
    data = [d for d in as_list(storage.get("dataDisks")) if isinstance(d, Mapping)]
    total, unknown, encrypted, used = 0, [], True, []
    for index, disk in enumerate([as_map(storage.get("osDisk")), *data]):
        managed = as_map(disk.get("managedDisk"))
        resource = look.ids.get(ref_id(managed))
        used += [resource] if resource is not None else []
        cmk = bool(get_path(managed, "diskEncryptionSet.id")) or _disk_cmk(resource)
        encrypted = encrypted and cmk
        if index == 0:
            continue
        size = disk.get("diskSizeGB") or (props(resource).get("diskSizeGB") if resource else None)
        if isinstance(size, int | float) and not isinstance(size, bool):
            total += int(size)
        else:
            unknown.append(str(disk.get("name") or last_segment(ref_id(managed)) or index))
    size_field: Any = total
    if unknown:
        size_field = CannotVerify(f"size of data disk {', '.join(unknown)} not in the snapshot")
    return {"diskGb": size_field, "encrypted": encrypted and bool(storage)}, used


def _nsg_flows(
    look: Lookups, ref: str, space: Sequence[str]
) -> tuple[frozenset[fl.Flow] | None, str, Resource | None]:
    """(allowed flows, problem, the NSG): flows None with no NSG; a problem if it is absent."""
    if not ref:
        return None, "", None
    nsg = look.ids.get(ref)
    if nsg is None:
        return None, f"network security group {last_segment(ref)} not in the snapshot", None
    name = name_of(nsg).lower()
    group = str(props(nsg).get("resourceGroupName") or "").lower()
    own = [
        r
        for r in look.rules
        if r.parent == nsg.urn
        or (
            str(props(r).get("networkSecurityGroupName") or "").lower() == name
            and str(props(r).get("resourceGroupName") or "").lower() in ("", group)
        )
    ]
    return fl.nsg_allows(nsg_rules(nsg, own), space), "", nsg


def _interface_flows(
    look: Lookups, nsg_ref: str, ip_configs: Sequence[Any]
) -> tuple[set[fl.Flow], list[str], list[Resource]]:
    """What one NIC lets in: its NSG and its subnets' NSGs in series (none: everything)."""
    problems: list[str] = []
    found: list[Resource] = []
    allowed: set[fl.Flow] = set()
    subnet_refs = [ref_id(c.get("subnet")) for c in ip_configs if isinstance(c, Mapping)]
    for subnet_ref in [r for r in subnet_refs if r] or [""]:
        subnet = look.subnets.get(subnet_ref) if subnet_ref else None
        if subnet_ref and subnet is None:
            problems.append(f"subnet {last_segment(subnet_ref)} not in the snapshot")
            continue
        space = look.spaces.get(subnet.network.lower(), ()) if subnet else ()
        own, problem, nsg = _nsg_flows(look, nsg_ref, space)
        problems += [problem] if problem else []
        found += [nsg] if nsg else []
        layers = [own] if own is not None else []
        if subnet is not None:
            flows, problem, subnet_nsg = _nsg_flows(look, subnet.nsg, space)
            problems += [problem] if problem else []
            found += [subnet_nsg] if subnet_nsg else []
            layers += [flows] if flows is not None else []
        if not layers:
            allowed.add(fl.Flow(fl.INTERNET))  # no NSG anywhere: Azure filters nothing
        else:
            allowed |= layers[0] if len(layers) == 1 else fl.in_series(layers[1], layers[0])
    return allowed, problems, found


def _network_fields(look: Lookups, vm: Resource) -> tuple[dict[str, Any], list[Resource]]:
    profile = as_map(get_path(props(vm), "networkProfile"))
    problems: list[str] = []
    missing: list[str] = []  # NICs named but absent: their public IPs are unknown too
    used: list[Resource] = []
    public = False
    allowed: set[fl.Flow] = set()
    for ref in as_list(profile.get("networkInterfaces")):
        nic = look.ids.get(ref_id(ref))
        if nic is None:
            missing.append(f"network interface {last_segment(ref_id(ref))} not in the snapshot")
            continue
        configs = as_list(props(nic).get("ipConfigurations"))
        public |= any(isinstance(c, Mapping) and c.get("publicIPAddress") for c in configs)
        flows, issues, nsgs = _interface_flows(
            look, ref_id(props(nic).get("networkSecurityGroup")), configs
        )
        allowed, problems, used = allowed | flows, problems + issues, [*used, nic, *nsgs]
    for config in as_list(profile.get("networkInterfaceConfigurations")):
        if not isinstance(config, Mapping):
            continue
        ips = as_list(config.get("ipConfigurations"))
        public |= any(isinstance(c, Mapping) and c.get("publicIPAddressConfiguration") for c in ips)
        flows, issues, nsgs = _interface_flows(
            look, ref_id(config.get("networkSecurityGroup")), ips
        )
        allowed, problems, used = allowed | flows, problems + issues, [*used, *nsgs]
    fields: dict[str, Any] = {
        "publicIp": public,
        "ingress": frozenset(fl.named(f, look.zones) for f in allowed),
    }
    if missing and not public:
        fields["publicIp"] = CannotVerify("; ".join(missing))
    if missing or problems:
        fields["ingress"] = CannotVerify("; ".join(dict.fromkeys(missing + problems)))
    return fields, used


def _server(look: Lookups, vm: Resource) -> CanonicalObject:
    size = get_path(props(vm), "hardwareProfile.vmSize")
    catalogued = size_by_name(size) if isinstance(size, str) else None
    disks, disk_resources = _disks(look, vm)
    network, network_resources = _network_fields(look, vm)
    fields = {
        "size": str(size) if size else None,
        **azure_capacity([catalogued], [] if catalogued else [str(size)]),
        **disks,
        **network,
    }
    return make(Capability.SERVER, name_of(vm), fields, [vm, *disk_resources, *network_resources])


# -- datasets and logs ------------------------------------------------------------------------


def _same_account(resource: Resource, account: Resource) -> bool:
    p, a = props(resource), props(account)
    if str(p.get("accountName") or "").lower() != name_of(account).lower():
        return False
    group = str(p.get("resourceGroupName") or "").lower()
    return group in ("", str(a.get("resourceGroupName") or "").lower())


def _container_objects(estate: Estate) -> list[CanonicalObject]:
    accounts = types(estate, Part.STORAGE_ACCOUNT)
    services = types(estate, Part.BLOB_SERVICE)
    containers = types(estate, Part.CONTAINER)
    items: list[tuple[str, str, list[Resource], dict[str, Any], Mapping[str, str]]] = []
    labels: Mapping[str, str]
    for container in containers:
        account = next((a for a in accounts if _same_account(container, a)), None)
        account_name = str(props(container).get("accountName") or "")
        labels = {**(labels_of(account) if account else {}), **labels_of(container)}
        if account is None:
            why = CannotVerify(f"storage account {account_name} not in the snapshot")
            fields: dict[str, Any] = dict.fromkeys(m.FIELDS[Capability.DATASET], why)
            fields["classification"] = labels.get("classification")
            fields["publicAccess"] = (
                True if str(props(container).get("publicAccess", "None")) != "None" else why
            )
            used = [container]
        else:
            own = [s for s in services if _same_account(s, account)]
            fields = azure_account_fields(account, own, [container])
            fields["classification"] = labels.get("classification")
            used = [container, account, *own]
        items.append((name_of(container), account_name, used, fields, labels))
    for account in accounts:
        if not any(_same_account(c, account) for c in containers):
            own = [s for s in services if _same_account(s, account)]
            fields = azure_account_fields(account, own, [])
            items.append((name_of(account), "", [account, *own], fields, labels_of(account)))
    names = unique([(name, qualifier) for name, qualifier, _, _, _ in items])
    out = []
    for name, (_, _, used, fields, labels) in zip(names, items, strict=True):
        if is_audit(labels):
            why = CannotVerify("the retention of a storage account is not read")
            out.append(make(Capability.LOGGING, name, {"retentionDays": why}, used, labels))
        else:
            out.append(make(Capability.DATASET, name, fields, used, labels))
    return out


def _workspaces(estate: Estate) -> list[CanonicalObject]:
    out = []
    for space in types(estate, Part.LOG_WORKSPACE):
        days = props(space).get("retentionInDays")
        retention: Any = CannotVerify("no retentionInDays in the snapshot")
        if isinstance(days, int | float) and not isinstance(days, bool):
            retention = int(days)
        out.append(make(Capability.LOGGING, name_of(space), {"retentionDays": retention}, [space]))
    return out


def azure_objects(estate: Estate) -> list[CanonicalObject]:
    """Networks, servers, datasets and logs of an Azure estate (zones and keys apart)."""
    look = _lookups(estate)
    servers = [_server(look, vm) for vm in types(estate, Part.SERVER)]
    networks = _networks(estate, _subnets(estate))
    return [*networks, *servers, *_container_objects(estate), *_workspaces(estate)]
