"""A small Swift client for verification: log in, read container headers, list, stream.

Log-in is a Keystone v3 application credential (a real run) or tempauth (the rehearsal's
Swift). The storage URL Swift hands back goes through the same transport policy as the
configured endpoints: an https auth URL that returns an http storage URL is refused.
Connections are kept per thread; TLS uses the system's CA store.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import ssl
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from bascule.errors import BadInputError
from bascule.transfer.transport import transport_of

TIMEOUT_S = 60.0
CHUNK = 1 << 20
LISTING_LIMIT = 10_000


class SwiftError(Exception):
    """A request that failed: the message names the request, never a token."""


@dataclass(frozen=True)
class ObjectEntry:
    name: str
    size: int
    md5: str | None  # Swift's ETag: the MD5 of what was stored (not of a manifest's content)


@dataclass(frozen=True)
class StreamedHash:
    size: int
    md5: str
    sha256: str


class _Connections(threading.local):
    def __init__(self) -> None:
        self.open: dict[tuple[str, str], http.client.HTTPConnection] = {}


class HttpClient:
    """Requests over kept-alive connections, one set per thread."""

    def __init__(self) -> None:
        self._local = _Connections()
        self._tls = ssl.create_default_context()

    def _connection(self, scheme: str, netloc: str) -> http.client.HTTPConnection:
        key = (scheme, netloc)
        connection = self._local.open.get(key)
        if connection is None:
            if scheme == "https":
                connection = http.client.HTTPSConnection(
                    netloc, timeout=TIMEOUT_S, context=self._tls
                )
            else:
                connection = http.client.HTTPConnection(netloc, timeout=TIMEOUT_S)
            self._local.open[key] = connection
        return connection

    def request(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes | None = None
    ) -> http.client.HTTPResponse:
        parts = urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        for attempt in (1, 2):
            connection = self._connection(parts.scheme, parts.netloc)
            try:
                connection.request(method, target or "/", body=body, headers=dict(headers))
                return connection.getresponse()
            except (OSError, http.client.HTTPException) as err:
                connection.close()
                self._local.open.pop((parts.scheme, parts.netloc), None)
                if attempt == 2:
                    raise SwiftError(f"{method} {parts.path}: {err}") from None
        raise AssertionError("unreachable")


def _read_all(response: http.client.HTTPResponse) -> bytes:
    return response.read()


class SwiftSession:
    def __init__(self, client: HttpClient, storage_url: str, token: str) -> None:
        self._client = client
        self.storage_url = storage_url.rstrip("/")
        self._token = token

    def _url(self, container: str, name: str | None = None) -> str:
        path = f"{self.storage_url}/{quote(container, safe='')}"
        return path if name is None else f"{path}/{quote(name, safe='/')}"

    def _get(self, method: str, url: str) -> http.client.HTTPResponse:
        return self._client.request(method, url, {"X-Auth-Token": self._token})

    def container_headers(self, container: str) -> dict[str, str] | None:
        """The container's headers (lower-cased names), or None if it does not exist."""
        response = self._get("HEAD", self._url(container))
        _read_all(response)
        if response.status == 404:
            return None
        if response.status >= 300:
            raise SwiftError(f"HEAD container {container}: HTTP {response.status}")
        return {k.lower(): v for k, v in response.getheaders()}

    def list_objects(self, container: str) -> list[ObjectEntry]:
        entries: list[ObjectEntry] = []
        marker = ""
        while True:
            url = f"{self._url(container)}?format=json&limit={LISTING_LIMIT}"
            if marker:
                url += f"&marker={quote(marker, safe='')}"
            response = self._get("GET", url)
            body = _read_all(response)
            if response.status == 404:
                raise SwiftError(f"list container {container}: no such container")
            if response.status >= 300:
                raise SwiftError(f"list container {container}: HTTP {response.status}")
            page = json.loads(body or b"[]")
            entries += [ObjectEntry(str(o["name"]), int(o["bytes"]), o.get("hash")) for o in page]
            if len(page) < LISTING_LIMIT:
                return entries
            marker = str(page[-1]["name"])

    def stream_hash(self, container: str, name: str) -> StreamedHash:
        """Download the object's whole content and hash it: MD5 and SHA-256 in one pass."""
        response = self._get("GET", self._url(container, name))
        if response.status >= 300:
            _read_all(response)
            raise SwiftError(f"GET {container}/{name}: HTTP {response.status}")
        md5, sha256, size = hashlib.md5(usedforsecurity=False), hashlib.sha256(), 0
        try:
            for chunk in iter(lambda: response.read(CHUNK), b""):
                md5.update(chunk)
                sha256.update(chunk)
                size += len(chunk)
        except (OSError, http.client.HTTPException) as err:
            raise SwiftError(f"GET {container}/{name}: {err}") from None
        return StreamedHash(size, md5.hexdigest(), sha256.hexdigest())


def _json_post(client: HttpClient, url: str, document: Any) -> http.client.HTTPResponse:
    body = json.dumps(document).encode()
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    return client.request("POST", url, headers, body)


def _keystone(
    client: HttpClient, auth_url: str, region: str | None, cred: Mapping[str, str]
) -> tuple[str, str]:
    url = auth_url.rstrip("/")
    url = url if url.endswith("/auth/tokens") else f"{url}/auth/tokens"
    identity = {"id": cred["id"], "secret": cred["secret"]}
    document = {
        "auth": {
            "identity": {"methods": ["application_credential"], "application_credential": identity}
        }
    }
    response = _json_post(client, url, document)
    body = _read_all(response)
    if response.status != 201:
        raise BadInputError(
            f"{auth_url}: Keystone refused the application credential (HTTP {response.status})"
        )
    token = response.getheader("X-Subject-Token") or ""
    catalog = json.loads(body).get("token", {}).get("catalog", [])
    for service in catalog:
        if service.get("type") != "object-store":
            continue
        for endpoint in service.get("endpoints", []):
            if endpoint.get("interface") == "public" and region in (
                None,
                endpoint.get("region_id"),
                endpoint.get("region"),
            ):
                return str(endpoint["url"]), token
    raise BadInputError(f"{auth_url}: no public object-store endpoint for region {region}")


def _tempauth(client: HttpClient, auth_url: str, cred: Mapping[str, str]) -> tuple[str, str]:
    response = client.request(
        "GET", auth_url, {"X-Auth-User": cred["user"], "X-Auth-Key": cred["key"]}
    )
    _read_all(response)
    if response.status >= 300:
        raise BadInputError(f"{auth_url}: tempauth refused the user (HTTP {response.status})")
    return response.getheader("X-Storage-Url") or "", response.getheader("X-Auth-Token") or ""


def login(
    auth: str,
    auth_url: str,
    region: str | None,
    credential: Mapping[str, str],
    *,
    allow_loopback_http: bool,
) -> SwiftSession:
    client = HttpClient()
    try:
        if auth == "tempauth":
            storage_url, token = _tempauth(client, auth_url, credential)
        else:
            storage_url, token = _keystone(client, auth_url, region, credential)
    except SwiftError as err:
        raise BadInputError(f"{auth_url}: cannot log in: {err}") from None
    if not storage_url or not token:
        raise BadInputError(f"{auth_url}: the log-in gave no storage URL or token")
    transport_of(storage_url, "Swift storage URL", allow_loopback_http=allow_loopback_http)
    return SwiftSession(client, storage_url, token)
