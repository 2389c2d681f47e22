"""Run waits in the process's one line for heavy work, then measures; a run on a busy machine says so."""

from __future__ import annotations

import threading

import pytest

from attention_core import work_line
from tests.app.helpers import no_errors
from tests.app.other_job import hold_the_line, wait_for
from tests.app.pages import open_page

SMALL_RUN = dict(n="256-512", methods="exact,chunked", threads="1")


def test_run_on_the_complexity_page_waits_for_the_other_job_then_measures():
    from lessons.complexity import controls

    at = open_page("lessons/complexity/page.py", **SMALL_RUN)
    release, other = hold_the_line()
    seen = []
    watcher = threading.Thread(
        target=lambda: (wait_for(lambda: work_line.shared().waiting() == 1), seen.append(True), release.set()),
        daemon=True,
    )
    watcher.start()
    at.button(key="w.complexity.run").click().run(timeout=120)
    no_errors(at)
    assert seen == [True]  # Run waited while the other job held the line
    results = at.session_state[controls.RESULTS_KEY]
    assert sorted((m.method, m.n) for m in results) == [
        ("chunked", 256),
        ("chunked", 512),
        ("exact", 256),
        ("exact", 512),
    ]


@pytest.mark.parametrize("others", [1.5, 0.2])
def test_a_run_on_a_busy_machine_says_so_from_the_load_it_measured(monkeypatch, others):
    """The page reads the machine's busy cores over the run; beyond the run's own thread, more than half a core
    of other work is named with its number, less is not mentioned."""
    monkeypatch.setattr(work_line, "busy_cores", lambda before, after: 1 + others)  # threads=1: the run's own core
    at = open_page("lessons/complexity/page.py", **SMALL_RUN)
    at.button(key="w.complexity.run").click().run(timeout=120)
    no_errors(at)
    busy = [w.value for w in at.warning if "other work kept about" in w.value]
    if others > 0.5:
        assert len(busy) == 1 and f"about {others:.1f} of this machine's" in busy[0]
    else:
        assert busy == []
