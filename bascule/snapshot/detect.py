"""What a file is: a snapshot bascule reads (recognised by content, whatever its name), or a
known document of another kind, named with what to give instead."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
UTF8_BOM = b"\xef\xbb\xbf"
READS = "a Pulumi stack export, state checkpoint, preview --json or engine event stream"


def is_stack_file_name(name: str) -> bool:
    """`Pulumi.<stack>.yaml`: a stack's settings, never a snapshot."""
    return name.startswith("Pulumi.") and name.endswith((".yaml", ".yml")) and name.count(".") >= 2


def looks_like_snapshot(target: str) -> bool:
    """A file whose content starts like JSON (or gzip, or zstd) is a snapshot; so is a
    missing path with `.json` in its name ("no such file" beats "no such stack")."""
    path = Path(target)
    if is_stack_file_name(path.name):
        return False
    try:
        if path.is_file():
            with path.open("rb") as handle:
                head = handle.read(4096)
            if head.startswith((GZIP_MAGIC, ZSTD_MAGIC)):
                return True
            head = head.removeprefix(UTF8_BOM).lstrip()
            if head[:1] in (b"{", b"["):
                return True
    except OSError:
        pass
    return ".json" in path.name


def _keys(data: Any) -> set[str]:
    return set(data) if isinstance(data, dict) else set()


def _list_of(data: Any, keys: set[str]) -> bool:
    return isinstance(data, list) and bool(data) and keys <= _keys(data[0])


def _schema(data: Any) -> str:
    return str(data.get("$schema", "")) if isinstance(data, dict) else ""


# (test, what the document is)
FOREIGN: list[tuple[Callable[[Any], bool], str]] = [
    (
        lambda d: (
            {"format_version", "planned_values"} <= _keys(d)
            or {"format_version", "resource_changes"} <= _keys(d)
        ),
        "a Terraform plan (terraform show -json), such as `bascule export --to tfplan` writes",
    ),
    (
        lambda d: {"terraform_version", "lineage", "resources"} <= _keys(d),
        "a Terraform state file",
    ),
    (
        lambda d: "deploymentTemplate.json" in _schema(d),
        "an ARM template, such as `bascule export --to arm` writes",
    ),
    (lambda d: "runs" in _keys(d) and "sarif" in _schema(d), "a SARIF report"),
    (
        lambda d: {"violations", "summary"} <= _keys(d) or {"gaps", "summary"} <= _keys(d),
        "a bascule report",
    ),
    (
        lambda d: _list_of(d, {"kind", "startTime"}) or _list_of(d, {"kind", "resourceChanges"}),
        "a `pulumi stack history --json` list of updates (it holds no resource states)",
    ),
    (lambda d: {"encryptionsalt"} <= _keys(d), "a stack settings file (give it as STACK)"),
]


def describe_foreign(data: Any) -> str | None:
    """What a document bascule does not read is, if it is a known kind."""
    return next((what for test, what in FOREIGN if test(data)), None)
