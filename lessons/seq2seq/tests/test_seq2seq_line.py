"""Train waits in the process's one line for heavy work: the second waits with its place shown, Cancel gives the
place up and keeps the session's previous model, a session that leaves gives up its place, and nothing is lost (the
waiter trains when its turn comes)."""

from __future__ import annotations

import threading
from unittest.mock import MagicMock

import pytest

from attention_core import work_line
from attention_core.seq2seq import Seq2Seq, Seq2SeqConfig
from tests.app.helpers import no_errors
from tests.app.other_job import hold_the_line, release_once_waiting, wait_for
from tests.app.pages import open_page


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
    seen = release_once_waiting(release)
    at.button(key="w.s2s.train").click().run(timeout=60)
    no_errors(at)
    assert seen == [True]  # the page's Train waited in the line while the other job held it
    assert "Trained 50 steps" in at.success[0].value
