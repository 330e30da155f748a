"""Human report: violations grouped by rule, then suppressions, then a summary line."""

from __future__ import annotations

import json
import sys
from typing import IO, Any

from bascule.policy.result import PolicyRun, shown
from bascule.report.common import group_by_rule
from bascule.report.offers import offer_lines


def _header(group: Any) -> str:
    info = group.info
    sections = ", ".join(info.secnumcloud)
    return f"{info.rule_id} {info.policy} [{info.level}, {info.severity or 'n/a'}]" + (
        f" SecNumCloud {sections}" if sections else ""
    )


def _value(value: Any) -> str:

    return "(absent)" if value is None else json.dumps(shown(value), ensure_ascii=False)


NOTHING_TO_CHECK = "Nothing to check (not a pass: no resource of the kinds these rules examine)"
NOT_READ = (
    "Kinds no rule reads (not a pass: only the package-wide rules, location and tags, and "
    "the all-kinds ones saw them)"
)


def render_text(run: PolicyRun) -> str:
    """Plain text (no colour), for files, pipes and tests."""
    lines: list[str] = []
    for group in group_by_rule(run):
        if not group.violations:
            continue
        lines.append(_header(group))
        if group.info.description:
            lines.append(f"  {group.info.description}")
        for v in group.violations:
            lines.append(f"  - {v.urn or '(stack)'}")
            lines.append(f"      {v.message}")
        if group.info.remediation:
            lines.append(f"  fix: {group.info.remediation}")
        lines.append("")
    if run.suppressions:
        lines.append("Suppressions:")
        for status in run.suppressions:
            s = status.suppression
            lines.append(
                f"  - [{status.status}] {s.policy} {s.urn} until {s.expires.isoformat()}: "
                f"{s.reason}"
            )
        lines.append("")
    if run.remediations:
        lines.append("Remediations (what the engine would change before analysing):")
        for r in run.remediations:
            lines.append(f"  - [remediate] {r.policy} {r.urn}")
            for key, (before, after) in r.changes().items():
                lines.append(f"      {key}: {_value(before)} -> {_value(after)}")
        lines.append("")
    for title, listed in (
        (NOTHING_TO_CHECK, run.nothing_to_check_lines()),
        (NOT_READ, run.not_read_lines()),
    ):
        if listed:
            lines.extend([f"{title}:", *listed, ""])
    if run.offers is not None:
        lines.extend([*offer_lines(run.offers), ""])
    lines.append(run.summary_line())
    return "\n".join(lines) + "\n"


def print_text(run: PolicyRun, file: IO[str] | None = None) -> None:
    """Print the report: with rich on a terminal, the plain version otherwise."""
    out = file or sys.stdout
    if not out.isatty():
        out.write(render_text(run))
        return
    # Imported on use (start-up time): rich only for a terminal.
    from rich.console import Console
    from rich.markup import escape

    console = Console(file=out, highlight=False)
    colours = {"mandatory": "bold red", "advisory": "yellow"}
    for group in group_by_rule(run):
        if not group.violations:
            continue
        style = colours.get(group.info.level, "white")
        console.print(f"[{style}]{escape(_header(group))}[/]")
        if group.info.description:
            console.print(f"  {escape(group.info.description)}", style="dim")
        for v in group.violations:
            console.print(f"  - [bold]{escape(v.urn or '(stack)')}[/]")
            console.print(f"      {escape(v.message)}")
        if group.info.remediation:
            console.print(f"  [green]fix:[/] {escape(group.info.remediation)}")
        console.print()
    if run.suppressions:
        console.print("[bold]Suppressions:[/]")
        for status in run.suppressions:
            s = status.suppression
            colour = {"active": "cyan", "expired": "red", "unused": "yellow"}[status.status]
            console.print(
                f"  - [{colour}]{status.status}[/] {escape(s.policy)} {escape(s.urn)} until "
                f"{s.expires.isoformat()}: {escape(s.reason)}"
            )
        console.print()
    if run.remediations:
        console.print("[bold]Remediations (what the engine would change before analysing):[/]")
        for r in run.remediations:
            console.print(f"  - [cyan]\\[remediate][/] {escape(r.policy)} {escape(r.urn)}")
            for key, (before, after) in r.changes().items():
                console.print(escape(f"      {key}: {_value(before)} -> {_value(after)}"))
        console.print()
    for title, lines in (
        (NOTHING_TO_CHECK, run.nothing_to_check_lines()),
        (NOT_READ, run.not_read_lines()),
    ):
        if lines:
            console.print(f"[yellow]{escape(title)}:[/]")
            for line in lines:
                console.print(escape(line))
            console.print()
    if run.offers is not None:
        for line in offer_lines(run.offers):
            console.print(escape(line))
        console.print()
    style = "bold red" if run.failed else "bold green"
    console.print(f"[{style}]{escape(run.summary_line())}[/]")
