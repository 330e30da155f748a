"""One estate of a parallel synth (see `bascule.synth.parallel`): `python -m bascule.synth.shard`.

Reads {projectDir, stack, config, secretKeys, progressFd} as JSON on stdin, with
`BASCULE_SYNTH_ESTATE` in the environment; writes the snapshot on stdout and, if given a
progress pipe, its resource count there (`ProgressPipe`: whole lines, never decreasing).
Bad input: its one-line message on stderr and exit 2, as the CLI would; anything else: one
line and exit 3.
"""

from __future__ import annotations

import contextvars
import json
import sys
from pathlib import Path

from bascule.errors import BasculeError
from bascule.process import exit_now
from bascule.sdk.collector import collector_off
from bascule.synth.parallel import ProgressPipe


def main() -> int:
    # This process synthesizes once and exits: no collector passes over the estate's cycles,
    # not even while the synth's modules load (imported here, after the collector is off).
    collector_off()
    from bascule.snapshot.write import snapshot_json
    from bascule.synth.config import read_project
    from bascule.synth.run import run_program

    try:
        request = json.load(sys.stdin)
        project = read_project(Path(request["projectDir"]))
        fd = request.get("progressFd")
        progress = ProgressPipe(fd).report if isinstance(fd, int) else None
        snapshot = contextvars.copy_context().run(
            run_program,
            project,
            request["stack"],
            request["config"],
            request["secretKeys"],
            progress,
        )
        sys.stdout.write(snapshot_json(snapshot, compact=True))
    except BasculeError as exc:
        print(exc.message, file=sys.stderr)
        return exc.exit_code
    except Exception as exc:  # a bug: the parent reports it as exit 3
        print(f"{type(exc).__name__}: {' '.join(str(exc).split())}", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    exit_now(main())
