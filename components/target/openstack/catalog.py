"""What the SecNumCloud OpenStack catalogue names (no resources here): the Cinder volume types
and Swift storage policies that encrypt at rest. bascule's readers take the same
values from `bascule.providers.openstack` (a test holds the two equal)."""

from __future__ import annotations

# Cinder volume types with LUKS encryption (the qualified offers' `encrypted-luks`).
ENCRYPTED_VOLUME_TYPES = frozenset({"encrypted-luks"})
# Swift storage policies encrypted at rest.
ENCRYPTED_STORAGE_POLICIES = frozenset({"encrypted", "encrypted-3az"})
