"""Errors the CLI turns into one `bascule: error: <message>` line and an exit code."""

from __future__ import annotations


class BasculeError(Exception):
    """Base error: a one-line message and the process exit code it maps to."""

    exit_code = 1

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        # Keep the message on one line whatever the caller passed: the CLI prints it as-is.
        message = " ".join(str(message).split())
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code

    def __str__(self) -> str:
        return self.message


class BadInputError(BasculeError):
    """A file, stack or program the user gave is unreadable or invalid: exit 2."""

    exit_code = 2


class UsageError(BasculeError):
    """Bad command-line usage not caught by argparse: exit 2."""

    exit_code = 2


class InternalError(BasculeError):
    """A bug or an unexpected runtime failure of bascule itself: exit 3."""

    exit_code = 3
