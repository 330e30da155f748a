"""The import rules of docs/architecture.md ("Layers"), read from the sources' ASTs.

The SDK boundary (private names of pulumi and pulumi_policy only in bascule/sdk/) has its own
test, tests/bascule/sdk/test_boundary.py; `bascule --help` loading no cloud SDK is held by
tests/bascule/cli/test_cli.py.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bascule", "components")
# The loopback rehearsal drives the real CLI in process, for the transfer tests and bench.
CLI_IMPORTERS = {"bascule.__main__", "bascule.transfer.rehearse"}
# What a rule may import of bascule and components: rules are pure functions over
# (type, properties), read the offer registry and the per-provider facts, nothing else.
RULES_MAY_IMPORT = ("bascule.rules", "bascule.registry", "bascule.providers", "bascule.errors",
                    "components.lifecycle")  # fmt: skip
SDKS = ("pulumi", "pulumi_policy", "pulumi_azure_native", "pulumi_openstack", "pulumi_ovh",
        "pulumiverse_scaleway", "grpc", "google.protobuf")  # fmt: skip
# `bascule --help` loads these modules and, at their module level, nothing else of bascule.
HELP_MODULES = ("bascule.cli.main", "bascule.cli.parser")
HELP_MAY_IMPORT = (
    "bascule.cli.parser",
    "bascule.errors",
    "bascule.files",
    "bascule.process",
    "bascule.rules.base",
)


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    target: str  # what it names: `a.b` for `import a.b`, `a.b.c` for `from a.b import c`
    top: bool  # at module level (or under `if TYPE_CHECKING:` there), not inside a function
    line: int


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(tree: ast.Module, module: str) -> Iterator[Import]:
    top_level = {id(n) for n in tree.body}
    top_level |= {id(m) for n in tree.body if isinstance(n, ast.If) for m in n.body}
    for node in ast.walk(tree):
        top = id(node) in top_level
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(module, alias.name, top, node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                yield Import(module, f"{node.module}.{alias.name}", top, node.lineno)


@functools.cache
def all_imports() -> tuple[Import, ...]:
    found: list[Import] = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            found.extend(_imports(tree, _module_name(path)))
    return tuple(found)


@functools.cache
def modules() -> frozenset[str]:
    return frozenset(i.module for i in all_imports())


def _within(target: str, prefixes: tuple[str, ...] | set[str]) -> bool:
    return any(target == p or target.startswith(f"{p}.") for p in prefixes)


def _resolve(target: str) -> str | None:
    """The bascule/components module an import names (`from a import b`: module a.b or a)."""
    while target and target not in modules():
        target = target.rpartition(".")[0]
    return target or None


def _shown(imports: list[Import]) -> list[str]:
    return [f"{i.module}:{i.line} imports {i.target}" for i in imports]


def test_the_scan_sees_the_tree() -> None:
    assert {"bascule.cli.main", "bascule.rules.base", "components.lifecycle"} <= modules()
    assert any(i.target.startswith("bascule.cli.") for i in all_imports())


def test_imports_are_read_at_every_level() -> None:
    source = (
        "import os\nfrom typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
        "    from bascule.cli.context import CheckContext\n"
        "def f():\n    from bascule.cli import main\n    import bascule.synth.run\n"
    )
    assert list(_imports(ast.parse(source), "m")) == [
        Import("m", "os", True, 1),
        Import("m", "typing.TYPE_CHECKING", True, 2),
        Import("m", "bascule.cli.context.CheckContext", True, 4),
        Import("m", "bascule.cli.main", False, 6),
        Import("m", "bascule.synth.run", False, 7),
    ]


def test_only_the_entry_points_import_the_command_line() -> None:
    bad = [
        i
        for i in all_imports()
        if _within(i.target, ("bascule.cli",))
        and not _within(i.module, ("bascule.cli",))
        and i.module not in CLI_IMPORTERS
    ]
    assert _shown(bad) == []


def test_rules_import_only_rules_the_registry_and_the_lifecycle() -> None:
    bad = [
        i
        for i in all_imports()
        if _within(i.module, ("bascule.rules",))
        and (
            (_within(i.target, PACKAGES) and not _within(i.target, RULES_MAY_IMPORT))
            or _within(i.target, SDKS)
        )
    ]
    assert _shown(bad) == []


def test_components_import_no_bascule_tooling() -> None:
    bad = [
        i
        for i in all_imports()
        if _within(i.module, ("components",))
        and _within(i.target, ("bascule",))
        and not _within(i.target, ("bascule.providers",))
    ]
    assert _shown(bad) == []


@pytest.mark.parametrize(
    ("package", "may_import"),
    [
        ("bascule.sdk", ("bascule.sdk",)),
        ("bascule.snapshot", ("bascule.snapshot", "bascule.errors", "bascule.files")),
        ("bascule.errors", ()),
        ("bascule.process", ()),
    ],
)
def test_the_bottom_layer_imports_nothing_above_it(
    package: str, may_import: tuple[str, ...]
) -> None:
    bad = [
        i
        for i in all_imports()
        if _within(i.module, (package,))
        and _within(i.target, PACKAGES)
        and not _within(i.target, may_import)
    ]
    assert _shown(bad) == []


def test_help_loads_only_the_parsers() -> None:
    bad = [
        i
        for i in all_imports()
        if i.module in HELP_MODULES
        and i.top
        and _within(i.target, PACKAGES)
        and not _within(i.target, HELP_MAY_IMPORT)
    ]
    assert _shown(bad) == []


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def _graph(within: str, top_only: bool) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {m: set() for m in modules() if _within(m, (within,))}
    for i in all_imports():
        if i.module in edges and (i.top or not top_only):
            target = _resolve(i.target)
            if target is not None and target != i.module and _within(target, (within,)):
                edges[i.module].add(target)
    return edges


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


@pytest.mark.parametrize("package", ["bascule", "components.config"])
def test_no_import_cycle_in(package: str) -> None:
    """Counting module-level imports, those under `if TYPE_CHECKING:` included."""
    assert _cycles(_graph(package, top_only=True)) == []


def test_no_import_cycle_in_the_command_line_even_on_use() -> None:
    """bascule.cli: not even through an import made inside a function."""
    assert _cycles(_graph("bascule.cli", top_only=False)) == []


MAX_FUNCTION_LINES = 60


def _long_functions(source: str, path: str) -> list[str]:
    """Functions and methods of more than MAX_FUNCTION_LINES lines, `path:line name (n)`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append(f"{path}:{node.lineno} {node.name} ({length})")
    return found


def test_the_length_check_finds_a_long_function() -> None:
    body = "".join(f"    x{i} = {i}\n" for i in range(MAX_FUNCTION_LINES))
    assert _long_functions(f"def f():\n{body}", "m.py") == ["m.py:1 f (61)"]
    assert _long_functions(f"def f():\n{body[body.index(chr(10)) + 1 :]}", "m.py") == []


def test_functions_and_constructors_are_short() -> None:
    found = [
        long
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        for long in _long_functions(path.read_text(), str(path.relative_to(ROOT)))
    ]
    assert found == []
