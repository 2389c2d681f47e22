"""The line for heavy work: at most ``capacity`` heavy jobs (a Seq2seq training, a Complexity run, a speech
transcription) run at once in a process, the rest wait their turn, first come first served.

Forty students may press Train in the same minute; a server process has a core or two. Running all forty at
once would slow every page on the server; in line, each waits a known time and sees its place.
``shared()`` is the one line of the process, shared by every session and every lesson (it holds no one's data,
only a count): one heavy job at a time, each on one torch thread.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HEAVY_JOBS_AT_ONCE = 1  # a process serves a class on one or two cores: one heavy job, the clicks get the rest


class Line:
    """First come, first served; ``place`` 1 is next."""

    def __init__(self, capacity: int = 1):
        self.capacity = capacity
        self._changed = threading.Condition()
        self._running = 0
        self._waiting: list[object] = []

    def running(self) -> int:
        """How many run now."""
        with self._changed:
            return self._running

    def waiting(self) -> int:
        """How many wait now (not counting those running)."""
        with self._changed:
            return len(self._waiting)

    @contextmanager
    def turn(self, on_wait: Callable[[int], None] = lambda place: None) -> Iterator[None]:
        """Wait for a free place, then run the ``with`` body.

        ``on_wait(place)`` is called about every half second while waiting: the page redraws the place there,
        and that call is where Streamlit stops the script of a session that went away, which gives up its place.
        """
        ticket = object()
        with self._changed:
            self._waiting.append(ticket)
        try:
            while True:
                with self._changed:
                    if self._running < self.capacity and self._waiting[0] is ticket:
                        self._waiting.pop(0)
                        self._running += 1
                        break
                    place = self._waiting.index(ticket) + 1
                on_wait(place)  # outside the lock: the callback draws on the page
                with self._changed:
                    self._changed.wait(timeout=0.5)
        except BaseException:  # the session left while waiting: give up the place
            with self._changed:
                if ticket in self._waiting:
                    self._waiting.remove(ticket)
                self._changed.notify_all()
            raise
        try:
            yield
        finally:
            with self._changed:
                self._running -= 1
                self._changed.notify_all()


_SHARED = Line(HEAVY_JOBS_AT_ONCE)


def shared() -> Line:
    """The process's one line for heavy work (every lesson's heavy button waits in it)."""
    return _SHARED


@dataclass(frozen=True)
class CpuTimes:
    """The machine's CPU time so far, in seconds summed over its cores (from /proc/stat), and when it was read."""

    busy: float
    wall: float


def cpu_times() -> CpuTimes | None:
    """Now's busy CPU time of the whole machine; None where /proc/stat is not there (not Linux)."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return None
    ticks = [int(x) for x in fields]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle + iowait
    return CpuTimes((sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK"), time.monotonic())


def busy_cores(before: CpuTimes | None, after: CpuTimes | None) -> float | None:
    """How many cores the whole machine kept busy on average between two readings (None when unknown)."""
    if before is None or after is None or after.wall <= before.wall:
        return None
    return max(0.0, (after.busy - before.busy) / (after.wall - before.wall))


@contextmanager
def lower_priority(by: int = 10) -> Iterator[None]:
    """Run the block ``by`` nice levels lower, in this thread only (on Linux a thread has its own nice value).

    A transcription keeps a core busy for a second or more; at a lower priority the other students' clicks,
    on any page and in any process, get the core first, and the transcription takes what is left.
    Going back up needs a privilege a server seldom has: then the thread stays low until its run ends.
    """
    tid = threading.get_native_id()
    try:
        before = os.getpriority(os.PRIO_PROCESS, tid)
        os.setpriority(os.PRIO_PROCESS, tid, min(19, before + by))
    except (OSError, AttributeError):  # not Linux, or not allowed: run as it is
        before = None
    try:
        yield
    finally:
        if before is not None:
            try:
                os.setpriority(os.PRIO_PROCESS, tid, before)
            except OSError:
                pass
