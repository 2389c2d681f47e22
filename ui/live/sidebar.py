"""The live class's part of every run: a room link read, the sidebar's "Live class", the poll, the class panel.

``draw()`` is what ``ui/layout.py`` calls where the shared sidebar is drawn,
before the page: a follower takes in the teacher's change here, so the page
then draws it in the same run.  Outside any class it draws one collapsed
expander ("Start a live class" / join by code) and reads nothing from the store.
"""

from __future__ import annotations

import streamlit as st

from attention_core.errors import InputError
from classroom.errors import RoomError
from ui import layout
from ui.feedback import error_text, show_error
from ui.i18n import t
from ui.text import md_escape

from . import follow, links, place
from .panel import class_panel
from .room_store import rooms

STATUS_SECONDS = 2.0  # the teacher's count of students joined


def draw() -> None:
    _take_in()
    _sidebar()
    place.show_notices()  # in the main area, above the page
    here = place.get()
    if here is not None and here.role in (place.TEACHER, place.BOARD):
        class_panel()  # a self-refreshing fragment: only where it shows something


@place.shielded
def _take_in() -> None:
    """A room link, and a follower's view of the room brought up to date before the page draws."""
    links.read()
    here = place.get()
    if here is not None and here.role != place.TEACHER:
        follow.check(here, rerun=False)  # before the page draws: a change the teacher made shows in this run
        _stay_with_the_teacher(place.get())


@place.shielded
def _sidebar() -> None:
    here = place.get()
    with st.sidebar:
        if here is None:
            _outside()
        elif here.role == place.TEACHER:
            _teacher(here)
        else:
            _follower(here)
            follow.poll()


def _stay_with_the_teacher(here: place.Place | None) -> None:
    """A follower who opened another page: back to the teacher's when locked (or the projector), else exploring."""
    if here is None or not here.following or here.room is None or here.room.page == layout.current_page():
        return
    if here.room.locked or here.role == place.BOARD:
        here.view_seen = -1
        follow.show(here, here.room, rerun=True)
    else:
        here.following = False


# ---------------------------------------------------------------------- outside any class


def _outside() -> None:
    with st.expander(t("live.title"), icon=":material/groups:"):
        with st.form("w.live.join", border=False, enter_to_submit=True):
            code = st.text_input(
                t("live.code"), max_chars=12, placeholder="K7MWQ3", help=t("live.code.help"), key="w.live.join-code"
            )
            nickname = st.text_input(
                t("live.nickname"), max_chars=20, help=t("live.nickname.help"), key="w.live.join-nick"
            )
            joined = st.form_submit_button(t("live.join"), type="primary", icon=":material/login:")
        if joined:
            try:
                links.join(code, nickname=nickname)
            except (RoomError, InputError) as exc:  # InputError: the server's store cannot be opened
                show_error(error_text(exc))
            else:
                st.rerun()
        st.divider()
        anonymous = st.checkbox(t("live.anonymous"), key="w.live.anonymous", help=t("live.anonymous.help"))
        if st.button(t("live.start"), key="w.live.start", icon=":material/co_present:", help=t("live.start.help")):
            try:
                code, key = rooms().open(anonymous=anonymous)
            except (RoomError, InputError) as exc:  # InputError: the server's store cannot be opened
                show_error(error_text(exc))
            else:
                place.enter(place.Place(code=code, role=place.TEACHER, key=key))
                st.rerun()


# ---------------------------------------------------------------------- the teacher


def _teacher(here: place.Place) -> None:
    with st.container(border=True, key="live-teacher"):
        st.markdown(f"**{t('live.title')}**")
        _teacher_status()
        link = links.join_link(here.code)
        st.caption(t("live.join_link"))
        st.image(links.qr_png(link), width=200)
        st.code(link, language=None, wrap_lines=True)
        locked = here.room.locked if here.room is not None else False
        st.toggle(t("live.lock"), value=locked, key="w.live.lock", on_change=_on_lock, help=t("live.lock.help"))
        st.caption(t("live.ask_help"))
        st.link_button(
            t("live.projector_view"),
            links.board_link(here.code),
            icon=":material/cast:",
            help=t("live.projector_view.help"),
            width="stretch",
        )
        _results(here)
        with st.expander(t("live.teacher_link"), icon=":material/key:"):
            st.caption(t("live.teacher_link.help"))
            st.code(links.teacher_link(here.code, here.key), language=None, wrap_lines=True)
        with st.popover(t("live.end"), icon=":material/stop_circle:", width="stretch"):
            if st.button(t("live.end_confirm"), key="w.live.end", type="primary"):
                try:
                    rooms().close(here.code, here.key)
                except RoomError:
                    pass  # already gone: ending it is done either way
                place.leave()
                st.rerun()


