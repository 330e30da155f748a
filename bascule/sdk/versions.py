"""Which SDK versions bascule's shortcuts through their internals were tested with."""

from __future__ import annotations

import functools
import importlib.metadata

# The versions requirements.lock pins, and the policy packs' requirements.txt with them.
TESTED: dict[str, str] = {"pulumi": "3.272.0", "pulumi-policy": "1.21.0"}


@functools.cache
def installed(distribution: str) -> str:
    """The installed version of `distribution`, "" when it is not installed."""
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return ""


def internals_usable(distribution: str) -> bool:
    """Whether the installed `distribution` is the one its internals were tested with."""
    return installed(distribution) == TESTED[distribution]
