"""Another session's heavy job holding the process's one line (attention_core/work_line.py), for the tests of a
page's Train or Run that must wait for it (lessons/<lesson>/tests/test_*_line.py)."""

from __future__ import annotations

import threading
import time

from attention_core import work_line


def hold_the_line() -> tuple[threading.Event, threading.Thread]:
    """Another session's heavy job: holds the process's line until the returned event is set."""
    holding, release = threading.Event(), threading.Event()

    def other_student() -> None:
        with work_line.shared().turn():
            holding.set()
            release.wait(30)

    thread = threading.Thread(target=other_student, daemon=True)
    thread.start()
    assert holding.wait(5)
    return release, thread


def wait_for(condition, seconds: float = 10) -> None:
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.01)


def release_once_waiting(release: threading.Event) -> list[bool]:
    """Let the other job go once someone waits in the line (a page's Train or Run): in a thread of its own, as the
    page's click blocks the test.  The list it returns holds True once it saw the wait, before it let go."""
    seen: list[bool] = []

    def watch() -> None:
        wait_for(lambda: work_line.shared().waiting() == 1)
        seen.append(True)
        release.set()

    threading.Thread(target=watch, daemon=True).start()
    return seen
