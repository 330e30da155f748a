"""Trust roots: certificates declared in the stack come from certificate authorities of EU
member states (SecNumCloud 10.6 a). Pure: a minimal DER reader, standard library only.

Any PEM certificate in any property of any resource is read (a Barbican certificate secret,
a load balancer or application gateway certificate, a client CA...); its issuer's country
(X.520 countryName, OID 2.5.4.6) must be an EU member state. A certificate that is a secret
or whose issuer names no country cannot be verified.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from bascule.rules import props as p
from bascule.rules.base import Enforcement, Param, ResourceView, Rule, Severity
from bascule.rules.check import Params
from bascule.rules.types import BARBICAN_SECRET

PEM = re.compile(r"-----BEGIN CERTIFICATE-----\s*([A-Za-z0-9+/=\s]+?)\s*-----END CERTIFICATE-----")
# ISO 3166-1 alpha-2 codes of the 27 EU member states (Greece is "GR" in certificates).
EU_COUNTRIES = (
    "AT",
    "BE",
    "BG",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "ES",
    "FI",
    "FR",
    "GR",
    "HR",
    "HU",
    "IE",
    "IT",
    "LT",
    "LU",
    "LV",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SE",
    "SI",
    "SK",
)
COUNTRY_OID = bytes.fromhex("550406")
ORGANIZATION_OID = bytes.fromhex("55040a")


def _tlv(data: bytes, pos: int) -> tuple[int, int, int]:
    """(tag, start of value, end of value) of the DER element at `pos`."""
    tag, length = data[pos], data[pos + 1]
    pos += 2
    if length & 0x80:
        count = length & 0x7F
        length = int.from_bytes(data[pos : pos + count], "big")
        pos += count
    if pos + length > len(data):
        raise ValueError("truncated")
    return tag, pos, pos + length


def _children(data: bytes, start: int, end: int) -> list[tuple[int, int, int]]:
    out, pos = [], start
    while pos < end:
        tag, vstart, vend = _tlv(data, pos)
        out.append((tag, vstart, vend))
        pos = vend
    return out


def issuer(der: bytes) -> dict[str, str]:
    """countryName and organizationName of a certificate's issuer (absent keys: not stated)."""
    _, cstart, cend = _tlv(der, 0)
    tbs = _children(der, cstart, cend)[0]
    fields = _children(der, tbs[1], tbs[2])
    offset = 1 if fields[0][0] == 0xA0 else 0  # explicit [0] version
    _, nstart, nend = fields[offset + 2]  # serial, signature algorithm, issuer
    found: dict[str, str] = {}
    for _, sstart, send in _children(der, nstart, nend):  # SET
        for _, astart, aend in _children(der, sstart, send):  # AttributeTypeAndValue
            (_, ostart, oend), (_, vstart, vend) = _children(der, astart, aend)[:2]
            oid = der[ostart:oend]
            value = der[vstart:vend].decode("utf-8", errors="replace")
            if oid == COUNTRY_OID:
                found["C"] = value
            elif oid == ORGANIZATION_OID:
                found["O"] = value
    return found


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping) and not p.is_secret(value):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif p.is_seq(value):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")


def _certificates(text: str) -> Iterator[bytes | None]:
    for match in PEM.finditer(text):
        try:
            yield base64.b64decode(re.sub(r"\s+", "", match.group(1)), validate=True)
        except (binascii.Error, ValueError):
            yield None


def _may_hold_certificates(props: Mapping[str, Any]) -> bool:
    """A fast negative for plain JSON values (most resources); proxies are walked."""
    if not isinstance(props, dict):
        return True
    try:
        return "BEGIN CERTIFICATE" in json.dumps(props, default=str)
    except (TypeError, ValueError):
        return True


def _check_issuers(view: ResourceView, params: Params) -> Iterator[str]:
    certificate = str(view.props.get("secretType") or "").lower() == "certificate"
    if view.type == BARBICAN_SECRET and certificate and p.is_secret(view.props.get("payload")):
        yield "cannot verify the certificate's issuer: the payload is a secret"
        return
    if not _may_hold_certificates(view.props):
        return
    allowed = {str(c).upper() for c in p.as_seq(params["allowedIssuerCountries"])}
    for path, text in _strings(view.props, ""):
        for index, der in enumerate(_certificates(text)):
            where = f"{path} (certificate {index + 1})"
            try:
                found = issuer(der) if der is not None else None
            except (ValueError, IndexError):
                found = None
            if found is None:
                yield f"cannot verify the certificate at {where}: not a readable X.509 certificate"
            elif "C" not in found:
                yield f"cannot verify the certificate at {where}: its issuer names no country"
            elif found["C"].upper() not in allowed:
                org = f" ({found['O']})" if "O" in found else ""
                yield (
                    f"the certificate at {where} is issued by an authority of {found['C']}{org}, "
                    "not of an EU member state"
                )


PRT_020 = Rule(
    id="PRT-020",
    slug="certificate-issuer-eu",
    severity=Severity.HIGH,
    enforcement=Enforcement.MANDATORY,
    description=(
        "Certificates declared in the stack are issued by certificate authorities of EU member "
        "states."
    ),
    remediation=(
        "Use certificates from a certificate authority established in an EU member state (for "
        "example a qualified trust service provider of the EU trusted lists); keep certificates "
        "readable in the stack, or record their issuer for the reviewer."
    ),
    secnumcloud=("10.6",),
    hds=("hds-security", "third-country-access"),
    params={
        "allowedIssuerCountries": Param.str_list(
            list(EU_COUNTRIES),
            "Countries (ISO 3166-1 alpha-2, as in the issuer's C attribute) whose certificate "
            "authorities are accepted.",
        )
    },
    resource_check=_check_issuers,
    applies_to=("*",),  # a certificate can sit in any property of any resource
    rationale=(
        "SecNumCloud 10.6 a: on the technical infrastructure, only public-key certificates from "
        "a certificate authority of an EU member state. A CA under another jurisdiction can be "
        "compelled to issue a certificate that impersonates the platform."
    ),
)


RULES = (PRT_020,)
