"""How a bascule process ends: the CLI (`bascule`, `python -m bascule`) and the synth shards
(`python -m bascule.synth.shard`) all exit through `exit_now`."""

from __future__ import annotations

import contextlib
import os
import sys
from typing import NoReturn


def exit_now(code: int) -> NoReturn:
    """Exit without the interpreter's teardown: freeing a synthesized estate object by object
    takes longer than anything left to do (0.6 s on prod). Every file is closed by then."""
    for stream in (sys.stdout, sys.stderr):
        # A reader that went away, or a closed stream: nothing more can be said anyway.
        with contextlib.suppress(BrokenPipeError, ValueError):
            stream.flush()
    os._exit(code)
