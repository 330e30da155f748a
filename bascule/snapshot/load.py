"""Load a snapshot from any Pulumi file that holds resource states, recognised by content:

- `pulumi stack export` (versions 1 to 4), bascule's own `synth` output included;
- a state checkpoint, as a local or S3-compatible backend stores it (gzip-compressed too);
- `pulumi preview --json` (one document);
- an engine event stream: `pulumi up --json`, a streaming `preview --json`, `--event-log`.

`parse_snapshot` is pure (a decoded JSON document in, a `Snapshot` out); `load_snapshot` adds
the file reading. Every failure is a `BadInputError` with one line naming the file.
"""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path
from typing import Any

from bascule.errors import BadInputError
from bascule.files import read_input_bytes
from bascule.snapshot.deployment import parse_checkpoint, parse_export
from bascule.snapshot.detect import GZIP_MAGIC, READS, UTF8_BOM, ZSTD_MAGIC, describe_foreign
from bascule.snapshot.events import is_event, parse_events
from bascule.snapshot.model import Snapshot
from bascule.snapshot.preview import parse_preview

MAX_SNAPSHOT_MB_ENV = "BASCULE_MAX_SNAPSHOT_MB"
DEFAULT_MAX_SNAPSHOT_MB = 512  # far above a 10,000-enclave export; refuse before reading


def max_snapshot_bytes() -> int:
    value = os.environ.get(MAX_SNAPSHOT_MB_ENV, "")
    try:
        megabytes = float(value) if value else DEFAULT_MAX_SNAPSHOT_MB
    except ValueError:
        raise BadInputError(f"{MAX_SNAPSHOT_MB_ENV}: {value!r} is not a number of MB") from None
    return int(megabytes * 1024 * 1024)


def _too_big(label: str, size: float, limit: int, what: str = "") -> BadInputError:
    return BadInputError(
        f"{label}: {what}{size / 2**20:.1f} MB exceeds the snapshot size limit of "
        f"{limit / 2**20:.1f} MB (set {MAX_SNAPSHOT_MB_ENV} to raise it)"
    )


def _read_bytes(path: Path, label: str) -> bytes:
    limit = max_snapshot_bytes()
    data = read_input_bytes(
        path, label, "a snapshot file", limit, lambda size: _too_big(label, size, limit)
    )
    if data.startswith(ZSTD_MAGIC):
        raise BadInputError(
            f"{label}: zstd-compressed (a backend with PULUMI_DIY_BACKEND_ZSTD): decompress "
            "it first (`zstd -d`)"
        )
    if data.startswith(GZIP_MAGIC):
        return _gunzip(data, label, limit)
    return data


def _gunzip(data: bytes, label: str, limit: int) -> bytes:
    """A gzip-compressed checkpoint (PULUMI_DIY_BACKEND_GZIP), decompressed within the limit."""
    decompressor = zlib.decompressobj(wbits=31)  # 31: a gzip header and trailer
    try:
        out = decompressor.decompress(data, limit + 1)
    except zlib.error as exc:
        raise BadInputError(f"{label}: not a readable gzip file ({exc})") from None
    if len(out) > limit:
        raise _too_big(label, len(out), limit, "decompresses to more than ")
    if not decompressor.eof:
        raise BadInputError(f"{label}: gzip file is truncated")
    return out


def load_snapshot(path: str | Path) -> Snapshot:
    """Read and parse any snapshot file bascule reads (see the module docstring)."""
    path = Path(path)
    label = path.name
    data = _read_bytes(path, label)
    try:
        text = data.removeprefix(UTF8_BOM).decode("utf-8")
    except UnicodeDecodeError:
        raise BadInputError(f"{label}: not JSON (not UTF-8 text)") from None
    return parse_snapshot_text(text, str(path), label=label)


def parse_snapshot_text(text: str, source: str, *, label: str | None = None) -> Snapshot:
    label = label or source
    try:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            if exc.msg != "Extra data":
                raise BadInputError(
                    f"{label}: not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
                ) from None
            return parse_json_lines(text, source, label)
    except RecursionError:
        raise BadInputError(f"{label}: JSON nested too deeply to be a snapshot") from None
    try:
        return parse_snapshot(data, source, label=label)
    except RecursionError:
        raise BadInputError(f"{label}: values nested too deeply to be a snapshot") from None


def parse_json_lines(text: str, source: str, label: str) -> Snapshot:
    """One JSON value per line: an engine event stream, or a file bascule names and refuses."""
    events: list[tuple[int, Any]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            events.append((number, json.loads(line)))
        except json.JSONDecodeError as exc:
            raise BadInputError(
                f"{label}: not JSON lines (line {number}, column {exc.colno}: {exc.msg})"
            ) from None
    first = events[0][1]
    if not is_event(first) and not (isinstance(first, dict) and "sequence" in first):
        raise BadInputError(f"{label}: JSON lines, but not a Pulumi engine event stream")
    return parse_events(events, source, label)


def parse_snapshot(data: Any, source: str, *, label: str | None = None) -> Snapshot:
    """Detect the document kind and parse it."""
    label = label or source
    if isinstance(data, dict):
        if "checkpoint" in data or ("latest" in data and not {"deployment", "steps"} & set(data)):
            return parse_checkpoint(data, source, label)
        if "steps" in data or "changeSummary" in data:
            return parse_preview(data, source, label)
        if "deployment" in data or "version" in data:
            return parse_export(data, source, label)
        if is_event(data):
            return parse_events([(1, data)], source, label)
        if "diagnostics" in data and set(data) <= {"config", "diagnostics", "duration"}:
            return parse_preview(data, source, label)  # a preview that registered nothing
    foreign = describe_foreign(data)
    if foreign is not None:
        raise BadInputError(f"{label}: {foreign}, not {READS}")
    raise BadInputError(f"{label}: not {READS}")
