"""The class panel above the page, for a room's teacher and its projector view; it refreshes itself.

While a question is open: the question, how many answered, and, when the
teacher chooses ("Show answers"), the live distribution of the answers,
which never marks the right one; the teacher's Reveal, then the right
answer and the class's score.  With no question open, the projector shows
how to join (the code, the link, a QR code) and the class's scores so far.
A fragment that reruns every ``PANEL_SECONDS``: two store reads (the room,
its answers), for these one or two sessions only.
"""

from __future__ import annotations

import streamlit as st

from classroom.errors import RoomError
from classroom.questions import Tally
from classroom.rooms import RoomView
from ui import guided
from ui.feedback import error_text
from ui.figures import show
from ui.guide_steps import Step
from ui.i18n import t

from . import links, place
from .asking import plain_label
from .figures import tally_chart
from .room_store import rooms

PANEL_SECONDS = 1.5
BOARD_CHART_HEIGHT = 420  # the projector's histogram: read from the back of a room (projector mode adds 15 %)
CHART_HEIGHT = 300


@st.fragment(run_every=PANEL_SECONDS)
@place.shielded
def class_panel() -> None:
    here = place.get()
    if here is None or here.role not in (place.TEACHER, place.BOARD):
        return
    try:
        view = rooms().view(here.code)
        question = view.question
        tally = rooms().tally(here.code, question.qid) if question is not None else None
    except RoomError:  # ended: the follower's check or the teacher's next write says so
        return
    if question is None:
        if here.role == place.BOARD:
            _welcome(view)
        return
    with st.container(border=True, key="live-panel"):
        _question(here, view, tally)


def _question(here: place.Place, view: RoomView, tally: Tally) -> None:
    question, board = view.question, here.role == place.BOARD
    step = Step.from_plain(question.text)
    head, count = st.columns([3, 1], vertical_alignment="center")
    level = "###" if board else "####"  # the projector's larger (projector mode grows h3, read from the back)
    head.markdown(f"{level} {t('live.class_question', k=question.qid)} · {guided.step_text(step, 'question')}")
    count.metric(t("live.answered"), t("live.answered_of", answered=tally.answered, students=view.students))
    if not board:
        _teacher_controls(here, question.qid, question.shown, question.revealed)
    if question.shown or question.revealed:
        labels = [plain_label(option) for option in step.options] if step.options else list(tally.labels)
        title = t("live.chart_title", n=tally.answered)
        chart = tally_chart(
            labels,
            tally.counts,
            title,
            t("live.chart_count"),
            right=tally.answer_index,
            height=BOARD_CHART_HEIGHT if board else CHART_HEIGHT,
            big=board,
        )
        show(chart, key="chart.live.answers")
    elif board:
        st.caption(t("live.answers_wait"))
    if question.revealed and tally.answered:
        percent = round(100 * tally.right / tally.answered)
        st.markdown(t("live.class_score", right=tally.right, answered=tally.answered, percent=percent))


def _teacher_controls(here: place.Place, qid: int, shown: bool, revealed: bool) -> None:
    place.show_notices()
    left, middle, right = st.columns(3)
    left.toggle(
        t("live.show_answers"),
        value=shown,
        key=f"w.live.show.{qid}",
        on_change=_on_show,
        args=(qid,),
        help=t("live.show_answers.help"),
        disabled=revealed,
    )
    if middle.button(t("live.reveal"), key=f"w.live.reveal.{qid}", type="primary", disabled=revealed):
        here.step_written = None  # the reveal clears the class's open step (classroom/rooms.py)
        _act(lambda: rooms().reveal(here.code, here.key, qid))
    if right.button(t("live.close_question"), key=f"w.live.close.{qid}", icon=":material/close:"):
        _act(lambda: rooms().close_question(here.code, here.key))


@place.shielded
def _on_show(qid: int) -> None:
    here = place.get()
    try:
        rooms().show_answers(here.code, here.key, qid, bool(st.session_state[f"w.live.show.{qid}"]))
    except RoomError as exc:
        place.notify(error_text(exc))


def _act(action) -> None:
    """A teacher's change the page must show too (the guided panel's answer): the whole page reruns."""
    here = place.get()
    try:
        action()
        here.room = rooms().view(here.code)
    except RoomError as exc:
        place.notify(error_text(exc))
    st.rerun(scope="app")


def _welcome(view: RoomView) -> None:
    """The projector with no question open: how to join, and the class's scores so far."""
    link = links.join_link(view.code)
    with st.container(border=True, key="live-welcome"):
        qr, words = st.columns([1, 4], vertical_alignment="center")
        qr.image(links.qr_png(link), width=180)
        words.markdown(f"## {t('live.join_at', code=view.code)}")
        words.code(link, language=None)
        words.markdown(t("live.students_joined", n=view.students))
        scores = rooms().scores(view.code)
        if scores:
            words.markdown(
                " · ".join(t("live.score_item", k=s.qid, right=s.right, answered=s.answered) for s in scores)
            )
