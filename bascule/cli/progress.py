"""Live progress on a terminal: one line, one writer, whole lines, counters that never go back.

Producers on any thread only update a `Count` (or nothing at all, for an elapsed-time line);
one writer thread redraws the line from them at most ten times a second. While the line is
live, `sys.stderr` goes through the same writer: another message (the program's own print, a
warning, the synth child's messages) is written only as whole lines, after the live line is
cleared, and the live line is drawn again below it. Off a terminal nothing of this runs: CI
logs get no carriage returns.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

CLEAR = "\r\033[K"
INTERVAL = 0.1  # seconds between redraws


class Count:
    """A monotonic counter: updates arriving out of order (several threads, several
    processes) never make it go back."""

    def __init__(self) -> None:
        self._value = 0
        self._lock = threading.Lock()

    @property
    def value(self) -> int:
        return self._value

    def update(self, count: int) -> None:
        with self._lock:
            if count > self._value:
                self._value = count


class LiveLine:
    """The terminal line and its only writer: `start`, then `stop` (which clears it)."""

    def __init__(self, stream: TextIO, render: Callable[[], str], interval: float = INTERVAL):
        self._stream = stream
        self._render = render
        self._interval = interval
        self._lock = threading.Lock()
        self._shown = ""
        self._pending = ""  # another writer's text, until its line is complete
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bascule-progress", daemon=True)

    def start(self) -> LiveLine:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.ident is not None:  # started
            self._thread.join()
        with self._lock:
            tail = (CLEAR if self._shown else "") + self._pending
            self._shown, self._pending = "", ""
            self._stream.write(tail)
            self._stream.flush()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self.draw()

    def draw(self) -> None:
        text = self._render()
        with self._lock:
            if text and text != self._shown:
                self._stream.write(CLEAR + text)
                self._stream.flush()
                self._shown = text

    def message(self, text: str) -> None:
        """Text another writer meant for the same stream: written by whole lines, with the
        live line cleared first (it is drawn again on the next tick)."""
        with self._lock:
            self._pending += text
            if "\n" not in self._pending:
                return
            complete, self._pending = self._pending.rsplit("\n", 1)
            self._stream.write((CLEAR if self._shown else "") + complete + "\n")
            self._stream.flush()
            self._shown = ""


class _Through:
    """`sys.stderr` while a line is live: other writers' text goes through its writer."""

    def __init__(self, line: LiveLine, stream: TextIO) -> None:
        self._line = line
        self._stream = stream

    def write(self, text: str) -> int:
        self._line.message(text)
        return len(text)

    def flush(self) -> None:
        return None

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


@contextmanager
def live_line(render: Callable[[], str], stream: TextIO | None = None) -> Iterator[bool]:
    """A live line on `stream` (default stderr) while the block runs, if it is a terminal.
    Yields whether the line is live."""
    stream = stream if stream is not None else sys.stderr
    if not _is_terminal(stream):
        yield False
        return
    line = LiveLine(stream, render).start()
    previous = sys.stderr
    if stream is previous:
        sys.stderr = _Through(line, stream)  # type: ignore[assignment]
    try:
        yield True
    finally:
        sys.stderr = previous
        line.stop()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream: no live line
        return False


def elapsed(label: str, started: float | None = None) -> Callable[[], str]:
    """A renderer for work that reports no count: its label and the seconds so far."""
    start = time.monotonic() if started is None else started
    return lambda: f"{label}, {time.monotonic() - start:.0f} s"