@st.fragment(run_every=STATUS_SECONDS)
@place.shielded
def _teacher_status() -> None:
    """The room's code and how many students joined, counted again every few seconds."""
    here = place.get()
    if here is None:
        return
    try:
        here.room = rooms().view(here.code)
    except RoomError as exc:
        st.warning(error_text(exc))
        return
    code, count = st.columns([3, 2], vertical_alignment="center")
    code.markdown(f"## {here.code}")
    count.metric(t("live.students"), here.room.students)


@place.shielded
def _on_lock() -> None:
    here = place.get()
    try:
        rooms().lock(here.code, here.key, bool(st.session_state["w.live.lock"]))
    except RoomError as exc:
        place.notify(error_text(exc))


def _results(here: place.Place) -> None:
    """The class's score per question and in all, and the results file (built when clicked)."""
    with st.expander(t("live.results"), icon=":material/leaderboard:"):
        try:
            scores = rooms().scores(here.code)
        except RoomError:
            return
        if not scores:
            st.caption(t("live.no_results"))
        for s in scores:
            st.markdown(t("live.score_line", k=s.qid, page=t(_page_title(s.page)), right=s.right, answered=s.answered))
        answered = sum(s.answered for s in scores)
        if answered:
            right = sum(s.right for s in scores)
            percent = round(100 * right / answered)
            st.markdown(t("live.score_total", right=right, answered=answered, percent=percent))
        st.download_button(
            t("live.download"),
            lambda: rooms().results_csv(here.code, here.key),
            f"class-{here.code}.csv",
            "text/csv",
            on_click="ignore",
            key="w.live.download",
            icon=":material/download:",
            width="stretch",
        )


def _page_title(url_path: str) -> str:
    return next((spec["title"] for spec in layout.entries() if spec["url_path"] == url_path), url_path)


# ---------------------------------------------------------------------- a student or the projector


def _follower(here: place.Place) -> None:
    with st.container(border=True, key="live-student"):
        if here.role == place.BOARD:
            st.markdown(f"**{t('live.board', code=here.code)}**")
        else:
            st.markdown(f"**{t('live.in_class', code=here.code)}**")
            who = t("live.you_are", number=here.number)
            st.caption(who + (f" · {md_escape(here.nickname)}" if here.nickname else ""))
            _status(here)
        if st.button(t("live.leave"), key="w.live.leave", icon=":material/logout:"):
            place.leave()
            st.rerun()


def _status(here: place.Place) -> None:
    room = here.room
    locked = room is not None and room.locked
    if locked:
        st.info(t("live.locked"), icon=":material/visibility:")
    elif here.following:
        st.caption(t("live.following"))
    else:
        st.caption(t("live.exploring"))
        if room is not None and room.question is not None and not room.question.revealed:
            st.info(t("live.question_waiting"), icon=":material/quiz:")
    if here.following:
        if st.button(t("live.explore"), key="w.live.explore", disabled=locked, icon=":material/explore:"):
            follow.explore(here)
            st.rerun()
    elif st.button(t("live.back"), key="w.live.back", type="primary", icon=":material/co_present:"):
        follow.back(here)
    if room is not None and not room.anonymous:
        with st.popover(t("live.rename"), icon=":material/badge:"):
            with st.form("w.live.rename", border=False):
                nickname = st.text_input(t("live.nickname"), value=here.nickname or "", max_chars=20)
                if st.form_submit_button(t("live.save")):
                    try:
                        here.nickname = rooms().rename(here.code, here.seat, nickname)
                    except RoomError as exc:
                        show_error(error_text(exc))
                    else:
                        st.rerun()
