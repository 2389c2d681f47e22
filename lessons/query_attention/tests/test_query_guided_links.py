"""The Query lesson opened from a link (ui/guided.py): guide=1 opens it on the first step, guide=<step> on a named
step, a step it does not have or a hostile value is named in the warning, guide=0 turns it off."""

from __future__ import annotations

from tests.app.helpers import no_errors
from tests.app.pages import open_page
from tests.app.test_guided_mechanism import guide_question
from ui.strings.guided import EN

QUERY = "lessons/query_attention/page.py"
LINK = dict(kind="clusters", n=8, d=4, seed=0, method="dot", temperature=1.0, q="-0.32,-0.49,1.68,1.97")


def test_guide_1_opens_on_the_first_step():
    at = open_page(QUERY, **LINK, guide=1)
    no_errors(at)
    assert guide_question(at) == "Which token gets the most weight?"
    assert any(c.value == EN["guide.step_of"].format(k=1, n=4) for c in at.caption)


def test_guide_names_the_step_a_link_opens_on():
    at = open_page(QUERY, **LINK, guide="temperature")
    no_errors(at)
    assert guide_question(at).startswith("If T halves")
    assert any(c.value == EN["guide.step_of"].format(k=2, n=4) for c in at.caption)
    assert at.query_params["guide"] in ("1", ["1"])  # the link the page publishes: the lesson is on


def test_a_step_name_the_lesson_does_not_have_opens_the_first_step():
    at = open_page(QUERY, **LINK, guide="nosuchstep")
    no_errors(at)
    assert guide_question(at) == "Which token gets the most weight?"
    assert [w.value for w in at.warning if "guide" in w.value]  # named, not dropped silently


def test_a_hostile_guide_value_is_named_in_the_warning_and_the_lesson_starts():
    at = open_page(QUERY, **LINK, guide="<script>")
    no_errors(at)
    assert any("guide" in w.value for w in at.warning)
    assert guide_question(at) == "Which token gets the most weight?"


def test_guide_0_turns_the_lesson_off():
    at = open_page(QUERY, **LINK, guide=0)
    no_errors(at)
    assert guide_question(at) is None
