"""read_json_file: a document, or one BadInputError line naming the file and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from bascule.errors import BadInputError
from bascule.files import read_json_file


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "cannot read thing: No such file or directory"),
        (b"\xff", "thing is not UTF-8 text"),
        (b'{"a": }', "invalid JSON at line 1 column 7: Expecting value"),
        (b"[" * 100_000 + b"]" * 100_000, "thing nested too deeply"),
    ],
    ids=["missing", "non-utf8", "invalid", "deep"],
)
def test_refusals(tmp_path: Path, content: bytes | None, problem: str) -> None:
    path = tmp_path / "doc.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(BadInputError) as err:
        read_json_file(str(path), "thing")
    assert err.value.message == f"{path}: {problem}"
    assert err.value.exit_code == 2


def test_reads_a_document(tmp_path: Path) -> None:
    path = tmp_path / "doc.json"
    path.write_text('{"a": [1, 2]}')
    assert read_json_file(str(path), "thing") == {"a": [1, 2]}
