"""What a check function is written with: the stack it reads, its parameter values, and
its findings (the types themselves are in `bascule.rules.base`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from bascule.rules.base import Finding, StackResource

Resources = Sequence[StackResource]
"""What a stack check reads: every resource of the stack."""
Params = Mapping[str, Any]
"""A rule's parameter values, as configured (defaults filled in)."""


def findings(messages: Iterable[str], urn: str | None) -> Iterator[Finding]:
    """Each message as a finding on `urn` (None: stack-wide)."""
    return (Finding(message, urn) for message in messages)
