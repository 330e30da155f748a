"""The offer registry file: the bundled one is valid and sourced; bad edits fail in one line."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from bascule.errors import BadInputError
from bascule.registry.load import BUNDLED, ENV, default_registry, load_registry, parse_registry
from bascule.registry.model import Endpoint, Fact, Offer, Qualification


def bundled_doc() -> dict[str, Any]:
    return yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))


def test_bundled_registry_loads_with_every_offer_of_the_issue() -> None:
    registry = load_registry(BUNDLED)
    assert registry.reviewed == dt.date(2026, 12, 1)
    assert registry.origin == "bascule/registry/offers.yaml"
    assert [o.id for o in registry.offers] == [
        "ovhcloud-snc-cloud-platform",
        "ovhcloud-bare-metal-pod-snc",
        "ovhcloud-hosted-private-cloud-snc",
        "ovhcloud-public-cloud",
        "ovhcloud-kms",
        "outscale-iaas",
        "numspot-platform",
        "cloud-temple-iaas",
        "cloud-temple-paas-openshift",
        "s3ns-cloud-de-confiance",
        "orange-cloud-avenue-secnum",
        "cegedim-cegnumcloud",
        "worldline-cloud",
        "scaleway-cloud",
        "bleu-cloud",
    ]


def test_bundled_visas_as_the_sources_give_them() -> None:
    """The visa facts, pinned: a change to them must be a deliberate, sourced edit."""
    visas = {
        o.id: (o.secnumcloud.start, o.secnumcloud.end, o.secnumcloud.decision)
        for o in load_registry(BUNDLED).offers
        if o.secnumcloud.status == "qualified"
    }
    d = dt.date
    assert visas == {
        "ovhcloud-snc-cloud-platform": (d(2026, 7, 31), d(2029, 7, 31), "3393"),
        "ovhcloud-bare-metal-pod-snc": (d(2025, 3, 24), d(2028, 3, 24), "559"),
        "ovhcloud-hosted-private-cloud-snc": (d(2023, 12, 28), d(2026, 12, 29), "2279"),
        "outscale-iaas": (d(2023, 11, 30), d(2026, 11, 30), "2118"),
        "numspot-platform": (d(2026, 7, 31), d(2029, 7, 31), "3395"),
        "cloud-temple-iaas": (d(2026, 7, 31), d(2028, 5, 30), "3389"),
        "cloud-temple-paas-openshift": (d(2025, 5, 30), d(2028, 5, 30), "919"),
        "s3ns-cloud-de-confiance": (d(2025, 12, 17), d(2028, 12, 17), "2057"),
        "orange-cloud-avenue-secnum": (d(2025, 7, 11), d(2028, 7, 11), "1147"),
        "cegedim-cegnumcloud": (d(2024, 12, 4), d(2027, 12, 4), "1951"),
    }


def _facts(offer: Offer) -> tuple[Fact | Qualification | Endpoint, ...]:
    return (offer.openstack, offer.secnumcloud, offer.hds, offer.regions, *offer.endpoints)


def test_every_bundled_fact_has_a_dated_https_source() -> None:
    registry = load_registry(BUNDLED)
    for source in registry.sources.values():
        assert source.url.startswith("https://")
        assert source.checked <= registry.reviewed
    used = {ref for o in registry.offers for fact in _facts(o) for ref in fact.sources}
    assert used == set(registry.sources)  # no dangling, no unused source


def test_visas_last_at_most_three_years() -> None:
    for offer in load_registry(BUNDLED).offers:
        q = offer.secnumcloud
        if q.start and q.end:
            assert (q.end - q.start).days <= 3 * 366, offer.id


def _error(doc: Any) -> str:
    with pytest.raises(BadInputError) as info:
        parse_registry(doc, "offers.yaml")
    assert "\n" not in info.value.message
    return info.value.message


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda d: d["offers"][0]["hds"].pop("sources"),
            "offers.yaml: offers.0.hds: 'sources' is a required property",
        ),
        (
            lambda d: d["offers"][0]["hds"].update(sources=[]),
            "offers.yaml: offers.0.hds.sources: [] should be non-empty",
        ),
        (
            lambda d: d["offers"][0]["hds"].update(sources=["a-guess"]),
            "offers.yaml: offers.0.hds.sources: unknown source 'a-guess'",
        ),
        (
            lambda d: d["offers"][0]["secnumcloud"].pop("decision"),
            "offers.yaml: offers.0.secnumcloud: 'decision' is a required property",
        ),
        (
            lambda d: d["offers"][0]["secnumcloud"].update(end="2026-02-30"),
            "offers.yaml: offers.0.secnumcloud.end: '2026-02-30' is not a calendar date",
        ),
        (
            lambda d: d["offers"][0]["secnumcloud"].update(end="2026-07-30"),
            "offers.yaml: offers.0.secnumcloud: the visa ends (2026-07-30) before it starts "
            "(2026-07-31)",
        ),
        (
            lambda d: d["offers"][13]["secnumcloud"].pop("since"),
            "offers.yaml: offers.13.secnumcloud: 'since' is a required property",
        ),
        (
            lambda d: d["offers"][1].update(id=d["offers"][0]["id"]),
            "offers.yaml: offers: duplicate offer id 'ovhcloud-snc-cloud-platform'",
        ),
        (
            lambda d: d["offers"][0]["hds"].update(status="probably"),
            "offers.yaml: offers.0.hds.status: 'probably' is not one of ['certified', "
            "'not-certified', 'unknown']",
        ),
        (
            lambda d: d["sources"]["anssi-catalogue"].update(url="http://example.com"),
            "offers.yaml: sources.anssi-catalogue.url: 'http://example.com' does not match "
            "'^https://\\\\S+$'",
        ),
        (
            lambda d: d.pop("reviewed"),
            "offers.yaml: (top level): 'reviewed' is a required property",
        ),
        (
            lambda d: d["offers"][0]["match"][0].update(authHost="x"),
            "offers.yaml: offers.0.match.0: Additional properties are not allowed ('authHost' "
            "was unexpected)",
        ),
    ],
)
def test_bad_edits_are_one_line_errors(edit: Any, message: str) -> None:
    doc = copy.deepcopy(bundled_doc())
    edit(doc)
    assert _error(doc) == message


def test_not_a_mapping() -> None:
    assert _error([1, 2]) == "offers.yaml: (top level): [1, 2] is not of type 'object'"


def test_unreadable_files(tmp_path: Path) -> None:
    missing = tmp_path / "none.yaml"
    with pytest.raises(BadInputError, match=r"none.yaml: cannot read the offer registry"):
        load_registry(missing)
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe reviewed")
    with pytest.raises(BadInputError, match=r"binary.yaml: the offer registry is not UTF-8"):
        load_registry(binary)
    broken = tmp_path / "broken.yaml"
    broken.write_text("offers: [\n  - id: x\n   bad")
    with pytest.raises(BadInputError, match=r"broken.yaml: invalid YAML at line \d+"):
        load_registry(broken)


def test_bascule_registry_points_at_another_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = bundled_doc()
    doc["reviewed"] = "2027-01-15"
    path = tmp_path / "team.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    monkeypatch.setenv(ENV, str(path))
    registry = default_registry()
    assert registry.reviewed == dt.date(2027, 1, 15)
    assert registry.origin == str(path)
