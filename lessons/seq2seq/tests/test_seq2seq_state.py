"""The Seq2seq page's whole state as one query string (what the live class sends to students), and its link.

``url_state.page_state()`` is what a teacher's session last published; ``apply_state(query)``
makes a student's session show it: the same alignment, the same output character's bars, the
same curves, the same sidebar.  The output character picked (``pick``) is part of that state.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.app.helpers import bars, figure, no_errors, page_state, trace
from tests.app.leaks import numbers
from tests.app.pages import open_page
from tests.app.test_hostile_urls import RUN_SECONDS, assert_falls_back, link_id, run_with
from ui import url_state
from ui.i18n import catalogs

PAGE = "lessons/seq2seq/page.py"
EN = catalogs()["en"]


def applied(state: str, at: AppTest | None = None) -> AppTest:
    """A session (fresh unless ``at``) after ``apply_state(state)`` and one run."""
    at = at or open_page(PAGE)
    at.session_state[url_state.PENDING_KEY] = state  # what apply_state(state) does
    at.run()
    no_errors(at)
    return at


def teacher() -> AppTest:
    """A session after a teacher's clicks: copy task, a typed input, the 4th output character, other training sizes."""
    at = open_page(PAGE)
    at.selectbox(key="w.s2s.task").set_value("copy").run()
    at.slider(key="w.s2s.lengths").set_value((3, 8)).run()
    at.select_slider(key="w.s2s.hidden").set_value(32).run()
    at.slider(key="w.s2s.steps").set_value(300).run()
    at.number_input(key="w.s2s.seed").set_value(7).run()
    at.text_input(key="w.s2s.text").set_value("hello").run()
    at.segmented_control(key="w.s2s.pick").set_value(3).run()
    no_errors(at)
    return at


def test_a_page_state_applied_to_a_fresh_session_draws_the_same_charts_and_sidebar():
    before = teacher()
    state = page_state(before)
    assert dict(parse_qsl(state)) == {
        "task": "copy",
        "lo": "3",
        "hi": "8",
        "hidden": "32",
        "steps": "300",
        "seed": "7",
        "text": "hello",
        "pick": "3",
    }
    student = applied(state)
    assert not student.warning
    np.testing.assert_allclose(trace(student, "chart.s2s.alignment")["z"], trace(before, "chart.s2s.alignment")["z"])
    np.testing.assert_allclose(bars(student, "chart.s2s.row"), bars(before, "chart.s2s.row"))
    assert figure(student, "chart.s2s.row")["layout"]["title"] == figure(before, "chart.s2s.row")["layout"]["title"]
    np.testing.assert_allclose(numbers(student), numbers(before))
    assert student.slider(key="w.s2s.lengths").value == (3, 8)
    assert student.select_slider(key="w.s2s.hidden").value == 32
    assert student.number_input(key="w.s2s.seed").value == 7
    assert page_state(student) == state


def test_the_why_view_state_gives_the_same_curves():
    before = open_page(PAGE, task="sort")
    before.segmented_control(key="w.s2s.view").set_value("why").run()
    student = applied(page_state(before))
    assert figure(student, "chart.s2s.why") == figure(before, "chart.s2s.why")


def test_a_page_state_resets_what_it_does_not_hold_and_the_sliders_follow():
    """A session that had other settings (its widgets drawn): those the state leaves at their default go back to it."""
    student = applied(page_state(open_page(PAGE)), teacher())
    plain = open_page(PAGE)
    assert student.selectbox(key="w.s2s.task").value == "reverse"
    assert student.text_input(key="w.s2s.text").value == "attention"
    assert student.slider(key="w.s2s.lengths").value == (5, 10)
    assert student.segmented_control(key="w.s2s.pick").value == 0
    for key in ("chart.s2s.alignment", "chart.s2s.row"):
        assert figure(student, key) == figure(plain, key)


def test_a_link_picks_the_output_character():
    at = open_page(PAGE, text="abcdefg", pick="2")
    no_errors(at)
    assert not at.warning
    z = trace(at, "chart.s2s.alignment")["z"]
    np.testing.assert_allclose(bars(at, "chart.s2s.row"), z[2], atol=1e-3)
    assert at.segmented_control(key="w.s2s.pick").value == 2


