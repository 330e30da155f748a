"""Target endpoints and the absence of non-EU hyperscalers in the target estate."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

from bascule.rules import props as p
from bascule.rules.base import Enforcement, Param, ResourceView, Rule, Severity


def _host(url: str) -> tuple[str, str]:
    parts = urlsplit(url.strip())
    return parts.scheme.lower(), (parts.hostname or "").lower()


def _check_endpoints(view: ResourceView, params: Mapping[str, Any]) -> Iterator[str]:
    if view.type == "pulumi:providers:openstack":
        url = view.props.get("authUrl")
        if p.is_unknown(url) or p.is_secret(url):
            return
        hosts = [str(h) for h in p.as_seq(params["approvedAuthHosts"])]
        if not isinstance(url, str) or not url:
            yield (
                "authUrl is not set (taken from the environment, cannot be verified); "
                f"approved auth hosts are {p.fmt_list(hosts)}"
            )
            return
        scheme, host = _host(url)
        if scheme != "https":
            yield f"authUrl '{url}' is not https"
        if host not in {h.lower() for h in hosts}:
            yield f"authUrl host '{host}' is not in the approved auth hosts {p.fmt_list(hosts)}"
    elif view.type == "pulumi:providers:ovh":
        endpoint = view.props.get("endpoint")
        if p.is_unknown(endpoint) or p.is_secret(endpoint):
            return
        names = [str(e) for e in p.as_seq(params["approvedOvhEndpoints"])]
        hosts = [str(h) for h in p.as_seq(params["approvedOvhApiHosts"])]
        if not isinstance(endpoint, str) or not endpoint:
            yield (
                "endpoint is not set (taken from the environment, cannot be verified); "
                f"approved endpoints are {p.fmt_list(names)}"
            )
            return
        if endpoint.strip().lower() in {n.lower() for n in names}:
            return
        scheme, host = _host(endpoint)
        if scheme == "https" and host in {h.lower() for h in hosts}:
            return
        yield (
            f"endpoint '{endpoint}' is neither an approved endpoint {p.fmt_list(names)} "
            f"nor an https URL on an approved API host {p.fmt_list(hosts)}"
        )


SOV_003 = Rule(
    id="SOV-003",
    slug="target-endpoint-approved",
    pack="sovereignty",
    severity=Severity.CRITICAL,
    enforcement=Enforcement.MANDATORY,
    description=(
        "OpenStack providers authenticate against an approved https Keystone endpoint and "
        "OVH providers use an approved EU API endpoint."
    ),
    remediation=(
        "Set `openstack:authUrl` to https://auth.cloud.ovh.net/v3 (or another approved "
        "SecNumCloud Keystone) and `ovh:endpoint` to ovh-eu in the stack config; do not rely "
        "on OS_AUTH_URL/OVH_ENDPOINT environment variables."
    ),
    secnumcloud=("19.6", "19.2"),
    hds=("hosting-eea", "third-country-access"),
    params={
        "approvedAuthHosts": Param(
            p.str_list_schema(), ["auth.cloud.ovh.net"], "Approved Keystone host names."
        ),
        "approvedOvhEndpoints": Param(
            p.str_list_schema(), ["ovh-eu"], "Approved OVH endpoint names."
        ),
        "approvedOvhApiHosts": Param(
            p.str_list_schema(), ["eu.api.ovh.com"], "Approved OVH API hosts (https URLs)."
        ),
    },
    resource_check=_check_endpoints,
    applies_to=("pulumi:providers:openstack", "pulumi:providers:ovh"),
    rationale=(
        "Credentials and every API call go to the endpoint the provider is configured with. An "
        "unapproved Keystone or OVH API host, or an https endpoint whose certificate is not "
        "checked, hands the tenant's identities and secrets to whoever answers (SecNumCloud 19.2 d"
        " keeps identities and technical data in the EU; 10.2 and 10.6 require verified TLS with "
        "EU trust roots)."
    ),
)


def _check_hyperscaler(view: ResourceView, params: Mapping[str, Any]) -> Iterator[str]:
    if not p.in_target_scope(view.type, view.urn, view.provider, params):
        return
    forbidden = [str(f) for f in p.as_seq(params["forbiddenPackages"])]
    package = p.package_of(view.type)
    if package in forbidden:
        yield (
            f"resource type '{view.type}' comes from the forbidden package '{package}' "
            "in the target estate"
        )
        return
    if view.provider is not None:
        provider_pkg = p.package_of(view.provider.type)
        if provider_pkg in forbidden:
            yield (
                f"resource uses provider '{view.provider.name}' of the forbidden package "
                f"'{provider_pkg}' in the target estate"
            )


SOV_004 = Rule(
    id="SOV-004",
    slug="no-hyperscaler-in-target",
    pack="sovereignty",
    severity=Severity.CRITICAL,
    enforcement=Enforcement.MANDATORY,
    description=(
        "No resource of the target estate comes from a non-EU hyperscaler provider package."
    ),
    remediation=(
        "Remove the resource from the target program (bascule:target components) or "
        "re-implement it with openstack/ovh resources; non-EU services are subject to "
        "extra-EU law."
    ),
    secnumcloud=("19.6",),
    hds=("hosting-eea", "third-country-access"),
    params={
        "forbiddenPackages": Param(
            p.str_list_schema(),
            [
                "azure-native",
                "azure",
                "azuread",
                "aws",
                "aws-native",
                "gcp",
                "google-native",
                "alicloud",
                "oci",
            ],
            "Pulumi packages forbidden in the target estate.",
        ),
        "targetScope": Param(
            {"type": "string", "enum": ["auto", "stack"]}, "auto", p.TARGET_SCOPE_DESC
        ),
    },
    resource_check=_check_hyperscaler,
    applies_to=("*",),  # decides the target scope itself (URN chain, package, param)
    rationale=(
        "A non-EU hyperscaler service is subject to extra-EU law (SecNumCloud 19.6 c: no third "
        "party under non-EU law may be technically able to obtain the data). Outside the Azure "
        "source estate being migrated, no such resource may exist in the stack."
    ),
)


RULES = (
    SOV_003,
    SOV_004,
)
