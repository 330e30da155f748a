"""Synth results cached by the hash of everything that can change them.

The key covers every file of the project directory (program, components, stack files, data
files), bascule's own sources, the Python version and every installed distribution with its
version. Any change gives a new key, so a stale snapshot is never reused; an unreadable or
damaged entry is ignored and replaced. Entries are the snapshot files `bascule synth -o`
writes: secrets are never in them in plaintext.

Off with `--no-cache` or BASCULE_NO_CACHE=1, and in CI; the directory is
`<project>/.bascule/cache` unless BASCULE_CACHE_DIR says otherwise.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterator
from dataclasses import replace
from importlib import metadata
from pathlib import Path

from bascule.errors import BadInputError
from bascule.snapshot.load import load_snapshot
from bascule.snapshot.model import Snapshot
from bascule.snapshot.write import write_snapshot

CACHE_DIR_ENV = "BASCULE_CACHE_DIR"
NO_CACHE_ENV = "BASCULE_NO_CACHE"
FORMAT = b"bascule-synth-cache-v1"
# Past these, hashing would cost more than it saves: no caching for that project.
MAX_FILES = 20_000
MAX_BYTES = 256 * 2**20
_BASCULE_DIR = Path(__file__).resolve().parents[1]


def cache_enabled(requested: bool = True) -> bool:
    """On unless asked not to, and never in CI (`CI` set, as GitHub Actions and GitLab do):
    a compliance gate must not trust a file an earlier job or a restored CI cache left."""
    if not requested or os.environ.get(NO_CACHE_ENV, "") not in ("", "0"):
        return False
    return os.environ.get("CI", "").lower() in ("", "0", "false")


def cache_dir(project_dir: Path) -> Path:
    return Path(os.environ.get(CACHE_DIR_ENV) or project_dir / ".bascule" / "cache")


def _is_skipped_dir(path: Path) -> bool:
    # VCS and tool caches, bytecode, and virtual environments (a venv's packages are
    # covered by their name and version instead).
    return (
        path.name.startswith(".")
        or path.name in {"__pycache__", "node_modules"}
        or (path / "pyvenv.cfg").exists()
    )


def _files(root: Path, skip: Path) -> Iterator[Path]:
    """Every file under `root`, following symlinks once (a project may link its program)."""
    seen: set[Path] = set()
    stack = [root]
    while stack:
        directory = stack.pop()
        real = directory.resolve()
        if real in seen or real == skip:
            continue
        seen.add(real)
        try:
            entries = sorted(directory.iterdir())
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir():
                if not _is_skipped_dir(entry):
                    stack.append(entry)
            elif entry.is_file() and not entry.name.endswith((".pyc", ".pyo")):
                yield entry


def _hash_tree(digest: hashlib._Hash, root: Path, budget: list[int], skip: Path) -> bool:
    for path in _files(root, skip):
        try:
            data = path.read_bytes()
        except OSError:
            return False
        budget[0] -= 1
        budget[1] -= len(data)
        if budget[0] < 0 or budget[1] < 0:
            return False
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(hashlib.sha256(data).digest())
    return True


def _distributions() -> bytes:

    versions = sorted(
        f"{dist.metadata['Name']}=={dist.version}"
        for dist in metadata.distributions()
        if dist.metadata["Name"]
    )
    return "\n".join(versions).encode()


def synth_key(project_dir: Path, stack: str, stack_file: Path | None = None) -> str | None:
    """The cache key for `stack` of the project, or None when the project is too big to
    fingerprint cheaply. A settings file given from outside the project counts too."""
    digest = hashlib.sha256(FORMAT)
    digest.update(f"{stack}\0{sys.version}\0{sys.platform}\0".encode())
    if stack_file is not None:
        try:
            digest.update(b"\0stack-file\0" + hashlib.sha256(stack_file.read_bytes()).digest())
        except OSError:
            return None
    digest.update(_distributions())
    budget = [MAX_FILES, MAX_BYTES]
    skip = cache_dir(project_dir).resolve()
    for root in (project_dir, _BASCULE_DIR):
        digest.update(b"\0root\0")
        if not _hash_tree(digest, root, budget, skip):
            return None
    return digest.hexdigest()


class SynthCache:
    """One stack's cache entry: `lookup` before the synth, `store` after a miss."""

    def __init__(self, project_dir: Path, stack: str, stack_file: Path | None = None) -> None:
        self.project_dir = project_dir
        self.stack = stack
        self.stack_file = stack_file
        self.path: Path | None = None
        self.hit = False

    def lookup(self, source: str, project: str) -> Snapshot | None:
        key = synth_key(self.project_dir, self.stack, self.stack_file)
        if key is None:
            return None
        self.path = cache_dir(self.project_dir) / f"synth-{self.stack}-{key[:32]}.json"
        cached = _load(self.path)
        if cached is None:
            return None
        self.hit = True
        # Labelled as the synth it replaces (the file's own manifest is the cache's).
        return replace(
            cached, source=source, kind="synth", project=project, stack=self.stack, manifest={}
        )

    def store(self, snapshot: Snapshot) -> None:
        """Write atomically and drop the stack's older entries. A cache that cannot be
        written only makes the next run slower: never an error."""
        if self.path is None:
            return

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_snapshot(snapshot, self.path, compact=True)
            for old in self.path.parent.glob(f"synth-{self.stack}-*.json"):
                if old != self.path and len(old.name) == len(self.path.name):
                    old.unlink(missing_ok=True)
        except OSError:
            return


def _load(path: Path) -> Snapshot | None:

    if not path.is_file():
        return None
    try:
        return load_snapshot(path)
    except BadInputError:  # damaged or truncated: synthesize again and replace it
        return None
