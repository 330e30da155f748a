"""Files users pass or ask for: JSON configs read, output files checked and written, paths
shown. One-line errors only."""

from __future__ import annotations

import errno
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from bascule.errors import BadInputError, UsageError


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


def read_input_bytes(
    path: Path, label: str, what: str, limit: int, too_big: Callable[[int], BadInputError]
) -> bytes:
    """The bytes of an input file (`what`: "a snapshot file"...), refused past `limit` bytes
    with `too_big(size)`; any other failure is a BadInputError naming `label`."""
    try:
        size = path.stat().st_size
        if path.is_file() and size > limit:
            raise too_big(size)
        return path.read_bytes()
    except FileNotFoundError:
        raise BadInputError(f"{label}: no such file") from None
    except IsADirectoryError:
        raise BadInputError(f"{label}: is a directory, not {what}") from None
    except OSError as exc:
        raise BadInputError(f"{label}: cannot read ({exc.strerror})") from None


def check_output_path(path: str) -> None:
    """Refuse, before any work, an output the command could not write at the end: its
    directory missing or not a directory, or the path itself a directory."""
    target = Path(path)
    parent = target.parent
    if target.is_dir():
        _cannot_write(path, errno.EISDIR)
    if not parent.exists():
        _cannot_write(path, errno.ENOENT)
    if not parent.is_dir():
        _cannot_write(path, errno.ENOTDIR)
    if not os.access(parent, os.W_OK | os.X_OK):
        _cannot_write(path, errno.EACCES)


def write_output(path: str, text: str) -> None:
    """Write a report or snapshot atomically (a temporary file renamed over it), so a failed
    run never leaves half a file; any failure is one line, exit 2."""
    target = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as err:
        raise UsageError(f"{path}: cannot write: {err.strerror or err}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise UsageError(f"{path}: cannot write: {err.strerror or err}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _cannot_write(path: str, code: int) -> None:
    raise UsageError(f"{path}: cannot write: {os.strerror(code)}")


def shown_path(path: str | Path, root: Path | None = None) -> str:
    """How a report names a file: relative to `root` (default: the working directory) when
    it is inside, else its name alone. Reports never carry the machine's absolute paths."""
    candidate = Path(path)
    if not candidate.is_absolute():
        return str(path)
    base = (root or Path.cwd()).resolve()
    try:
        return str(candidate.resolve().relative_to(base))
    except ValueError:
        return candidate.name
