"""Settings in the URL: restore them when a page opens, publish them on every rerun.

A teacher's link (``?kind=gaussian&n=512&d=64&seed=0``) must reproduce the
view, and changing a widget must update the address bar.  The URL is read
only when a page is entered (first run of a session, or after switching
pages), so it never fights the widgets during ordinary reruns.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Callable
from urllib.parse import parse_qsl, urlencode

import streamlit as st

from attention_core.errors import InputError

from . import export, projector
from .i18n import t
from .settings import forget_linked, reset_linked_settings

_ENTERED_KEY = "_url.page"  # which page last read the URL
_WARNINGS_KEY = "_url.warnings"
STATE_KEY = "_url.state"  # the page's settings last published (without language and projector)
_READING_KEY = "_url.reading"  # {parameter: value} a page reads instead of the address bar's (``take_change_now``)
_READER_KEY = "_url.reader"  # (page, its read_link): what the page does with a link when entered (``enter``)
PENDING_KEY = "_url.pending"  # a page state to apply at the start of the next run (``apply_state``)
# {parameter: value} every link of this session keeps besides the page's state: a live class's room and seat
# (ui/live), so a reload or a move to another server process finds the room again
SESSION_KEY = "_url.session"
# parameters that carry a student's own words (a sentence, a word to follow) and may hold any script;
# every other parameter is numbers and names written in ASCII (int("٣") is 3: not in a link)
FREE_TEXT = frozenset({"text", "text2", "follow"})


def entering(page: str) -> bool:
    """True on the first run of ``page`` since the session started or the user came from another page.

    Also after ``apply_state``: the page then reads the state it was handed as if opened from that link.
    """
    pending = st.session_state.pop(PENDING_KEY, None)
    if pending is not None:
        _take_state(pending)
    elif st.session_state.get(_ENTERED_KEY) == page:
        return False
    st.session_state[_ENTERED_KEY] = page
    return True


def enter(page: str, read_link: Callable[[], object]) -> None:
    """``read_link()`` when ``entering(page)``; kept for the session, so ``take_change_now`` can read a change with it."""
    st.session_state[_READER_KEY] = (page, read_link)
    if entering(page):
        read_link()


def take_change_now(page: str, before: str, after: str) -> str | None:
    """Apply in this run the change from page state ``before`` to ``after`` (both from ``page_state()``).

    For a fragment-only rerun (a live class's follower, ui/live/follow.py), where the page's own code that
    reads a link (``enter``) does not run.  Unlike a whole state (``apply_state``), only what changed is
    read: the page's reader sees the changed parameters alone, and a parameter the change dropped goes back
    to its default.  So only the changed settings' widgets are rebuilt: a widget outside the fragment, which
    this run does not draw, keeps its state.  Returns the address bar's new query string; None, with nothing
    applied, when ``page`` has not run in this session yet or the change drops a parameter that is not a
    declared setting: the caller then applies the whole state with a whole run.
    """
    kept = st.session_state.get(_READER_KEY)
    old, new = dict(parse_qsl(before, keep_blank_values=True)), dict(parse_qsl(after, keep_blank_values=True))
    dropped = [name for name in old if name not in new]
    if kept is None or kept[0] != page or not forget_linked(dropped):
        return None
    st.session_state[_READING_KEY] = {name: value for name, value in new.items() if old.get(name) != value}
    try:
        kept[1]()
    finally:
        del st.session_state[_READING_KEY]
    return urlencode(_show_address(new))


def link_params() -> Mapping[str, str]:
    """The link a page reads: the address bar's parameters, or only a live class's change (``take_change_now``)."""
    reading = st.session_state.get(_READING_KEY)
    return st.query_params if reading is None else reading


def read(params: dict[str, Callable[[str], Any]]) -> dict[str, Any]:
    """Parse the URL parameters named in ``params`` ({name: parser}).

    A value that does not parse is skipped and noted; ``show_warnings()``
    says so in one sentence instead of raising.
    """
    found, bad = {}, []
    for name, parse in params.items():
        raw = link_params().get(name)
        if raw is None:
            continue
        try:
            if not raw.isascii() and name not in FREE_TEXT:
                raise ValueError(raw)
            found[name] = parse(raw)
        except (InputError, ValueError, TypeError):
            bad.append(name)
    if bad:
        st.session_state[_WARNINGS_KEY] = st.session_state.get(_WARNINGS_KEY, []) + bad
    return found


def warn_about(name: str) -> None:
    """Note a link parameter that parsed but could not be used (say, a q of the wrong length)."""
    st.session_state[_WARNINGS_KEY] = st.session_state.get(_WARNINGS_KEY, []) + [name]


def drop_unfit(found: dict[str, Any], name: str, fits: Callable[[Any], Any]) -> dict[str, Any]:
    """``found`` without ``name`` when ``fits(found[name])`` raises, noted like any bad value.

    For a value that parses alone but not with the rest of the link, e.g.
    ``?n=4&mask=9``: checked once n is known, so it is not dropped silently later.
    """
    if name not in found:
        return found
    try:
        fits(found[name])
    except (InputError, ValueError, TypeError):
        warn_about(name)
        return {k: v for k, v in found.items() if k != name}
    return found


def show_warnings() -> None:
    bad = st.session_state.pop(_WARNINGS_KEY, None)
    if bad:
        st.warning(t("url.bad_params", names=", ".join(bad)))


def page_state() -> str:
    """The page's whole state as one query string (what the live class sends to students).

    It is the link the page last published, without the reader's own language and projector mode.
    """
    return urlencode(st.session_state.get(STATE_KEY, {}))


def apply_state(query: str) -> None:
    """Make this session show the page state ``query`` (from ``page_state()``) on its next run.

    Applied as a fresh session opens a link: the settings a link can hold go back to their
    defaults, then the page reads ``query`` (a bad value: the usual one warning).  The caller
    reruns the app (``st.rerun()``) when it calls this from a callback or a fragment.
    """
    st.session_state[PENDING_KEY] = query


def _take_state(query: str) -> None:
    reset_linked_settings()
    _show_address(dict(parse_qsl(query, keep_blank_values=True)))


def _show_address(state: dict[str, str]) -> dict[str, str]:
    """The address bar holds the page state ``state``, the reader's language and projector mode, and the
    session's own parameters (a live class's room); what it now holds."""
    keep = {k: st.query_params.get(k) for k in ("lang", projector.KEY) if k in st.query_params}
    address = state | keep | session_values()
    st.query_params.from_dict(address)
    return address


def session_values() -> dict[str, str]:
    """The parameters this session's every link keeps besides the page's state (``SESSION_KEY``)."""
    return dict(st.session_state.get(SESSION_KEY, {}))


def publish(values: dict[str, Any]) -> None:
    """Make the URL hold exactly ``values`` (plus the language, projector mode and a live class's room), when it changed.

    A live class's teacher also writes ``values`` to the room here (``ui/live/follow.py``), once a change.
    """
    wanted = {k: str(v) for k, v in values.items() if v is not None and v != ""}
    st.session_state[STATE_KEY] = dict(wanted)
    from .live import follow  # here, not at the top: ui.live applies page states through this module

    follow.published(urlencode(wanted))  # a live class's teacher: the room shows it (written when it changed)
    lang = st.session_state.get("lang")
    if lang and lang != "en":
        wanted["lang"] = lang
    wanted |= projector.url_values() | session_values()
    export.note_settings(wanted)  # the exported page's link and settings
    if {k: st.query_params.get(k) for k in st.query_params} != wanted:
        st.query_params.from_dict(wanted)


def _number_in(convert, lo, hi) -> Callable[[str], Any]:
    def parse(raw: str):
        if not raw.isascii():  # int("٣") is 3 and float("１.５") is 1.5: a link's numbers are ASCII digits
            raise ValueError(raw)
        value = convert(raw)
        if not lo <= value <= hi:
            raise ValueError(raw)
        return value

    return parse


def int_in(lo: int, hi: int) -> Callable[[str], int]:
    return _number_in(int, lo, hi)


def float_in(lo: float, hi: float) -> Callable[[str], float]:
    return _number_in(float, lo, hi)


def one_of(options) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if raw not in options:
            raise ValueError(raw)
        return raw

    return parse
