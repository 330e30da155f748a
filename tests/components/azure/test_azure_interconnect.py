"""The Azure end of the interconnect under bascule's fake cloud: static selectors with an
OpenStack target, one BGP session with a Scaleway target (whose VPN routes with BGP only)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from azure_estate_harness import EstateRun, Registration, dev_config, run_estate

REPO = Path(__file__).resolve().parents[3]
# The stack's subscription (bascule:azure.subscriptionId), where the gateway's own id lives.
SUBSCRIPTION = dev_config().azure.subscription_id
GATEWAY = "hdh-dev-interconnect-vpn-gateway"


def _scaleway_target() -> dict[str, Any]:
    document = yaml.safe_load((REPO / "Pulumi.scaleway.yaml").read_text())
    return dict(document["config"]["bascule:target"])


@pytest.fixture(scope="module")
def scaleway_run() -> EstateRun:
    return run_estate(dev_config(target=_scaleway_target()))


def _one(run: EstateRun, suffix: str) -> Registration:
    (found,) = run.of_type(suffix)
    return found


def test_scaleway_target_gives_the_azure_gateway_a_bgp_speaker(scaleway_run: EstateRun) -> None:
    gateway = _one(scaleway_run, "network:VirtualNetworkGateway").state
    assert gateway["virtualNetworkGatewayName"] == GATEWAY
    assert gateway["enableBgp"] is True
    assert gateway["bgpSettings"] == {
        "asn": 65515.0,
        "bgpPeeringAddresses": [
            {
                "ipconfigurationId": f"/subscriptions/{SUBSCRIPTION}/resourceGroups/hdh-dev/"
                f"providers/Microsoft.Network/virtualNetworkGateways/{GATEWAY}"
                "/ipConfigurations/default",
                "customBgpIpAddresses": ["169.254.21.2"],
            }
        ],
    }
    assert SUBSCRIPTION == "00000000-0000-4000-8000-000000000001"
    assert [c["name"] for c in gateway["ipConfigurations"]] == ["default"]


def test_scaleway_target_site_is_its_bgp_peer(scaleway_run: EstateRun) -> None:
    site = _one(scaleway_run, "network:LocalNetworkGateway").state
    assert site["bgpSettings"] == {"asn": 12876.0, "bgpPeeringAddress": "169.254.21.1"}
    # The target zone (declared, as the transfer egress is checked against it) and the BGP
    # peer's host prefix, the least Azure asks of a BGP site.
    assert site["localNetworkAddressSpace"] == {
        "addressPrefixes": ["10.110.2.0/24", "169.254.21.1/32"]
    }


def test_scaleway_target_connection_is_route_based_with_bgp(scaleway_run: EstateRun) -> None:
    connection = _one(scaleway_run, "network:VirtualNetworkGatewayConnection").state
    assert connection["enableBgp"] is True
    assert connection["usePolicyBasedTrafficSelectors"] is False
    assert "trafficSelectorPolicies" not in connection


def test_openstack_target_stays_static(dev_run: EstateRun) -> None:
    gateway = _one(dev_run, "network:VirtualNetworkGateway").state
    assert gateway["enableBgp"] is False
    assert "bgpSettings" not in gateway and "virtualNetworkGatewayName" not in gateway
    site = _one(dev_run, "network:LocalNetworkGateway").state
    assert "bgpSettings" not in site
    assert site["localNetworkAddressSpace"] == {"addressPrefixes": ["10.110.2.0/24"]}
    connection = _one(dev_run, "network:VirtualNetworkGatewayConnection").state
    assert "enableBgp" not in connection
    assert connection["usePolicyBasedTrafficSelectors"] is True
    assert connection["trafficSelectorPolicies"] == [
        {"localAddressRanges": ["10.10.0.0/24"], "remoteAddressRanges": ["10.110.2.0/24"]}
    ]
