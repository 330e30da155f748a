"""Azure Blob REST with SAS tokens: what a rehearsal needs to fill its source and hand the
plan a read-only SAS per dataset (Azurite speaks the same protocol as Azure Storage).

`container_sas` signs a service SAS for one container (version 2020-10-02 string-to-sign);
`account_sas` an account SAS for creating containers. Uploads are Put Blob (the service
stores the Content-MD5 it computes) or Put Block + Put Block List (no Content-MD5 at all,
as AzCopy and the SDKs leave large blobs).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import urllib.parse
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from bascule.transfer.swift import HttpClient

SAS_VERSION = "2020-10-02"
API_VERSION = "2020-10-02"


def _sign(key: str, text: str) -> str:
    digest = hmac.new(base64.b64decode(key), text.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _expiry(hours: int) -> str:
    return (datetime.now(UTC) + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


def container_sas(account: str, key: str, container: str, permissions: str, hours: int = 4) -> str:
    expiry = _expiry(hours)
    fields = [permissions, "", expiry, f"/blob/{account}/{container}", "", "", "", SAS_VERSION, "c"]
    fields += ["", "", "", "", "", ""]  # snapshot time, rscc, rscd, rsce, rscl, rsct
    query = {"sv": SAS_VERSION, "sr": "c", "sp": permissions, "se": expiry}
    query["sig"] = _sign(key, "\n".join(fields))
    return urllib.parse.urlencode(query)


def account_sas(account: str, key: str, hours: int = 4) -> str:
    expiry = _expiry(hours)
    fields = [account, "rwdlac", "b", "sco", "", expiry, "", "", SAS_VERSION, ""]
    query = {"sv": SAS_VERSION, "ss": "b", "srt": "sco", "sp": "rwdlac", "se": expiry}
    query["sig"] = _sign(key, "\n".join(fields))
    return urllib.parse.urlencode(query)


class BlobClient:
    """One account on a path-style endpoint (URL/<account>), signed with its key."""

    def __init__(self, endpoint: str, account: str, key: str) -> None:
        self.base = f"{endpoint.rstrip('/')}/{account}"
        self.account, self._key = account, key
        self._http = HttpClient()

    def _call(
        self,
        method: str,
        path: str,
        query: str,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
    ) -> bytes:
        url = f"{self.base}/{urllib.parse.quote(path)}?{query}"
        all_headers = {
            "x-ms-version": API_VERSION,
            "Content-Length": str(len(body)),
            **(headers or {}),
        }
        response = self._http.request(method, url, all_headers, body)
        data = response.read()
        if response.status >= 300:
            raise OSError(f"{method} {self.account}/{path}: HTTP {response.status}")
        return data

    def create_container(self, container: str) -> None:
        self._call("PUT", container, "restype=container&" + account_sas(self.account, self._key))

    def sas_url(self, container: str, permissions: str = "rl") -> str:
        sas = container_sas(self.account, self._key, container, permissions)
        return f"{self.base}/{container}?{sas}"

    def put_blob(self, container: str, name: str, data: bytes) -> None:
        sas = container_sas(self.account, self._key, container, "rwdl")
        self._call("PUT", f"{container}/{name}", sas, data, {"x-ms-blob-type": "BlockBlob"})

    def put_blocks(self, container: str, name: str, blocks: Iterable[bytes]) -> None:
        """Put Block for each part, then Put Block List: the blob has no Content-MD5."""
        sas = container_sas(self.account, self._key, container, "rwdl")
        ids = []
        for number, block in enumerate(blocks):
            block_id = base64.b64encode(f"block-{number:06d}".encode()).decode()
            ids.append(block_id)
            query = f"comp=block&blockid={urllib.parse.quote(block_id)}&{sas}"
            self._call("PUT", f"{container}/{name}", query, block)
        body = "<?xml version='1.0' encoding='utf-8'?><BlockList>"
        body += "".join(f"<Latest>{i}</Latest>" for i in ids) + "</BlockList>"
        self._call("PUT", f"{container}/{name}", f"comp=blocklist&{sas}", body.encode())

    def properties(self, container: str, name: str) -> dict[str, str]:
        sas = container_sas(self.account, self._key, container, "r")
        url = f"{self.base}/{urllib.parse.quote(f'{container}/{name}')}?{sas}"
        response = self._http.request("HEAD", url, {"x-ms-version": API_VERSION})
        response.read()
        return {k.lower(): v for k, v in response.getheaders()}
