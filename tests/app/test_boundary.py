"""The page boundary: an internal error shows one friendly message and a reset button, is logged, and
leaves the other pages working; Streamlit's own control flow passes through it untouched."""

from __future__ import annotations

import logging
import sys

import numpy as np
import pytest
import streamlit as st

import attention_core.attend as attend_module
from ui.i18n import catalogs

from .conftest import open_page
from .helpers import bars, no_errors

QUERY = "lessons/query_attention/page.py"
EN = catalogs()["en"]
SECRET = "/srv/attention-explorer/secret/path.py"  # a server path the student must never see


REAL_ATTEND = attend_module.attend


def _boom(*args, **kwargs):
    """attend() with a bug that only the query page meets."""
    if "query" in sys._getframe(1).f_code.co_filename:
        raise RuntimeError(f"internal failure in {SECRET}")
    return REAL_ATTEND(*args, **kwargs)


def visible_text(at) -> str:
    """Everything the page shows as text (markdown, captions, alerts, buttons, metrics)."""
    parts = []
    for kind in ("markdown", "caption", "error", "warning", "info", "success", "title", "header", "subheader", "latex"):
        parts += [str(el.value) for el in at.get(kind)]
    parts += [b.label for b in at.button]
    return "\n".join(parts)


def test_an_internal_error_shows_a_friendly_message_and_is_logged(monkeypatch, caplog):
    at = open_page(QUERY)
    no_errors(at)
    monkeypatch.setattr(attend_module, "attend", _boom)  # the page imports it on every run
    with caplog.at_level(logging.ERROR, logger="ui.boundary"):
        at.run()

    assert not at.exception, "a traceback reached the page"
    assert [e.value for e in at.error] == [EN["boundary.message"]]
    assert SECRET not in visible_text(at) and "RuntimeError" not in visible_text(at)
    assert not at.get("plotly_chart"), "a half-drawn page stayed on screen"
    assert at.button(key="w.boundary.reset").label == EN["boundary.reset"]

    logged = [r for r in caplog.records if r.name == "ui.boundary"]
    assert len(logged) == 1 and logged[0].exc_info and logged[0].exc_info[0] is RuntimeError
    assert "query" in logged[0].getMessage()


def test_reset_restores_the_page_defaults_and_keeps_the_data(monkeypatch):
    at = open_page(QUERY)
    at.text_area(key="w.q.text").set_value("1, 0, 0, 0").run()
    at.selectbox(key="w.score.method").set_value("cosine").run()
    no_errors(at)
    sequence = at.session_state["seq"]

    monkeypatch.setattr(attend_module, "attend", _boom)
    at.run()
    assert at.error and not at.exception
    monkeypatch.undo()  # the bug is "fixed"; the reset must bring the page back
    at.button(key="w.boundary.reset").click().run()

    no_errors(at)
    assert at.session_state["score.method"] == "dot", "the page's settings were not reset"
    assert at.session_state["seq"] is sequence, "the reset threw away the user's sequence"
    assert not np.array_equal(at.session_state["q.values"], [[1.0, 0.0, 0.0, 0.0]]), "the typed query survived"
    assert len(bars(at, "chart.weights")) == sequence.n


def test_a_second_failure_after_a_reset_offers_to_reset_the_data_too(monkeypatch):
    at = open_page(QUERY, kind="gaussian", n=5, d=3, seed=7)
    linked = at.session_state["seq"]
    monkeypatch.setattr(attend_module, "attend", _boom)
    at.run()
    at.button(key="w.boundary.reset").click().run()  # the page alone: still broken
    assert at.session_state["seq"] is linked and at.error and not at.exception
    button = at.button(key="w.boundary.reset")
    assert "sequence X" in button.label

    monkeypatch.undo()
    button.click().run()
    no_errors(at)
    seq = at.session_state["seq"]
    assert (seq.n, seq.d) == (8, 4) and at.session_state["seq.kind"] == "clusters"  # the default sequence
    assert len(bars(at, "chart.weights")) == 8


def test_the_other_pages_still_work_while_one_is_broken(monkeypatch):
    at = open_page(QUERY)
    monkeypatch.setattr(attend_module, "attend", _boom)
    at.run()
    assert at.error and not at.exception
    for page, drawn in (("lessons/self_attention/page.py", "plotly_chart"), ("lessons/home/page.py", "progress")):
        at.switch_page(page).run()
        no_errors(at)
        assert at.get(drawn), f"{page} drew no {drawn}"
    at.switch_page(QUERY).run()
    assert at.error and not at.exception  # still broken, still contained


@pytest.mark.parametrize("control", ["stop", "rerun", "switch_page"])
def test_streamlit_control_flow_passes_through(monkeypatch, control):
    at = open_page(QUERY)
    calls = {"n": 0}

    def interrupt(*args, **kwargs):
        calls["n"] += 1
        if control == "stop":
            st.stop()
        if control == "rerun" and calls["n"] == 1:
            st.rerun()
        if control == "switch_page" and "query" in sys._getframe(1).f_code.co_filename:
            st.switch_page("lessons/home/page.py")
        return REAL_ATTEND(*args, **kwargs)

    monkeypatch.setattr(attend_module, "attend", interrupt)
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    if control == "rerun":
        assert calls["n"] == 2 and at.get("plotly_chart")  # the rerun happened and drew the page
    if control == "switch_page":
        assert EN["home.title"] in [m.value for m in at.title]


def test_an_error_inside_a_lesson_fragment_meets_the_boundary_too(monkeypatch):
    """The views of Self-attention live in an st.fragment; an error there must not show Streamlit's error box."""
    import lessons.self_attention.views as saviews

    at = open_page("lessons/self_attention/page.py")
    no_errors(at)

    def broken(*args, **kwargs):
        raise RuntimeError(f"internal failure in {SECRET}")

    monkeypatch.setattr(saviews, "_matrix_figure", broken)  # what the head view draws its matrices with
    at.run()
    assert not at.exception, "a traceback reached the page"
    assert [e.value for e in at.error] == [EN["boundary.message"]]
    assert SECRET not in visible_text(at)
