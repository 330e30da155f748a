"""`bascule:target.provider: scaleway`: the bundled stack validates, and each kind of bad
Scaleway config is refused in one line naming its key."""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable
from typing import Any

import pytest
from test_stack_config import mutated, stack_values

from components.config.errors import StackConfigError
from components.config.interconnect import BgpPeering, bgp_peering
from components.config.load import SECRET_KEYS, parse_stack_config, plaintext_credentials


def test_scaleway_stack_is_prod_on_fr_par() -> None:
    config = parse_stack_config(stack_values("scaleway"))
    prod = parse_stack_config(stack_values("prod"))
    target = config.target
    assert (target.provider, target.region, target.scaleway_zone, target.gpu_zone) == (
        "scaleway",
        "fr-par",
        "fr-par-1",
        "fr-par-2",
    )
    assert len(config.resolved_enclaves) == 321
    assert [w.id for w in config.waves] == [1, 2, 3, 4]
    assert len(config.datasets) == 12
    # Everything but the target and the accepted gaps is prod's.
    for section in ("azure", "zones", "keys", "waves", "datasets", "gateway", "interconnect"):
        assert getattr(config, section) == getattr(prod, section), section
    assert config.resolved_enclaves == prod.resolved_enclaves


def _target(**changes: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def change(section: dict[str, Any]) -> dict[str, Any]:
        for key, value in changes.items():
            if value is None:
                section.pop(key, None)
            else:
                section[key] = value
        return section

    return change


BAD = [
    pytest.param(
        _target(scalewayProjectId=None),
        "bascule:target: provider 'scaleway' requires scalewayProjectId",
        id="no-project",
    ),
    pytest.param(
        _target(scalewayZone=None, imageId=None),
        "bascule:target: provider 'scaleway' requires scalewayZone, imageId",
        id="no-zone-no-image",
    ),
    pytest.param(
        _target(scalewayZone="nl-ams-1"),
        "bascule:target.scalewayZone: 'nl-ams-1' is not in scalewayAllowedZones "
        "['fr-par-1', 'fr-par-2', 'fr-par-3']",
        id="zone-not-allowed",
    ),
    pytest.param(
        _target(scalewayGpuZone="pl-waw-2"),
        "bascule:target.scalewayGpuZone: 'pl-waw-2' is not in scalewayAllowedZones "
        "['fr-par-1', 'fr-par-2', 'fr-par-3']",
        id="gpu-zone-not-allowed",
    ),
    pytest.param(
        _target(scalewayAllowedZones=["fr-par-1", "fr-par-2", "nl-ams-1"]),
        "bascule:target: scalewayAllowedZones: 'nl-ams-1' is not a zone of region 'fr-par'",
        id="allowed-zone-of-another-region",
    ),
    pytest.param(
        _target(region="nl-ams"),
        "bascule:target.region: 'nl-ams' is not in allowedRegions ['fr-par']",
        id="region-not-allowed",
    ),
    pytest.param(
        _target(scalewayProjectId="my-project"),
        "bascule:target.scalewayProjectId: String should match pattern "
        "'^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'",
        id="project-not-a-uuid",
    ),
    pytest.param(
        _target(provider="openstack"),
        "bascule:target: provider 'openstack' requires authUrl, tenantName",
        id="openstack-without-keystone",
    ),
]


@pytest.mark.parametrize(("change", "message"), BAD)
def test_bad_scaleway_target_names_its_key(
    change: Callable[[dict[str, Any]], dict[str, Any]], message: str
) -> None:
    with pytest.raises(StackConfigError) as caught:
        parse_stack_config(mutated("scaleway", "target", change))
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param(
            {"dhGroup": 24, "pfsGroup": 24},
            "bascule:interconnect.proposal.dhGroup: 24 is not offered by Scaleway's "
            "Site-to-Site VPN (offered: 14, 19, 20)",
            id="dh-group-24",
        ),
        pytest.param(
            {"ikeEncryption": "3des"},
            "bascule:interconnect.proposal.ikeEncryption: '3des' is not offered by Scaleway's "
            "Site-to-Site VPN (offered: aes-128-cbc, aes-192-cbc, aes-256-cbc, aes-128-gcm, "
            "aes-192-gcm, aes-256-gcm)",
            id="3des",
        ),
        pytest.param(
            {"ipsecEncryption": "aes-256-cbc", "ipsecIntegrity": "sha1"},
            "bascule:interconnect.proposal.ipsecIntegrity: 'sha1' is not offered by Scaleway's "
            "Site-to-Site VPN (offered: sha256, sha384)",
            id="esp-sha1",
        ),
    ],
)
def test_proposal_scaleway_cannot_offer(change: dict[str, Any], message: str) -> None:
    def edit(section: dict[str, Any]) -> dict[str, Any]:
        section["proposal"].update(change)
        return section

    with pytest.raises(StackConfigError) as caught:
        parse_stack_config(mutated("scaleway", "interconnect", edit))
    assert str(caught.value) == message


