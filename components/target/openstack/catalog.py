"""What the SecNumCloud OpenStack catalogue names (no resources here): the Cinder volume types
and Swift storage policies that encrypt at rest. They are defined once, in
`bascule.providers.openstack` (the provider's facts, which parity judges by): the program
builds with the same objects."""

from __future__ import annotations

from bascule.providers.openstack import ENCRYPTED_STORAGE_POLICIES as ENCRYPTED_STORAGE_POLICIES
from bascule.providers.openstack import ENCRYPTED_VOLUME_TYPES as ENCRYPTED_VOLUME_TYPES
