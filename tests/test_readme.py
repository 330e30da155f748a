"""The README's promises: the generated rules table, the two set-up commands, CI."""

from __future__ import annotations

import re
from pathlib import Path

from bascule.report.referential import coverage_markdown, referential
from bascule.report.rules_table import rules_table_markdown
from bascule.rules.catalog import ALL_RULES

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _between(start: str, end: str) -> str:
    match = re.search(f"{re.escape(start)}\n(.*?){re.escape(end)}", README, re.S)
    assert match, f"README lacks {start} ... {end}"
    return match.group(1)


def test_rules_table_is_in_sync_with_the_rule_metadata() -> None:
    # To refresh: make readme
    assert _between("<!-- rules:start -->", "<!-- rules:end -->") == rules_table_markdown(ALL_RULES)


def test_coverage_table_is_in_sync_with_the_rules_and_the_referential() -> None:
    # To refresh: make readme
    expected = coverage_markdown(referential(), [rule.secnumcloud for rule in ALL_RULES])
    assert _between("<!-- coverage:start -->", "<!-- coverage:end -->") == expected


def test_exactly_two_setup_commands() -> None:
    setup = README.split("## Set-up: two commands", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", setup, re.S)
    assert block
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines()]
    assert commands == ["python3 scripts/dev.py check", "python3 scripts/dev.py test"]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert "python3 scripts/dev.py test" in ci.splitlines()


def test_usage_lists_every_command() -> None:
    usage = _between("<!-- usage:start -->", "<!-- usage:end -->")
    from bascule.cli.main import build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    assert commands is not None
    assert {line.split()[1] for line in usage.splitlines() if line.startswith("bascule ")} == set(
        commands
    )


def _replace(text: str, name: str, body: str) -> str:
    start, end = f"<!-- {name}:start -->\n", f"<!-- {name}:end -->"
    head, rest = text.split(start, 1)
    return head + start + body + end + rest.split(end, 1)[1]


def refresh() -> None:
    """Rewrite the generated rules and coverage tables in place."""
    text = _replace(README, "rules", rules_table_markdown(ALL_RULES))
    sections = [rule.secnumcloud for rule in ALL_RULES]
    text = _replace(text, "coverage", coverage_markdown(referential(), sections))
    (ROOT / "README.md").write_text(text, encoding="utf-8")
