"""The Complexity page's whole state as one query string: a student handed the teacher's state sees the same view.

``url_state.page_state()`` is what the live class sends; ``apply_state(query)`` makes a session show it.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.app.helpers import figure, no_errors, page_state
from tests.app.leaks import numbers
from tests.app.pages import open_page
from tests.app.test_hostile_urls import assert_falls_back, link_id
from ui import url_state

PAGE = "lessons/complexity/page.py"


def applied(state: str) -> AppTest:
    """A fresh session on the defaults, then handed ``state`` (what ``apply_state(state)`` does)."""
    student = open_page(PAGE)
    student.session_state[url_state.PENDING_KEY] = state
    student.run()
    no_errors(student)
    assert not student.warning
    return student


def on_steps() -> AppTest:
    """A teacher's clicks: fewer methods, a smaller range, then the steps view at block size 4, on block 6."""
    at = open_page(PAGE)
    at.button_group(key="w.complexity.methods").set_value(["exact", "local"]).run()
    at.select_slider(key="w.complexity.n").set_value((256, 1024)).run()
    at.select_slider(key="w.complexity.window").set_value(8).run()
    at.segmented_control(key="w.complexity.view").set_value("steps").run()
    at.segmented_control(key="w.complexity.step_block").set_value(4).run()
    at.slider(key="w.complexity.step").set_value(6).run()
    no_errors(at)
    return at


def test_the_steps_view_and_its_block_travel_in_one_query_string():
    teacher = on_steps()
    state = dict(parse_qsl(page_state(teacher)))
    assert state == {
        "n": "256-1024",
        "methods": "exact,local",
        "window": "8",
        "view": "steps",
        "step_block": "4",
        "step": "6",
    }
    student = applied(page_state(teacher))
    assert student.slider(key="w.complexity.step").value == 6
    for key in ("chart.complexity.steps.scores", "chart.complexity.steps.weights"):
        assert figure(student, key) == figure(teacher, key)
    np.testing.assert_allclose(numbers(student), numbers(teacher))
    assert page_state(student) == page_state(teacher)


def test_the_weights_view_travels_too():
    teacher = open_page(PAGE, view="weights")
    teacher.segmented_control(key="w.complexity.approx").set_value("chunked").run()
    teacher.segmented_control(key="w.complexity.step_block").set_value(16).run()
    no_errors(teacher)
    student = applied(page_state(teacher))
    assert figure(student, "chart.complexity.weights") == figure(teacher, "chart.complexity.weights")
    assert [m.value for m in student.metric] == [m.value for m in teacher.metric]


def test_a_page_state_resets_what_it_does_not_hold():
    student = on_steps()
    plain = open_page(PAGE)
    student.session_state[url_state.PENDING_KEY] = page_state(plain)
    student.run()
    no_errors(student)
    assert student.segmented_control(key="w.complexity.view").value == "time"
    assert student.select_slider(key="w.complexity.n").value == (512, 4096)
    assert figure(student, "chart.complexity.time") == figure(plain, "chart.complexity.time")
    assert page_state(student) == page_state(plain) == ""


def test_a_smaller_block_size_keeps_the_step_inside_its_blocks():
    """Block 6 of 8, then blocks of 16 (two of them): the slider stands on the last block, and so does the link."""
    at = on_steps()
    at.segmented_control(key="w.complexity.step_block").set_value(16).run()
    no_errors(at)
    assert at.slider(key="w.complexity.step").value == 2
    assert dict(parse_qsl(page_state(at)))["step"] == "2"
    reopened = open_page(PAGE, **dict(parse_qsl(page_state(at))))
    no_errors(reopened)
    assert not reopened.warning  # the page's own link is never refused
    assert figure(reopened, "chart.complexity.steps.weights") == figure(at, "chart.complexity.steps.weights")


def test_an_empty_choice_of_methods_keeps_the_last_one():
    """A run of nothing would show nothing: the pills show the methods in force again, and the link keeps them."""
    at = open_page(PAGE, methods="exact,linear")
    at.button_group(key="w.complexity.methods").set_value([]).run()
    no_errors(at)
    assert list(at.button_group(key="w.complexity.methods").value) == ["exact", "linear"]
    assert at.query_params["methods"] in ("exact,linear", ["exact,linear"])
    names = [d["name"] for d in figure(at, "chart.complexity.time")["data"]]
    assert names == ["exact (attend)", "linear (elu+1)"]


# link values a parser shared by several pages accepts, but that do not fit this page's view: [(the link, the
# parameters its one warning must name)] (tests/app/test_hostile_urls.py sends every parameter nonsense)
UNFIT = [({"step_block": "16", "step": "3"}, ("step",))]  # block 16 of 32: two blocks


@pytest.mark.parametrize(("values", "rejected"), UNFIT, ids=[link_id(values) for values, _ in UNFIT])
def test_values_that_do_not_fit_the_view_fall_back_with_one_warning(values, rejected):
    assert_falls_back(PAGE, values, rejected)


def test_the_page_offers_its_data_as_csv():
    """A lesson that draws numbers offers them as a CSV download (the rest of the export: tests/app/test_export.py)."""
    at = open_page(PAGE)
    no_errors(at)
    assert any(b.proto.label == "Download CSV" for b in at.get("download_button"))
