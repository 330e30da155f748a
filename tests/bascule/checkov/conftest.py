"""What the checkov tests share: checkov itself, in its own environment."""

from __future__ import annotations

import os

import pytest

from bascule.checkov.venv import checkov_command
from bascule.errors import BasculeError


@pytest.fixture(scope="module")
def checkov_installed() -> None:
    """checkov's environment (created on first use); without it the module is skipped,
    except in CI, where that is a failure."""
    try:
        checkov_command()
    except BasculeError as err:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"checkov unavailable: {err.message}")
