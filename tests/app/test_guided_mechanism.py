"""The guided-lesson panel itself (ui/guided.py): a link opens it on a named step, NoFit says what to change."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.conftest import TIMEOUT, open_page
from tests.app.helpers import no_errors
from ui.strings.guided import EN

QUERY = "lessons/query_attention/page.py"
LINK = dict(kind="clusters", n=8, d=4, seed=0, method="dot", temperature=1.0, q="-0.32,-0.49,1.68,1.97")


def guide_question(at) -> str | None:
    for widget in list(at.radio) + list(at.number_input):
        if widget.key and widget.key.startswith("w.guide."):
            return widget.label
    return None


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


def _no_fit_script():
    import streamlit as st

    from ui import guided
    from ui.guide_steps import NoFit, Step, Word

    st.session_state.setdefault("moved", False)

    def move():
        st.session_state["moved"] = True

    def steps():
        if not st.session_state["moved"]:
            return NoFit(Word("guide.up"), Word("guide.down"), move)
        return [Step("query", "top", options=("a", "b"), answer=0)]

    st.session_state.setdefault("guide.demo.on", True)
    guided.lesson("demo", steps)


def test_no_fit_says_what_to_change_and_its_button_changes_it():
    at = AppTest.from_function(_no_fit_script, default_timeout=TIMEOUT)
    at.session_state["guide.demo.on"] = True
    at.run()
    no_errors(at)
    (info,) = at.info
    assert info.value == EN["guide.no_fit"].format(reason=EN["guide.up"])
    (fix,) = [b for b in at.button if b.key == "w.guide.demo.fix"]
    assert fix.label == EN["guide.down"]
    fix.click().run()
    no_errors(at)
    assert not at.info
    assert guide_question(at) is not None
