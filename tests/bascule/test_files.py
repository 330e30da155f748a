"""read_json_file: a document, or one BadInputError line naming the file and the problem;
outputs checked and written in one line; paths shown without the machine's directories."""

from __future__ import annotations

from pathlib import Path

import pytest

from bascule.errors import BadInputError, UsageError
from bascule.files import check_output_path, read_json_file, shown_path, write_output


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


@pytest.mark.parametrize(
    ("where", "problem"),
    [
        ("missing-dir/out.json", "No such file or directory"),
        ("a-dir", "Is a directory"),
        ("a-file/out.json", "Not a directory"),
    ],
)
def test_an_output_that_cannot_be_written_is_refused_up_front(
    tmp_path: Path, where: str, problem: str
) -> None:
    (tmp_path / "a-dir").mkdir()
    (tmp_path / "a-file").write_text("")
    path = str(tmp_path / where)
    with pytest.raises(UsageError) as err:
        check_output_path(path)
    assert (err.value.message, err.value.exit_code) == (f"{path}: cannot write: {problem}", 2)


def test_write_output_is_atomic_and_one_line_on_failure(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    write_output(str(path), "{}\n")
    assert path.read_text() == "{}\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temporary file left
    (tmp_path / "a-dir").mkdir()
    with pytest.raises(UsageError) as err:
        write_output(str(tmp_path / "a-dir"), "{}\n")
    assert err.value.message == f"{tmp_path / 'a-dir'}: cannot write: Is a directory"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-dir", "report.json"]


def test_shown_paths_are_never_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    assert shown_path(tmp_path / "sub" / "Pulumi.dev.yaml") == "sub/Pulumi.dev.yaml"
    assert shown_path("relative/as/given.json") == "relative/as/given.json"
    assert shown_path("/elsewhere/on/the/machine/snap.json") == "snap.json"
    assert shown_path(tmp_path / "sub" / "x.json", root=tmp_path / "sub") == "x.json"
