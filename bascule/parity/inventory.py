"""A snapshot's estate as canonical objects (pure: snapshot in, objects out).

Objects are found as `mapping.OBJECTS` says; their fields are read by one reader per
(capability, estate). Readers only use inputs/outputs of the resources, so a real
`pulumi stack export` of the program reads the same as a synthesized one.
"""

from __future__ import annotations

import ipaddress
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bascule.parity import flows as fl
from bascule.parity import mapping as m
from bascule.parity.model import CannotVerify, CanonicalObject, Capability
from bascule.rules import ipsec_suites as ipsec
from bascule.snapshot.model import UNKNOWN, Resource, Snapshot
from components.azure.sizing import size_by_name
from components.lifecycle import FREEZE_RULE, PHASES

# Statuses whose source enclaves the lifecycle freezes (see _designed).
FROZEN_STATES = frozenset(
    str(s) for s, ph in PHASES.items() if ph.source_present and not ph.source_enclaves_open
)


@dataclass(frozen=True)
class Estate:
    """The resources of one estate of a snapshot, with the lookups readers need."""

    name: str  # "source" | "target"
    resources: tuple[Resource, ...]
    children: Mapping[str, tuple[Resource, ...]]  # component urn -> its resources, all depths
    zones_by_cidr: Mapping[str, str]

    def of_type(self, *types: str) -> list[Resource]:
        return [r for r in self.resources if r.type in types]


def estate_of(snapshot: Snapshot, estate: str) -> Estate:
    root_type = m.ESTATE_COMPONENTS[estate]
    by_urn = snapshot.by_urn()

    def ancestors(resource: Resource) -> Iterable[Resource]:
        parent = resource.parent
        while parent and parent in by_urn:
            yield by_urn[parent]
            parent = by_urn[parent].parent

    members: list[Resource] = []
    children: dict[str, list[Resource]] = defaultdict(list)
    for resource in snapshot.resources:
        chain = list(ancestors(resource))
        if resource.type == root_type or any(a.type == root_type for a in chain):
            members.append(resource)
            for ancestor in chain:
                children[ancestor.urn].append(resource)
    resources = tuple(members)
    zones = _zone_cidrs(resources, estate)
    return Estate(estate, resources, {k: tuple(v) for k, v in children.items()}, zones)


def has_estate(snapshot: Snapshot, estate: str) -> bool:
    return any(r.type == m.ESTATE_COMPONENTS[estate] for r in snapshot.resources)


def props(resource: Resource) -> Mapping[str, Any]:
    """Outputs where the resource was deployed (real values), else inputs."""
    return resource.outputs or resource.inputs


def labels_of(resource: Resource) -> Mapping[str, str]:
    p = props(resource)
    for key in ("tags", "metadata"):
        value = p.get(key)
        if isinstance(value, Mapping):
            return {str(k): str(v) for k, v in value.items()}
        if isinstance(value, list):
            return dict(str(item).split("=", 1) for item in value if "=" in str(item))
    return {}


def wave_of(resources: Iterable[Resource]) -> int | None:
    for resource in resources:
        wave = labels_of(resource).get("wave")
        if wave is not None and wave.isdigit():
            return int(wave)
    return None


def as_map(value: Any) -> Mapping[str, Any]:
    """`value` when it is a mapping, else empty: exports hold whatever a provider wrote."""
    return value if isinstance(value, Mapping) else {}


def as_list(value: Any) -> list[Any]:
    """`value` when it is a list, else empty (a string is not a list of its characters)."""
    return value if isinstance(value, list) else []