def test_the_same_proposal_is_fine_on_openstack() -> None:
    def edit(section: dict[str, Any]) -> dict[str, Any]:
        section["proposal"].update({"dhGroup": 24, "pfsGroup": 24})
        return section

    config = parse_stack_config(mutated("prod", "interconnect", edit))
    assert config.interconnect is not None and config.interconnect.proposal.dh_group == 24


def test_scaleway_keys_are_credentials() -> None:
    assert {"scalewayAccessKey", "scalewaySecretKey"} <= set(SECRET_KEYS)
    raw = {"scalewaySecretKey": "plain", "scalewayAccessKey": "SCW0"}
    assert plaintext_credentials(raw, lambda key: key == "bascule:scalewayAccessKey") == [
        "scalewaySecretKey"
    ]


@pytest.mark.parametrize(
    ("gap", "message"),
    [
        pytest.param(
            {"object": "enclave/*", "reason": "a reason long enough"},
            "bascule:parity.acceptedGaps[0]: enclave/*: a name with '*' accepts named fields only",
            id="wildcard-without-fields",
        ),
        pytest.param(
            {"object": "enclave/?x", "fields": ["encrypted"], "reason": "a reason long enough"},
            "bascule:parity.acceptedGaps[0].object: String should match pattern "
            "'^(zone|dataset|key|enclave|gateway|logging|interconnect)/[A-Za-z0-9*][A-Za-z0-9._*-]*$'",
            id="other-glob-characters",
        ),
    ],
)
def test_wildcard_accepted_gaps_name_their_fields(gap: dict[str, Any], message: str) -> None:
    values = stack_values("scaleway")
    values["parity"] = json.dumps({"acceptedGaps": [gap]})
    with pytest.raises(StackConfigError) as caught:
        parse_stack_config(values)
    assert str(caught.value) == message


def test_scaleway_peer_asn_cannot_be_scaleways_own() -> None:
    with pytest.raises(StackConfigError) as caught:
        parse_stack_config(mutated("scaleway", "target", _target(scalewayPeerAsn=12876)))
    assert str(caught.value) == (
        "bascule:target.scalewayPeerAsn: 12876 is Scaleway's own ASN: the Azure end's BGP "
        "speaker needs another"
    )


def test_a_gateway_sku_without_bgp_is_refused() -> None:
    # Basic runs no BGP (nor custom IPsec policies): the SKU pattern admits only VpnGw1-5(AZ).
    def basic(section: dict[str, Any]) -> dict[str, Any]:
        section["gatewaySku"] = "Basic"
        return section

    with pytest.raises(StackConfigError) as caught:
        parse_stack_config(mutated("scaleway", "interconnect", basic))
    assert str(caught.value) == (
        "bascule:interconnect.gatewaySku: String should match pattern '^VpnGw[1-5](AZ)?$'"
    )


def test_one_bgp_peering_for_both_ends() -> None:
    config = parse_stack_config(stack_values("scaleway"))
    peering = bgp_peering(config.target)
    assert peering == BgpPeering(azure_asn=65515)
    assert (peering.scaleway_asn, peering.scaleway_cidr(), peering.azure_cidr()) == (
        12876,
        "169.254.21.1/30",
        "169.254.21.2/30",
    )
    # Both addresses in the custom APIPA range given for Azure (169.254.21.0-169.254.22.255;
    # see BgpPeering: the range itself is not verified from Microsoft's text).
    low, high = ipaddress.IPv4Address("169.254.21.0"), ipaddress.IPv4Address("169.254.22.255")
    for address in (peering.scaleway_address, peering.azure_address):
        assert low <= ipaddress.IPv4Address(address) <= high
    assert bgp_peering(parse_stack_config(stack_values("prod")).target) is None
