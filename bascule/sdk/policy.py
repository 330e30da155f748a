"""`pulumi_policy`'s internals, as bascule's policy runner uses them.

- `analyzer_servicer` and its accessors: the servicer a pack's analyzer process serves,
  built in this process for the bundled packs (`bascule.policy.inprocess`). Only on the tested
  pulumi-policy (`in_process_usable`); on any other version the runner starts the bundled
  packs as analyzer processes instead (the engine's path: slower, same results).
- `unwrap_proxies`: a pack's props without the SDK's unknown-checking proxies.
- `captured_servicer`: the servicer a pack's `PolicyPack(...)` hands to the gRPC server,
  taken before any server starts (`bascule.policy.loaded`).

Each function imports the pulumi_policy names it uses: importing this module loads no SDK
(start-up time: the runner asks `in_process_usable` before any pack runs), and a version
without a private name fails only where that name is used, behind the version check.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from bascule.sdk import versions


def in_process_usable() -> bool:
    """Whether the installed pulumi-policy is the one these internals were tested with."""
    return versions.internals_usable("pulumi-policy")


# -- the analyzer servicer -------------------------------------------------------------------


def analyzer_servicer(name: str, version: str, policies: list[Any], level: Any) -> Any:
    """What `PolicyPack(name, policies, level)` builds and serves (version "0.0.1" there)."""
    from pulumi_policy.policy import _PolicyAnalyzerServicer

    return _PolicyAnalyzerServicer(
        name,
        version,
        policies,
        level,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
    )


def stack_tags(servicer: Any) -> Mapping[str, str]:
    """The stack's tags, as ConfigureStack left them (a name-mangled attribute)."""
    tags: Mapping[str, str] = servicer._PolicyAnalyzerServicer__stack_tags
    return tags


def policy_config(servicer: Any, policy_name: str) -> dict[str, Any] | None:
    config: dict[str, Any] | None = servicer._get_policy_config(policy_name)
    return config


def enforcement_level(servicer: Any, policy: Any) -> Any:
    return servicer._get_enforcement_level(policy)


def report_violation(servicer: Any, response: Any, policy: Any, level: Any) -> Any:
    """The `report_violation` callback the servicer gives `policy.validate`."""
    return servicer._create_report_violation(
        response, policy.name, policy.description, level, policy.severity
    )


def not_applicable_error() -> Any:
    """What a policy raises to say it does not apply (`args.not_applicable(...)`)."""
    from pulumi_policy.policy import _NotApplicableError

    return _NotApplicableError


# -- proxies ----------------------------------------------------------------------------------


def unwrap_proxies(value: Any) -> Any:
    """`value` with the SDK's unknown-checking proxies (`unknown_checking_proxy`) replaced by
    plain dicts and lists holding the raw values, unknown sentinels included. Anything else,
    plain dicts and lists too, comes back as it is."""
    if isinstance(value, dict | list):  # what the in-process path gives: nothing to unwrap
        return value
    if in_process_usable():
        return _unwrap_fast(value)
    return _unwrap_public(value)


def _unwrap_fast(value: Any) -> Any:
    # The proxies' own escape hatch, as the SDK's serializer uses it (deserialize.py).
    from pulumi_policy.proxy import _DictProxy, _ListProxy

    def unwrap(item: Any) -> Any:
        if isinstance(item, _DictProxy):
            return {key: unwrap(v) for key, v in item["__target"].items()}
        if isinstance(item, _ListProxy):
            return [unwrap(v) for v in item["__target"]]
        return item

    return unwrap(value)


def _unwrap_public(value: Any) -> Any:
    """The same through the public interface: a proxy is a Mapping or Sequence that is not a
    dict or list, and reading an unknown raises `UnknownValueError` naming the sentinel."""
    from pulumi_policy.proxy import UnknownValueError

    def read(proxy: Any, key: Any) -> Any:
        try:
            return unwrap(proxy[key])
        except UnknownValueError as exc:
            return exc.unknown_type_sentinel

    def unwrap(item: Any) -> Any:
        if isinstance(item, dict | list | str | bytes | tuple):
            return item
        if isinstance(item, Mapping):
            return {key: read(item, key) for key in item}
        if isinstance(item, Sequence):
            return [read(item, i) for i in range(len(item))]
        return item

    return unwrap(value)


# -- servicer capture -------------------------------------------------------------------------


class Captured(Exception):
    """Raised where the SDK would start the server: the pack is loaded."""

    def __init__(self, servicer: Any) -> None:
        super().__init__()
        self.servicer = servicer


@contextmanager
def captured_servicer() -> Iterator[None]:
    """While active, a pack's `PolicyPack(...)` raises `Captured(servicer)` where it would
    hand its servicer to the gRPC server (the generated `add_AnalyzerServicer_to_server`).
    Callers hold a lock: the generated module is shared by every thread."""
    from pulumi.runtime.proto import analyzer_pb2_grpc

    def capture(servicer: Any, server: Any) -> None:
        raise Captured(servicer)

    original = analyzer_pb2_grpc.add_AnalyzerServicer_to_server
    analyzer_pb2_grpc.add_AnalyzerServicer_to_server = capture  # type: ignore[assignment]
    try:
        yield
    finally:
        analyzer_pb2_grpc.add_AnalyzerServicer_to_server = original  # type: ignore[assignment]
