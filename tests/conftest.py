"""Fixtures shared across the suite: the bundled stacks synthesized once per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bascule.snapshot.model import Snapshot
from bascule.synth import synthesize

ROOT = Path(__file__).resolve().parents[1]

# Every test synthesizes for real (and the `bascule` processes tests start inherit this);
# tests/bascule/synth/test_cache.py turns the synth cache back on where it is the subject.
os.environ["BASCULE_NO_CACHE"] = "1"
# One process per synth: most tests synthesize tiny programs, where a second process only adds
# its start-up. tests/bascule/synth/test_parallel.py holds the parallel synth to the same result.
os.environ["BASCULE_SYNTH_PARALLEL"] = "0"


def pytest_report_header(config: pytest.Config) -> str | None:
    """Said once, before the run: the checkov tests create checkov's own environment."""
    from bascule.checkov.venv import FIRST_USE, checkov_dir

    if (checkov_dir() / "pyvenv.cfg").exists():
        return None
    return f"the checkov tests will create {checkov_dir()} ({FIRST_USE})"


@pytest.fixture(scope="session")
def prod_snapshot() -> Snapshot:
    """`bascule synth prod`: 321 enclaves per estate, about 4,400 resources (~10 s)."""
    return synthesize(ROOT, "prod")
