"""PRT-025 beyond its fixtures: the allow-list spellings that open an API server, how an ACL
finds its cluster, and preview unknowns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from bascule.rules import props as p
from bascule.rules.base import StackResource
from bascule.rules.catalog import rule_by_id

CLUSTER = "scaleway:kubernetes/cluster:Cluster"
ACL = "scaleway:kubernetes/acl:Acl"
U = "urn:pulumi:dev::bascule::"


def cluster(type_: str = CLUSTER, id_: Any = "fr-par/1111") -> StackResource:
    return StackResource(type=type_, props={"id": id_}, urn=f"{U}{type_}::c", name="c")


def acl(props: Mapping[str, Any], deps: Sequence[str] = ()) -> StackResource:
    return StackResource(
        type=ACL, props=props, urn=f"{U}{ACL}::a", name="a", dependencies=tuple(deps)
    )


def messages(*resources: StackResource, allowed: Sequence[str] = ()) -> list[str]:
    config = {"allowedApiSources": list(allowed)}
    return [f.message for f in rule_by_id("PRT-025").check_stack(resources, config)]


@pytest.mark.parametrize(
    "ips",
    [
        ["0.0.0.0/0"],
        ["0.0.0.0/1", "128.0.0.0/1"],
        ["::/0"],
        ["51.15.0.10"],  # a host, no prefix length
        ["10.0.0.0/8", "62.210.0.0/16"],
    ],
)
def test_any_public_entry_outside_the_allowed_list_is_flagged(ips: list[str]) -> None:
    rules = [{"ip": ip} for ip in ips]
    found = messages(cluster(), acl({"clusterId": "fr-par/1111", "aclRules": rules}))
    assert found and all("lets public addresses in" in m for m in found)


def test_entries_inside_the_allowed_list_or_private_pass() -> None:
    rules = [{"ip": "51.159.10.7/32"}, {"ip": "10.0.0.0/8"}, {"ip": "fd00::/8"}]
    acl_ = acl({"clusterId": "fr-par/1111", "aclRules": rules})
    assert messages(cluster(), acl_, allowed=["51.159.10.0/24"]) == []


@pytest.mark.parametrize("flag", [True, "true", "True"])
def test_full_isolation_in_any_spelling_passes(flag: Any) -> None:
    assert messages(cluster(), acl({"clusterId": "1111", "noIpAllowed": flag})) == []


def test_an_acl_found_by_its_bare_id_or_its_dependency() -> None:
    closed = {"noIpAllowed": True}
    assert messages(cluster(), acl({**closed, "clusterId": "FR-PAR/1111"})) == []
    assert messages(cluster(id_=p.UNKNOWN), acl(closed, deps=[f"{U}{CLUSTER}::c"])) == []
    assert messages(cluster(), acl({**closed, "clusterId": "fr-par/2222"})) == [
        "the Kubernetes API server accepts any address: no kubernetes.Acl names this "
        "cluster, and a cluster's default ACL allows 0.0.0.0/0"
    ]


def test_the_deprecated_alias_is_a_cluster_too() -> None:
    assert len(messages(cluster("scaleway:index/kubernetesCluster:KubernetesCluster"))) == 1


def test_rules_or_entries_unknown_at_preview_are_left_to_the_export() -> None:
    assert messages(cluster(), acl({"clusterId": "1111", "aclRules": p.UNKNOWN})) == []
    assert messages(cluster(), acl({"clusterId": "1111", "aclRules": [{"ip": p.UNKNOWN}]})) == []


def test_an_allowed_source_that_is_no_cidr_is_said_not_dropped() -> None:
    rules = [{"ip": "51.159.10.7/32"}]
    acl_ = acl({"clusterId": "fr-par/1111", "aclRules": rules})
    assert messages(cluster(), acl_, allowed=["51.159.10.0/24", "office-vpn"]) == [
        "cannot verify the allowed API sources: allowedApiSources entry 'office-vpn' is not a "
        "CIDR (it allows nothing)"
    ]
    assert messages(acl_, allowed=["office-vpn"]) == []  # no cluster: nothing to say
