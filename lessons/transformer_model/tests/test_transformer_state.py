"""The Transformer page's whole state as one query string, and a first edit after a move to another server process.

``url_state.page_state()`` is what the live class sends to students; ``apply_state(query)`` makes a
session show it.  A student's charts must then hold the teacher's numbers.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from lessons.transformer_model import state, views
from tests.app.helpers import figure, no_errors, page_state, shown
from tests.app.leaks import numbers
from tests.app.pages import HOME, moved, open_page
from tests.app.test_hostile_urls import assert_falls_back, link_id
from ui import url_state

PAGE = "lessons/transformer_model/page.py"
BANK = state.EXAMPLES["bank"][0]


def picker(at: AppTest, key: str):
    """The selectbox whose key is ``key``, or ``key`` plus the fingerprint of its option labels."""
    (found,) = [w for w in at.selectbox if w.key == key or (w.key or "").startswith(key + ".")]
    return found


def clicked() -> AppTest:
    """A session after a teacher's clicks: an example pair, layer 2, head 7, the matrix without [CLS]/[SEP]."""
    at = open_page(PAGE)
    at.selectbox(key="w.tm.example").set_value("bank").run()
    picker(at, "w.tm.layer").set_value(1).run()
    picker(at, "w.tm.head").set_value(6).run()
    at.segmented_control(key="w.tm.view").set_value("matrix").run()
    at.checkbox(key="w.tm.hide").check().run()
    no_errors(at)
    return at


def test_a_page_state_applied_to_a_fresh_session_draws_the_same_charts():
    teacher = clicked()
    sent = page_state(teacher)
    assert dict(parse_qsl(sent)) == {
        "text": BANK,
        "text2": state.EXAMPLES["bank"][1],
        "layer": "2",
        "head": "7",
        "view": "matrix",
        "follow": "bank",
        "hide": "1",
    }

    student = open_page(PAGE)  # a fresh session on the defaults
    assert figure(student, "chart.tm.row") != figure(teacher, "chart.tm.matrix")
    student.session_state[url_state.PENDING_KEY] = sent  # what apply_state(sent) does
    student.run()
    no_errors(student)
    assert not student.warning
    assert figure(student, "chart.tm.matrix") == figure(teacher, "chart.tm.matrix")
    np.testing.assert_allclose(numbers(student), numbers(teacher))
    assert [m.value for m in student.metric] == [m.value for m in teacher.metric]
    assert student.text_area(key="w.tm.text").value == BANK
    assert page_state(student) == sent


def test_a_page_state_resets_what_it_does_not_hold():
    """A session that had other settings: those the state leaves at their default go back to them."""
    student = clicked()
    plain = open_page(PAGE)
    student.session_state[url_state.PENDING_KEY] = page_state(plain)
    student.run()
    no_errors(student)
    assert student.segmented_control(key="w.tm.view").value == "head"
    assert student.text_area(key="w.tm.text").value == state.EXAMPLES["tired_wide"][0]
    for key in ("chart.tm.head", "chart.tm.row"):
        assert figure(student, key) == figure(plain, key)
    assert page_state(student) == page_state(plain)


def test_the_first_sentence_typed_after_a_move_is_the_one_drawn():
    """The link's sentence was written over the one the browser sent: the student's edit was undone."""
    link = {"layer": "1", "head": "1"}
    at = open_page(PAGE, **link)
    at.text_area(key="w.tm.text").set_value(BANK)  # typed, but answered by the other process
    after = moved(at, PAGE, link)
    no_errors(after)
    assert after.text_area(key="w.tm.text").value == BANK
    assert after.query_params["text"] in (BANK, [BANK])
    typed = open_page(PAGE, text=BANK, **link)
    assert figure(after, "chart.tm.row") == figure(typed, "chart.tm.row")  # the typed sentence's bars, in this run


def test_every_view_the_link_names_is_drawn_by_the_table():
    assert tuple(views.VIEWS) == state.VIEWS


def test_a_link_with_another_sentence_and_no_token_shows_every_token():
    """Token numbers belong to their sentence: a link's new sentence does not keep the session's token 3."""
    at = open_page(PAGE, token="3")
    assert at.query_params["token"] in ("3", ["3"])
    at.switch_page(HOME).run()
    at.query_params.clear()
    at.query_params.update({"text": BANK})
    at.switch_page(PAGE).run()
    no_errors(at)
    assert "token" not in at.query_params
    assert figure(at, "chart.tm.row") == figure(open_page(PAGE, text=BANK), "chart.tm.row")


def test_a_link_s_model_that_fails_is_said_once_and_the_bundled_model_shown(monkeypatch):
    import huggingface_hub.constants

    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)  # never touch the network
    monkeypatch.setenv(state.HUB_ENV, "1")
    at = open_page(PAGE, model="no-such-owner/no-such-model-xyz", layer="2")
    assert not at.exception and not at.warning
    assert len(at.error) == 1 and "all-MiniLM-L6-v2" in shown(at.error[0].value)
    assert at.text_input(key="w.tm.model").value == "no-such-owner/no-such-model-xyz"  # in its box, to fix
    assert "model" not in at.query_params and at.query_params["layer"] in ("2", ["2"])


# link values a parser shared by several pages accepts, but that do not fit this page's view: [(the link, the
# parameters its one warning must name)] (tests/app/test_hostile_urls.py sends every parameter nonsense)
UNFIT = [({"layer": "200", "head": "200", "token": "4000"}, ("layer", "head", "token"))]


@pytest.mark.parametrize(("values", "rejected"), UNFIT, ids=[link_id(values) for values, _ in UNFIT])
def test_values_that_do_not_fit_the_view_fall_back_with_one_warning(values, rejected):
    assert_falls_back(PAGE, values, rejected)
