"""Run waits in the process's one line for heavy work, then measures; a run on a busy machine says so."""

from __future__ import annotations

from unittest.mock import MagicMock

import pytest

from attention_core import work_line
from tests.app.helpers import no_errors
from tests.app.other_job import hold_the_line, release_once_waiting
from tests.app.pages import open_page

SMALL_RUN = dict(n="256-512", methods="exact,chunked", threads="1")


def test_run_on_the_complexity_page_waits_for_the_other_job_then_measures():
    from lessons.complexity import controls

    at = open_page("lessons/complexity/page.py", **SMALL_RUN)
    release, other = hold_the_line()
    seen = release_once_waiting(release)
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


def test_cancel_in_line_leaves_it_and_the_next_run_of_the_page_says_so(monkeypatch):
    """Run's full run waits with its place and Cancel shown; Cancel's click reruns the page, which interrupts the
    wait (at its next redraw of the place) and gives the place up; the run that follows says so, measures nothing."""
    import streamlit as st

    from lessons.complexity import controls, running

    monkeypatch.setattr(st, "session_state", {})  # a session of its own; the drawing is mocked

    class RerunForCancel(BaseException):  # what Streamlit raises in the waiting script when Cancel's click arrives
        pass

    status = MagicMock()
    box = status.empty.return_value.container.return_value
    box.empty.return_value.info.side_effect = [None, RerunForCancel]  # the place is drawn once, then Cancel
    release, other = hold_the_line()
    controls.ask_for_run()
    with pytest.raises(RerunForCancel):
        running.run_if_asked(status)
    assert "you are number 1 in line" in box.empty.return_value.info.call_args_list[0].args[0]
    assert box.button.call_args.kwargs["key"] == "w.complexity.cancel"
    assert work_line.shared().waiting() == 0 and controls.live_results() is None  # the place given up, nothing measured
    after = MagicMock()
    running.run_if_asked(after)  # Cancel's run
    assert "You left the line" in after.info.call_args.args[0]
    assert controls.run_state() is None
    release.set()
    other.join(5)


def test_the_page_reports_a_run_that_left_the_line_once():
    from lessons.complexity import controls

    at = open_page("lessons/complexity/page.py", **SMALL_RUN)
    at.session_state[controls.SETTINGS.canon(controls.RUN)] = "waiting"  # its last full run was waiting in line
    at.run()
    no_errors(at)
    assert [i.value for i in at.info if "You left the line" in i.value]
    assert controls.RESULTS_KEY not in at.session_state
    at.run()
    assert not [i.value for i in at.info if "You left the line" in i.value]  # said once
