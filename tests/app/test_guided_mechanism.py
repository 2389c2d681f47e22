"""The guided-lesson panel itself (ui/guided.py): NoFit says what to change.  (A link that opens a lesson on a named
step is tested on a lesson, in its folder: lessons/<lesson>/tests.)"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.helpers import no_errors
from tests.app.pages import TIMEOUT
from ui.strings.guided import EN


def guide_question(at) -> str | None:
    for widget in list(at.radio) + list(at.number_input):
        if widget.key and widget.key.startswith("w.guide."):
            return widget.label
    return None


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
