"""The seq2seq page: the pretrained alignment at once, a short live training, a prediction, bad input, the URL.

Expected outputs come from the task's rule (reverse = text[::-1]), and the
charts are checked against the model's own weights recomputed here.
"""

from __future__ import annotations

import numpy as np
import pytest

from attention_core.seq2seq import Seq2Seq
from tests.app.helpers import bars, decode, figure, no_errors, trace
from tests.app.pages import ROOT, open_page

PAGE = "lessons/seq2seq/page.py"
MODELS = ROOT / "models" / "seq2seq"


@pytest.fixture
def seq2seq_page():
    return open_page(PAGE)


def test_opens_on_the_pretrained_alignment(seq2seq_page):
    at = seq2seq_page
    no_errors(at)
    assert at.text_input(key="w.s2s.text").value == "attention"
    assert at.metric[0].value == "noitnetta"  # the shipped model reverses it
    z = trace(at, "chart.s2s.alignment")["z"]
    assert z.shape == (9, 9)
    np.testing.assert_allclose(z.sum(axis=1), 1.0, atol=1e-3)
    assert (z.argmax(axis=1) == np.arange(9)[::-1]).mean() >= 0.9  # the anti-diagonal
    # the same weights as the shipped checkpoint gives
    model = Seq2Seq.load(MODELS / "reverse_additive.safetensors")
    np.testing.assert_allclose(z, model.predict("attention").weights, atol=1e-3)
    # the ticks are the characters: input along x, output down y
    layout = figure(at, "chart.s2s.alignment")["layout"]
    assert layout["xaxis"]["ticktext"] == list("attention") and layout["yaxis"]["ticktext"] == list("noitnetta")


def test_typing_an_input_and_picking_an_output_character(seq2seq_page):
    at = seq2seq_page
    at.text_input(key="w.s2s.text").set_value("abcdefg").run()
    no_errors(at)
    assert at.metric[0].value == "gfedcba"
    z = trace(at, "chart.s2s.alignment")["z"]
    at.segmented_control(key="w.s2s.pick").set_value(2).run()
    np.testing.assert_allclose(bars(at, "chart.s2s.row"), z[2], atol=1e-3)
    assert int(np.argmax(bars(at, "chart.s2s.row"))) == 4  # the 3rd output character "e" looks at input 5, "e"
    assert at.query_params["text"] in ("abcdefg", ["abcdefg"])


@pytest.mark.parametrize(
    "task, text, words",
    [("reverse", "abc1", "a–z"), ("reverse", "", "empty"), ("date", "31 Feb 2026", "does not exist")],
)
def test_bad_input_is_one_sentence_and_the_page_lives(seq2seq_page, task, text, words):
    at = seq2seq_page
    if task != "reverse":
        at.selectbox(key="w.s2s.task").set_value(task).run()
    at.text_input(key="w.s2s.text").set_value(text).run()
    assert not at.exception
    assert len(at.error) == 1 and words in at.error[0].value
    at.text_input(key="w.s2s.text").set_value("2 Mar 2024" if task == "date" else "abc").run()
    no_errors(at)


def test_a_long_input_gets_a_prediction_with_a_note(seq2seq_page):
    at = seq2seq_page
    at.text_input(key="w.s2s.text").set_value("abcdefghijklmnopqrst").run()
    no_errors(at)
    assert any("trained on inputs of 5–12 letters" in c.value for c in at.caption)


def test_date_task_shows_its_own_alignment(seq2seq_page):
    at = seq2seq_page
    at.selectbox(key="w.s2s.task").set_value("date").run()
    no_errors(at)
    assert at.text_input(key="w.s2s.text").value == "23 Nov 2026"
    assert at.metric[0].value == "2026-11-23"
    assert trace(at, "chart.s2s.alignment")["z"].shape == (10, 11)


