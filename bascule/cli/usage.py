"""The README's usage block, derived from the argument parsers so it cannot drift from them
(tests/test_readme.py compares; `make readme` rewrites it)."""

from __future__ import annotations

import argparse

WIDTH = 96  # the usage block's lines wrap here, continued under the command's arguments


def _choices(action: argparse.Action) -> str | None:
    if action.choices is None:
        return None
    return "|".join(str(choice) for choice in action.choices)


def _option(action: argparse.Action) -> str:
    """`--format text|json`, `--pack PACK`... as the command line takes it (short form first)."""
    names = sorted(action.option_strings, key=lambda name: (name.startswith("--"), len(name)))
    name = names[0]
    if action.nargs == 0:  # a flag
        return name
    value = _choices(action) or str(action.metavar or action.dest.upper())
    return f"{name} {value}"


def _optional(action: argparse.Action) -> str:
    text = _option(action)
    if action.required:
        return text
    repeated = isinstance(action, argparse._AppendAction)
    return f"[{text}]..." if repeated else f"[{text}]"


def _words(parser: argparse.ArgumentParser) -> list[str]:
    grouped = {
        id(action): group
        for group in parser._mutually_exclusive_groups
        for action in group._group_actions
    }
    words: list[str] = []
    done: set[int] = set()
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction) or action.help == argparse.SUPPRESS:
            continue
        if not action.option_strings:
            name = str(action.metavar or action.dest)
            words.append(f"[{name}]" if action.nargs == "?" else name)
            continue
        group = grouped.get(id(action))
        if group is None:
            words.append(_optional(action))
        elif id(group) not in done:
            done.add(id(group))
            words.append("[" + " | ".join(_option(a) for a in group._group_actions) + "]")
    return words


def _wrapped(head: str, words: list[str]) -> list[str]:
    lines = [head]
    indent = " " * len(head)
    for word in words:
        if len(lines[-1]) + 1 + len(word) > WIDTH and lines[-1] != head:
            lines.append(indent)
        lines[-1] = f"{lines[-1]} {word}" if lines[-1].strip() else f"{lines[-1]}{word}"
    return lines


def usage_block(parser: argparse.ArgumentParser) -> str:
    """One entry per subcommand, in the parser's order: `bascule CMD ARGS [OPTIONS]`."""
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    lines: list[str] = []
    for name, sub in subparsers.choices.items():
        lines += _wrapped(f"{parser.prog} {name}", _words(sub))
    return "\n".join(lines) + "\n"
