"""Encryption in transit: a TLS minimum on every endpoint that has a setting for it.

One table row per endpoint kind (type, property path, accepted values, what an unset value
means), so a new service or provider adds a row, not code.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from bascule.rules import props as p
from bascule.rules.base import Enforcement, ResourceView, Rule, Severity
from bascule.rules.check import Params
from bascule.rules.types import (
    COSMOS_ACCOUNT,
    MYSQL_SERVER,
    POSTGRES_SERVER,
    REDIS,
    SQL_SERVER,
    STORAGE_ACCOUNT,
)

LISTENER = "openstack:loadbalancer/listener:Listener"
APP_GATEWAY = "azure-native:network:ApplicationGateway"


@dataclass(frozen=True)
class TlsSetting:
    type: str
    path: str  # dotted property path of the minimum TLS version
    accepted: tuple[str, ...]  # values (compared without case, dots, dashes, underscores)
    default: str | None  # what the service uses when the property is unset (None: unknown)


TLS_SETTINGS: tuple[TlsSetting, ...] = (
    TlsSetting(STORAGE_ACCOUNT, "minimumTlsVersion", ("TLS1_2", "TLS1_3"), "TLS1_0"),
    TlsSetting(SQL_SERVER, "minimalTlsVersion", ("1.2", "1.3"), "None, no minimum"),
    TlsSetting(REDIS, "minimumTlsVersion", ("1.2", "1.3"), "1.0"),
    TlsSetting("azure-native:web:WebApp", "siteConfig.minTlsVersion", ("1.2", "1.3"), "1.2"),
    TlsSetting("azure-native:eventhub:Namespace", "minimumTlsVersion", ("1.2", "1.3"), None),
    TlsSetting("azure-native:servicebus:Namespace", "minimumTlsVersion", ("1.2", "1.3"), None),
    TlsSetting(COSMOS_ACCOUNT, "minimalTlsVersion", ("Tls12", "Tls13"), None),
    TlsSetting(POSTGRES_SERVER, "minimalTlsVersion", ("TLS1_2", "TLS1_3"), None),
    TlsSetting(MYSQL_SERVER, "minimalTlsVersion", ("TLS1_2", "TLS1_3"), None),
    TlsSetting(APP_GATEWAY, "sslPolicy.minProtocolVersion", ("TLSv1_2", "TLSv1_3"), None),
)
# Switches that turn plain-text access on (type, path, the value that does).
CLEAR_TEXT: tuple[tuple[str, str, bool], ...] = (
    (STORAGE_ACCOUNT, "enableHttpsTrafficOnly", False),
    (REDIS, "enableNonSslPort", True),
    ("azure-native:web:WebApp", "httpsOnly", False),
)
WEAK_LISTENER_VERSIONS = ("sslv3", "tlsv1", "tlsv1.1", "tlsv1_1", "tls1.0", "tls1.1")


def _norm(value: str) -> str:
    return "".join(ch for ch in value.lower() if ch.isalnum())


def _setting(view: ResourceView, setting: TlsSetting) -> Iterator[str]:
    value = p.get(view.props, setting.path)
    if p.is_unknown(value):
        return
    accepted = {_norm(a) for a in setting.accepted}
    if value is None:
        if setting.default is None:
            yield (
                f"cannot verify {setting.path}: it is not set and the service default is not "
                f"documented here; set it to {setting.accepted[0]} or higher"
            )
        elif _norm(setting.default) not in accepted:
            yield (
                f"{setting.path} is not set (defaults to {setting.default}), must be TLS 1.2 "
                "or higher"
            )
        return
    if not isinstance(value, str) or _norm(value) not in accepted:
        yield f"{setting.path} is {p.show(value)}, must be TLS 1.2 or higher"


def _listener(props: Mapping[str, Any]) -> Iterator[str]:
    protocol = props.get("protocol")
    if not isinstance(protocol, str) or p.is_unknown(protocol):
        return
    if protocol.upper() == "HTTP":
        yield "protocol HTTP: the listener serves in clear (use TERMINATED_HTTPS)"
    elif protocol.upper() == "TERMINATED_HTTPS":
        versions = props.get("tlsVersions")
        if p.is_unknown(versions):
            return
        if versions is None:
            yield (
                "cannot verify tlsVersions: not set (the provider's "
                "default_listener_tls_versions decides); set [TLSv1.2, TLSv1.3]"
            )
            return
        weak = [
            str(v)
            for v in p.as_seq(versions)
            if _norm(str(v)) in {_norm(w) for w in WEAK_LISTENER_VERSIONS}
        ]
        if weak:
            yield f"tlsVersions allows {p.fmt_list(weak)}, must be TLSv1.2 or higher only"


def _check_tls(view: ResourceView, params: Params) -> Iterator[str]:
    for setting in TLS_SETTINGS:
        if setting.type == view.type:
            yield from _setting(view, setting)
    for type_, path, bad in CLEAR_TEXT:
        if type_ == view.type and p.to_bool(p.get(view.props, path)) is bad:
            yield f"{path} is {p.show(bad)}: plain-text access is allowed"
    if view.type == LISTENER:
        yield from _listener(view.props)


PRT_007 = Rule(
    id="PRT-007",
    slug="tls-minimum",
    severity=Severity.HIGH,
    enforcement=Enforcement.MANDATORY,
    description=(
        "Every endpoint with a TLS setting accepts only TLS 1.2 or higher, and none serves in "
        "clear."
    ),
    remediation=(
        "Set the minimum TLS version to 1.2 on storage accounts (`minimumTlsVersion: TLS1_2`, "
        "`enableHttpsTrafficOnly: true`), SQL servers, Redis (and `enableNonSslPort: false`), "
        "web apps (`siteConfig.minTlsVersion`, `httpsOnly`), Event Hubs/Service Bus, Cosmos DB, "
        "database servers and application gateways; Octavia listeners TERMINATED_HTTPS with "
        "`tlsVersions: [TLSv1.2, TLSv1.3]`."
    ),
    secnumcloud=("10.2",),
    hds=("hds-security",),
    resource_check=_check_tls,
    applies_to=(*sorted({s.type for s in TLS_SETTINGS}), LISTENER),
    rationale=(
        "SecNumCloud 10.2 requires encrypted flows following ANSSI's TLS guide, which rules out "
        "SSL and TLS below 1.2. Any endpoint that still accepts them, or clear text, lets a "
        "downgrade expose health data in transit."
    ),
)


RULES = (PRT_007,)
