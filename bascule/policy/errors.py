"""Errors raised by the policy runner: one-line messages the CLI prints with an exit code."""

from __future__ import annotations

from bascule.errors import BasculeError


class PolicyRunError(BasculeError):
    """The policy run itself failed (analyzer process died, no port, gRPC error): exit 3."""

    exit_code = 3


class PolicyConfigError(PolicyRunError):
    """Bad user input: policy config file, unknown policy name, bad suppression: exit 2."""

    exit_code = 2
