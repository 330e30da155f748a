"""Run one command; print its wall time, the peak RSS of its largest process and the peak
of all its processes together (kB), and its exit code. Used by bench/run.py.

The largest process comes from getrusage; the sum is sampled from /proc every 20 ms (on
systems without /proc it is the largest process again).
"""

from __future__ import annotations

import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

PROC = Path("/proc")


def tree_rss_kb(root: int) -> int:
    """Resident memory of `root` and all its descendants, in kB."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:  # the process ended meanwhile
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        pid = int(entry.name)
        children.setdefault(int(fields.get("PPid", "0").strip()), []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def main() -> int:
    started = time.perf_counter()
    process = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
    tree_peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            tree_peak[0] = max(tree_peak[0], tree_rss_kb(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    if PROC.is_dir():
        sampler.start()
    code = process.wait()
    seconds = time.perf_counter() - started
    done.set()
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(seconds, largest, max(tree_peak[0], largest), code)
    return 0


if __name__ == "__main__":
    sys.exit(main())
