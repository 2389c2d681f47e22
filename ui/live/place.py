"""This session's place in a live class: the room, the role in it, and what the session last took in.

One ``Place`` a session, in session state (``get``/``enter``/``leave``); none
for a visitor outside any class, so nothing of the live class runs for them.
The roles:

    teacher   holds the room's key (in this session only, never in a link) and writes the room's view
    student   holds a seat token (in their own link, so a reload or a move to another server process
              keeps their seat), follows the teacher or explores on their own, answers questions
    board     the projector view: follows the teacher like a student, but has no seat and answers nothing
"""

from __future__ import annotations

import contextlib
import functools
import logging
from dataclasses import dataclass, field

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from classroom.questions import Own
from classroom.rooms import RoomView
from ui import url_state
from ui.i18n import t
from ui.text import md_escape

log = logging.getLogger(__name__)

TEACHER, STUDENT, BOARD = "teacher", "student", "board"
_KEY = "_live.place"
_NOTICES = "_live.notices"


@dataclass(frozen=True)
class OwnView:
    """What a student had on screen when they went back to the teacher, so leaving again restores it."""

    page: str
    query: str
    sequence: object  # the session's sequence X (ui.sequence_input), with
    origin: dict  # where it came from


@dataclass
class Place:
    code: str
    role: str
    key: str | None = None  # teacher: the room's key
    seat: str | None = None  # student: their token
    number: int = 0  # student: their number in the room
    nickname: str | None = None
    following: bool = True
    seen: int = -1  # the room's version this session last took in
    view_seen: int = -1  # the teacher's view (RoomView.view_n) this session last applied
    data_seen: str | None = None  # the teacher's data (an uploaded or edited X) this session last applied
    room: RoomView | None = None  # the room as last read
    mine: dict[int, str] = field(default_factory=dict)  # student: {question: their answer as kept}
    results: dict[int, Own] = field(default_factory=dict)  # student: {revealed question: their own result}
    own: OwnView | None = None  # student: their own view, kept while they follow
    written: tuple | None = None  # teacher: the view last written to the room (page, query, data)
    step_written: tuple | None = None  # teacher: the open guided step last written (page, step, fingerprint)


def get() -> Place | None:
    """This session's place, or None outside any class."""
    return st.session_state.get(_KEY)


def enter(place: Place) -> Place:
    """Take ``place`` (leaving any other): its room (and seat) go into every link of the session."""
    st.session_state[_KEY] = place
    links = {"room": place.code}
    if place.role == STUDENT:
        links["seat"] = place.seat
    elif place.role == BOARD:
        links["board"] = "1"
    st.session_state[url_state.SESSION_KEY] = links  # the teacher's link holds nothing: the key stays here
    return place


def leave() -> None:
    st.session_state.pop(_KEY, None)
    st.session_state.pop(url_state.SESSION_KEY, None)


def notify(text: str) -> None:
    """A sentence for the user, shown by the next live element drawn (callbacks run before anything is drawn)."""
    notices = st.session_state.setdefault(_NOTICES, [])
    if text not in notices:
        notices.append(text)


def show_notices() -> None:
    """The sentences waiting to be shown, as plain text (they may quote what the user typed), then forgotten."""
    for text in st.session_state.pop(_NOTICES, []):
        st.warning(md_escape(text), icon=":material/groups:")


def shielded(func):
    """``func`` that, when the store fails (a lost connection) or a bug hits, logs it and says one sentence.

    For every entry point of the live class (the hook, its fragments, its callbacks, what the page calls):
    the page itself goes on.  A room's own refusals (``RoomError``) are handled where they are raised.
    Streamlit's reruns and page switches are ``BaseException``s and pass through.
    """

    @functools.wraps(func)
    def guarded(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except Exception:
            log.exception("live class: %s failed", func.__qualname__)
            notify(t("live.unavailable"))
            return None

    return guarded


def browser() -> str:
    """Who is joining, for the join limit: the browser's XSRF cookie (one per browser), else this session."""
    with contextlib.suppress(Exception):  # no browser context (AppTest, bare mode)
        cookie = st.context.cookies.get("_streamlit_xsrf")
        if isinstance(cookie, str) and cookie:
            return "cookie:" + cookie
    ctx = get_script_run_ctx()
    return "session:" + (ctx.session_id if ctx is not None else "")
