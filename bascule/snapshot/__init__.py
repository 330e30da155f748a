"""Stack snapshots: the in-memory model, loading (exports, checkpoints, preview --json, event
streams) and writing."""

from bascule.snapshot.load import load_snapshot, parse_snapshot, parse_snapshot_text
from bascule.snapshot.model import Resource, SecretValue, Snapshot
from bascule.snapshot.write import dump_snapshot, snapshot_json, write_snapshot

__all__ = [
    "Resource",
    "SecretValue",
    "Snapshot",
    "dump_snapshot",
    "load_snapshot",
    "parse_snapshot",
    "parse_snapshot_text",
    "snapshot_json",
    "write_snapshot",
]
