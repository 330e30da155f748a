"""Errors raised by the policy runner: one-line messages the CLI prints with an exit code."""

from __future__ import annotations

from collections.abc import Sequence

from bascule.errors import BasculeError


class PolicyRunError(BasculeError):
    """The policy run itself failed (analyzer process died, no port, gRPC error): exit 3."""

    exit_code = 3


class PolicyConfigError(PolicyRunError):
    """Bad user input: policy config file, unknown policy name, bad suppression: exit 2.

    `lines`, when set, are several one-line errors printed each on its own line, verbatim
    (the engine's `validating policy config: <pack> <version>  <policy>: ...`, which has a
    double space that the one-line message would squash)."""

    exit_code = 2

    def __init__(self, message: str, lines: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.lines = tuple(" ".join(line.split("\n")) for line in lines)

    @classmethod
    def from_lines(cls, lines: Sequence[str]) -> PolicyConfigError:
        return cls("; ".join(lines), lines)
