"""Errors raised by the policy runner.

`bascule.errors` (BasculeError/BadInputError) did not exist when this package was written,
so the runner defines its own: each carries a one-line message and a process exit code.
"""

from __future__ import annotations


class PolicyRunError(Exception):
    """The policy run itself failed (analyzer process died, no port, gRPC error): exit 3."""

    exit_code = 3

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code


class PolicyConfigError(PolicyRunError):
    """Bad user input: policy config file, unknown policy name, bad suppression: exit 2."""

    exit_code = 2
