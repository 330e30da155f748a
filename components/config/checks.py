"""Cross-field checks on the stack config. Each message starts with the config key it names."""

from __future__ import annotations

import ipaddress
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from components.config.fleet import IncompleteEnclaveError, fleet_names, resolve_enclaves
from components.config.interconnect import (
    SCALEWAY_ASN,
    SCALEWAY_CIPHERS,
    SCALEWAY_GROUPS,
    SCALEWAY_HASHES,
    Proposal,
)
from components.config.model import Classification, KeyPurpose, Zone, ZoneRole
from components.config.sections import StackSections
from components.lifecycle import WaveStatus

# Statuses whose wave moves data, so it needs the interconnect and an end date for the
# target credential (its cutover date).
MOVING = (WaveStatus.REPLICATING, WaveStatus.PARALLEL)


def _duplicates(section: str, names: Iterable[str]) -> list[str]:
    counts = Counter(names)
    return [f"bascule:{section}: duplicate name {n!r}" for n, c in counts.items() if c > 1]


def _overlaps(key: str, cidrs: Sequence[tuple[str, ipaddress.IPv4Network]]) -> list[str]:
    errors = []
    for i, (name_a, net_a) in enumerate(cidrs):
        for name_b, net_b in cidrs[i + 1 :]:
            if net_a.overlaps(net_b):
                errors.append(
                    f"bascule:zones: {key} {net_a} of zone {name_a!r} overlaps "
                    f"{net_b} of zone {name_b!r}"
                )
    return errors


def cross_field_errors(config: StackSections) -> list[str]:
    """All cross-field problems, most fundamental first; empty when the config is coherent."""
    errors: list[str] = []
    errors += _duplicates("zones", (z.name for z in config.zones))
    errors += _duplicates("keys", (k.name for k in config.keys))
    errors += _duplicates("datasets", (d.name for d in config.datasets))
    errors += _duplicates("waves", (str(w.id) for w in config.waves))
    errors += _overlaps("azureCidr", [(z.name, z.azure_cidr) for z in config.zones])
    errors += _overlaps("targetCidr", [(z.name, z.target_cidr) for z in config.zones])

    zones = {z.name: z for z in config.zones}
    keys = {k.name: k for k in config.keys}
    wave_ids = {w.id for w in config.waves}

    errors += _gateway_zone_errors(config, zones)

    if not any(k.purpose is KeyPurpose.DISK for k in config.keys):
        errors.append("bascule:keys: at least one key with purpose 'disk' is required")

    for i, ds in enumerate(config.datasets):
        key = keys.get(ds.key)
        if key is None:
            errors.append(f"bascule:datasets[{i}].key: unknown key {ds.key!r}")
            continue
        wants_pseudo = ds.classification is Classification.PSEUDONYMISATION_KEYS
        is_pseudo = key.purpose is KeyPurpose.PSEUDONYMISATION
        if wants_pseudo != is_pseudo:
            errors.append(
                f"bascule:datasets[{i}].key: dataset {ds.name!r} ({ds.classification.value}) "
                f"must not share key {ds.key!r} (purpose {key.purpose.value}): pseudonymisation "
                "keys and dataset keys are kept apart"
            )
        if ds.wave not in wave_ids:
            errors.append(f"bascule:datasets[{i}].wave: unknown wave {ds.wave}")

    for i, fleet in enumerate(config.enclave_fleets):
        errors += _enclave_placement(f"enclaveFleets[{i}]", fleet.zone, fleet.wave, zones, wave_ids)
    generated = [n for f in config.enclave_fleets for n in fleet_names(f)]
    errors += _duplicates("enclaveFleets", generated)
    for i, override in enumerate(config.enclaves):
        if override.zone is not None or override.wave is not None:
            errors += _enclave_placement(
                f"enclaves[{i}]", override.zone, override.wave, zones, wave_ids
            )
    if errors:
        return errors
    try:
        resolved = resolve_enclaves(config.enclave_fleets, config.enclaves)
    except IncompleteEnclaveError as exc:
        return [str(exc)]
    errors += _duplicates("enclaves", (e.name for e in resolved))
    for enclave in resolved:
        for port in enclave.ingress_ports:
            if not 1 <= port <= 65535:
                errors.append(f"bascule:enclaves ({enclave.name}).ingressPorts: bad port {port}")
    return errors


