"""Target endpoints and the absence of non-EU hyperscalers in the target estate."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from bascule.rules import props as p
from bascule.rules.base import Enforcement, Param, ResourceView, Rule, Severity
from bascule.rules.check import Params


def _host(url: str) -> tuple[str, str]:
    parts = urlsplit(url.strip())
    try:
        host = (parts.hostname or "").lower()
    except ValueError:
        host = ""
    return parts.scheme.lower(), host


def _host_approved(host: str, approved: list[str]) -> bool:
    """Exact host names, or `*.suffix` entries for the subdomains of a suffix."""
    for entry in (a.strip().lower() for a in approved):
        if entry.startswith("*.") and host.endswith(entry[1:]) and host != entry[2:]:
            return True
        if host == entry:
            return True
    return False


def _json_value(value: Any) -> Any:
    """Provider config that is not a string reaches the engine JSON-encoded ("true", "{...}")."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    if text[:1] in ("{", "["):
        try:
            return json.loads(text)
        except ValueError:
            return value
    return value


def _tls_trust(props: Mapping[str, Any]) -> Iterator[str]:
    insecure = _json_value(props.get("insecure"))
    if not p.is_unknown(insecure) and p.to_bool(insecure) is True:
        yield "insecure is true: TLS certificates of the endpoints are not verified"
    cacert = props.get("cacertFile")
    if p.has_value(cacert) and not p.is_unknown(cacert):
        shown = "[secret]" if p.is_secret(cacert) else f"'{cacert}'"
        yield (
            f"cannot verify the endpoints' trust roots: cacertFile {shown} replaces the system "
            "CA bundle with a file outside the policy's view"
        )


def _overrides(props: Mapping[str, Any], hosts: list[str]) -> Iterator[str]:
    raw = props.get("endpointOverrides")
    if raw is None or p.is_unknown(raw):
        return
    overrides = _json_value(raw)
    if p.is_secret(overrides) or not isinstance(overrides, Mapping):
        yield f"cannot verify endpointOverrides: the value is {p.show(overrides)}"
        return
    for service, url in sorted(overrides.items(), key=lambda kv: str(kv[0])):
        if not isinstance(url, str) or p.is_unknown(url):
            continue
        scheme, host = _host(url)
        if scheme != "https":
            yield f"endpointOverrides.{service} '{url}' is not https"
        if not _host_approved(host, hosts):
            yield (
                f"endpointOverrides.{service} host '{host}' is not an approved endpoint host "
                f"{p.fmt_list(hosts)}"
            )


def _check_openstack(view: ResourceView, params: Params) -> Iterator[str]:
    props = view.props
    hosts = [str(h) for h in p.as_seq(params["approvedAuthHosts"])]
    service_hosts = hosts + [str(h) for h in p.as_seq(params["approvedServiceHosts"])]
    yield from _tls_trust(props)
    yield from _overrides(props, service_hosts)
    url = props.get("authUrl")
    if p.is_unknown(url):
        return
    if p.is_secret(url):
        yield "cannot verify authUrl: it is a secret; approved auth hosts are " + p.fmt_list(hosts)
        return
    if not isinstance(url, str) or not url:
        cloud = props.get("cloud")
        source = (
            f"clouds.yaml entry '{cloud}'" if isinstance(cloud, str) and cloud else "OS_AUTH_URL"
        )
        yield (
            f"cannot verify authUrl: it is not set ({source} decides at run time); "
            f"approved auth hosts are {p.fmt_list(hosts)}"
        )
        return
    scheme, host = _host(url)
    if scheme != "https":
        yield f"authUrl '{url}' is not https"
    if not _host_approved(host, hosts):
        yield f"authUrl host '{host}' is not in the approved auth hosts {p.fmt_list(hosts)}"


def _check_ovh(view: ResourceView, params: Params) -> Iterator[str]:
    props = view.props
    endpoint = props.get("endpoint")
    if p.is_unknown(endpoint):
        return
    names = [str(e) for e in p.as_seq(params["approvedOvhEndpoints"])]
    hosts = [str(h) for h in p.as_seq(params["approvedOvhApiHosts"])]
    if p.is_secret(endpoint):
        yield f"cannot verify endpoint: it is a secret; approved endpoints are {p.fmt_list(names)}"
        return
    if not isinstance(endpoint, str) or not endpoint:
        yield (
            "cannot verify endpoint: it is not set (OVH_ENDPOINT decides at run time); "
            f"approved endpoints are {p.fmt_list(names)}"
        )
        return
    if endpoint.strip().lower() in {n.lower() for n in names}:
        return
    scheme, host = _host(endpoint)
    if scheme == "https" and _host_approved(host, hosts):
        return
    yield (
        f"endpoint '{endpoint}' is neither an approved endpoint {p.fmt_list(names)} "
        f"nor an https URL on an approved API host {p.fmt_list(hosts)}"
    )


def _check_scaleway(view: ResourceView, params: Params) -> Iterator[str]:
    """`apiUrl` (unset: the provider's default https://api.scaleway.com) and the `endpoints`
    overrides (`s3`) go to approved hosts over https."""
    props = view.props
    hosts = [str(h) for h in p.as_seq(params["approvedScalewayApiHosts"])]
    urls = [("apiUrl", props.get("apiUrl"))]
    for index, entry in enumerate(p.iter_mappings(props.get("endpoints"))):
        urls += [(f"endpoints[{index}].{key}", entry.get(key)) for key in sorted(entry)]
    for field, url in urls:
        if url is None or url == "" or p.is_unknown(url):
            continue
        if p.is_secret(url):
            yield f"cannot verify {field}: it is a secret; approved hosts are {p.fmt_list(hosts)}"
            continue
        if not isinstance(url, str):
            yield f"cannot verify {field}: the value is {p.show(url)}"
            continue
        scheme, host = _host(url)
        if scheme != "https" or not _host_approved(host, hosts):
            yield f"{field} '{url}' is not an https URL on an approved API host {p.fmt_list(hosts)}"


_check_endpoints = p.by_type(
    ("pulumi:providers:openstack", _check_openstack),
    ("pulumi:providers:ovh", _check_ovh),
    ("pulumi:providers:scaleway", _check_scaleway),
)


SOV_003 = Rule(
    id="SOV-003",
    slug="target-endpoint-approved",
    severity=Severity.CRITICAL,
    enforcement=Enforcement.MANDATORY,
    description=(
        "OpenStack providers authenticate against an approved https Keystone endpoint with "
        "verified TLS and no service endpoint outside the approved hosts; OVH providers use an "
        "approved EU API endpoint; Scaleway providers call only approved https API hosts."
    ),
    remediation=(
        "Set `openstack:authUrl` to the https Keystone URL of the qualified offer (OVHcloud "
        "SNC Cloud Platform: the URL OVHcloud delivers, under cloud.snc.ovh.net) and "
        "`ovh:endpoint` to ovh-eu in the stack config (not OS_AUTH_URL/OVH_ENDPOINT or "
        "clouds.yaml); list your delivered host in `approvedAuthHosts`; remove `insecure` and "
        "`cacertFile`; point `endpointOverrides` only at approved hosts (`approvedServiceHosts`). "
        "Scaleway: leave `apiUrl` unset (https://api.scaleway.com) or set it to an approved "
        "host, and point `endpoints` overrides (s3) at approved hosts only."
    ),
    secnumcloud=("10.2", "10.6", "19.2", "19.6"),
    hds=("hosting-eea", "third-country-access"),
    params={
        "approvedAuthHosts": Param.str_list(
            ["auth.eu-west-rbx-snc.cloud.snc.ovh.net", "auth.eu-west-sbg-snc.cloud.snc.ovh.net"],
            "Approved Keystone host names (default: the bundled stacks' SNC Cloud Platform "
            "hosts, placeholders until OVHcloud delivers the real URL).",
        ),
        "approvedOvhEndpoints": Param.str_list(["ovh-eu"], "Approved OVH endpoint names."),
        "approvedOvhApiHosts": Param.str_list(
            ["eu.api.ovh.com"], "Approved OVH API hosts (https URLs)."
        ),
        "approvedScalewayApiHosts": Param.str_list(
            ["api.scaleway.com", "*.scw.cloud"],
            "Approved Scaleway API hosts for `apiUrl` and `endpoints` overrides (default: "
            "Scaleway's API and its Object Storage domain s3.<region>.scw.cloud).",
        ),
        "approvedServiceHosts": Param.str_list(
            [],
            "Hosts `endpointOverrides` may point at, besides the approved auth hosts "
            "(`*.example.eu` allows the subdomains of example.eu).",
        ),
    },
    resource_check=_check_endpoints,
    applies_to=("pulumi:providers:openstack", "pulumi:providers:ovh", "pulumi:providers:scaleway"),
    rationale=(
        "Credentials and every API call go to the endpoint the provider is configured with. An "
        "unapproved Keystone or OVH API host, or an https endpoint whose certificate is not "
        "checked, hands the tenant's identities and secrets to whoever answers (SecNumCloud 19.2 d"
        " keeps identities and technical data in the EU; 10.2 and 10.6 require verified TLS with "
        "EU trust roots)."
    ),
)


@lru_cache(maxsize=1024)
def _forbidden(package: str, forbidden: tuple[str, ...]) -> bool:
    """`aws` or a `aws-*` style prefix entry; packages compare case-insensitively."""
    package = package.lower()
    for entry in (f.strip().lower() for f in forbidden):
        if package == entry or (entry.endswith("*") and package.startswith(entry[:-1])):
            return True
    return False


def _check_hyperscaler(view: ResourceView, params: Params) -> Iterator[str]:
    """Anywhere but the Azure source estate; in the source estate, any non-Azure one."""
    forbidden = tuple(str(f) for f in p.as_seq(params["forbiddenPackages"]))
    source_packages = [str(s) for s in p.as_seq(params["sourcePackages"])]
    whole_stack = params.get("targetScope") == "stack"
    in_source = not whole_stack and p.estate_of(view.urn) == "source"
    package = p.package_of(view.type)
    where = "in the Azure source estate" if in_source else "outside the Azure source estate"
    if p.is_provider(view.type) and package in source_packages and not whole_stack:
        # A provider holds no data: the resources that use it are judged (an engine default
        # provider sits at the stack root whatever its users).
        return
    if _forbidden(package, forbidden) and not (in_source and package in source_packages):
        yield f"resource type '{view.type}' comes from the forbidden package '{package}' {where}"
        return
    if view.provider is not None and not p.is_provider(view.type):
        provider_pkg = p.package_of(view.provider.type)
        if _forbidden(provider_pkg, forbidden) and not (
            in_source and provider_pkg in source_packages
        ):
            yield (
                f"resource uses provider '{view.provider.name}' of the forbidden package "
                f"'{provider_pkg}' {where}"
            )


SOV_004 = Rule(
    id="SOV-004",
    slug="no-hyperscaler-in-target",
    severity=Severity.CRITICAL,
    enforcement=Enforcement.MANDATORY,
    description=(
        "No resource outside the Azure source estate comes from a non-EU hyperscaler provider "
        "package, and the source estate uses none but Azure's."
    ),
    remediation=(
        "Remove the resource, or re-implement it with the target provider's resources "
        "(openstack/ovh); only the bascule:azure components of the source estate being migrated "
        "may use azure-native. Non-EU services are subject to extra-EU law."
    ),
    secnumcloud=("19.6",),
    hds=("hosting-eea", "third-country-access"),
    params={
        "forbiddenPackages": Param.str_list(
            [
                "azure-native",
                "azure",
                "azure-*",
                "azuread",
                "azuredevops",
                "aws",
                "aws-*",
                "awsx",
                "eks",
                "gcp",
                "google-native",
                "gcp-*",
                "alicloud",
                "oci",
                "ibm",
            ],
            "Pulumi packages of non-EU hyperscalers (`name-*` matches a prefix).",
        ),
        "sourcePackages": Param.str_list(
            ["azure-native", "azure", "azuread"],
            "Packages the Azure source estate (the bascule:azure components) may use.",
        ),
        "targetScope": Param(
            {"type": "string", "enum": ["auto", "stack"]}, "auto", p.TARGET_SCOPE_DESC
        ),
    },
    resource_check=_check_hyperscaler,
    applies_to=("*",),  # any package: it decides the estate itself (URN chain, param)
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
