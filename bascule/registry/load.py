"""Read and validate the offer registry (`offers.yaml`, or `BASCULE_REGISTRY`).

Every problem is one BadInputError line naming the file and the key: a bad edit of the
registry is bad input (exit 2), never a traceback and never a silently empty registry.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from bascule.errors import BadInputError
from bascule.registry.model import (
    Endpoint,
    Fact,
    Match,
    Offer,
    Qualification,
    Registry,
    Source,
)
from bascule.registry.schema import REGISTRY

BUNDLED = Path(__file__).with_name("offers.yaml")
ENV = "BASCULE_REGISTRY"


def registry_path() -> Path:
    """The registry in use: `BASCULE_REGISTRY` when set, else the one bascule ships."""
    value = os.environ.get(ENV, "").strip()
    return Path(value) if value else BUNDLED


def default_registry() -> Registry:
    """The registry in use, read once per process and file."""
    return load_registry(registry_path())


BUNDLED_NAME = "bascule/registry/offers.yaml"  # how reports name the bundled file


@functools.lru_cache(maxsize=8)
def _cached(path: str) -> Registry:
    origin = BUNDLED_NAME if Path(path).resolve() == BUNDLED.resolve() else path
    return parse_registry(_read(path), origin)


def load_registry(path: str | Path) -> Registry:
    return _cached(str(path))


def _read(path: str) -> Any:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as err:
        raise BadInputError(
            f"{path}: cannot read the offer registry: {err.strerror or err}"
        ) from None
    except UnicodeDecodeError:
        raise BadInputError(f"{path}: the offer registry is not UTF-8 text") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise BadInputError(
            f"{path}: invalid YAML{where}: {getattr(err, 'problem', err)}"
        ) from None


def parse_registry(doc: Any, origin: str = "registry") -> Registry:
    """Validate a parsed document and build the registry (one-line error on any problem)."""
    errors = sorted(
        jsonschema.Draft7Validator(REGISTRY).iter_errors(doc), key=lambda e: list(e.path)
    )
    if errors:
        err = errors[0]
        where = ".".join(str(p) for p in err.absolute_path) or "(top level)"
        raise BadInputError(f"{origin}: {where}: {_short(err.message)}")
    sources = {key: _source(key, value, origin) for key, value in doc["sources"].items()}
    offers = tuple(_offer(i, raw, sources, origin) for i, raw in enumerate(doc["offers"]))
    seen: set[str] = set()
    for offer in offers:
        if offer.id in seen:
            raise BadInputError(f"{origin}: offers: duplicate offer id {offer.id!r}")
        seen.add(offer.id)
    return Registry(
        reviewed=_date(doc["reviewed"], origin, "reviewed"),
        sources=sources,
        offers=offers,
        origin=origin,
        by_id={offer.id: offer for offer in offers},
    )


def _short(message: str) -> str:
    return message if len(message) <= 160 else message[:157] + "..."


def _date(text: str, origin: str, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BadInputError(f"{origin}: {where}: {text!r} is not a calendar date") from None


def _source(key: str, raw: Mapping[str, Any], origin: str) -> Source:
    return Source(
        id=key,
        url=raw["url"],
        title=raw["title"],
        checked=_date(raw["checked"], origin, f"sources.{key}.checked"),
        access=raw["access"],
        note=raw.get("note", ""),
    )


def _refs(raw: Mapping[str, Any], sources: Mapping[str, Source], origin: str, where: str) -> tuple:
    refs = tuple(raw["sources"])
    missing = [ref for ref in refs if ref not in sources]
    if missing:
        raise BadInputError(f"{origin}: {where}.sources: unknown source {missing[0]!r}")
    return refs


def _fact(
    raw: Mapping[str, Any], key: str, sources: Mapping[str, Source], origin: str, where: str
) -> Fact:
    value = raw[key]
    return Fact(
        value=tuple(value) if isinstance(value, list) else value,
        verified=raw["verified"],
        sources=_refs(raw, sources, origin, where),
        note=raw.get("note", ""),
    )


def _qualification(
    raw: Mapping[str, Any], sources: Mapping[str, Source], origin: str, where: str
) -> Qualification:
    def date_of(key: str) -> dt.date | None:
        return _date(raw[key], origin, f"{where}.{key}") if key in raw else None

    start, end = date_of("start"), date_of("end")
    if start and end and end < start:
        raise BadInputError(f"{origin}: {where}: the visa ends ({end}) before it starts ({start})")
    return Qualification(
        status=raw["status"],
        verified=raw["verified"],
        sources=_refs(raw, sources, origin, where),
        version=raw.get("version", ""),
        start=start,
        end=end,
        decision=raw.get("decision", ""),
        stage=raw.get("stage", ""),
        since=date_of("since"),
        note=raw.get("note", ""),
    )


def _matches(raw: Sequence[Mapping[str, Any]]) -> tuple[Match, ...]:
    return tuple(
        Match(
            package=m["package"],
            identities=tuple(h.lower() for h in (*m.get("authHosts", ()), *m.get("endpoints", ()))),
            regions=tuple(m["regions"]) if "regions" in m else None,
        )
        for m in raw
    )


def _offer(index: int, raw: Mapping[str, Any], sources: Mapping[str, Source], origin: str) -> Offer:
    where = f"offers.{index}"
    scope = raw["scope"]
    endpoints = tuple(
        Endpoint(
            kind=e["kind"],
            pattern=e["pattern"],
            verified=e["verified"],
            sources=_refs(e, sources, origin, f"{where}.scope.endpoints.{n}"),
            note=e.get("note", ""),
        )
        for n, e in enumerate(scope["endpoints"])
    )
    return Offer(
        id=raw["id"],
        provider=raw["provider"],
        name=raw["name"],
        service=tuple(raw["service"]),
        openstack=_fact(raw["openstack"], "value", sources, origin, f"{where}.openstack"),
        secnumcloud=_qualification(raw["secnumcloud"], sources, origin, f"{where}.secnumcloud"),
        hds=_fact(raw["hds"], "status", sources, origin, f"{where}.hds"),
        regions=_fact(scope["regions"], "values", sources, origin, f"{where}.scope.regions"),
        endpoints=endpoints,
        matches=_matches(raw.get("match", ())),
    )