def test_a_short_training_then_a_prediction_with_it(seq2seq_page):
    at = seq2seq_page
    at.slider(key="w.s2s.steps").set_value(50).run()
    at.select_slider(key="w.s2s.hidden").set_value(32).run()
    at.segmented_control(key="w.s2s.view").set_value("train").run()
    no_errors(at)
    at.button(key="w.s2s.train").click().run()
    no_errors(at)
    assert "Trained 50 steps" in at.success[0].value
    curve = figure(at, "chart.s2s.curve")
    assert len(trace(at, "chart.s2s.curve")["x"]) == 50
    assert curve["layout"]["xaxis"]["range"] == [0, 50]
    live = trace(at, "chart.s2s.live")
    assert live["z"].shape == (10, 10)  # "abcdefghij" at the longest trained length
    np.testing.assert_allclose(live["z"].sum(axis=1), 1.0, atol=1e-3)
    run = at.session_state["s2s.session"].run  # lessons/seq2seq/training.py session()
    assert run.model.config.hidden == 32 and run.status == "done"
    # the Alignment view now offers (and picks) the session's own model
    at.segmented_control(key="w.s2s.view").set_value("try").run()
    no_errors(at)
    assert at.segmented_control(key="w.s2s.model").value == "yours"
    expected = run.model.predict("attention")
    assert at.metric[0].value == (expected.output or "∅")
    # and the Why view adds its curve to the pretrained ones
    at.segmented_control(key="w.s2s.view").set_value("why").run()
    no_errors(at)
    names = [t["name"] for t in figure(at, "chart.s2s.why")["data"]]
    assert len(names) == 3 and names[2].startswith("yours")


def test_why_attention_compares_with_and_without(seq2seq_page):
    at = seq2seq_page
    at.segmented_control(key="w.s2s.view").set_value("why").run()
    no_errors(at)
    data = figure(at, "chart.s2s.why")["data"]
    assert len(data) == 2
    with_attention, without = (decode(d["y"]) for d in data)
    assert with_attention[-1] > without[-1] + 30  # percent, at the longest length
    assert at.query_params["view"] in ("why", ["why"])


def test_settings_come_from_a_link():
    at = open_page(PAGE, task="sort", text="zebra", view="try", scoring="dot")
    no_errors(at)
    assert at.selectbox(key="w.s2s.task").value == "sort"
    assert at.metric[0].value == "aberz"
    assert any("additive" in c.value.lower() for c in at.caption)  # no shipped sort_dot: the additive one, said so


def test_a_new_script_run_stops_the_training_thread_before_reading_its_curve(monkeypatch):
    """fastReruns: Stop starts a new script run in a new thread while the old run still trains.

    The new run must end the old loop before it reports the steps, or the old
    thread appends to the curve after the status was written (seen as
    "Stopped after 153 steps" over a curve of 154).
    """
    import threading
    from unittest.mock import MagicMock

    from attention_core.seq2seq import Seq2SeqConfig
    from lessons.seq2seq import training, views

    state: dict = {}
    monkeypatch.setattr(views.st, "session_state", state)  # the streamlit module: ui.settings reads it there
    config = Seq2SeqConfig()
    run = training.Run(Seq2Seq(config), 2000, config.make_task().example(config.max_length))
    training.session().run = run
    monkeypatch.setattr(views, "draw_live", lambda *args, **kwargs: None)
    trainer = threading.Thread(target=views.train_live, args=(run, MagicMock(), MagicMock(), MagicMock()), daemon=True)
    trainer.start()
    while len(run.losses) < 5:
        trainer.join(0.01)
    assert training.current_run() is run and run.status == "stopped"
    steps = len(run.losses)
    trainer.join(5)
    assert not trainer.is_alive()
    assert len(run.losses) == steps == len(run.accuracies)  # nothing was added after the report
    assert steps < 2000 and run.test_accuracy is not None


def test_a_refused_input_is_quoted_as_plain_text():
    """The refusal names the student's characters; Markdown or LaTeX in them must not render ($…$, **, <b>)."""
    from tests.app.helpers import shown

    at = open_page(PAGE)
    at.text_input(key="w.s2s.text").set_value("$x$**<b>").run()
    assert not at.exception and len(at.error) == 1
    source = at.error[0].value
    assert "\\$" in source and "\\*" in source and "\\<" in source, source  # escaped in the Markdown source
    assert shown(source) == 'This task only knows the letters a–z; remove "$", "*", "<", ">".'


def test_the_page_offers_its_data_as_csv():
    """A lesson that draws numbers offers them as a CSV download (the Query and Self-attention pages in their Data
    view; the rest of the export: tests/app/test_export.py)."""
    at = open_page(PAGE)
    no_errors(at)
    assert [b for b in at.get("download_button") if b.proto.id.endswith("-w.export.alignment.csv")]
