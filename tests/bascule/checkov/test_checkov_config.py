"""`--checkov-config`: levels and suppressions for checkov's checks; bad files are one line."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from bascule.checkov.config import load_checkov_config
from bascule.errors import BadInputError


def write(tmp_path: Path, doc: Any) -> str:
    path = tmp_path / "checkov.json"
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc))
    return str(path)


def test_levels_and_suppressions(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        {
            "all": "mandatory",
            "CKV_AZURE_151": "disabled",
            "CKV_OPENSTACK_4": {
                "suppressions": [{"urn": "urn:x", "reason": "break-glass", "expires": "2027-01-31"}]
            },
        },
    )
    levels, suppressions = load_checkov_config(path)
    assert levels == {"all": "mandatory", "CKV_AZURE_151": "disabled"}
    [only] = suppressions["CKV_OPENSTACK_4"]
    assert (only.urn, only.reason, only.expires) == ("urn:x", "break-glass", dt.date(2027, 1, 31))
    assert load_checkov_config(None) == ({}, {})


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ("{", "invalid JSON at line 1 column 2: Expecting property name enclosed in double quotes"),
        ([], "expected an object of check ids"),
        ({"CKV_X": "strict"}, "CKV_X: level 'strict' is not one of advisory, mandatory, disabled"),
        ({"CKV_X": {"level": "advisory"}}, "CKV_X: unknown key 'level'"),
    ],
)
def test_bad_config_is_one_line(tmp_path: Path, doc: Any, message: str) -> None:
    path = write(tmp_path, doc)
    with pytest.raises(BadInputError) as err:
        load_checkov_config(path)
    assert err.value.message == f"{path}: {message}"
    assert err.value.exit_code == 2


def test_suppression_without_reason_is_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path, {"CKV_X": {"suppressions": [{"urn": "u", "reason": "", "expires": "2027-01-01"}]}}
    )
    with pytest.raises(BadInputError) as err:
        load_checkov_config(path)
    assert err.value.message.startswith(f"{path}: ")
    assert "reason" in err.value.message
