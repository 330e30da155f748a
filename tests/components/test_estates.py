"""The estate selection the offline synth uses, and why a deployment can never use it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from components.estates import ESTATES, SYNTH_ESTATE_ENV, estates_to_build

ROOT = Path(__file__).resolve().parents[2]


def test_both_estates_by_default() -> None:
    assert estates_to_build({}) == ESTATES == ("source", "target")
    assert estates_to_build({SYNTH_ESTATE_ENV: ""}) == ESTATES


def test_an_unknown_estate_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^BASCULE_SYNTH_ESTATE='both': expected one of"):
        estates_to_build({SYNTH_ESTATE_ENV: "both"})


def test_outside_mocks_one_estate_is_refused() -> None:
    """In a fresh interpreter no mock monitor is set: as under `pulumi up`, where declaring
    one estate would delete the other."""
    env = {**os.environ, SYNTH_ESTATE_ENV: "source"}
    done = subprocess.run(
        [sys.executable, "-c", "from components.estates import estates_to_build as e; e()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == (
        "ValueError: BASCULE_SYNTH_ESTATE is set, but this is not an offline synth: a "
        "deployment of one estate would delete the other; unset it"
    )
