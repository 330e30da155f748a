"""Every object of an estate read by resource type (pure): zones first, so flows name them,
then the provider's reader, then keys (shared with the component reading). See resources.py."""

from __future__ import annotations

from dataclasses import replace

from bascule.parity.inventory import Estate, read_azure_keys, read_target_keys
from bascule.parity.mapping import SOURCE
from bascule.parity.model import CanonicalObject, Capability
from bascule.parity.resources import make, typed_estate
from bascule.parity.resources_azure import azure_objects, azure_zones
from bascule.parity.resources_openstack import openstack_objects, openstack_zones
from bascule.snapshot.model import Snapshot


def typed_objects(
    snapshot: Snapshot, estate_name: str
) -> tuple[dict[str, CanonicalObject], Estate]:
    """Every object of the estate by key, and the estate read."""
    estate = typed_estate(snapshot, estate_name)
    source = estate_name == SOURCE
    zones = azure_zones(estate) if source else openstack_zones(estate)
    cidrs = {cidr: zone.name for zone, keys in zones for cidr in keys}
    estate = replace(estate, zones_by_cidr=cidrs)
    objects = [z for z, _ in zones]
    objects += azure_objects(estate) if source else openstack_objects(estate)
    keys = read_azure_keys(estate) if source else read_target_keys(estate)
    objects += [make(Capability.KEY, name, fields, [r]) for name, fields, r in keys]
    return {o.key: o for o in objects}, estate
