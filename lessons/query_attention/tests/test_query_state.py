"""The Query page's whole state as one query string, and a first click after a move to another server process.

``url_state.page_state()`` is what the live class sends to students; ``apply_state(query)`` makes a
session show it.  A student's charts must then hold the teacher's numbers.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.app.helpers import bars, figure, no_errors, page_state
from tests.app.leaks import numbers
from tests.app.pages import moved, open_page
from tests.app.test_hostile_urls import assert_falls_back, link_id
from ui import url_state

QUERY = "lessons/query_attention/page.py"


def clicked() -> AppTest:
    """A session after a teacher's clicks: data, scoring, mask, scale, a typed q, the projection zoomed in."""
    at = open_page(QUERY)
    at.number_input(key="w.seq.n").set_value(6).run()
    at.selectbox(key="w.score.method").set_value("cosine").run()
    at.select_slider(key="w.score.temperature").set_value(0.3).run()
    at.text_input(key="w.score.mask").set_value("2").run()
    at.select_slider(key="w.q.scale").set_value(2.0).run()
    at.text_area(key="w.q.text").set_value("0.5, -1, 2, 0.25").run()
    at.toggle(key="w.query.zoom").set_value(True).run()
    at.button_group[0].set_value("projection").run()
    no_errors(at)
    return at


def test_a_page_state_applied_to_a_fresh_session_draws_the_same_charts():
    teacher = clicked()
    state = page_state(teacher)
    assert dict(parse_qsl(state))["method"] == "cosine"

    student = open_page(QUERY)  # a fresh session on the defaults
    assert figure(student, "chart.weights") != figure(teacher, "chart.weights")
    student.session_state[url_state.PENDING_KEY] = state  # what apply_state(state) does
    student.run()
    no_errors(student)
    assert not student.warning
    for key in ("chart.scores", "chart.weights"):
        np.testing.assert_allclose(bars(student, key), bars(teacher, key))
    assert figure(student, "chart.projection") == figure(teacher, "chart.projection")
    np.testing.assert_allclose(numbers(student), numbers(teacher))
    assert page_state(student) == state


def test_a_page_state_resets_what_it_does_not_hold():
    """A session that had other settings: those the state leaves at their default go back to it."""
    student = clicked()
    plain = open_page(QUERY)
    student.session_state[url_state.PENDING_KEY] = page_state(plain)
    student.run()
    no_errors(student)
    assert student.selectbox(key="w.score.method").value == "dot"
    assert student.toggle(key="w.query.zoom").value is False
    for key in ("chart.scores", "chart.weights", "chart.inputs"):
        assert figure(student, key) == figure(plain, key)


def test_the_first_click_after_a_move_keeps_its_value():
    """The link's values were applied over the widget values the browser sent: the click was undone."""
    link = {"n": "7", "seed": "3", "temperature": "2.0"}
    at = open_page(QUERY, **link)
    at.select_slider(key="w.score.temperature").set_value(0.5)  # clicked, but answered by the other process
    after = moved(at, QUERY, link)
    no_errors(after)
    assert after.select_slider(key="w.score.temperature").value == 0.5
    assert after.query_params["temperature"] in ("0.5", ["0.5"])
    assert "T = 0.5" in figure(after, "chart.weights")["layout"]["title"]["text"]


# link values a parser shared by several pages accepts, but that do not fit this page's view: [(the link, the
# parameters its one warning must name)] (tests/app/test_hostile_urls.py sends every parameter nonsense)
UNFIT = [({"mask": "4000", "q": "1,2,3"}, ("mask", "q")), ({"projector": "yes"}, ("projector",))]


@pytest.mark.parametrize(("values", "rejected"), UNFIT, ids=[link_id(values) for values, _ in UNFIT])
def test_values_that_do_not_fit_the_view_fall_back_with_one_warning(values, rejected):
    assert_falls_back(QUERY, values, rejected)
