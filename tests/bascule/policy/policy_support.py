"""Paths shared by the policy tests (the sample pack lives under tests/data/packs)."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
SAMPLE_PACK = REPO / "tests" / "data" / "packs" / "sample"

for path in (REPO, SAMPLE_PACK):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))
