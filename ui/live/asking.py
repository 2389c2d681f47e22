"""A room's question inside the page's own guided lesson (``ui/guided.py`` hands its panel here first).

The teacher's panel gets "Send to the class" beside Check: the current step
goes to the room (its words as plain data, the right answer kept in the room).
A student's page computes the same steps from the same state and finds the
step by its digest; their panel then sends the answer to the room instead of
revealing it, and the page keeps hiding what the question asks about (charts
included: ``Shown.asks``) until the teacher's Reveal, after which it shows the
answer, the reason and the student's own result.  The projector shows the
question and, after the reveal, the answer.  Anything a student typed that
is shown goes through ``guided.say`` (plain text, never Markdown).
"""

from __future__ import annotations

from string import Formatter

import streamlit as st

from classroom.errors import RoomError
from classroom.questions import NewQuestion, Question
from ui import guided
from ui.feedback import error_text
from ui.guide_steps import Step, Word
from ui.i18n import catalogs, keyed, t

from . import place
from .room_store import rooms

# ---------------------------------------------------------------------- the teacher sends


def send_button(page: str, step: Step) -> None:
    """For a room's teacher, beside Check: send this step to the class."""
    here = place.get()
    if here is not None and here.role == place.TEACHER:
        st.form_submit_button(t("live.send"), on_click=_send, args=(page, step), icon=":material/send:")


def plain_label(option) -> str:
    """An option as plain text in the reader's language (the results file and the histogram escape it themselves)."""
    if isinstance(option, Word):
        return t(option.key, **dict(option.values))
    if isinstance(option, float):
        return f"{option:.3g}"
    return str(option)


def _question_words(step: Step) -> dict:
    """The step as plain data with only the values its question's words use, in any language.

    The others fill the reason and the explanation, and may give the answer away ("x5 has the largest
    score"): a room's question, which every student may read, holds what the question shows and no more.
    """
    tables = catalogs().values()

    def fields(key: str) -> set[str]:
        return {name for table in tables for _, name, _, _ in Formatter().parse(table.get(key, "")) if name}

    used = fields(step.key("question"))
    used |= {name for word in step.values.values() if isinstance(word, Word) for name in fields(word.key)}
    text = step.plain()
    text["values"] = {name: value for name, value in text["values"].items() if name in used}
    return text


@place.shielded
def _send(page: str, step: Step) -> None:
    here = place.get()
    question = NewQuestion(
        page=page,
        step=step.name,
        fingerprint=step.digest(),
        labels=[plain_label(option) for option in step.options],
        answer=step.answer,
        tolerance=step.tolerance,
        decimals=step.decimals,
        text=_question_words(step),
    )
    try:
        rooms().ask(here.code, here.key, question)
        here.room = rooms().view(here.code)
    except RoomError as exc:
        place.notify(error_text(exc))


@place.shielded
def teacher_at(page: str, steps: list[Step] | None) -> None:
    """A room's teacher: which guided step the class is to predict now (None: none), written when it changes.

    The step the teacher's panel shows, unanswered: followers hide what it asks, as the teacher's page
    does, until the teacher sends it and reveals it (or checks it here, showing the answer to all).
    """
    here = place.get()
    if here is None or here.role != place.TEACHER:
        return
    mark = None
    index = guided.current_index(page, steps) if steps else None
    if index is not None:
        step, question = steps[index], here.room.question if here.room is not None else None
        if question is None or question.fingerprint != step.digest() or not question.revealed:
            mark = (page, step.name, step.digest())
    if mark == here.step_written:
        return
    try:
        rooms().set_step(here.code, here.key, *(mark or ()))
    except RoomError as exc:
        place.notify(error_text(exc))
        return
    here.step_written = mark


# ---------------------------------------------------------------------- the panel


@place.shielded
def panel(page: str, steps: list[Step], wide: bool) -> guided.Shown | None:
    """The guided panel when a room's question is on this page, or None (the lesson's own panel)."""
    here = place.get()
    if here is None or here.room is None:
        return None
    place.show_notices()
    question, soon = here.room.question, here.room.step
    follows = here.role != place.TEACHER and here.following  # the teacher leads their lesson, not their own
    if follows and soon is not None and soon[0] == page and (question is None or question.fingerprint != soon[2]):
        index = _find(steps, soon[1], soon[2])
        if index is not None:
            return _waiting(steps[index], wide)
    index = None if question is None or question.page != page else _find(steps, question.step, question.fingerprint)
    if index is None:
        if follows:
            st.caption(t("live.teacher_leads"))
            return guided.OFF
        if question is not None and here.role == place.STUDENT:
            st.caption(t("live.question_elsewhere"))
        return None
    if here.role == place.TEACHER:
        return _teacher(page, steps, index, question, wide) if guided.current_index(page, steps) == index else None
    words, answer = st.columns([1, 1.2], gap="medium") if wide else (st.container(), st.container())
    words.caption(t("live.class_question", k=question.qid))
    if here.role == place.STUDENT:
        return _student(here, steps[index], question, wide, words, answer)
    return _board(steps[index], question, words, answer)


