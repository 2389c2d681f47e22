"""Train (Seq2seq) and Run (Complexity) wait in the process's one line for heavy work: the second waits with its place
shown, Cancel gives the place up and keeps the session's previous model, a session that leaves gives up its place,
and nothing is lost (the waiter trains when its turn comes)."""

from __future__ import annotations

import threading
import time
from unittest.mock import MagicMock

import pytest

from attention_core import work_line
from attention_core.seq2seq import Seq2Seq, Seq2SeqConfig

from .conftest import open_page
from .helpers import no_errors


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


@pytest.fixture
def train_session(monkeypatch):
    """A session's Train, called as the page calls it, with its drawing mocked (the place is read from the mock)."""
    from lessons.seq2seq import training, views

    monkeypatch.setattr(views.st, "session_state", {})
    monkeypatch.setattr(views, "draw_live", lambda *args, **kwargs: None)
    config = Seq2SeqConfig()
    status = MagicMock()
    note = status.container.return_value.empty.return_value

    def press_train(steps: int = 30) -> tuple[training.Run, threading.Thread]:
        run = training.start(config, steps, config.make_task().example(config.max_length))
        thread = threading.Thread(target=views.train_live, args=(run, status, MagicMock(), MagicMock()), daemon=True)
        thread.start()
        return run, thread

    return training, press_train, note


def places_told(note) -> list[str]:
    return [call.args[0] for call in note.info.call_args_list]


def test_a_second_train_waits_with_its_place_shown_then_trains(train_session):
    training, press_train, note = train_session
    release, other = hold_the_line()
    run, thread = press_train()
    wait_for(lambda: places_told(note))
    assert run.status == "waiting" and run.losses == []  # nothing ran beside the other job
    assert work_line.shared().waiting() == 1
    assert "you are number 1 in line" in places_told(note)[0]
    release.set()
    other.join(5)
    thread.join(60)
    assert run.status == "done" and len(run.losses) == 30  # nothing lost: it trained when its turn came
    assert work_line.shared().waiting() == 0 and work_line.shared().running() == 0


def test_cancel_in_line_gives_up_the_place_and_keeps_the_model_before(train_session):
    training, press_train, note = train_session
    before = Seq2Seq(Seq2SeqConfig())
    training.session().run = earlier = training.Run(before, 10, "abc", status="done")
    release, other = hold_the_line()
    run, thread = press_train()
    wait_for(lambda: work_line.shared().waiting() == 1)
    assert training.current_run() is earlier  # Cancel's script run: the run in line leaves, the one before stays
    assert training.session().cancelled
    thread.join(5)
    assert not thread.is_alive() and run.losses == []
    assert work_line.shared().waiting() == 0
    release.set()
    other.join(5)


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")  # the stopped script's thread
def test_a_session_that_leaves_while_waiting_gives_up_its_place(train_session):
    training, press_train, note = train_session

    class ScriptStopped(BaseException):  # what Streamlit raises in a left session's script at its next draw
        pass

    note.info.side_effect = ScriptStopped
    release, other = hold_the_line()
    run, thread = press_train()
    thread.join(5)
    assert not thread.is_alive() and run.ended.is_set() and run.losses == []
    assert work_line.shared().waiting() == 0
    release.set()
    other.join(5)
    with work_line.shared().turn():  # and the next one gets in
        pass


def test_train_on_the_page_waits_for_the_other_job_then_reports_its_run():
    at = open_page("lessons/seq2seq/page.py")
    at.slider(key="w.s2s.steps").set_value(50).run()
    at.segmented_control(key="w.s2s.view").set_value("train").run()
    release, other = hold_the_line()
    seen = []
    watcher = threading.Thread(
        target=lambda: (wait_for(lambda: work_line.shared().waiting() == 1), seen.append(True), release.set()),
        daemon=True,
    )
    watcher.start()
    at.button(key="w.s2s.train").click().run(timeout=60)
    no_errors(at)
    assert seen == [True]  # the page's Train waited in the line while the other job held it
    assert "Trained 50 steps" in at.success[0].value


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
