"""Which estates this run declares: both, unless bascule's offline synth builds one per process.

`bascule synth` runs the program once per estate, in parallel, and merges the two results into
the snapshot a single run would give. A real `pulumi up` building one estate would delete the
other, so the request is refused unless the program runs under Pulumi mocks.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

SYNTH_ESTATE_ENV = "BASCULE_SYNTH_ESTATE"
ESTATES = ("source", "target")


def estates_to_build(environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    requested = (os.environ if environ is None else environ).get(SYNTH_ESTATE_ENV, "")
    if not requested:
        return ESTATES
    if requested not in ESTATES:
        raise ValueError(f"{SYNTH_ESTATE_ENV}={requested!r}: expected one of {', '.join(ESTATES)}")
    if not under_mocks():
        raise ValueError(
            f"{SYNTH_ESTATE_ENV} is set, but this is not an offline synth: a deployment of one "
            "estate would delete the other; unset it"
        )
    return (requested,)


def under_mocks() -> bool:
    """True inside bascule's offline synth (Pulumi mocks), False in a real engine run."""
    from pulumi.runtime.mocks import MockMonitor
    from pulumi.runtime.settings import SETTINGS

    return isinstance(SETTINGS.monitor, MockMonitor)
