"""Test pack: the sample rules through the real CrossGuard adapter."""

import sys
from pathlib import Path

try:
    import bascule  # noqa: F401
except ImportError:
    # Not installed in the venv: use the checkout (four levels up).
    sys.path.insert(0, str(Path(__file__).resolve().parents[4]))

from pulumi_policy import EnforcementLevel, PolicyPack
from sample_rules import SAMPLE_RULES

from bascule.policy.crossguard import policies_for_pack

PolicyPack(
    name="bascule-sample",
    policies=policies_for_pack("sovereignty", rules=SAMPLE_RULES),
    enforcement_level=EnforcementLevel.MANDATORY,
)
