"""Suppressions: `{"urn", "reason", "expires"}` entries in a policy's config.

Pure: the CrossGuard adapter (inside `pulumi preview`) and the offline runner make the
same decision through `is_suppressed`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bascule.policy.errors import PolicyConfigError

SUPPRESSIONS_KEY = "suppressions"

SUPPRESSIONS_SCHEMA: dict[str, Any] = {
    "type": "array",
    "description": (
        "Accepted exceptions: resources (by URN) this policy does not report until `expires`."
    ),
    "items": {
        "type": "object",
        "properties": {
            "urn": {"type": "string", "minLength": 1},
            "reason": {"type": "string", "minLength": 1},
            "expires": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        },
        "required": ["urn", "reason", "expires"],
        "additionalProperties": False,
    },
}


@dataclass(frozen=True)
class Suppression:
    policy: str
    urn: str
    reason: str
    expires: dt.date

    def active(self, today: dt.date) -> bool:
        """Active up to and including its expiry date."""
        return today <= self.expires

    def to_dict(self) -> dict[str, str]:
        return {
            "policy": self.policy,
            "urn": self.urn,
            "reason": self.reason,
            "expires": self.expires.isoformat(),
        }


def parse_suppressions(policy_name: str, raw: Any) -> list[Suppression]:
    """Parse the `suppressions` config value of one policy (None → no suppression).

    Raises `PolicyConfigError` with a one-line message on a malformed entry.
    """
    if raw is None:
        return []
    if isinstance(raw, str | bytes) or not isinstance(raw, Sequence):
        raise PolicyConfigError(f"{policy_name}: suppressions must be a list")
    result: list[Suppression] = []
    for index, entry in enumerate(raw):
        where = f"{policy_name}: suppressions[{index}]"
        if not isinstance(entry, Mapping):
            raise PolicyConfigError(f"{where} must be an object with urn, reason and expires")
        urn = entry.get("urn")
        if not isinstance(urn, str) or not urn.strip():
            raise PolicyConfigError(f"{where} has no urn")
        reason = entry.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise PolicyConfigError(f"{where} ({urn}) has no reason: a suppression must say why")
        expires_raw = entry.get("expires")
        try:
            if not isinstance(expires_raw, str) or len(expires_raw) != 10:
                raise ValueError
            expires = dt.date.fromisoformat(expires_raw)
        except ValueError:
            raise PolicyConfigError(
                f"{where} ({urn}) has a bad expires {expires_raw!r}: expected YYYY-MM-DD"
            ) from None
        result.append(Suppression(policy_name, urn, reason.strip(), expires))
    return result


def is_suppressed(
    suppressions: Sequence[Suppression], urn: str | None, today: dt.date
) -> Suppression | None:
    """The active suppression covering `urn`, if any (stack-wide findings are never suppressed)."""
    if not urn:
        return None
    for suppression in suppressions:
        if suppression.urn == urn and suppression.active(today):
            return suppression
    return None
