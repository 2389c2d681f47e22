"""The page boundary: an internal error shows one friendly message and a reset button, is logged, and
leaves the other pages working; Streamlit's own control flow passes through it untouched.

The page under test is the registry's first lesson, broken in ``url_state.publish`` (every page's last step, so
the page is half drawn when it fails); a lesson's own reset is tested in its folder with ``failing``."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest
import streamlit as st

from ui import layout, url_state
from ui.i18n import catalogs

from .helpers import no_errors
from .pages import HOME, LESSON_SCRIPTS, open_page

EN = catalogs()["en"]
SECRET = "/srv/attention-explorer/secret/path.py"  # a server path the student must never see
LESSON = layout.lessons()[0]  # the page under test
PAGE = LESSON["page"]
REAL_PUBLISH = url_state.publish


def called_from(script: str) -> bool:
    """Whether the caller of the patched function is a module of ``script``'s lesson folder."""
    return str(Path(script).parent) in sys._getframe(2).f_code.co_filename


def failing(real, script: str):
    """``real`` with a bug that only ``script``'s lesson meets (the other pages keep working)."""

    def broken(*args, **kwargs):
        if called_from(script):
            raise RuntimeError(f"internal failure in {SECRET}")
        return real(*args, **kwargs)

    return broken


def visible_text(at) -> str:
    """Everything the page shows as text (markdown, captions, alerts, buttons, metrics)."""
    parts = []
    for kind in ("markdown", "caption", "error", "warning", "info", "success", "title", "header", "subheader", "latex"):
        parts += [str(el.value) for el in at.get(kind)]
    parts += [b.label for b in at.button]
    return "\n".join(parts)


def test_an_internal_error_shows_a_friendly_message_and_is_logged(monkeypatch, caplog):
    at = open_page(PAGE)
    no_errors(at)
    monkeypatch.setattr(url_state, "publish", failing(REAL_PUBLISH, PAGE))
    with caplog.at_level(logging.ERROR, logger="ui.boundary"):
        at.run()

    assert not at.exception, "a traceback reached the page"
    assert [e.value for e in at.error] == [EN["boundary.message"]]
    assert SECRET not in visible_text(at) and "RuntimeError" not in visible_text(at)
    assert not at.get("plotly_chart"), "a half-drawn page stayed on screen"
    assert at.button(key="w.boundary.reset").label == EN["boundary.reset"]

    logged = [r for r in caplog.records if r.name == "ui.boundary"]
    assert len(logged) == 1 and logged[0].exc_info and logged[0].exc_info[0] is RuntimeError
    assert repr(LESSON["url_path"]) in logged[0].getMessage()


def test_the_other_pages_still_work_while_one_is_broken(monkeypatch):
    at = open_page(PAGE)
    monkeypatch.setattr(url_state, "publish", failing(REAL_PUBLISH, PAGE))
    at.run()
    assert at.error and not at.exception
    other = next(script for script in LESSON_SCRIPTS if script != PAGE)  # the next lesson, and the home page
    for page, drawn in ((other, "plotly_chart"), (HOME, "progress")):
        at.switch_page(page).run()
        no_errors(at)
        assert at.get(drawn), f"{page} drew no {drawn}"
    at.switch_page(PAGE).run()
    assert at.error and not at.exception  # still broken, still contained


@pytest.mark.parametrize("control", ["stop", "rerun", "switch_page"])
def test_streamlit_control_flow_passes_through(monkeypatch, control):
    at = open_page(PAGE)
    calls = {"n": 0}

    def interrupt(*args, **kwargs):
        calls["n"] += 1
        if control == "stop":
            st.stop()
        if control == "rerun" and calls["n"] == 1:
            st.rerun()
        if control == "switch_page" and called_from(PAGE):
            st.switch_page(HOME)
        return REAL_PUBLISH(*args, **kwargs)

    monkeypatch.setattr(url_state, "publish", interrupt)
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    if control == "rerun":
        assert calls["n"] == 2 and at.get("plotly_chart")  # the rerun happened and drew the page
    if control == "switch_page":
        assert EN["home.title"] in [m.value for m in at.title]
