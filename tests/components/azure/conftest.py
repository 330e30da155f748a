"""Fixtures: the dev stack's source estate, built once under mocks (and a cut-over variant)."""

from __future__ import annotations

import pytest
from azure_estate_harness import EstateRun, dev_config, run_estate


@pytest.fixture(scope="session")
def dev_run() -> EstateRun:
    return run_estate(dev_config())


@pytest.fixture(scope="session")
def cutover_run() -> EstateRun:
    waves = [{"id": 1, "name": "pilot", "status": "cutover"}, {"id": 2, "name": "bulk"}]
    return run_estate(dev_config(waves=waves))
