"""Reading the JSON files users pass (policy and checkov configs): one-line errors only."""

from __future__ import annotations

import json
from pathlib import Path

from bascule.errors import BadInputError


def read_json_file(path: str, what: str) -> object:
    """A JSON document from `path`, or a BadInputError naming the file and the problem: an
    unreadable file, bytes that are not UTF-8, invalid JSON, or nesting too deep to parse."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as err:
        raise BadInputError(f"{path}: cannot read {what}: {err.strerror or err}") from None
    except UnicodeDecodeError:
        raise BadInputError(f"{path}: {what} is not UTF-8 text") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise BadInputError(
            f"{path}: invalid JSON at line {err.lineno} column {err.colno}: {err.msg}"
        ) from None
    except RecursionError:
        raise BadInputError(f"{path}: {what} nested too deeply") from None
