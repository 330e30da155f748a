"""The live progress line: one writer, whole lines, a counter that never goes back; tested
on a real pseudo-terminal as a user sees it."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
import threading
from pathlib import Path

from bascule.cli.progress import CLEAR, Count, LiveLine, live_line

ROOT = Path(__file__).resolve().parents[3]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_count_never_goes_back() -> None:
    count = Count()
    for value in (25, 23, 50, 3000, 2975, 3001):
        count.update(value)
    assert count.value == 3001


def test_a_count_updated_from_many_threads_ends_at_the_highest() -> None:
    count = Count()
    backwards: list[tuple[int, int]] = []

    def work(start: int) -> None:
        last = 0
        for value in range(start, 20_000, 8):
            count.update(value)
            if count.value < last:
                backwards.append((last, count.value))
            last = count.value

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert count.value == 19_999
    assert backwards == []


def test_other_writers_get_whole_lines_and_the_live_line_is_redrawn() -> None:
    stream = _Terminal()
    count = Count()
    line = LiveLine(stream, lambda: f"synth: {count.value} resources", interval=3600).start()
    count.update(7)
    line.draw()
    line.message("a warning from ")
    line.message("the program\nand half")
    count.update(9)
    line.draw()
    line.stop()
    assert stream.getvalue() == (
        f"{CLEAR}synth: 7 resources"
        f"{CLEAR}a warning from the program\n"
        f"{CLEAR}synth: 9 resources"
        f"{CLEAR}and half"
    )


def test_no_live_line_off_a_terminal() -> None:
    stream = io.StringIO()
    with live_line(lambda: "never drawn", stream) as live:
        assert live is False
    assert stream.getvalue() == ""


def test_stderr_goes_through_the_writer_while_the_line_is_live() -> None:
    stream = _Terminal()
    previous = sys.stderr
    sys.stderr = stream
    try:
        with live_line(lambda: "", stream) as live:
            assert live is True
            assert sys.stderr is not stream
            print("one whole line", file=sys.stderr)
        assert sys.stderr is stream
    finally:
        sys.stderr = previous
    assert stream.getvalue() == "one whole line\n"


def _on_a_terminal(*args: str, env: dict[str, str]) -> tuple[int, str]:
    """Run `python -m bascule ARGS` with stderr on a pseudo-terminal; what it drew there."""
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "bascule", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=slave,
        cwd=ROOT,
        env={**os.environ, **env},
    )
    os.close(slave)
    chunks: list[bytes] = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the terminal's last writer is gone
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    return process.wait(timeout=300), b"".join(chunks).decode()


def test_synth_on_a_terminal_counts_up_and_never_crashes(tmp_path: Path) -> None:
    out = tmp_path / "dev.json"
    env = {"BASCULE_SYNTH_PARALLEL": "1", "BASCULE_NO_CACHE": "1"}
    code, drawn = _on_a_terminal("synth", "dev", "-o", str(out), env=env)
    assert code == 0, drawn
    assert "Traceback" not in drawn and "Exception" not in drawn
    counts = [int(n.replace(",", "")) for n in re.findall(r"synth: ([\d,]+) resources\b", drawn)]
    assert counts, drawn
    assert counts == sorted(counts)
    # The line is cleared before the last message, which stands alone on its line.
    assert drawn.endswith(f"{CLEAR}synth: 211 resources written to {out}\r\n")


def test_the_grpc_policy_stage_shows_its_elapsed_time_on_a_terminal() -> None:
    snapshot = str(ROOT / "tests" / "data" / "rules" / "SOV-001" / "fail.json")
    code, drawn = _on_a_terminal("policy", snapshot, "--grpc", "--format", "json", env={})
    assert code == 1, drawn  # the fixture's mandatory violations
    assert re.search(r"\x1b\[Kpolicy: 3 packs over gRPC on 11 resources, \d+ s", drawn), drawn
    assert drawn.endswith(CLEAR)  # cleared at the end: the report alone remains


def test_no_live_line_when_stderr_is_not_a_terminal() -> None:
    snapshot = str(ROOT / "tests" / "data" / "rules" / "SOV-001" / "fail.json")
    result = subprocess.run(
        [sys.executable, "-m", "bascule", "policy", snapshot, "--grpc", "--format", "json"],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr == ""
