"""Running rclone (Debian's 1.60): copy, listings and streamed hashes, secrets redacted.

Every call is bounded: retries, low-level retries and timeouts from the plan, so a wrong
endpoint fails in seconds rather than retrying for a minute. rclone gets the job's
environment only (see rclone_config.job_environment); whatever it prints is redacted of the
job's secret values and of any SAS signature before bascule shows or stores it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bascule.errors import BadInputError

SIGNATURE = re.compile(r"(sig=)[^&\s\"']+", re.IGNORECASE)
REDACTED = "[redacted]"


@dataclass(frozen=True)
class Redactor:
    secrets: tuple[str, ...]

    def __call__(self, text: str) -> str:
        for secret in sorted(self.secrets, key=len, reverse=True):
            if secret:
                text = text.replace(secret, REDACTED)
        return SIGNATURE.sub(rf"\1{REDACTED}", text)


@dataclass(frozen=True)
class Rclone:
    binary: str
    config: Path
    env: Mapping[str, str]
    settings: Mapping[str, Any]
    redact: Redactor

    def _bounded(self) -> list[str]:
        s = self.settings
        return [
            f"--retries={s.get('retries', 3)}",
            f"--low-level-retries={s.get('lowLevelRetries', 3)}",
            f"--retries-sleep={s.get('retriesSleep', '2s')}",
            f"--timeout={s.get('timeout', '2m')}",
            f"--contimeout={s.get('contimeout', '15s')}",
            f"--checkers={s.get('checkers', 8)}",
            f"--transfers={s.get('transfers', 4)}",
            # A bandwidth cap, to spare a shared interconnect (none unless the plan sets one).
            *([f"--bwlimit={s['bwlimit']}"] if s.get("bwlimit") else []),
            # Objects above it go to Swift in segments (<container>_segments); rclone's
            # default is 5 GiB, Swift's largest single object.
            *([f"--swift-chunk-size={s['swiftChunkSize']}"] if s.get("swiftChunkSize") else []),
        ]

    def command(self, *args: str) -> list[str]:
        return [self.binary, f"--config={self.config}", *self._bounded(), *args]

    def _run(
        self, args: Sequence[str], stdin: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(*args),
            input=stdin,
            capture_output=True,
            text=True,
            env=dict(self.env),
            check=False,
        )

    def error_of(self, result: subprocess.CompletedProcess[str]) -> str:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        return self.redact(lines[-1] if lines else f"rclone exit {result.returncode}")

    def lsjson(self, remote_path: str) -> list[dict[str, Any]]:
        result = self._run(["lsjson", "-R", "--files-only", "--hash", "--no-mimetype", remote_path])
        if result.returncode != 0:
            raise RcloneError(f"list {remote_path}: {self.error_of(result)}")
        entries = json.loads(result.stdout or "[]")
        return [e for e in entries if isinstance(e, dict)]

    def hashsum_md5(self, remote_path: str, names: Iterable[str]) -> dict[str, str]:
        """MD5 of each named object by downloading it: what rclone could not hash is absent."""
        wanted = "\n".join(names) + "\n"
        result = self._run(
            ["hashsum", "md5", "--download", "--files-from-raw=-", remote_path], stdin=wanted
        )
        found: dict[str, str] = {}
        for line in result.stdout.splitlines():
            digest, sep, name = line.partition("  ")
            if sep and re.fullmatch(r"[0-9a-f]{32}", digest):
                found[name] = digest
        return found

    def copy(
        self,
        source: str,
        target: str,
        log_file: Path,
        *,
        progress: bool,
        files_from: Sequence[str] | None = None,
    ) -> tuple[int, str]:
        args = [
            "copy",
            source,
            target,
            "--checksum",
            "--use-json-log",
            "--log-level=INFO",
            f"--log-file={log_file}",
        ]
        if files_from is not None:
            # Objects the last verification found different: copied again whatever rclone's
            # listing comparison says (it reads Swift's stored ETag, not the stored bytes).
            args += ["--files-from-raw=-", "--ignore-times", "--no-traverse"]
        args += ["--progress"] if progress else ["--stats=0"]
        stdin = "\n".join(files_from) + "\n" if files_from is not None else None
        result = subprocess.run(
            self.command(*args),
            input=stdin,
            stdout=None if progress else subprocess.PIPE,
            stderr=None if progress else subprocess.PIPE,
            text=True,
            env=dict(self.env),
            check=False,
        )
        return result.returncode, self.redact(result.stderr or "")


class RcloneError(Exception):
    """An rclone call that failed, message redacted."""


def find_rclone() -> str:
    binary = os.environ.get("BASCULE_RCLONE") or shutil.which("rclone")
    if not binary:
        raise BadInputError("rclone not found on PATH (Debian: apt-get install rclone)")
    return binary


def rclone_version(binary: str) -> str:
    try:
        out = subprocess.run([binary, "version"], capture_output=True, text=True, check=False)
    except OSError as err:
        raise BadInputError(f"{binary}: cannot run rclone: {err.strerror or err}") from None
    first = (out.stdout.splitlines() or [""])[0]
    match = re.match(r"rclone v(\d+)\.(\d+)", first)
    if not match or (int(match[1]), int(match[2])) < (1, 60):
        raise BadInputError(f"{binary}: rclone 1.60 or later is needed, found {first!r}")
    return first.split()[1]