def get_path(mapping: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(mapping, Mapping):
            return None
        mapping = mapping.get(part)
    return mapping


# -- zones ------------------------------------------------------------------------------


def _zone_cidrs(resources: Sequence[Resource], estate: str) -> dict[str, str]:
    zones: dict[str, str] = {}
    for resource in resources:
        if _is_gateway_subnet(resource):
            continue
        if resource.type == "azure-native:network:Subnet":
            cidr = props(resource).get("addressPrefix")
        elif resource.type == "openstack:networking/subnet:Subnet":
            cidr = props(resource).get("cidr")
        elif resource.type == "scaleway:network/privateNetwork:PrivateNetwork":
            cidr = get_path(props(resource), "ipv4Subnet.subnet")
        else:
            continue
        if (key := fl.zone_key(cidr)) is not None:
            zones[key] = resource.name.removesuffix("-subnet").removesuffix("-net")
    return zones


def _is_gateway_subnet(resource: Resource) -> bool:
    """Azure's VPN gateway subnet: part of the interconnect, not a zone of the platform."""
    return (
        resource.type == "azure-native:network:Subnet"
        and props(resource).get("subnetName") == m.GATEWAY_SUBNET
    )


def _zone_fields(cidr: str | None) -> dict[str, Any]:
    try:
        addresses = ipaddress.ip_network(cidr or "").num_addresses
    except ValueError:
        addresses = None
    return {"cidr": cidr, "addresses": addresses}


def _read_source_zone(estate: Estate, subnet: Resource) -> dict[str, Any]:
    return _zone_fields(props(subnet).get("addressPrefix"))


def _read_target_zone(estate: Estate, component: Resource) -> dict[str, Any]:
    subnets = [
        r
        for r in estate.children.get(component.urn, ())
        if r.type == "openstack:networking/subnet:Subnet"
    ]
    return _zone_fields(props(subnets[0]).get("cidr") if subnets else None)


# -- flows ------------------------------------------------------------------------------


def nsg_rules(nsg: Resource, rules: Iterable[Resource]) -> list[Any]:
    """An NSG's rules: inline `securityRules` and the `SecurityRule` resources given."""
    inline = [r for r in as_list(props(nsg).get("securityRules")) if isinstance(r, Mapping)]
    return inline + [dict(props(r)) for r in rules]


def group_names(resources: Iterable[Resource]) -> dict[str, str]:
    """Security group id -> name, so remote-group peers read the same in every export."""
    return {
        resource_id(r): str(props(r).get("name") or r.name)
        for r in resources
        if r.type.endswith("secGroup:SecGroup")
    }


# -- compute ----------------------------------------------------------------------------


def parse_flavour(name: Any) -> tuple[int, int, int] | None:
    if not isinstance(name, str):
        return None
    match = re.match(m.FLAVOUR_PATTERN, name)
    if match:
        return int(match["vcpu"]), int(match["ram"]), int(match["gpu"] or 0)
    return m.KNOWN_FLAVOURS.get(name)


def _min_or_none(values: list[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return min(known) if known and len(known) == len(values) else None


def capacity(
    values: Sequence[tuple[int, int, int] | None], unknown: Sequence[str], what: str
) -> dict[str, Any]:
    """vCPU, RAM and GPU per instance (the smallest instance counts); a size no catalogue
    knows makes them unverifiable rather than absent (absent would read as "none")."""
    if unknown:
        reason = CannotVerify(f"{what} {', '.join(sorted(set(unknown)))} unknown to bascule")
        return {"vcpu": reason, "ramGb": reason, "gpu": reason}
    return {
        "vcpu": _min_or_none([v[0] if v else None for v in values]),
        "ramGb": _min_or_none([v[1] if v else None for v in values]),
        "gpu": _min_or_none([v[2] if v else None for v in values]),
    }


def azure_capacity(catalogued: Sequence[Any], unknown: Sequence[str]) -> dict[str, Any]:
    values = [(c.vcpu, c.ram_gb, c.gpu) if c else None for c in catalogued]
    return capacity(values, unknown, "Azure VM size")


def flavour_capacity(flavours: Sequence[Any]) -> dict[str, Any]:
    parsed = [parse_flavour(f) for f in flavours]
    unknown = [str(f) for f, p in zip(flavours, parsed, strict=True) if p is None]
    return capacity(parsed, unknown, "flavour")


def _designed(nsg: Resource, rules: list[Any]) -> list[Any]:
    """The rules as designed: without the lifecycle's freeze rule while the NSG's wave is in a
    status that closes the source enclaves, so the target is held to what the enclave admitted
    before the freeze, not to `none`."""
    state = labels_of(nsg).get("migration-state")
    if state not in FROZEN_STATES:
        return rules
    return [
        r
        for r in rules
        if not (
            isinstance(r, Mapping)
            and r.get("name") == FREEZE_RULE
            and str(r.get("access", "")).lower() == "deny"
        )
    ]


def _read_azure_compute(estate: Estate, component: Resource) -> dict[str, Any]:
    inside = estate.children.get(component.urn, ())
    vms = [r for r in inside if r.type == "azure-native:compute:VirtualMachine"]
    sizes = [get_path(props(vm), "hardwareProfile.vmSize") for vm in vms]
    catalogued = [size_by_name(s) if isinstance(s, str) else None for s in sizes]
    disks: list[int] = []
    encrypted = True
    for vm in vms:
        storage = get_path(props(vm), "storageProfile") or {}
        data = [d for d in storage.get("dataDisks") or [] if isinstance(d, Mapping)]
        disks.append(sum(int(float(d.get("diskSizeGB") or 0)) for d in data))
        for disk in [storage.get("osDisk") or {}, *data]:
            if not get_path(disk, "managedDisk.diskEncryptionSet.id"):
                encrypted = False
    public_ip = any(r.type == "azure-native:network:PublicIPAddress" for r in inside) or any(
        isinstance(c, Mapping) and c.get("publicIPAddress")
        for nic in inside
        if nic.type == "azure-native:network:NetworkInterface"
        for c in props(nic).get("ipConfigurations") or []
    )
    rules = [r for r in inside if r.type == "azure-native:network:SecurityRule"]
    flows: set[str] = set()
    for nsg in inside:
        if nsg.type == "azure-native:network:NetworkSecurityGroup":
            own = nsg_rules(nsg, [r for r in rules if r.parent == nsg.urn])
            allowed = fl.nsg_allows(_designed(nsg, own))
            flows |= {fl.named(f, estate.zones_by_cidr) for f in allowed}
    unknown = [str(s) for s, c in zip(sizes, catalogued, strict=True) if c is None]
    return {
        "size": ", ".join(sorted({str(s) for s in sizes})) or None,
        "instances": len(vms),
        **azure_capacity(catalogued, unknown),
        "diskGb": min(disks) if disks else None,
        "encrypted": encrypted and bool(vms),
        "publicIp": public_ip,
        "ingress": frozenset(flows),
    }


def _read_openstack_compute(estate: Estate, component: Resource) -> dict[str, Any]:
    inside = estate.children.get(component.urn, ())
    instances = [r for r in inside if r.type == "openstack:compute/instance:Instance"]
    volumes = [r for r in inside if r.type == "openstack:blockstorage/volume:Volume"]
    boot_ids = {
        str(device.get("uuid"))
        for instance in instances
        for device in props(instance).get("blockDevices") or []
        if isinstance(device, Mapping)
    }
    data_volumes = [v for v in volumes if resource_id(v) not in boot_ids]
    flavours = [props(i).get("flavorName") or props(i).get("flavorId") for i in instances]
    total_data = sum(int(float(props(v).get("size") or 0)) for v in data_volumes)
    public_ip = any(
        r.type.endswith("floatingIp:FloatingIp") or r.type.endswith(":FloatingIpAssociate")
        for r in inside
    ) or any(
        isinstance(n, Mapping) and n.get("floatingIp")
        for i in instances
        for n in props(i).get("networks") or []
    )
    names = group_names(estate.resources)
    flows = {
        fl.named(flow, estate.zones_by_cidr)
        for rule in inside
        if rule.type == "openstack:networking/secGroupRule:SecGroupRule"
        for flow in [fl.sg_rule_flow(props(rule), names)]
        if flow is not None
    }
    return {
        "size": ", ".join(sorted({str(f) for f in flavours})) or None,
        "instances": len(instances),
        **flavour_capacity(flavours),
        "diskGb": total_data // len(instances) if instances else None,
        "encrypted": bool(volumes)
        and all(props(v).get("volumeType") in m.ENCRYPTED_VOLUME_TYPES for v in volumes),
        "publicIp": public_ip,
        "ingress": frozenset(flows),
    }


def resource_id(resource: Resource) -> str:
    return str(props(resource).get("id") or resource.id or "")


# -- datasets ---------------------------------------------------------------------------


def _read_azure_dataset(estate: Estate, component: Resource) -> dict[str, Any]:
    inside = estate.children.get(component.urn, ())
    account = next((r for r in inside if r.type == "azure-native:storage:StorageAccount"), None)
    if account is None:
        return {}
    services = [r for r in inside if r.type == "azure-native:storage:BlobServiceProperties"]
    containers = [r for r in inside if r.type == "azure-native:storage:BlobContainer"]
    return azure_account_fields(account, services, containers)


def azure_account_fields(
    account: Resource, services: Sequence[Resource], containers: Sequence[Resource]
) -> dict[str, Any]:
    """A storage account's dataset fields, with its blob services and containers."""
    p = props(account)
    versioning = bool(get_path(p, "immutableStorageWithVersioning.enabled")) or any(
        props(s).get("isVersioningEnabled") is True for s in services
    )
    public = (
        p.get("allowBlobPublicAccess") is not False
        or str(p.get("publicNetworkAccess", "Enabled")).lower() != "disabled"
        or any(str(props(c).get("publicAccess", "None")) != "None" for c in containers)
    )
    sku = str(get_path(p, "sku.name") or "").rsplit("_", 1)[-1].upper()
    return {
        "classification": labels_of(account).get("classification"),
        "key": get_path(p, "encryption.keyVaultProperties.keyName"),
        "customerManagedKey": str(get_path(p, "encryption.keySource") or "").lower()
        == "microsoft.keyvault",
        "versioning": versioning,
        "publicAccess": public,
        "replication": m.AZURE_REPLICATION.get(sku),
    }


def _read_swift_dataset(estate: Estate, component: Resource) -> dict[str, Any]:
    inside = estate.children.get(component.urn, ())
    container = next(
        (r for r in inside if r.type == "openstack:objectstorage/container:Container"), None
    )
    if container is None:
        return {}
    return swift_dataset_fields(container)


def swift_dataset_fields(container: Resource) -> dict[str, Any]:
    p = props(container)
    labels = labels_of(container)
    policy = str(p.get("storagePolicy") or "default")
    read_acl = str(p.get("containerRead") or "")
    write_acl = str(p.get("containerWrite") or "")
    return {
        "classification": labels.get("classification"),
        "key": labels.get("kms-key"),
        "customerManagedKey": policy in m.ENCRYPTED_STORAGE_POLICIES
        and bool(labels.get("kms-key")),
        "versioning": p.get("versioning") is True or bool(p.get("versioningLegacy")),
        # `.r:*` lets anyone read; `*:*` any user of any project read or write.
        "publicAccess": ".r:" in read_acl or "*:*" in read_acl or "*:*" in write_acl,
        "replication": m.SWIFT_REPLICATION.get(policy),
    }


# -- keys -------------------------------------------------------------------------------


def key_algorithm(kind: Any, size: Any) -> tuple[str | None, int | None]:
    """(name, security strength in bits) of a key of any estate, in one vocabulary: `AES 256`,
    `RSA 3072`, `EC P-256` (mapping.KEY_FAMILIES); an unknown family keeps its own word."""
    word = str(kind or "").strip()
    if not word or word == UNKNOWN:
        return None, None
    family = m.KEY_FAMILIES.get(word.lower(), word.upper())
    size_text = _key_size_text(size)
    name = f"{family} {size_text}" if size_text else family
    if family == "EC":
        return name, m.EC_STRENGTH.get(size_text)
    table = {"AES": m.AES_STRENGTH, "RSA": m.RSA_STRENGTH}.get(family)
    if table is None or not size_text.isdigit():
        return name, None
    return name, table.get(int(size_text))


def _key_size_text(size: Any) -> str:
    """`256` for 256, 256.0 or "256"; a curve name upper-cased (`P-256`); "" when absent."""
    if size is None or isinstance(size, bool) or size == "":
        return ""
    if size == UNKNOWN:
        return "(unknown)"
    try:
        return str(int(float(size)))
    except (TypeError, ValueError):
        return str(size).strip().upper()


def _azure_key_algorithm(p: Mapping[str, Any]) -> tuple[str | None, int | None]:
    kty = str(get_path(p, "properties.kty") or "")
    family = m.KEY_FAMILIES.get(kty.lower())
    # Key Vault's defaults when the size or curve is left out: RSA 2048, EC P-256.
    default = {"RSA": 2048, "EC": "P-256"}.get(family or "")
    size = (
        get_path(p, "properties.curveName") if family == "EC" else get_path(p, "properties.keySize")
    )
    return key_algorithm(kty, size if size is not None else default)


def iso_days(duration: Any) -> int | None:
    """`P90D`, `P3M`, `P1Y` (ISO 8601, as Key Vault rotation policies write them) in days."""
    match = re.fullmatch(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?", str(duration or ""))
    if not match or not any(match.groups()):
        return None
    years, months, days = (int(g or 0) for g in match.groups())
    return years * 365 + months * 30 + days


def _azure_rotation_days(p: Mapping[str, Any]) -> int | None:
    for action in as_list(get_path(p, "properties.rotationPolicy.lifetimeActions")):
        if str(get_path(action, "action.type") or "").lower() == "rotate":
            return iso_days(get_path(action, "trigger.timeAfterCreate"))
    return None


KeyReading = tuple[str, dict[str, Any], Resource]  # (name, fields, the key's resource)


def unique_names(items: Sequence[tuple[str, str, Resource]]) -> list[str]:
    """Each item's own name, or `<qualifier>/<name>` where two share it (one key name in
    two vaults), else the URN's name: no object may hide another under the same key."""
    counts = Counter(short for short, _, _ in items)
    names = [short if counts[short] == 1 else f"{q}/{short}" for short, q, _ in items]
    again = Counter(names)
    pairs = zip(names, items, strict=True)
    return [n if again[n] == 1 else f"{n}/{r.name}" for n, (_, _, r) in pairs]


def read_azure_keys(estate: Estate) -> list[KeyReading]:
    keys = estate.of_type("azure-native:keyvault:Key")
    stores = {k.urn: str(props(k).get("vaultName")) for k in keys}
    short = [(str(props(k).get("keyName") or k.name), stores[k.urn], k) for k in keys]
    names = dict(zip((k.urn for k in keys), unique_names(short), strict=True))
    algorithms = {k.urn: _azure_key_algorithm(props(k)) for k in keys}
    return [
        (
            names[k.urn],
            {
                "algorithm": algorithms[k.urn][0],
                "strengthBits": algorithms[k.urn][1],
                "rotationDays": _azure_rotation_days(props(k)),
                # Key Vault is a KMS; -HSM key types sit in its HSMs.
                "securityContainer": True,
                "storeSharedWith": frozenset(
                    names[o.urn] for o in keys if o.urn != k.urn and stores[o.urn] == stores[k.urn]
                ),
            },
            k,
        )
        for k in keys
    ]


def read_target_keys(estate: Estate) -> list[KeyReading]:
    found: list[tuple[str, str | None, int | None, str, Resource]] = []
    barbican_store: dict[str, str] = {}
    # A container names the secrets it holds; the name an order's secret has there is the
    # key's (the secret's own name may add the key's purpose: components/target/openstack/kms.py).
    named_ref: dict[str, str] = {}
    for container in estate.of_type("openstack:keymanager/containerV1:ContainerV1"):
        for ref in as_list(props(container).get("secretRefs")):
            if isinstance(ref, Mapping) and ref.get("name"):
                barbican_store[str(ref["name"])] = container.name
                if isinstance(ref.get("secretRef"), str) and ref["secretRef"] != UNKNOWN:
                    named_ref[ref["secretRef"]] = str(ref["name"])
    for r in estate.of_type("openstack:keymanager/orderV1:OrderV1"):
        meta = props(r).get("meta")
        meta = meta if isinstance(meta, Mapping) else {}
        own_ref = props(r).get("secretRef")
        name = named_ref.get(own_ref) if isinstance(own_ref, str) else None
        name = name or str(meta.get("name") or r.name)
        algorithm = key_algorithm(meta.get("algorithm"), meta.get("bitLength"))
        found.append((name, *algorithm, barbican_store.get(name, ""), r))
    for r in estate.of_type("openstack:keymanager/secretV1:SecretV1"):
        name = str(props(r).get("name") or r.name)
        algorithm = key_algorithm(props(r).get("algorithm"), props(r).get("bitLength"))
        found.append((name, *algorithm, barbican_store.get(name, ""), r))
    for r in estate.of_type("ovh:Okms/serviceKey:ServiceKey", "ovh:okms/serviceKey:ServiceKey"):
        p = props(r)
        name = str(p.get("name") or r.name)
        kind = p.get("type")
        size = p.get("curve") if m.KEY_FAMILIES.get(str(kind).lower()) == "EC" else p.get("size")
        found.append((name, *key_algorithm(kind, size), f"okms:{p.get('okmsId')}", r))
    names = unique_names([(n, store or "barbican", r) for n, _, _, store, r in found])
    stores = {name: f[3] for name, f in zip(names, found, strict=True)}
    return [
        (
            name,
            {
                "algorithm": algorithm,
                "strengthBits": strength,
                # Neither Barbican orders nor OKMS service keys rotate by themselves.
                "rotationDays": None,
                "securityContainer": True,  # Barbican and OVHcloud KMS are both KMSs
                "storeSharedWith": frozenset(
                    other for other, s in stores.items() if other != name and s and s == store
                ),
            },
            r,
        )
        for name, (_, algorithm, strength, store, r) in zip(names, found, strict=True)
    ]


# -- logging ----------------------------------------------------------------------------


def _read_azure_logging(estate: Estate, component: Resource) -> dict[str, Any]:
    spaces = [
        r
        for r in estate.children.get(component.urn, ())
        if r.type == "azure-native:operationalinsights:Workspace"
    ]
    days = [props(w).get("retentionInDays") for w in spaces]
    known = [int(float(d)) for d in days if isinstance(d, int | float | str) and d != ""]
    return {"retentionDays": min(known) if known and len(known) == len(days) else None}


def _read_target_logging(estate: Estate, component: Resource) -> dict[str, Any]:
    containers = [
        r
        for r in estate.children.get(component.urn, ())
        if r.type == "openstack:objectstorage/container:Container"
    ]
    days = [labels_of(c).get("retention-days") for c in containers]
    known = [int(d) for d in days if d and d.isdigit()]
    return {"retentionDays": min(known) if known else None}


# -- interconnect ---------------------------------------------------------------------------


def _suite_fields(suite: Any) -> dict[str, Any]:
    def word(name: str) -> Any:
        value = getattr(suite, name, None) if suite is not None else None
        return value.value if value is not None and value.known else None

    return {
        "ikeVersion": word("ike_version"),
        "ikeEncryption": word("ike_encryption"),
        "ikePrf": word("ike_prf"),
        "dhGroup": word("dh_group"),
        "espEncryption": word("esp_encryption"),
        "espIntegrity": word("esp_integrity"),
        "pfsGroup": word("pfs_group"),
        "ipsecLifetimeSeconds": word("esp_lifetime"),
    }


def _ranges(values: Any) -> list[str] | None:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        return None
    try:
        return sorted(str(ipaddress.ip_network(v, strict=False)) for v in values)
    except ValueError:
        return None


def _one(resources: Iterable[Resource], kind: str) -> Resource | None:
    found = [r for r in resources if r.type == kind]
    return found[0] if len(found) == 1 else None


def _read_azure_interconnect(estate: Estate, component: Resource) -> dict[str, Any]:
    inside = estate.children.get(component.urn, ())
    connection = _one(inside, ipsec.AZ_CONNECTION)
    site = _one(inside, ipsec.AZ_LOCAL_GATEWAY)
    conn = props(connection) if connection is not None else {}
    policies = conn.get("trafficSelectorPolicies") or []
    selectors = [r for pol in policies for r in (pol.get("localAddressRanges") or [])]
    prefixes = get_path(props(site), "localNetworkAddressSpace.addressPrefixes") if site else None
    if conn.get("enableBgp") is True:
        selectors, prefixes = _bgp_ranges(estate, inside, prefixes)
    return {
        **_suite_fields(ipsec.azure_suite(conn) if connection is not None else None),
        "sourceRanges": _ranges(selectors) if selectors else None,
        "targetRanges": _ranges(prefixes),
        "preSharedKey": connection is not None and conn.get("sharedKey") not in (None, ""),
    }


def _bgp_ranges(estate: Estate, inside: Sequence[Resource], prefixes: Any) -> tuple[list[str], Any]:
    """With BGP the Azure end carries what its gateway announces (its virtual network's
    address space but the GatewaySubnet) and routes the site's prefixes but its BGP
    peer's host address."""
    subnet, site = _one(inside, ipsec.AZ_SUBNET), _one(inside, ipsec.AZ_LOCAL_GATEWAY)
    peer = get_path(props(site), "bgpSettings.bgpPeeringAddress") if site else None
    if isinstance(prefixes, list) and isinstance(peer, str):
        prefixes = [x for x in prefixes if x != f"{peer}/32"]
    vnet_name = props(subnet).get("virtualNetworkName") if subnet else None
    vnets = [
        r
        for r in estate.resources
        if r.type == ipsec.AZ_VNET and vnet_name and props(r).get("name") == vnet_name
    ]
    if len(vnets) != 1 or subnet is None:
        return [], prefixes
    space = get_path(props(vnets[0]), "addressSpace.addressPrefixes") or []
    return [c for c in space if c != props(subnet).get("addressPrefix")], prefixes


def _read_target_interconnect(estate: Estate, component: Resource) -> dict[str, Any]:
    inside = estate.children.get(component.urn, ())
    ike, esp = _one(inside, ipsec.OS_IKE), _one(inside, ipsec.OS_IPSEC)
    site = _one(inside, ipsec.OS_SITE)
    groups = [r for r in inside if r.type == ipsec.OS_ENDPOINTS]
    by_type = {str(props(g).get("type")): g for g in groups}
    subnets = {r.id: r for r in estate.resources if r.type == ipsec.OS_SUBNET and r.id}
    local = by_type.get("subnet")
    endpoints = props(local).get("endpoints") if local is not None else None
    cidrs = [props(subnets[e]).get("cidr") if e in subnets else None for e in (endpoints or [])]
    suite = {
        **_suite_fields(ipsec.neutron_ike(props(ike)) if ike is not None else None),
        **{
            k: v
            for k, v in _suite_fields(
                ipsec.neutron_esp(props(esp)) if esp is not None else None
            ).items()
            if k in ("espEncryption", "espIntegrity", "pfsGroup", "ipsecLifetimeSeconds")
        },
    }
    peer = by_type.get("cidr")
    return {
        **suite,
        "sourceRanges": _ranges(props(peer).get("endpoints")) if peer is not None else None,
        "targetRanges": _ranges(cidrs) if cidrs and None not in cidrs else None,
        "preSharedKey": site is not None and props(site).get("psk") not in (None, ""),
    }


# -- assembly ---------------------------------------------------------------------------

ComponentReader = Callable[[Estate, Resource], dict[str, Any]]
COMPONENT_READERS: dict[tuple[Capability, str], ComponentReader] = {
    (Capability.ZONE, m.TARGET): _read_target_zone,
    (Capability.DATASET, m.SOURCE): _read_azure_dataset,
    (Capability.DATASET, m.TARGET): _read_swift_dataset,
    (Capability.ENCLAVE, m.SOURCE): _read_azure_compute,
    (Capability.ENCLAVE, m.TARGET): _read_openstack_compute,
    (Capability.GATEWAY, m.SOURCE): _read_azure_compute,
    (Capability.GATEWAY, m.TARGET): _read_openstack_compute,
    (Capability.LOGGING, m.SOURCE): _read_azure_logging,
    (Capability.LOGGING, m.TARGET): _read_target_logging,
    (Capability.INTERCONNECT, m.SOURCE): _read_azure_interconnect,
    (Capability.INTERCONNECT, m.TARGET): _read_target_interconnect,
}
LOGGING_OBJECT = "audit-logs"  # one logical audit trail per estate


def _reader(capability: Capability, estate: Estate, component: Resource) -> ComponentReader:
    """The reader of the component's resources: Scaleway's where they are Scaleway's."""
    # Imported here: inventory_scaleway reads with this module's helpers.
    from bascule.parity import inventory_scaleway as scw

    if estate.name == m.TARGET and scw.is_scaleway(estate, component):
        return scw.READERS[capability]
    return COMPONENT_READERS[(capability, estate.name)]


def _target_keys(estate: Estate) -> list[KeyReading]:
    from bascule.parity import inventory_scaleway as scw  # here: the cycle of `_reader`

    return read_target_keys(estate) + scw.read_keys(estate)


def canonical_objects(estate: Estate) -> dict[str, CanonicalObject]:
    """Every canonical object of the estate, by key (`capability/name`)."""
    out: dict[str, CanonicalObject] = {}

    def add(
        capability: Capability,
        name: str,
        fields: Mapping[str, Any],
        urns: Sequence[str],
        wave: int | None,
    ) -> None:
        obj = CanonicalObject(capability, name, dict(fields), wave, tuple(urns))
        out[obj.key] = obj

    for capability, sides in m.OBJECTS.items():
        spec = sides[estate.name]
        if spec.component is not None:
            components = estate.of_type(spec.component)
            for component in components:
                reader = _reader(capability, estate, component)
                inside = estate.children.get(component.urn, ())
                # One audit trail per estate: named by its role; several keep their names
                # (none may hide another under the same key).
                single_log = capability is Capability.LOGGING and len(components) == 1
                name = LOGGING_OBJECT if single_log else component.name
                wave = (
                    wave_of(inside)
                    if capability in (Capability.ENCLAVE, Capability.DATASET)
                    else None
                )
                add(capability, name, reader(estate, component), [r.urn for r in inside], wave)
        elif capability is Capability.ZONE:
            for subnet in estate.of_type(*spec.resource):
                if _is_gateway_subnet(subnet):
                    continue
                name = subnet.name.removesuffix(spec.name_from)
                add(capability, name, _read_source_zone(estate, subnet), [subnet.urn], None)
    keys = read_azure_keys(estate) if estate.name == m.SOURCE else _target_keys(estate)
    for name, fields, resource in keys:
        add(Capability.KEY, name, fields, [resource.urn], None)
    return out
