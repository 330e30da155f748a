"""The deterministic order of a synthesized snapshot: parents, providers and dependencies first,
ties broken by URN. Shared by the recording monitor and the merge of parallel synth runs, so a
merged snapshot lists its resources exactly as a single run would."""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from typing import Protocol


class Registered(Protocol):
    @property
    def parent(self) -> str | None: ...
    @property
    def provider(self) -> str | None: ...
    @property
    def dependencies(self) -> tuple[str, ...]: ...
    @property
    def property_dependencies(self) -> Mapping[str, tuple[str, ...]]: ...


def dependency_order(records: Mapping[str, Registered]) -> list[str]:
    """Kahn's algorithm, ties broken by URN: registration order varies across RPC threads."""
    before: dict[str, set[str]] = {}
    after: dict[str, list[str]] = {urn: [] for urn in records}
    for urn, r in records.items():
        needs = {r.parent} if r.parent else set()
        if r.provider:
            needs.add(r.provider.rsplit("::", 1)[0])
        needs.update(r.dependencies)
        for deps in r.property_dependencies.values():
            needs.update(deps)
        needs = {n for n in needs if n in records and n != urn}
        before[urn] = needs
        for n in needs:
            after[n].append(urn)
    ready = [urn for urn, needs in before.items() if not needs]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        urn = heapq.heappop(ready)
        order.append(urn)
        for nxt in after[urn]:
            before[nxt].discard(urn)
            if not before[nxt]:
                heapq.heappush(ready, nxt)
    if len(order) < len(records):  # a cycle cannot happen in Pulumi; keep everything anyway
        seen = set(order)
        order.extend(sorted(u for u in records if u not in seen))
    return order
