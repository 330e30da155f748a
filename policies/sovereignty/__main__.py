"""The bascule-sovereignty CrossGuard pack (`pulumi preview --policy-pack policies/sovereignty`)."""

import sys
from pathlib import Path

try:
    import bascule  # noqa: F401
except ImportError:
    # The pack's own venv does not install bascule: use the checkout this pack lives in.
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from pulumi_policy import EnforcementLevel, PolicyPack

from bascule.policy.crossguard import policies_for_pack

PolicyPack(
    name="bascule-sovereignty",
    policies=policies_for_pack("sovereignty"),
    enforcement_level=EnforcementLevel.MANDATORY,
)
