"""A bascule CrossGuard pack (`pulumi preview --policy-pack policies/<pack>`).

Every pack directory holds this same file: the pack is named after its directory and serves
the rules of `bascule.rules` whose `pack` is that name (see docs/adding-a-rule.md).
"""

import sys
from pathlib import Path

try:
    import bascule  # noqa: F401
except ImportError:
    # The pack's own venv does not install bascule: use the checkout this pack lives in.
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from pulumi_policy import EnforcementLevel, PolicyPack

from bascule.policy.crossguard import policies_for_pack

PACK = Path(__file__).resolve().parent.name

PolicyPack(
    name=f"bascule-{PACK}",
    policies=policies_for_pack(PACK),
    enforcement_level=EnforcementLevel.MANDATORY,
)
