"""Resolution of a provider's identity and region to an offer: exact hosts, `*.domain`,
regions by normalised name, and what an attacker's spellings resolve to (nothing)."""

from __future__ import annotations

import datetime as dt

import pytest

from bascule.registry.load import BUNDLED, load_registry
from bascule.registry.resolve import Target, host_matches, qualified_alternatives, resolve

REGISTRY = load_registry(BUNDLED)


def ids(package: str, identity: str | None, region: str | None) -> list[str]:
    target = Target(package, identity, region, "x")
    return [o.id for o in resolve(REGISTRY, target).offers]


@pytest.mark.parametrize(
    ("pattern", "host", "matches"),
    [
        ("auth.cloud.ovh.net", "auth.cloud.ovh.net", True),
        ("auth.cloud.ovh.net", "AUTH.Cloud.OVH.net", True),
        ("auth.cloud.ovh.net", "auth.cloud.ovh.net.", False),
        ("auth.cloud.ovh.net", "xauth.cloud.ovh.net", False),
        ("*.cloud.snc.ovh.net", "auth.eu-west-rbx-snc.cloud.snc.ovh.net", True),
        ("*.cloud.snc.ovh.net", "cloud.snc.ovh.net", False),  # the bare domain is not under it
        ("*.cloud.snc.ovh.net", "evilcloud.snc.ovh.net", False),
        ("*.cloud.snc.ovh.net", "auth.cloud.snc.ovh.net.attacker.example", False),
    ],
)
def test_host_patterns(pattern: str, host: str, matches: bool) -> None:
    assert host_matches(pattern, host) is matches


def test_openstack_resolution() -> None:
    snc = "auth.eu-west-rbx-snc.cloud.snc.ovh.net"
    assert ids("openstack", snc, "eu-west-rbx-snc") == ["ovhcloud-snc-cloud-platform"]
    assert ids("openstack", snc, "EU_WEST_SBG_SNC") == ["ovhcloud-snc-cloud-platform"]
    assert ids("openstack", snc, "eu-west-gra-snc") == []  # not documented in the offer
    assert ids("openstack", snc, None) == []
    assert ids("openstack", "auth.cloud.ovh.net", "EU-WEST-PAR") == ["ovhcloud-public-cloud"]
    assert ids("openstack", "auth.cloud.ovh.net", None) == ["ovhcloud-public-cloud"]
    # The public Keystone with a SecNumCloud region name is still the public cloud.
    assert ids("openstack", "auth.cloud.ovh.net", "eu-west-rbx-snc") == ["ovhcloud-public-cloud"]
    assert ids("openstack", "keystone.example.com", "eu-west-rbx-snc") == []


def test_near_offers_name_the_host_owner() -> None:
    target = Target("openstack", "a.cloud.snc.ovh.net", "eu-west-gra-snc", "x")
    assert [o.id for o in resolve(REGISTRY, target).near] == ["ovhcloud-snc-cloud-platform"]


def test_other_packages() -> None:
    assert ids("ovh", "ovh-eu", None) == ["ovhcloud-kms"]
    assert ids("ovh", "eu.api.ovh.com", None) == ["ovhcloud-kms"]
    assert ids("ovh", "ovh-ca", None) == []
    assert ids("scaleway", "api.scaleway.com", "fr-par") == ["scaleway-cloud"]
    assert ids("scaleway", "api.scaleway.com", "pl-waw") == ["scaleway-cloud"]
    # Another API host, or a region Scaleway does not have, is not the offer.
    assert ids("scaleway", "api.example.net", "fr-par") == []
    assert ids("scaleway", None, "fr-par") == []
    assert ids("scaleway", "api.scaleway.com", "fr-par-1") == []
    assert ids("outscale", None, "cloudgouv-eu-west-1") == ["outscale-iaas"]
    assert ids("outscale", None, "eu-west-2") == []
    assert ids("gcp", None, "u-france-east1") == []  # S3NS has no match entry


def test_qualified_alternatives_are_reachable_with_the_same_provider_type() -> None:
    on = dt.date(2026, 12, 1)
    found = qualified_alternatives(REGISTRY, "OVHcloud", "openstack", on, 180)
    assert [o.id for o in found] == ["ovhcloud-snc-cloud-platform"]
    assert qualified_alternatives(REGISTRY, "OVHcloud", "ovh", on, 180) == ()
    after = dt.date(2029, 8, 1)
    assert qualified_alternatives(REGISTRY, "OVHcloud", "openstack", after, 180) == ()
