"""Private names of the Pulumi SDKs appear in `bascule/sdk/` only.

The names come from the installed SDKs themselves: every module-level name, class attribute,
method and `self.` attribute of `pulumi` and `pulumi_policy` that starts with one underscore
(name-mangled ones as Python mangles them). Outside the boundary no module may import such a
name from an SDK module, read it as an attribute of anything but `self`/`cls`, name it in a
string (getattr, monkeypatch), or read an attribute starting with `_` of an SDK module.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SDKS = ("pulumi", "pulumi_policy")
BOUNDARY = (ROOT / "bascule" / "sdk", ROOT / "tests" / "bascule" / "sdk")
SCANNED = ("bascule", "components", "policies", "tests", "bench", "scripts", "__main__.py")
# The proxies' escape hatch: `proxy["__target"]` reads a private attribute by key.
PRIVATE_KEYS = {"__target"}


def _is_private(name: str) -> bool:
    dunder = name.startswith("__") and name.endswith("__")
    return len(name) > 1 and name.startswith("_") and not dunder and name.strip("_") != ""


def _defined_names(tree: ast.Module) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for item in ast.walk(node):
                name = None
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                    name = item.name
                elif isinstance(item, ast.Attribute) and isinstance(item.ctx, ast.Store):
                    name = item.attr
                elif isinstance(item, ast.Name) and isinstance(item.ctx, ast.Store):
                    name = item.id
                if name and name.startswith("__") and not name.endswith("__"):
                    yield f"_{node.name.lstrip('_')}{name}"  # as Python mangles it
                elif name:
                    yield name
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node.name
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            yield node.id


@functools.cache
def sdk_private_names() -> frozenset[str]:
    names: set[str] = set()
    for sdk in SDKS:
        spec = importlib.util.find_spec(sdk)
        assert spec is not None and spec.submodule_search_locations
        for base in spec.submodule_search_locations:
            for path in Path(base).rglob("*.py"):
                tree = ast.parse(path.read_text(encoding="utf-8"))
                names.update(n for n in _defined_names(tree) if _is_private(n))
    return frozenset(names)


def _sdk_module(module: str | None) -> bool:
    return module is not None and module.split(".")[0] in SDKS


def _docstrings(tree: ast.Module) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def private_uses(source: str, private: frozenset[str]) -> list[str]:
    """`line: name` for each use of an SDK private name in `source`."""
    tree = ast.parse(source)
    sdk_aliases: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            sdk_aliases.update(
                (a.asname or a.name).split(".")[0] for a in node.names if _sdk_module(a.name)
            )
        elif isinstance(node, ast.ImportFrom) and _sdk_module(node.module):
            sdk_aliases.update(a.asname or a.name for a in node.names)
    skip = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and _sdk_module(node.module):
            found += [f"{node.lineno}: {a.name}" for a in node.names if _is_private(a.name)]
        elif isinstance(node, ast.Attribute) and _is_private(node.attr):
            root = node.value
            while isinstance(root, ast.Attribute):
                root = root.value
            own = isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")
            from_sdk = isinstance(root, ast.Name) and root.id in sdk_aliases
            if from_sdk or (node.attr in private and not own):
                found.append(f"{node.lineno}: {node.attr}")
        elif (
            isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
        ) and (node.value in private or node.value in PRIVATE_KEYS):
            found.append(f"{node.lineno}: {node.value!r}")
    return found


def _scanned_files() -> Iterator[Path]:
    for entry in SCANNED:
        path = ROOT / entry
        files = [path] if path.is_file() else sorted(path.rglob("*.py"))
        for file in files:
            if ".venv" in file.parts or any(file.is_relative_to(b) for b in BOUNDARY):
                continue
            yield file


def test_the_sdks_private_names_are_found() -> None:
    private = sdk_private_names()
    for name in ("_OutputData", "_from_data", "_get_stack_trace", "_take_async_program",
                 "_PolicyAnalyzerServicer", "_PolicyAnalyzerServicer__stack_tags",
                 "_DictProxy", "_deserialize_property", "_NotApplicableError"):  # fmt: skip
        assert name in private


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from pulumi_policy.proxy import _DictProxy\n", ["1: _DictProxy"]),
        ("from pulumi.runtime import rpc\nrpc._special_sig_key\n", ["2: _special_sig_key"]),
        ("import pulumi.output\npulumi.output._anything_new\n", ["2: _anything_new"]),
        ("def f(s):\n    return s._take_async_program()\n", ["2: _take_async_program"]),
        ("getattr(x, '_OutputData', None)\n", ["1: '_OutputData'"]),
        ("x['__target']\n", ["1: '__target'"]),
        ("x._PolicyAnalyzerServicer__stack_tags\n", ["1: _PolicyAnalyzerServicer__stack_tags"]),
        ('"""Docs may name `_OutputData`."""\nself._take_async_program = 1\n', []),
        ("from bascule.sdk.policy import unwrap_proxies\nos._exit(0)\n", []),
    ],
)
def test_what_counts_as_a_private_use(source: str, expected: list[str]) -> None:
    assert private_uses(source, sdk_private_names()) == expected


def test_no_private_sdk_name_outside_the_boundary() -> None:
    private = sdk_private_names()
    found = [
        f"{file.relative_to(ROOT)}:{use}"
        for file in _scanned_files()
        for use in private_uses(file.read_text(encoding="utf-8"), private)
    ]
    assert found == []
