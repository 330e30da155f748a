"""Synthesize a stack: run the real Pulumi program under mocks, offline, into a `Snapshot`.

Import is cheap; pulumi itself is only imported when `synthesize` runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bascule.snapshot.model import Snapshot


def synthesize(project_dir: Path | str, stack: str, **kwargs: Any) -> Snapshot:
    """See `bascule.synth.run.synthesize`."""
    from bascule.synth.run import synthesize as _synthesize

    return _synthesize(project_dir, stack, **kwargs)


__all__ = ["synthesize"]
