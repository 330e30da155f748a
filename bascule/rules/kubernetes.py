"""PRT-025: a managed Kubernetes API server is reached from the private network or from
approved addresses only.

The API server of a managed cluster has a public endpoint; who reaches it is set apart from
the cluster (providers' schemas read 2026-12-02):
- Scaleway Kapsule/Kosmos: one `kubernetes.Acl` per cluster (`clusterId`), with `aclRules`
  (`ip`, a CIDR, or `scalewayRanges`: every Scaleway address) or `noIpAllowed` (full
  isolation). Without one the cluster keeps its default: "When creating a Cluster, it comes
  with a default ACL rule allowing all ranges `0.0.0.0/0`" (pulumiverse-scaleway 1.60,
  kubernetes.Acl).
- OVHcloud Managed Kubernetes: `CloudProject.KubeIpRestrictions` (`kubeId`, `ips`, "List of
  CIDR authorized to interact with the managed Kubernetes cluster", pulumi-ovh 2.22.0).
  Without one, OVHcloud's default is `unknown` (no source read says): cannot verify.
A public range is allowed only inside `allowedApiSources` (the administrators' egress);
private ranges never reach a public endpoint and pass.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from bascule.rules import cidr
from bascule.rules import props as p
from bascule.rules.base import Enforcement, Finding, Param, Rule, Severity, StackResource
from bascule.rules.check import Params, Resources, findings
from bascule.rules.types import aliased

SCW_CLUSTERS = aliased("kubernetes/cluster:Cluster", "kubernetesCluster")
SCW_ACL = "scaleway:kubernetes/acl:Acl"
OVH_KUBE = "ovh:CloudProject/kube:Kube"
OVH_RESTRICTIONS = "ovh:CloudProject/kubeIpRestrictions:KubeIpRestrictions"
# A cluster kind, the kind that restricts its API server, and the field naming the cluster.
RESTRICTED_BY = {
    **dict.fromkeys(SCW_CLUSTERS, (SCW_ACL, "clusterId")),
    OVH_KUBE: (OVH_RESTRICTIONS, "kubeId"),
}


def _restriction(cluster: StackResource, resources: Resources) -> StackResource | None:
    kind, field = RESTRICTED_BY[cluster.type]
    wanted = p.regional_key(cluster.props.get("id"))
    for res in resources:
        if res.type != kind:
            continue
        if wanted is not None and p.regional_key(res.props.get(field)) == wanted:
            return res
        if cluster.urn in res.dependencies:
            return res
    return None


def _public_entry(field: str, entry: Any, allowed: Sequence[cidr.Network]) -> str | None:
    """The finding on one allow-list entry that lets the public in, or None."""
    if p.is_unknown(entry):
        return None
    net = cidr.parse_network(entry) if isinstance(entry, str) else None
    if net is None:
        return f"cannot verify who {field} lets in: {p.show(entry)} is not a CIDR"
    public = cidr.public_part([net])
    if public and not cidr.within(public, allowed):
        return f"{field} '{entry}' lets public addresses in that allowedApiSources does not list"
    return None


def _judge_acl(acl: StackResource, allowed: Sequence[cidr.Network]) -> Iterator[str]:
    if p.to_bool(acl.props.get("noIpAllowed")) is True:
        return  # full isolation: the private network only
    rules = acl.props.get("aclRules")
    if p.is_unknown(rules):
        return
    entries = list(p.iter_mappings(rules))
    if not entries:
        yield (
            "cannot verify who reaches the API server: the ACL has no aclRules and "
            "noIpAllowed is not true"
        )
    for index, rule in enumerate(entries):
        if p.to_bool(rule.get("scalewayRanges")) is True:
            yield (
                f"aclRules[{index}].scalewayRanges is true: every Scaleway customer's "
                "addresses reach the API server"
            )
        if "ip" in rule:
            finding = _public_entry(f"aclRules[{index}].ip", rule.get("ip"), allowed)
            if finding is not None:
                yield finding


def _judge_ips(restriction: StackResource, allowed: Sequence[cidr.Network]) -> Iterator[str]:
    ips = restriction.props.get("ips")
    if p.is_unknown(ips):
        return
    if not p.as_seq(ips):
        yield "cannot verify who reaches the API server: ips is empty"
    for index, entry in enumerate(p.as_seq(ips)):
        finding = _public_entry(f"ips[{index}]", entry, allowed)
        if finding is not None:
            yield finding


def _unrestricted(cluster: StackResource) -> str:
    if cluster.type == OVH_KUBE:
        return (
            "cannot verify who reaches the Kubernetes API server: no KubeIpRestrictions names "
            "this cluster, and no source documents OVHcloud's default"
        )
    return (
        "the Kubernetes API server accepts any address: no kubernetes.Acl names this cluster, "
        "and a cluster's default ACL allows 0.0.0.0/0"
    )


def _bad_sources(entries: Sequence[str]) -> Iterator[Finding]:
    """An allowedApiSources entry that is no CIDR allows nothing; it is said, not dropped (a
    typo would otherwise turn an intended allowance into findings nobody can explain)."""
    for entry in entries:
        if cidr.parse_network(entry) is None:
            yield Finding(
                f"cannot verify the allowed API sources: allowedApiSources entry {entry!r} is "
                "not a CIDR (it allows nothing)"
            )


def _check_api_servers(resources: Resources, params: Params) -> Iterator[Finding]:
    entries = p.str_values(params["allowedApiSources"])
    allowed = [n for n in map(cidr.parse_network, entries) if n]
    clusters = [c for c in resources if c.type in RESTRICTED_BY]
    if clusters:
        yield from _bad_sources(entries)
    for cluster in clusters:
        restriction = _restriction(cluster, resources)
        if restriction is None:
            yield Finding(_unrestricted(cluster), cluster.urn)
            continue
        judge = _judge_acl if restriction.type == SCW_ACL else _judge_ips
        yield from findings(judge(restriction, allowed), restriction.urn)


PRT_025 = Rule(
    id="PRT-025",
    slug="kubernetes-api-restricted",
    severity=Severity.HIGH,
    enforcement=Enforcement.MANDATORY,
    description=(
        "A managed Kubernetes cluster's API server (Scaleway Kapsule/Kosmos, OVHcloud Managed "
        "Kubernetes) is reached from the private network or from `allowedApiSources` only: "
        "a Scaleway cluster has an ACL with `noIpAllowed` or rules inside that list (never "
        "`scalewayRanges`), an OVHcloud cluster has `KubeIpRestrictions` inside it."
    ),
    rationale=(
        "The API server holds the cluster: who reaches it can try every credential and every "
        "flaw of the control plane, and a Scaleway cluster is created open to 0.0.0.0/0. "
        "SecNumCloud 13.2 asks for partitioned networks, 9.7 for access restricted to those "
        "who need it."
    ),
    remediation=(
        "Add a `scaleway.kubernetes.Acl` for the cluster with `noIpAllowed: true` (or "
        "`aclRules` of the administrators' addresses, listed in `allowedApiSources`), or an "
        "`ovh.cloudproject.KubeIpRestrictions` with those addresses."
    ),
    secnumcloud=("9.7", "13.2"),
    hds=("hds-security",),
    params={
        "allowedApiSources": Param.str_list(
            [], "Public CIDRs allowed to reach a Kubernetes API server (administrators' egress)."
        )
    },
    stack_check=_check_api_servers,
    applies_to=(*SCW_CLUSTERS, SCW_ACL, OVH_KUBE, OVH_RESTRICTIONS),
)

RULES = (PRT_025,)
