"""`--checkov-config FILE`: levels and suppressions for checkov's checks, shaped like a
policy config: `{"all": level, "CKV_AZURE_97": level | {"enforcementLevel", "suppressions"}}`."""

from __future__ import annotations

from typing import Any

from bascule.errors import BadInputError
from bascule.files import read_json_file
from bascule.policy.errors import PolicyConfigError
from bascule.policy.suppressions import Suppression, parse_suppressions

LEVELS = ("advisory", "mandatory", "disabled")


def load_checkov_config(path: str | None) -> tuple[dict[str, str], dict[str, list[Suppression]]]:
    if path is None:
        return {}, {}
    doc = read_json_file(path, "checkov config")
    if not isinstance(doc, dict):
        raise BadInputError(f"{path}: expected an object of check ids")
    levels: dict[str, str] = {}
    suppressions: dict[str, list[Suppression]] = {}
    for key, value in doc.items():
        entry: dict[str, Any] = value if isinstance(value, dict) else {"enforcementLevel": value}
        unknown = set(entry) - {"enforcementLevel", "suppressions"}
        if unknown:
            raise BadInputError(f"{path}: {key}: unknown key {sorted(unknown)[0]!r}")
        level = entry.get("enforcementLevel")
        if level is not None:
            if level not in LEVELS:
                raise BadInputError(
                    f"{path}: {key}: level {level!r} is not one of {', '.join(LEVELS)}"
                )
            levels[key] = level
        try:
            suppressions[key] = parse_suppressions(key, entry.get("suppressions"))
        except PolicyConfigError as err:
            raise BadInputError(f"{path}: {err.message}") from None
    return levels, suppressions
