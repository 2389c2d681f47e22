"""The Speech page's whole state as one query string, and a refused recording said in the reader's language.

``url_state.page_state()`` is what the live class sends to students; ``apply_state(query)`` makes a session show
it. A recording or upload is never in it: it stays in the session that made it.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from streamlit.testing.v1 import AppTest

from attention_core.errors import InputError
from tests.app.helpers import figure, no_errors, page_state
from tests.app.pages import TIMEOUT, open_page
from ui import url_state
from ui.feedback import say

from .test_speech_page import EN, select, view_picker

PAGE = "lessons/speech/page.py"


def clicked() -> AppTest:
    """A teacher's clicks: another clip, the alignment view, layer 3 head 6, the filter and normalisation changed."""
    at = open_page(PAGE)
    select(at, "speech.clip").set_value("cat").run()
    view_picker(at).set_value("alignment").run()
    select(at, "speech.layer").set_value(3).run()
    select(at, "speech.head").set_value(6).run()
    (heads,) = [r for r in at.radio if r.label == EN["speech.heads"]]
    heads.set_value("picked").run()
    at.select_slider[0].set_value(3).run()
    (toggle,) = [tg for tg in at.toggle if tg.label == EN["speech.normalise"]]
    toggle.set_value(False).run()
    no_errors(at)
    return at


def test_a_page_state_applied_to_a_fresh_session_draws_the_same_alignment():
    teacher = clicked()
    state = page_state(teacher)
    assert dict(parse_qsl(state)) == {
        "clip": "cat",
        "view": "alignment",
        "layer": "3",
        "head": "6",
        "heads": "picked",
        "filter": "3",
        "normalise": "0",
    }
    student = open_page(PAGE)
    student.session_state[url_state.PENDING_KEY] = state  # what apply_state(state) does
    student.run()
    no_errors(student)
    assert not student.warning
    assert figure(student, "chart.speech.alignment") == figure(teacher, "chart.speech.alignment")
    assert page_state(student) == state


def test_a_page_state_resets_what_it_does_not_hold():
    student = clicked()
    student.session_state[url_state.PENDING_KEY] = page_state(open_page(PAGE))
    student.run()
    no_errors(student)
    assert student.session_state["speech.clip"] == "attention"
    assert select(student, "speech.clip").value == "attention"
    assert "chart.speech.mel" in {c.proto.id.rsplit("-", 1)[-1] for c in student.get("plotly_chart")}


def _take(data: bytes, lang: str) -> None:
    """The uploader's callback as the page runs it, in language ``lang``, then the page's error boxes."""
    import streamlit as st

    from lessons.speech import controls
    from ui.feedback import show_errors
    from ui.i18n import LANGUAGE_KEY

    class Upload:
        def getvalue(self) -> bytes:
            return data

    st.session_state[LANGUAGE_KEY] = lang
    controls.SETTINGS.ensure()
    st.session_state[controls.SETTINGS.widget("upload")] = Upload()
    controls.take_audio("upload")
    show_errors()
    st.write(controls.get("clip"), controls.own_clip() is None)


def test_a_refused_upload_is_said_in_chinese_and_the_clip_stays():
    at = AppTest.from_function(_take, args=(b"not audio at all", "zh"), default_timeout=TIMEOUT).run()
    assert not at.exception
    (error,) = at.error
    assert say(InputError("audio.unreadable"), "zh") in error.value
    assert "没有使用这段音频" in error.value and "audio" not in error.value
    assert at.session_state["speech.clip"] == "attention"  # the previous clip stays
    assert "speech.own_clip" not in at.session_state


def test_an_accepted_upload_is_listened_to_and_not_in_the_link():
    from lessons.speech.controls import ASSETS, OWN

    data = (ASSETS / "cat.wav").read_bytes()
    at = AppTest.from_function(_take, args=(data, "en"), default_timeout=TIMEOUT).run()
    assert not at.exception and not at.error
    assert at.session_state["speech.clip"] == OWN
    assert at.session_state["speech.own_clip"].clip.seconds > 0
