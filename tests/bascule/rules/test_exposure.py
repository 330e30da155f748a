"""PRT-008 beyond its fixtures: the managed services and platforms that give a workload a
public address or endpoint by a setting of their own (Kapsule and OVHcloud node pools,
Serverless Containers and Functions, Redis, MongoDB, read replicas, Serverless SQL, Elastic
Metal, Managed Inference, Magnum, Trove). Defaults when unset, preview unknowns, the
deprecated `index/` aliases, and the values that cannot be read."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from bascule.rules import props as p
from bascule.rules.base import ResourceView
from bascule.rules.catalog import rule_by_id
from bascule.rules.exposure import (
    ALWAYS_PUBLIC,
    ENDPOINTS,
    MAGNUM_CLUSTER,
    MAGNUM_TEMPLATE,
    OVH_KUBE_POOL,
    SWITCHES,
    TROVE_INSTANCE,
)

# Each Scaleway kind and its deprecated `index/` alias, as the SDK's classes name them
# (pulumiverse-scaleway 1.60.0), spelled out here rather than taken from the rule.
SCW_POOLS = (
    "scaleway:kubernetes/pool:Pool",
    "scaleway:index/kubernetesNodePool:KubernetesNodePool",
)
SCW_CONTAINERS = ("scaleway:containers/container:Container", "scaleway:index/container:Container")
SCW_FUNCTIONS = ("scaleway:functions/function:Function", "scaleway:index/function:Function")
SCW_ELASTIC_METAL = (
    "scaleway:elasticmetal/server:Server",
    "scaleway:index/baremetalServer:BaremetalServer",
)
SCW_REDIS = ("scaleway:redis/cluster:Cluster", "scaleway:index/redisCluster:RedisCluster")
SCW_MONGODB = (
    "scaleway:mongodb/instance:Instance",
    "scaleway:index/mongoDbInstance:MongoDbInstance",
)
SCW_READ_REPLICAS = (
    "scaleway:databases/readReplica:ReadReplica",
    "scaleway:index/databaseReadReplica:DatabaseReadReplica",
)
SCW_SERVERLESS_SQL = (
    "scaleway:databases/serverlessDatabase:ServerlessDatabase",
    "scaleway:index/sdbDatabase:SdbDatabase",
)
SCW_INFERENCE = (
    "scaleway:inference/deployment:Deployment",
    "scaleway:index/inferenceDeployment:InferenceDeployment",
)
SCALEWAY = (
    SCW_POOLS,
    SCW_CONTAINERS,
    SCW_FUNCTIONS,
    SCW_ELASTIC_METAL,
    SCW_REDIS,
    SCW_MONGODB,
    SCW_READ_REPLICAS,
    SCW_SERVERLESS_SQL,
    SCW_INFERENCE,
)

GATEWAY = "bascule:target:AccessGateway"
PN = "fr-par/1b8d"
NO_DEFAULT = "cannot verify {}: not set, and no source documents its default (set it to {})"


def check(
    type_: str, props: Mapping[str, Any], parent: str = "bascule:target:Enclave"
) -> list[str]:
    urn = f"urn:pulumi:dev::bascule::{parent}${type_}::r"
    view = ResourceView(type=type_, props=props, urn=urn, name="r")
    return rule_by_id("PRT-008").check_resource(view, {})


def outside(item: str) -> list[str]:
    return [f"public exposure through {item} outside the access gateway"]


def test_the_tables_read_every_kind_and_its_index_alias() -> None:
    tables = {*SWITCHES, *ENDPOINTS, *ALWAYS_PUBLIC}
    assert {t for pair in SCALEWAY for t in pair} == {t for t in tables if t.startswith("scaleway")}
    assert tables - {t for pair in SCALEWAY for t in pair} == {
        MAGNUM_CLUSTER,
        MAGNUM_TEMPLATE,
        OVH_KUBE_POOL,
    }
    rule = rule_by_id("PRT-008")
    assert all(rule.applies(t) for t in (*tables, TROVE_INSTANCE))


# ------------------------------------------------------------------ defaults when unset


@pytest.mark.parametrize("type_", SCW_POOLS)
def test_a_kapsule_pool_without_publicIpDisabled_has_public_nodes(type_: str) -> None:
    assert check(type_, {"nodeType": "PRO2-M"}) == outside(
        "publicIpDisabled not set (the pool's nodes get public IPs by default)"
    )
    assert check(type_, {"publicIpDisabled": False}) == outside(
        "publicIpDisabled is false (the pool's nodes get public IPs)"
    )
    assert check(type_, {"publicIpDisabled": True}) == []
    assert check(type_, {"publicIpDisabled": "true"}) == []


@pytest.mark.parametrize("type_", SCW_CONTAINERS)
def test_a_container_is_public_unless_privacy_is_private(type_: str) -> None:
    assert check(type_, {}) == outside(
        "privacy not set (anyone on the internet can call the container by default)"
    )
    assert check(type_, {"privacy": "public"}) == outside(
        "privacy is 'public' (anyone on the internet can call the container)"
    )
    assert check(type_, {"privacy": "private"}) == []


@pytest.mark.parametrize("type_", SCW_FUNCTIONS)
def test_a_function_without_privacy_cannot_be_verified(type_: str) -> None:
    assert check(type_, {}) == [NO_DEFAULT.format("privacy", "'private'")]
    assert check(type_, {"privacy": "public"}) == outside(
        "privacy is 'public' (anyone on the internet can call the function)"
    )
    assert check(type_, {"privacy": "private"}) == []


@pytest.mark.parametrize("type_", SCW_REDIS)
def test_a_redis_cluster_without_private_networks_is_public(type_: str) -> None:
    assert check(type_, {"nodeType": "RED1-MICRO"}) == outside(
        "no privateNetworks (a public endpoint on the Redis cluster by default)"
    )
    assert check(type_, {"publicNetwork": {}}) == outside(
        "publicNetwork (a public endpoint on the Redis cluster)"
    )
    assert check(type_, {"privateNetworks": [{"id": PN}]}) == []


@pytest.mark.parametrize("type_", SCW_MONGODB)
def test_a_mongodb_instance_is_private_only_on_a_private_network(type_: str) -> None:
    assert check(type_, {"publicNetwork": {}, "privateNetwork": {"pnId": PN}}) == outside(
        "publicNetwork (a public endpoint on the MongoDB instance)"
    )
    assert check(type_, {}) == [
        "cannot verify privateNetwork: neither it nor publicNetwork is set, and no source "
        "documents the default (set privateNetwork)"
    ]
    assert check(type_, {"privateNetwork": {"pnId": PN}}) == []


@pytest.mark.parametrize("type_", SCW_READ_REPLICAS)
def test_a_read_replica_is_public_only_with_direct_access(type_: str) -> None:
    assert check(type_, {"directAccess": {}}) == outside(
        "directAccess (a public endpoint on the read replica)"
    )
    assert check(type_, {"instanceId": "fr-par/3c"}) == []


@pytest.mark.parametrize("type_", (*SCW_SERVERLESS_SQL, *SCW_ELASTIC_METAL))
def test_kinds_with_no_private_setting_are_always_public(type_: str) -> None:
    assert check(type_, {}) == outside(ALWAYS_PUBLIC[type_])
    assert check(type_, {}, parent=GATEWAY) == []


@pytest.mark.parametrize("type_", SCW_INFERENCE)
def test_an_inference_deployment_must_disable_its_public_endpoint(type_: str) -> None:
    assert check(type_, {"publicEndpoint": {"isEnabled": True}}) == outside(
        "publicEndpoint.isEnabled is true (a public endpoint on the deployment)"
    )
    unset = [NO_DEFAULT.format("publicEndpoint.isEnabled", "false")]
    assert check(type_, {"privateEndpoint": {"privateNetworkId": PN}}) == unset
    assert check(type_, {"publicEndpoint": {}}) == unset
    assert check(type_, {"publicEndpoint": {"isEnabled": False}}) == []


@pytest.mark.parametrize(
    ("type_", "effect"),
    [
        (MAGNUM_CLUSTER, "a floating IP on every node"),
        (MAGNUM_TEMPLATE, "a floating IP on every node of its clusters"),
    ],
)
def test_magnum_floating_ips(type_: str, effect: str) -> None:
    assert check(type_, {"floatingIpEnabled": True}) == outside(
        f"floatingIpEnabled is true ({effect})"
    )
    assert check(type_, {"masterLbEnabled": True}) == [
        NO_DEFAULT.format("floatingIpEnabled", "false")
    ]
    assert check(type_, {"floatingIpEnabled": False}) == []


def test_an_ovh_node_pool_attaches_no_floating_ip_by_default() -> None:
    assert check(OVH_KUBE_POOL, {"flavorName": "b3-8"}) == []
    assert check(OVH_KUBE_POOL, {"attachFloatingIps": {"enabled": False}}) == []
    assert check(OVH_KUBE_POOL, {"attachFloatingIps": {"enabled": True}}) == outside(
        "attachFloatingIps.enabled is true (floating IPs on the pool's nodes)"
    )


def test_a_trove_instance_on_the_external_network_is_public() -> None:
    assert check(TROVE_INSTANCE, {"networks": [{"uuid": "Ext-Net"}]}) == outside(
        "networks[0].uuid 'Ext-Net' (an external network)"
    )
    assert check(TROVE_INSTANCE, {"networks": [{"uuid": "n1", "fixedIpV4": "51.210.1.4"}]}) == (
        outside("networks[0].fixedIpV4 '51.210.1.4'")
    )
    assert check(TROVE_INSTANCE, {"networks": [{"uuid": "n1", "fixedIpV4": "10.1.0.4"}]}) == []


def test_the_access_gateway_may_hold_a_public_service() -> None:
    assert check(SCW_CONTAINERS[0], {"privacy": "public"}, parent=GATEWAY) == []


# ------------------------------------------------------------------ unknowns at preview


@pytest.mark.parametrize(
    ("type_", "props"),
    [
        (SCW_POOLS[1], {"publicIpDisabled": p.UNKNOWN}),
        (SCW_CONTAINERS[1], {"privacy": p.UNKNOWN}),
        (SCW_FUNCTIONS[0], {"privacy": p.UNKNOWN}),
        (SCW_INFERENCE[0], {"publicEndpoint": p.UNKNOWN}),
        (SCW_INFERENCE[1], {"publicEndpoint": {"isEnabled": p.UNKNOWN}}),
        (SCW_REDIS[0], {"privateNetworks": p.UNKNOWN}),
        (SCW_REDIS[1], {"publicNetwork": p.UNKNOWN, "privateNetworks": [{"id": PN}]}),
        (SCW_MONGODB[1], {"privateNetwork": p.UNKNOWN}),
        (SCW_READ_REPLICAS[1], {"directAccess": p.UNKNOWN}),
        (MAGNUM_CLUSTER, {"floatingIpEnabled": p.UNKNOWN}),
        (MAGNUM_TEMPLATE, {"floatingIpEnabled": p.UNKNOWN}),
        (OVH_KUBE_POOL, {"attachFloatingIps": p.UNKNOWN}),
    ],
)
def test_values_unknown_at_preview_are_left_to_the_export(
    type_: str, props: Mapping[str, Any]
) -> None:
    assert check(type_, props) == []


# ------------------------------------------------------------------ values that cannot be read


@pytest.mark.parametrize(
    ("type_", "props", "message"),
    [
        (SCW_POOLS[0], {"publicIpDisabled": 1}, "publicIpDisabled: 1 is not false or true"),
        (SCW_POOLS[1], {"publicIpDisabled": "yes"}, "publicIpDisabled: 'yes' is not false or true"),
        (
            SCW_CONTAINERS[0],
            {"privacy": "Private"},
            "privacy: 'Private' is not 'public' or 'private'",
        ),
        (SCW_CONTAINERS[1], {"privacy": True}, "privacy: true is not 'public' or 'private'"),
        (SCW_FUNCTIONS[1], {"privacy": ["private"]}, "privacy: list is not 'public' or 'private'"),
        (
            SCW_INFERENCE[1],
            {"publicEndpoint": {"isEnabled": "off"}},
            "publicEndpoint.isEnabled: 'off' is not true or false",
        ),
        (MAGNUM_TEMPLATE, {"floatingIpEnabled": 0}, "floatingIpEnabled: 0 is not true or false"),
        (
            OVH_KUBE_POOL,
            {"attachFloatingIps": {"enabled": "enabled"}},
            "attachFloatingIps.enabled: 'enabled' is not true or false",
        ),
        (SCW_REDIS[1], {"privateNetworks": PN}, f"privateNetworks: '{PN}' is not a network block"),
        (SCW_MONGODB[0], {"privateNetwork": [PN]}, "privateNetwork: list is not a network block"),
    ],
)
def test_unreadable_values_never_pass(type_: str, props: Mapping[str, Any], message: str) -> None:
    assert check(type_, props) == [f"cannot verify {message}"]