def _find(steps: list[Step], name: str, fingerprint: str) -> int | None:
    """Where the teacher's step is among this page's steps (the same state makes the same steps), or None."""
    return next((i for i, step in enumerate(steps) if step.name == name and step.digest() == fingerprint), None)


def _waiting(step: Step, wide: bool) -> guided.Shown:
    """A follower before the teacher sends the step: the question to think about, what it asks hidden."""
    words, answer = st.columns([1, 1.2], gap="medium") if wide else (st.container(), st.container())
    words.caption(t("live.predict"))
    words.markdown(guided.step_text(step, "explain"))
    answer.markdown(f"**{guided.step_text(step, 'question')}**")
    answer.caption(t("live.predict_help"))
    return guided.Shown(asks=step.asks)


def _teacher(page: str, steps: list[Step], index: int, question: Question, wide: bool) -> guided.Shown:
    """The step the class is answering: its options while they answer, the answer after the Reveal, then Next."""
    step = steps[index]
    words, answer = st.columns([1, 1.2], gap="medium") if wide else (st.container(), st.container())
    words.caption(t("guide.step_of", k=index + 1, n=len(steps)) + " · " + t("live.sent"))
    words.markdown(f"**{guided.step_text(step, 'question')}**")
    if not question.revealed:
        _options(answer, step)
        answer.caption(t("live.sent_help"))
        return guided.Shown(asks=step.asks)
    _revealed(answer, step)
    last = index == len(steps) - 1
    (words if wide else answer).button(
        t("guide.score_button" if last else "guide.next"),
        key=f"w.guide.{page}.next",
        on_click=guided.next_step,
        args=(page,),
        type="primary",
        icon=":material/arrow_forward:",
    )
    return guided.Shown(mark=step.mark)


def _student(here: place.Place, step: Step, question: Question, wide: bool, words, answer) -> guided.Shown:
    """Answer (changeable until the Reveal), then the answer, the reason and one's own result."""
    mine = here.mine.get(question.qid)
    if not question.revealed:
        words.markdown(guided.step_text(step, "explain"))
        key = keyed(f"w.live.{here.code}.{question.qid}")
        with answer, st.form(key=f"w.live.form.{question.qid}", border=False, enter_to_submit=True):
            guided.answer_widget(step, key, wide, value=mine)
            st.form_submit_button(
                t("live.answer"), on_click=_answer, args=(question.qid, key), type="primary", icon=":material/send:"
            )
        if mine is not None:
            answer.caption(t("live.answer_in", given=guided.given_text(step, mine)))
        return guided.Shown(asks=step.asks)
    words.markdown(f"**{guided.step_text(step, 'question')}**")
    given = here.results[question.qid].value if question.qid in here.results else mine
    if given is None:
        why = guided.step_text(step, "why")
        answer.info(t("live.no_answer", answer=guided.answer_text(step)) + " " + why, icon=":material/info:")
    else:
        guided.result_box(answer, step, float(given) if not step.options else int(given))
    return guided.Shown(mark=step.mark)


@place.shielded
def _answer(qid: int, key: str) -> None:
    here = place.get()
    value = st.session_state.get(key)
    if here is None:
        return
    if value is None:
        place.notify(t("guide.pick_first"))
        return
    try:
        here.mine[qid] = rooms().answer(here.code, here.seat, qid, value)
    except RoomError as exc:
        place.notify(error_text(exc))


def _board(step: Step, question: Question, words, answer) -> guided.Shown:
    """The projector: the question while the class answers, the answer and the reason after the Reveal."""
    words.markdown(f"**{guided.step_text(step, 'question')}**")
    if not question.revealed:
        _options(answer, step)
        return guided.Shown(asks=step.asks)
    _revealed(answer, step)
    return guided.Shown(mark=step.mark)


def _options(where, step: Step) -> None:
    """The options, read-only (the teacher and the projector do not answer)."""
    if step.options:
        where.markdown(" · ".join(f"**{guided.say(option)}**" for option in step.options))


def _revealed(where, step: Step) -> None:
    why = guided.step_text(step, "why")
    where.success(t("live.revealed", answer=guided.answer_text(step)) + " " + why, icon=":material/campaign:")
