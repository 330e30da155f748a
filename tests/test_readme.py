"""The README's promises: generated blocks in sync (usage, rules, benchmark figures), the two
set-up commands, CI, and the warnings a first `check` prints explained where it says so."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType

from bascule.cli.main import build_parser
from bascule.cli.usage import usage_block
from bascule.report.referential import coverage_markdown, referential
from bascule.report.rules_table import rules_table_markdown
from bascule.rules.catalog import ALL_RULES

ROOT = Path(__file__).resolve().parents[1]
README_PATH = ROOT / "README.md"
README = README_PATH.read_text(encoding="utf-8")


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def generated() -> dict[str, str]:
    """Each generated block of the README: its marker name and its text."""
    results = json.loads((ROOT / "bench" / "results.json").read_text())
    return {
        "usage": f"```\n{usage_block(build_parser())}```\n",
        "rules": rules_table_markdown(ALL_RULES),
        "coverage": coverage_markdown(referential(), [rule.secnumcloud for rule in ALL_RULES]),
        "bench": _bench().readme_table(results),
    }


def _between(name: str) -> str:
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    match = re.search(f"{re.escape(start)}\n(.*?){re.escape(end)}", README, re.S)
    assert match, f"README lacks {start} ... {end}"
    return match.group(1)


def test_generated_blocks_are_in_sync() -> None:
    # To refresh: make readme
    for name, text in generated().items():
        assert _between(name) == text, f"README {name} block is stale: run `make readme`"


def test_the_usage_covers_every_command_and_option() -> None:
    usage = _between("usage")
    commands = {line.split()[1] for line in usage.splitlines() if line.startswith("bascule ")}
    subparsers = next(a for a in build_parser()._actions if a.dest == "command")
    assert commands == set(subparsers.choices)  # type: ignore[arg-type]
    check = usage[usage.index("bascule check") :]
    for option in ("--today YYYY-MM-DD", "--grpc | --in-process", "--project-dir DIR"):
        assert option in check
    checkov = usage[usage.index("bascule checkov") : usage.index("bascule check ")]
    assert "--today YYYY-MM-DD" in checkov and "--no-cache" in checkov


def test_exactly_two_setup_commands() -> None:
    setup = README.split("## Set-up: two commands", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", setup, re.S)
    assert block
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines()]
    assert commands == ["python3 scripts/dev.py check", "python3 scripts/dev.py test"]


def test_the_first_checks_warnings_are_explained_in_the_set_up() -> None:
    from bascule.cli.check import stack_warnings

    setup = README.split("## Set-up: two commands", 1)[1].split("\n## ", 1)[0]
    warnings = stack_warnings("dev", ROOT)
    assert len(warnings) == 2
    for warning in warnings:
        assert f"`{warning.split(',')[0].split(' (')[0]} ...`" in setup, warning


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert "python3 scripts/dev.py test" in ci.splitlines()


def test_the_readme_points_at_the_design_pages_and_they_exist() -> None:
    for page in ("docs/architecture.md", "docs/performance.md", "docs/supply-chain.md"):
        assert f"]({page})" in README
        assert (ROOT / page).is_file()


def _replace(text: str, name: str, body: str) -> str:
    start, end = f"<!-- {name}:start -->\n", f"<!-- {name}:end -->"
    head, rest = text.split(start, 1)
    return head + start + body + end + rest.split(end, 1)[1]


def refresh() -> None:
    """Rewrite the generated blocks in place."""
    text = README
    for name, block in generated().items():
        text = _replace(text, name, block)
    README_PATH.write_text(text, encoding="utf-8")
