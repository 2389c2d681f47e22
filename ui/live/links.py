"""A room's links and its QR code, and what a link a session opens does to its place in a class.

    join link        …/?room=K7MWQ3                      a student joins (their seat then joins the link: &seat=…)
    teacher link     …/?room=K7MWQ3&teacher=<key>        the teacher reopens the room on another device
    projector link   …/?room=K7MWQ3&board=1&projector=1  the projector view: follows the teacher, large

Read when a page is entered, like ``?projector=``: a value of the wrong shape
is named in the link's one warning (``url_state.warn_about``); a room that
does not exist (any more), or a key that is not the teacher's, is one sentence.
"""

from __future__ import annotations

import io
from urllib.parse import urlencode, urlsplit

import segno
import streamlit as st
from streamlit import config
from streamlit.runtime.scriptrunner import get_script_run_ctx

from attention_core.errors import InputError
from classroom.errors import NotAllowed, RoomError, RoomGoneError
from classroom.rooms import CODE, SEAT, TEACHER_KEY
from ui import projector, url_state
from ui.feedback import error_text
from ui.i18n import language

from . import follow, place
from .room_store import rooms

PARAMETERS = ("room", "teacher", "seat", "board")  # what a link of the live class may hold
_FITS = {
    "room": CODE.fullmatch,
    "teacher": TEACHER_KEY.fullmatch,
    "seat": SEAT.fullmatch,
    "board": lambda value: value == "1",
}
_ENTERED = "_live.entered"  # the page whose link was last read


def base_url() -> str:
    """The app's address (ending in /): the page's own address without the page, from the browser's request."""
    url = ""
    try:
        url = st.context.url or ""
    except Exception:  # no browser (AppTest, bare mode): a relative link
        pass
    parts = urlsplit(url)
    path = "/" + str(config.get_option("server.baseUrlPath") or "").strip("/")
    root = f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") else ""
    return root + path.rstrip("/") + "/"


def join_link(code: str) -> str:
    return f"{base_url()}?{urlencode({'room': code})}"


def teacher_link(code: str, key: str) -> str:
    return f"{base_url()}?{urlencode({'room': code, 'teacher': key})}"


def board_link(code: str) -> str:
    lang = {"lang": language()} if language() != "en" else {}
    return f"{base_url()}?{urlencode({'room': code, 'board': '1', projector.KEY: '1'} | lang)}"


@st.cache_data(show_spinner=False, max_entries=256)
def qr_png(link: str) -> bytes:
    """The QR code of ``link`` as a PNG (segno: no network, no Pillow)."""
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()


def read() -> None:
    """When a page is entered: take the place a link's room parameters give (or say why not)."""
    ctx = get_script_run_ctx()
    page = ctx.page_script_hash if ctx is not None else ""
    if st.session_state.get(_ENTERED) == page:
        return
    st.session_state[_ENTERED] = page
    given = {name: st.query_params.get(name) for name in PARAMETERS if name in st.query_params}
    fitting = {}
    for name, value in given.items():
        if value is not None and value.isascii() and _FITS[name](value):
            fitting[name] = value
        else:
            url_state.warn_about(name)  # the link's one warning names it
    if "room" not in fitting:
        return
    try:
        _take(fitting)
    except (RoomError, InputError) as exc:  # InputError: the server's store cannot be opened
        place.notify(error_text(exc))


def _take(link: dict) -> None:
    code, here = link["room"], place.get()
    if "teacher" in link:
        if here is not None and here.role == place.TEACHER and here.code == code:
            return
        if not rooms().is_teacher(code, link["teacher"]):
            raise _refusal(code)
        place.enter(place.Place(code=code, role=place.TEACHER, key=link["teacher"]))
        # back to the room's page and settings: the page the link opens (home) would otherwise be written to the
        # room as the teacher's new view, and take the whole class there
        follow.show(place.get(), rooms().view(code), rerun=False)
    elif "board" in link:
        if here is not None and here.role == place.BOARD and here.code == code:
            return
        if rooms().version(code) is None:
            raise _refusal(code)
        place.enter(place.Place(code=code, role=place.BOARD))
    else:
        if here is not None and here.code == code and here.role in (place.TEACHER, place.BOARD):
            return  # the teacher (or the projector) opened the join link: they stay what they are
        if here is not None and here.code == code and here.seat == link.get("seat", here.seat):
            return
        join(code, seat=link.get("seat"))


def _refusal(code: str) -> RoomError:
    """Why a teacher or projector link does not open its room: the room is gone, or the key is not its teacher's."""
    if rooms().version(code) is None:
        return RoomGoneError("room.gone", code=code)
    return NotAllowed("room.not_teacher", code=code)


def join(code: str, nickname: str | None = None, seat: str | None = None) -> place.Place:
    """Join room ``code`` as a student (``seat``: the token of a seat held before); raises ``RoomError``."""
    taken = rooms().join(code, place.browser(), nickname=nickname, seat=seat)
    return place.enter(
        place.Place(code=taken.code, role=place.STUDENT, seat=taken.token, number=taken.number, nickname=taken.nickname)
    )
