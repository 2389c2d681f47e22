"""The Image page's whole state as one query string, and a first click after a move to another server process.

``url_state.page_state()`` is what the live class sends to students; ``apply_state(query)`` makes a
session show it.  A student's maps must then hold the teacher's numbers.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.app.helpers import figure, no_errors, page_state, trace
from tests.app.leaks import numbers
from tests.app.pages import moved, open_page
from tests.app.test_hostile_urls import assert_falls_back, link_id
from ui import url_state

from .test_image_page import GRID, OWN, click_region, map_of

IMAGE = "lessons/image_attention/page.py"


def clicked() -> AppTest:
    """A session after a teacher's clicks: a sample, the own view, its features, region size, scoring and a region."""
    at = open_page(IMAGE)
    at.selectbox(key="w.image.sample").set_value("crowded").run()
    at.number_input(key="w.image.topk").set_value(5).run()
    at.button_group[0].set_value("own").run()
    at.selectbox(key="w.image.features").set_value("pixels").run()
    at.selectbox(key="w.image.patch").set_value(32).run()
    at.selectbox(key="w.image.method").set_value("dot").run()
    at.select_slider(key="w.image.temperature").set_value(0.3).run()
    click_region(at, GRID, 3, 6)
    no_errors(at)
    return at


def test_a_page_state_applied_to_a_fresh_session_draws_the_same_maps():
    teacher = clicked()
    state = page_state(teacher)
    assert dict(parse_qsl(state)) == {
        "sample": "crowded",
        "view": "own",
        "features": "pixels",
        "patch": "32",
        "method": "dot",
        "temperature": "0.3",
        "row": "3",
        "col": "6",
        "topk": "5",
    }

    student = open_page(IMAGE)  # a fresh session on the defaults
    student.session_state[url_state.PENDING_KEY] = state  # what apply_state(state) does
    student.run()
    no_errors(student)
    assert not student.warning
    np.testing.assert_allclose(map_of(student, OWN), map_of(teacher, OWN))
    np.testing.assert_allclose(trace(student, GRID, 0)["z"], trace(teacher, GRID, 0)["z"])
    assert figure(student, OWN) == figure(teacher, OWN)
    np.testing.assert_allclose(numbers(student), numbers(teacher))
    assert page_state(student) == state


def test_a_moved_scene_travels_in_the_state():
    teacher = open_page(IMAGE, view="move", sample="red-triangle")
    teacher.button(key="w.image.move_button").click().run()
    teacher.button(key="w.image.move_button").click().run()
    state = page_state(teacher)
    assert dict(parse_qsl(state))["move"] == "2"
    student = open_page(IMAGE)
    student.session_state[url_state.PENDING_KEY] = state
    student.run()
    no_errors(student)
    for key in ("chart.image.before", "chart.image.now"):
        assert figure(student, key) == figure(teacher, key)


def test_a_page_state_resets_what_it_does_not_hold():
    """A session that had other settings: those the state leaves at their default go back to it."""
    student = clicked()
    plain = open_page(IMAGE)
    student.session_state[url_state.PENDING_KEY] = page_state(plain)
    student.run()
    no_errors(student)
    assert student.selectbox(key="w.image.sample").value == plain.selectbox(key="w.image.sample").value
    assert student.number_input(key="w.image.topk").value == 3
    for key in ("chart.image.learned", "chart.image.probs"):
        assert figure(student, key) == figure(plain, key)
    # and on the own view, the query starts again where the model looks, with the default features
    student.button_group[0].set_value("own").run()
    plain.button_group[0].set_value("own").run()
    assert figure(student, OWN) == figure(plain, OWN)


def test_the_first_click_after_a_move_keeps_its_value():
    """The link's values were applied over the widget values the browser sent: the click was undone."""
    link = {"view": "own", "features": "descriptor", "patch": "16", "row": "2", "col": "3"}
    at = open_page(IMAGE, **link)
    at.selectbox(key="w.image.features").set_value("pixels")  # clicked, but answered by the other process
    after = moved(at, IMAGE, link)
    no_errors(after)
    assert after.selectbox(key="w.image.features").value == "pixels"
    assert after.query_params["features"] in ("pixels", ["pixels"])
    assert figure(after, OWN)["layout"]["title"]["text"].endswith("pixels")


# link values a parser shared by several pages accepts, but that do not fit this page's view: [(the link, the
# parameters its one warning must name)] (tests/app/test_hostile_urls.py sends every parameter nonsense)
UNFIT = [({"row": "500", "col": "500"}, ("row", "col"))]


@pytest.mark.parametrize(("values", "rejected"), UNFIT, ids=[link_id(values) for values, _ in UNFIT])
def test_values_that_do_not_fit_the_view_fall_back_with_one_warning(values, rejected):
    assert_falls_back(IMAGE, values, rejected)
