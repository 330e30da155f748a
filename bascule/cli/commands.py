"""Handlers for `synth` and `inventory`, plus the STACK|SNAPSHOT argument resolution."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bascule.cli.progress import Count, live_line
from bascule.cli.render import render_summary
from bascule.errors import BadInputError
from bascule.files import write_output
from bascule.report.sarif import Artifact
from bascule.report.summary import summarize
from bascule.snapshot.detect import looks_like_snapshot
from bascule.snapshot.load import load_snapshot
from bascule.snapshot.model import Snapshot

# The synth (bascule.synth, bascule.sdk: the Pulumi SDK, cryptography) is imported inside the
# functions that synthesize a STACK, so a command given a snapshot file never loads it.
from bascule.snapshot.write import snapshot_json


def is_snapshot_file(target: str) -> bool:
    """Recognised by content (a missing `.json` path is still meant as a snapshot)."""
    return looks_like_snapshot(target)


def synth_stack(stack: str, project_dir: str | None, *, cache: bool = True) -> Snapshot:
    """Synthesize STACK; an unchanged project reuses the cached result (said on stderr)."""
    from bascule.sdk.collector import garbage_kept
    from bascule.synth.cache import SynthCache, cache_enabled
    from bascule.synth.run import resolve_stack, synthesize

    directory, name, file = resolve_stack(stack, Path(project_dir) if project_dir else None)
    synth_cache = SynthCache(directory, name, file) if cache_enabled(cache) else None
    count = Count()
    with live_line(lambda: f"synth: {count.value:,} resources" if count.value else "") as live:
        on_resource = count.update if live else None
        with garbage_kept():
            snapshot = synthesize(
                directory, name, on_resource=on_resource, cache=synth_cache, stack_file=file
            )
    if synth_cache is not None and synth_cache.hit:
        print(
            f"synth: {name} unchanged, reusing {_shown(synth_cache.path)} (--no-cache to redo)",
            file=sys.stderr,
        )
    return snapshot


def _shown(path: Path | None) -> str:
    if path is None:
        return ""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def obtain_snapshot(target: str, project_dir: str | None, *, cache: bool = True) -> Snapshot:
    """STACK|SNAPSHOT: a snapshot file is loaded, anything else is synthesized."""
    if is_snapshot_file(target):
        return load_snapshot(target)
    return synth_stack(target, project_dir, cache=cache)


def artifact_of(target: str, project_dir: str | None) -> Artifact:
    """The file a report's results point at, relative to its project: a snapshot file
    (its project: the working directory), else the stack's settings file."""
    from bascule.synth.run import resolve_stack

    cwd = Path.cwd().resolve()
    if is_snapshot_file(target):
        return _relative_artifact(Path(target).resolve(), cwd, cwd)
    ref = resolve_stack(target, Path(project_dir) if project_dir else None)
    return _relative_artifact(ref.file, ref.directory, cwd)


def _relative_artifact(file: Path, root: Path, cwd: Path) -> Artifact:
    uri = file.relative_to(root).as_posix() if file.is_relative_to(root) else file.name
    if not root.is_relative_to(cwd):
        return Artifact(uri, None)
    where = root.relative_to(cwd).as_posix()
    return Artifact(uri, "" if where == "." else where)


def writes_file(output: str | None) -> bool:
    return bool(output) and output != "-"


def emit(document: str, output: str | None, done: str) -> None:
    """A document to `-o FILE` (then `<done> FILE` on stderr), or to stdout."""
    if output and writes_file(output):
        write_output(output, document)
        print(f"{done} {output}", file=sys.stderr)
    else:
        sys.stdout.write(document)


def require_resources(snapshot: Snapshot) -> Snapshot:
    """A snapshot with no cloud resource cannot pass a check: say so instead of "0 violations"."""
    if not any(r.custom and not r.is_provider for r in snapshot.resources):
        raise BadInputError(f"{snapshot.source}: no resources to check (empty stack or snapshot)")
    return snapshot


def cmd_synth(args: argparse.Namespace) -> int:
    snapshot = synth_stack(args.stack, args.project_dir, cache=not args.no_cache)
    emit(snapshot_json(snapshot), args.output, f"synth: {len(snapshot)} resources written to")
    return 0


def cmd_inventory(args: argparse.Namespace) -> int:
    snapshot = obtain_snapshot(args.target, args.project_dir, cache=not args.no_cache)
    render_summary(summarize(snapshot), args.format, sys.stdout)
    return 0
