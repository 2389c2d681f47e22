"""The Self-attention page's whole state as one query string, a link made with an upload, a cross-attention link.

``url_state.page_state()`` is what the live class sends to students; ``apply_state(query)`` makes a
session show it.  A student's charts must then hold the teacher's numbers.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

import numpy as np
import pytest

from tests.app.helpers import figure, no_errors, page_state, trace
from tests.app.leaks import numbers
from tests.app.pages import moved, open_page
from tests.app.test_hostile_urls import assert_falls_back, link_id
from ui import url_state
from ui.strings.common import EN

from .test_self_attention_page import PAGE, WEIGHTS, click_cell, latex_text, picker, show


def clicked():
    """A session after a teacher's clicks: data, 4 heads, head 3, a custom mask clicked, T, zoom, a cell, Compare B."""
    at = open_page(PAGE)
    at.number_input(key="w.seq.n").set_value(6).run()
    at.number_input(key="w.sa.heads").set_value(4).run()
    picker(at, "radio", "w.sa.head").set_value(2).run()
    at.number_input(key="w.sa.wseed").set_value(5).run()
    at.selectbox(key="w.sa.mask").set_value("custom").run()
    click_cell(at, WEIGHTS, 1, 3)  # hides cell (2, 4) and picks it
    at.select_slider(key="w.sa.temperature").set_value(0.5).run()
    at.toggle(key="w.sa.zoom").set_value(True).run()
    picker(at, "selectbox", "w.sa.i").set_value(4).run()
    show(at, "compare")
    at.select_slider(key="w.sa.cmp.temperature").set_value(2.0).run()
    no_errors(at)
    return at


def test_a_page_state_applied_to_a_fresh_session_draws_the_same_charts():
    teacher = clicked()
    state = page_state(teacher)
    link = dict(parse_qsl(state))
    assert (link["heads"], link["head"], link["hide"], link["i"], link["view"]) == ("4", "3", "2:4", "5", "compare")
    assert link["b_temperature"] == "2.0"

    student = open_page(PAGE)  # a fresh session on the defaults
    student.session_state[url_state.PENDING_KEY] = state  # what apply_state(state) does
    student.run()
    no_errors(student)
    assert not student.warning
    for key in ("chart.sa.compare.a", "chart.sa.compare.b", "chart.sa.compare.delta"):
        assert figure(student, key) == figure(teacher, key)
    np.testing.assert_allclose(numbers(student), numbers(teacher))
    assert [m.value for m in student.metric] == [m.value for m in teacher.metric]
    assert page_state(student) == state
    for at in (teacher, student):  # the head view too: the clicked cell, its masked score, the picked row
        show(at, "head")
    assert figure(student, WEIGHTS) == figure(teacher, WEIGHTS)
    assert trace(student, WEIGHTS, 0)["z"][1, 3] == 0.0
    assert latex_text(student) == latex_text(teacher) and "s_{5,4}" in latex_text(student)


def test_a_page_state_resets_what_it_does_not_hold():
    """A session that had other settings: those the state leaves at their default go back to it."""
    student = clicked()
    plain = open_page(PAGE)
    student.session_state[url_state.PENDING_KEY] = page_state(plain)
    student.run()
    no_errors(student)
    assert student.selectbox(key="w.sa.mask").value == "none"
    assert student.toggle(key="w.sa.zoom").value is False
    for key in (WEIGHTS, "chart.sa.scores", "chart.sa.row"):
        assert figure(student, key) == figure(plain, key)
    assert page_state(student) == page_state(plain)


def test_a_link_made_with_an_upload_asks_for_the_file_again():
    """The page kept only the generator's settings of a link: a lost upload fell back to other data silently."""
    at = open_page(PAGE)
    at.radio(key="w.seq.source").set_value("upload").run()
    at.file_uploader[0].set_value(("five.csv", b"1,2,3,4,5\n5,4,3,2,1\n0,1,0,1,0\n", "text/csv")).run()
    link = {name: at.query_params[name] for name in at.query_params}
    assert link.get("source") in ("upload", ["upload"]), link

    moved = open_page(PAGE, source="upload", i="3", j="2", heads="4")  # another process: no file there
    assert not moved.exception and not moved.error
    lost = EN["seq.upload_lost"]
    assert [w.value for w in moved.sidebar.warning] == [lost]  # one sentence, no warning about i and j
    assert [w.value for w in moved.warning] == [lost]
    assert moved.radio(key="w.seq.source").value == "upload"
    assert moved.query_params.get("source") in ("upload", ["upload"])  # a reload still asks for the file
    assert len(picker(moved, "radio", "w.sa.head").options) == 4  # the settings that are not about X stay


def test_a_cross_attention_link_fits_the_cell_to_x_and_y():
    """Query i is one of X's n tokens, key j one of Y's m: the link checked i against m and j against n."""
    at = open_page(PAGE, attn="cross", m="3", i="6", j="2")  # X has 8 tokens, Y 3
    no_errors(at)
    assert not at.warning
    assert picker(at, "selectbox", "w.sa.i").value == 5 and picker(at, "selectbox", "w.sa.j").value == 1
    assert "s_{6,2}" in latex_text(at)

    at = open_page(PAGE, attn="cross", m="3", j="5")  # Y has no 5th token
    assert not at.exception and not at.error
    assert [w.value for w in at.warning] == [EN["url.bad_params"].format(names="j")]
    assert picker(at, "selectbox", "w.sa.j").value == 0


def test_the_first_click_after_a_move_keeps_its_value():
    """The link's values were applied over the widget values the browser sent: the click was undone."""
    link = {"mask": "causal", "temperature": "2.0"}
    at = open_page(PAGE, **link)
    at.select_slider(key="w.sa.temperature").set_value(0.5)  # clicked, but answered by the other process
    at.selectbox(key="w.sa.mask").set_value("none")
    after = moved(at, PAGE, link)
    no_errors(after)
    assert after.select_slider(key="w.sa.temperature").value == 0.5
    assert after.query_params["temperature"] in ("0.5", ["0.5"]) and after.query_params["mask"] in ("none", ["none"])
    assert "T = 0.5" in figure(after, WEIGHTS)["layout"]["title"]["text"]
    assert np.triu(trace(after, WEIGHTS, 0)["z"], 1).max() > 0  # no causal mask


# link values a parser shared by several pages accepts, but that do not fit this page's view: [(the link, the
# parameters its one warning must name)] (tests/app/test_hostile_urls.py sends every parameter nonsense)
UNFIT = [
    ({"i": "4000", "j": "4000", "head": "16", "pad": "4000", "hide": "4000:4000"}, ("i", "j", "head", "pad", "hide")),
    ({"n": "4096"}, ("n",)),  # the Query page's cap; this page draws n × n
    ({"n": "4096", "i": "3000"}, ("n", "i")),  # i is checked against the n kept
]


@pytest.mark.parametrize(("values", "rejected"), UNFIT, ids=[link_id(values) for values, _ in UNFIT])
def test_values_that_do_not_fit_the_view_fall_back_with_one_warning(values, rejected):
    assert_falls_back(PAGE, values, rejected)


def test_a_link_with_n_within_its_cap_is_used():
    at = open_page(PAGE, n="64")
    no_errors(at)
    assert not at.warning, [w.value for w in at.warning]
    assert dict(at.query_params)["n"] == "64"
