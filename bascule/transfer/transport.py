"""Encryption in transit: which endpoints a transfer may use.

Every endpoint is `https` (TLS; the certificate is checked against the system's CA store).
Plain `http` is refused, except on a loopback address (127.0.0.0/8, ::1, localhost) and only
when the caller passes the explicit test flag (`--allow-loopback-http`): that is the rehearsal
against Azurite and a local Swift, never a real run.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from urllib.parse import urlsplit

from bascule.errors import BadInputError

TLS = "tls"
LOOPBACK_HTTP = "loopback-http"
LOOPBACK_FLAG = "--allow-loopback-http"


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def transport_of(url: str, what: str, *, allow_loopback_http: bool) -> str:
    """`tls` or `loopback-http` for an endpoint that may be used, else a BadInputError."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        raise BadInputError(f"{what}: not a URL: {url!r}") from None
    if parts.scheme == "https" and host:
        return TLS
    if parts.scheme != "http" or not host:
        raise BadInputError(f"{what}: not an https URL: {_shown(url)}")
    if not is_loopback(host):
        raise BadInputError(
            f"{what}: plain http to {host} refused: a transfer uses TLS endpoints only"
        )
    if not allow_loopback_http:
        raise BadInputError(
            f"{what}: plain http to loopback {host} refused without {LOOPBACK_FLAG} "
            "(test rehearsals only)"
        )
    return LOOPBACK_HTTP


def _shown(url: str) -> str:
    """The URL without its query: a SAS token's signature never reaches a message."""
    return url.split("?", 1)[0]


PROBE_TIMEOUT_S = 15.0


def unreachable(url: str, timeout: float = PROBE_TIMEOUT_S) -> str | None:
    """Why the endpoint does not answer (TCP connect, then the TLS handshake for https), or
    None. rclone's Azure backend retries a dead endpoint for minutes inside its own retries;
    this answers in seconds."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((host, port), timeout=timeout) as connection:
            if parts.scheme == "https":
                context = ssl.create_default_context()
                with context.wrap_socket(connection, server_hostname=host):
                    pass
    except OSError as err:  # ssl.SSLError is an OSError
        return f"{_shown(url)} does not answer: {err.strerror or err}"
    return None
