"""Deterministic physical names for Azure resources whose names are global and constrained."""

from __future__ import annotations

import hashlib
import re

HASH_LENGTH = 6


def stable_hash(*parts: str, length: int = HASH_LENGTH) -> str:
    """A short hex digest of the parts: same config, same name, on every run."""
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:length]


def storage_account_name(platform: str, dataset: str) -> str:
    """3-24 lowercase alphanumerics, globally unique: readable prefix plus a stable hash."""
    readable = re.sub(r"[^a-z0-9]", "", f"{platform}{dataset}".lower())
    return readable[: 24 - HASH_LENGTH] + stable_hash(platform, dataset)


def key_vault_name(platform: str, purpose: str) -> str:
    """3-24 alphanumerics and dashes, starting with a letter, globally unique."""
    readable = re.sub(r"-+", "-", f"{platform}-{purpose}")[: 24 - HASH_LENGTH - 1].rstrip("-")
    return f"{readable}-{stable_hash(platform, purpose)}"
