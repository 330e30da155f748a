"""SOV-010/011/012 as pure functions: every standing, the check date, registries that say
what the bundled one does not (an HDS refusal, an ambiguous match, a stale review)."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
import yaml

from bascule.registry.load import BUNDLED, load_registry, parse_registry
from bascule.registry.model import Registry
from bascule.registry.resolve import Target
from bascule.rules.base import ProviderView, StackResource
from bascule.rules.qualification import (
    Unreadable,
    advisory_messages,
    check_date,
    hds_message,
    qualification_messages,
    read_target,
)

D = dt.date
BUNDLED_REGISTRY = load_registry(BUNDLED)
SNC = Target(
    "openstack",
    "auth.eu-west-rbx-snc.cloud.snc.ovh.net",
    "eu-west-rbx-snc",
    "authUrl host 'auth.eu-west-rbx-snc.cloud.snc.ovh.net' in region 'eu-west-rbx-snc'",
)
SNC_IS = f"{SNC.what} is OVHcloud SNC Cloud Platform"


def registry_with(edit: Any) -> Registry:
    doc = copy.deepcopy(yaml.safe_load(BUNDLED.read_text(encoding="utf-8")))
    edit(doc)
    return parse_registry(doc, "test.yaml")


@pytest.mark.parametrize(
    ("on", "messages"),
    [
        (
            D(2026, 7, 30),
            [
                f"{SNC_IS}, whose SecNumCloud visa (ANSSI decision 3393) starts on 2026-07-31, "
                "after 2026-07-30; the registry lists no other qualified OpenStack-based offer "
                "of OVHcloud for this provider type"
            ],
        ),
        (D(2026, 7, 31), []),
        (D(2027, 12, 1), []),
        (D(2029, 7, 31), []),
        (
            D(2029, 8, 1),
            [
                f"{SNC_IS}, whose SecNumCloud visa (ANSSI decision 3393) ended on 2029-07-31, "
                "before 2029-08-01; the registry lists no other qualified OpenStack-based "
                "offer of OVHcloud for this provider type"
            ],
        ),
    ],
)
def test_sov_010_before_during_and_after_the_visa(on: dt.date, messages: list[str]) -> None:
    assert qualification_messages(BUNDLED_REGISTRY, SNC, on) == messages


def test_sov_010_unknown_status_and_ambiguity() -> None:
    unknown = registry_with(lambda d: d["offers"][0]["secnumcloud"].update(status="unknown"))
    assert qualification_messages(unknown, SNC, D(2026, 12, 1)) == [
        f"cannot verify the qualification: {SNC_IS}, whose SecNumCloud status is unknown in "
        "the offer registry; the registry lists no other qualified OpenStack-based offer of "
        "OVHcloud for this provider type"
    ]
    twice = registry_with(
        lambda d: d["offers"][1].update(match=copy.deepcopy(d["offers"][0]["match"]))
    )
    assert qualification_messages(twice, SNC, D(2026, 12, 1)) == [
        f"cannot verify the offer: {SNC.what} matches several offers of the registry (OVHcloud "
        "SNC Cloud Platform, OVHcloud Bare Metal Pod SecNumCloud (Dedicated Pod - SecNumCloud))"
    ]


def test_sov_011_window_and_registry_age() -> None:
    assert advisory_messages(BUNDLED_REGISTRY, SNC, D(2029, 1, 31), 180, 90000) == []
    assert advisory_messages(BUNDLED_REGISTRY, SNC, D(2029, 2, 1), 180, 90000) == [
        f"{SNC_IS}, whose SecNumCloud visa (ANSSI decision 3393) ends on 2029-07-31, 180 days "
        "after 2029-02-01 (window 180 days): obtain the renewal decision or plan the move"
    ]
    assert advisory_messages(BUNDLED_REGISTRY, SNC, D(2027, 3, 1), 180, 90) == []  # 90 days
    assert advisory_messages(BUNDLED_REGISTRY, SNC, D(2027, 3, 2), 180, 90) == [
        "the offer registry was last reviewed on 2026-12-01, 91 days before 2027-03-02 (limit "
        "90): re-check its visas against ANSSI's catalogue before trusting this result"
    ]
    # Not SOV-011's business: an expired visa (SOV-010 reports it).
    assert advisory_messages(BUNDLED_REGISTRY, SNC, D(2029, 8, 1), 180, 90000) == []


def _container(name: str) -> StackResource:
    return StackResource(
        type="openstack:objectstorage/container:Container",
        props={"metadata": {"classification": "pseudonymised-health"}},
        urn=f"urn:pulumi:dev::bascule::openstack:objectstorage/container:Container::{name}",
        name=name,
    )


def test_sov_012_not_certified_and_unknown() -> None:
    members = [_container("a"), _container("b")]
    refused = registry_with(lambda d: d["offers"][0]["hds"].update(status="not-certified"))
    assert hds_message(refused, "target", SNC, members) == (
        "2 resources with health-data classifications (a, b) are hosted on OVHcloud SNC Cloud "
        "Platform, which is not HDS-certified"
    )
    certified = registry_with(lambda d: d["offers"][0]["hds"].update(status="certified"))
    assert hds_message(certified, "target", SNC, members) is None
    assert hds_message(BUNDLED_REGISTRY, "target", SNC, members[:1]) == (
        "cannot verify the HDS certification: 1 resource with a health-data classification (a) "
        "is hosted on OVHcloud SNC Cloud Platform, whose HDS certification is unknown in the "
        "offer registry"
    )
    unread = Unreadable("authUrl is not set")
    assert hds_message(BUNDLED_REGISTRY, "env", unread, members) == (
        "cannot verify the HDS certification: 2 resources with health-data classifications "
        "(a, b) use provider 'env', whose offer cannot be established (authUrl is not set)"
    )


@pytest.mark.parametrize(
    ("type_token", "props", "target"),
    [
        (
            "pulumi:providers:openstack",
            {"authUrl": "https://Auth.Cloud.OVH.net:5000/v3/", "region": " GRA11 "},
            Target("openstack", "auth.cloud.ovh.net", "GRA11",
                   "authUrl host 'auth.cloud.ovh.net' in region 'GRA11'"),
        ),
        (
            "pulumi:providers:ovh",
            {"endpoint": "https://eu.api.ovh.com/1.0"},
            Target("ovh", "eu.api.ovh.com", None, "endpoint 'https://eu.api.ovh.com/1.0'"),
        ),
        (
            "pulumi:providers:scaleway",
            {"zone": "fr-par-2"},
            Target("scaleway", "api.scaleway.com", "fr-par",
                   "API 'api.scaleway.com' (the provider's default apiUrl) in region 'fr-par'"),
        ),
        (
            "pulumi:providers:scaleway",
            {"region": "fr-par", "zone": "fr-par-1", "apiUrl": "https://API.example.net/"},
            Target("scaleway", "api.example.net", "fr-par",
                   "apiUrl host 'api.example.net' in region 'fr-par'"),
        ),
        (
            "pulumi:providers:scaleway",
            {"region": "fr-par", "apiUrl": "04da6b54-80e4-46f7-96ec-b56ff0331ba9"},
            Unreadable(None),
        ),
        (
            "pulumi:providers:openstack",
            {"authUrl": "04da6b54-80e4-46f7-96ec-b56ff0331ba9"},
            Unreadable(None),
        ),
        (
            "pulumi:providers:openstack",
            {"authUrl": "https://a.cloud.snc.ovh.net/v3",
             "region": "04da6b54-80e4-46f7-96ec-b56ff0331ba9"},
            Unreadable(None),
        ),
        (
            "pulumi:providers:openstack",
            {"authUrl": "[secret]"},  # how the offline runner shows a secret
            Unreadable("cannot verify which offer it belongs to: authUrl is a secret"),
        ),
        ("pulumi:providers:azure-native", {"location": "francecentral"}, None),
    ],
)  # fmt: skip
def test_read_target(type_token: str, props: dict[str, Any], target: Any) -> None:
    assert read_target(type_token, props) == target


def test_check_date() -> None:
    assert check_date({"checkDate": "2027-02-01"}) == D(2027, 2, 1)
    assert check_date({"checkDate": ""}) == dt.date.today()
    assert check_date({}) == dt.date.today()
    assert check_date({"checkDate": "2027-02-30"}) == (
        "checkDate '2027-02-30' is not a YYYY-MM-DD date: cannot judge the visa"
    )


def test_provider_view_unused_import_guard() -> None:
    # ProviderView is the type stack resources carry; SOV-012 reads its props like a provider.
    view = ProviderView("pulumi:providers:scaleway", {"region": "nl-ams"}, "u", "scw")
    assert read_target(view.type, view.props) == Target(
        "scaleway",
        "api.scaleway.com",
        "nl-ams",
        "API 'api.scaleway.com' (the provider's default apiUrl) in region 'nl-ams'",
    )
