"""The pairing file (`bascule parity|drift --pairing FILE`): which source object is which
target object when names and tags do not say, and the gaps accepted on purpose.

    pairs:                                  # source pattern: target, first match wins
      vm-sftp-01: sftp-gateway              # a name (any capability)
      server/vm-batch-*: batch-*            # `capability/name`; `*` carries over
      "urn:pulumi:legacy::hdh::azure-native:keyvault:Key::cmk-raw": key/raw-data
    accepted:                               # as the stack config's acceptedGaps
      - {object: server/vm-report, fields: [publicIp], reason: "retired in wave 2 (MIG-31)"}

Every scalar is text (no YAML booleans, numbers or dates: a VM named `no` stays `no`);
anchors, aliases and repeated keys are refused, so what a reviewer reads is what applies.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from bascule.errors import BadInputError
from bascule.files import read_input_bytes
from bascule.parity.accepted import parse_accepted
from bascule.parity.diff import AcceptedGap
from bascule.parity.pairing import PairingRule, duplicate_targets, wildcards

MAX_BYTES = 4 * 1024 * 1024  # a pairing file of 100,000 entries is far below this
KEYS = ("pairs", "accepted")


class _Refused(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


class _TextLoader(yaml.SafeLoader):
    """Plain scalars stay text; no aliases; no repeated keys."""

    yaml_implicit_resolvers: dict[Any, Any] = {}

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise _Refused("YAML aliases are not allowed in a pairing file", mark.line + 1)
        return super().compose_node(parent, index)

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            line = key_node.start_mark.line + 1
            if isinstance(key, str) and key in seen:
                raise _Refused(f"{key!r} is given twice (lines {seen[key]} and {line})", line)
            if isinstance(key, str):
                seen[key] = line
        return super().construct_mapping(node, deep=deep)


def parse_pairing(text: str, label: str) -> tuple[tuple[PairingRule, ...], tuple[AcceptedGap, ...]]:
    """The entries and accepted gaps of a pairing file's text (pure)."""
    try:
        document = yaml.load(text, Loader=_TextLoader)
    except _Refused as exc:
        raise BadInputError(f"{label}: line {exc.line}: {exc}") from None
    except RecursionError:
        raise BadInputError(f"{label}: YAML nested too deeply for a pairing file") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise BadInputError(f"{label}: not YAML{where}: {problem}") from None
    if document is None:
        raise BadInputError(f"{label}: empty pairing file (expected `pairs:` or `accepted:`)")
    if not isinstance(document, Mapping):
        raise BadInputError(f"{label}: expected a mapping with `pairs` and/or `accepted`")
    unknown = sorted(str(k) for k in document if k not in KEYS)
    if unknown:
        raise BadInputError(f"{label}: unknown key {', '.join(unknown)} (known: {', '.join(KEYS)})")
    rules = _rules(document.get("pairs", {}), label)
    accepted = parse_accepted(document.get("accepted", []), f"{label}: accepted")
    return rules, tuple(accepted)


def _rules(pairs: Any, label: str) -> tuple[PairingRule, ...]:
    if not isinstance(pairs, Mapping):
        raise BadInputError(f"{label}: pairs: expected a mapping of source pattern: target")
    rules = []
    for pattern, target in pairs.items():
        where = f"{label}: pairs[{pattern!r}]"
        if not isinstance(pattern, str) or not pattern.strip():
            raise BadInputError(f"{label}: pairs: a source pattern must be non-empty text")
        if not isinstance(target, str) or not target.strip():
            raise BadInputError(f"{where}: expected a target name, capability/name or URN")
        if target.count("*") > wildcards(pattern):
            raise BadInputError(
                f"{where}: the target has {target.count('*')} `*` and the pattern "
                f"{wildcards(pattern)} wildcard(s) to fill them"
            )
        rules.append(PairingRule(pattern.strip(), target.strip(), where))
    twice = duplicate_targets(rules)
    if twice:
        raise BadInputError(f"{label}: pairs: target {twice[0]!r} is given to two sources")
    return tuple(rules)


def load_pairing(path: str) -> tuple[tuple[PairingRule, ...], tuple[AcceptedGap, ...]]:
    """Read and parse a pairing file; every failure is one line naming the file."""
    file = Path(path)
    label = file.name
    too_big = BadInputError(f"{label}: larger than {MAX_BYTES // 2**20} MB: not a pairing file")
    data = read_input_bytes(file, label, "a pairing file", MAX_BYTES, lambda _: too_big)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise BadInputError(f"{label}: not a pairing file (not UTF-8 text)") from None
    return parse_pairing(text, label)