def _enclave_placement(
    key: str,
    zone: str | None,
    wave: int | None,
    zones: dict,
    wave_ids: set[int],
) -> list[str]:
    errors = []
    if zone is not None:
        found = zones.get(zone)
        if found is None:
            errors.append(f"bascule:{key}.zone: unknown zone {zone!r} (known: {', '.join(zones)})")
        elif found.role is not ZoneRole.ENCLAVES:
            errors.append(
                f"bascule:{key}.zone: zone {zone!r} has role {found.role.value!r}, "
                "expected 'enclaves'"
            )
    if wave is not None and wave not in wave_ids:
        errors.append(f"bascule:{key}.wave: unknown wave {wave}")
    return errors


def _gateway_zone_errors(config: StackSections, zones: dict[str, Zone]) -> list[str]:
    """The gateway zone exists, has the gateway role, and is not where private endpoints
    would land (they go to the data zone, else the hub; the gateway zone takes internet
    traffic)."""
    gateway_zone = zones.get(config.gateway.zone)
    if gateway_zone is None:
        return [f"bascule:gateway.zone: unknown zone {config.gateway.zone!r}"]
    if gateway_zone.role is not ZoneRole.GATEWAY:
        return [
            f"bascule:gateway.zone: zone {config.gateway.zone!r} has role "
            f"{gateway_zone.role.value!r}, expected 'gateway'"
        ]
    if not any(z.role in (ZoneRole.DATA, ZoneRole.HUB) for z in config.zones):
        return [
            "bascule:zones: no zone with role 'data' or 'hub' for the private endpoints of "
            "the datasets and key vaults (the gateway zone takes internet traffic)"
        ]
    return []


def migration_errors(config: StackSections) -> list[str]:
    """Cross-checks between the interconnect, the zones and the waves."""
    errors: list[str] = []
    link = config.interconnect
    zones = {z.name: z for z in config.zones}
    for i, wave in enumerate(config.waves):
        if wave.status in MOVING and wave.cutover_date is None:
            errors.append(
                f"bascule:waves[{i}].cutoverDate: required while wave {wave.id} is "
                f"{wave.status.value}: its target transfer credential expires then"
            )
        if wave.status in MOVING and link is None:
            errors.append(
                f"bascule:interconnect: required while wave {wave.id} is {wave.status.value} "
                "(its transfer runs through the estates' IPsec link)"
            )
    if link is None:
        return errors
    if config.target.provider == "scaleway":
        errors += scaleway_proposal_errors(link.proposal)
        if config.target.scaleway_peer_asn == SCALEWAY_ASN:
            errors.append(
                f"bascule:target.scalewayPeerAsn: {SCALEWAY_ASN} is Scaleway's own ASN: the "
                "Azure end's BGP speaker needs another"
            )
    for name in link.target_zones:
        if name not in zones:
            errors.append(
                f"bascule:interconnect.targetZones: unknown zone {name!r} "
                f"(known: {', '.join(zones)})"
            )
    for zone in config.zones:
        if zone.azure_cidr.overlaps(link.gateway_subnet_cidr):
            errors.append(
                f"bascule:interconnect.gatewaySubnetCidr: {link.gateway_subnet_cidr} overlaps "
                f"azureCidr {zone.azure_cidr} of zone {zone.name!r}"
            )
    return errors


def scaleway_proposal_errors(proposal: Proposal) -> list[str]:
    """The proposal's values Scaleway's Site-to-Site VPN does not offer."""
    key = "bascule:interconnect.proposal"
    checks: list[tuple[str, object, Mapping[Any, str]]] = [
        ("ikeEncryption", proposal.ike_encryption, SCALEWAY_CIPHERS),
        ("ikeIntegrity", proposal.ike_integrity, SCALEWAY_HASHES),
        ("dhGroup", proposal.dh_group, SCALEWAY_GROUPS),
        ("ipsecEncryption", proposal.ipsec_encryption, SCALEWAY_CIPHERS),
        ("pfsGroup", proposal.pfs_group, SCALEWAY_GROUPS),
    ]
    if proposal.ipsec_integrity is not None:
        checks.append(("ipsecIntegrity", proposal.ipsec_integrity, SCALEWAY_HASHES))
    return [
        f"{key}.{name}: {value!r} is not offered by Scaleway's Site-to-Site VPN "
        f"(offered: {', '.join(str(k) for k in table)})"
        for name, value, table in checks
        if value not in table
    ]