def test_a_pick_past_the_output_is_named_in_the_one_warning():
    """The model writes at most OVERRUN (5) characters past the right answer: "abc" has no character 8 (0-based)."""
    at = open_page(PAGE, text="abc", pick="8", hidden="7")
    no_errors(at)
    (warning,) = at.warning
    assert warning.value.endswith(" hidden, pick."), warning.value
    assert at.segmented_control(key="w.s2s.pick").value == 0
    assert "pick" not in at.query_params


def test_a_long_output_is_picked_on_a_slider_and_its_state_reads_back():
    """The model may write past the right answer's length (30 a's give 35): every character it wrote can be linked."""
    teacher = open_page(PAGE, task="copy", text="a" * 30)
    output = teacher.metric[0].value if teacher.metric else teacher.code[0].value
    last = len(output) - 1
    assert last >= 24  # buttons stop at 24 characters: this one is a slider
    teacher.select_slider(key="w.s2s.pick").set_value(last).run()
    no_errors(teacher)
    z = trace(teacher, "chart.s2s.alignment")["z"]
    np.testing.assert_allclose(bars(teacher, "chart.s2s.row"), z[last], atol=1e-3)
    student = applied(page_state(teacher))
    assert not [w for w in student.warning if w.value.startswith(EN["url.bad_params"].split("{")[0])]
    np.testing.assert_allclose(bars(student, "chart.s2s.row"), z[last], atol=1e-3)


def test_a_shorter_input_takes_the_pick_out_of_the_link_in_the_same_run():
    """The pick is fitted to the new output before the link is written: the link never names a character not shown."""
    at = open_page(PAGE, text="abcdefg", pick="6")
    assert at.query_params["pick"] in ("6", ["6"])
    at.text_input(key="w.s2s.text").set_value("abc").run()
    no_errors(at)
    assert at.segmented_control(key="w.s2s.pick").value == 0
    assert "pick" not in at.query_params
    assert "pick" not in dict(parse_qsl(page_state(at)))


@pytest.mark.parametrize("value", ["banana", "-1", "35", "9" * 5000, "nan", "٣", "1.5", ""])
def test_a_hostile_pick_is_named_in_the_one_warning(value):
    at = open_page(PAGE, pick=value)
    no_errors(at)
    (warning,) = at.warning
    assert warning.value.endswith(" pick."), warning.value
    assert at.segmented_control(key="w.s2s.pick").value == 0


# link values a parser shared by several pages accepts, but that do not fit this page's view: [(the link, the
# parameters its one warning must name)] (tests/app/test_hostile_urls.py sends every parameter nonsense)
UNFIT = [({"text": "abc", "task": "date"}, ("text",))]


@pytest.mark.parametrize(("values", "rejected"), UNFIT, ids=[link_id(values) for values, _ in UNFIT])
def test_values_that_do_not_fit_the_view_fall_back_with_one_warning(values, rejected):
    assert_falls_back(PAGE, values, rejected)


# the lengths in a link: its lo and hi are used, the other end moves to fit; never an error box instead of the lesson
# [(the link, the lengths the page then trains on)]
LENGTH_LINKS = [
    ({"lo": "15"}, (15, 15)),  # above the default longest (10): the longest rises with it
    ({"hi": "3"}, (3, 3)),  # below the default shortest (5): the shortest comes down with it
    ({"lo": "15", "hi": "3"}, (3, 15)),  # both, the wrong way round: swapped
    ({"lo": "7"}, (7, 10)),  # fits the default longest: nothing else moves
    ({"hi": "20", "lo": "20"}, (20, 20)),
]


@pytest.mark.parametrize(("values", "lengths"), LENGTH_LINKS, ids=[link_id(values) for values, _ in LENGTH_LINKS])
def test_lengths_from_a_link_are_used_never_an_error_box(values, lengths):
    no_errors(run_with(PAGE, {})[0])  # the first visit loads the models: not what is timed
    at, elapsed = run_with(PAGE, values)
    no_errors(at)
    assert elapsed < RUN_SECONDS
    assert not at.warning, [w.value for w in at.warning]  # every value given was used
    assert at.sidebar.slider[0].value == lengths  # the lengths slider
    published = {name: str(v) for name, v in dict(at.query_params).items() if name in ("lo", "hi")}
    defaults = {"lo": 5, "hi": 10}
    assert published == {name: str(n) for name, n in zip(("lo", "hi"), lengths) if n != defaults[name]}
    assert at.get("button_group"), "the lesson's view picker is drawn"
