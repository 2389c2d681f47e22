"""Guided lessons: predict, check, see why — a few steps per page, built from the page's own numbers.

A page hands ``lesson`` a function that makes its steps (``lessons/<lesson>/guide.py``,
pure functions of the numbers the page computed, see ``ui/guide_steps.py``).
The student picks an answer and presses Check (one rerun: the answer sits in
an ``st.form``), the answer is revealed with its reason and the page's chart
highlights it (``Shown.mark``, ``highlight``), then Next; at the end, the
score and Start again.  Off by default (a toggle, or ``?guide=1`` in a link),
so the explorer stays as it is.

The panel is drawn inside the page's own fragment, so answering reruns that
fragment, not the page.  Progress lives in session state per page; when the
numbers change (a new seed, new data) the questions change with them and the
exercise starts again.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Callable
from urllib.parse import quote, urlencode

import streamlit as st

from . import url_state
from .figures import Spec, show
from .guide_steps import NoFit, Step, Word
from .i18n import keyed, t
from .settings import Settings
from .text import md_escape

URL_PARAM = "guide"  # ?guide=1 opens a page with its lesson on
_NOTE_KEY = "_guide.note"  # the hidden note's words: the lesson's own, or a live class's question's
MARK_COLOR = "#E69F00"  # Okabe–Ito orange: stands out on Viridis for every kind of colour vision


def _settings(page: str) -> Settings:
    return Settings(f"guide.{page}", defaults={"on": False})


def _progress_key(page: str) -> str:
    return f"guide.{page}.progress"


# ---- the link
def enter(page: str, read_link) -> None:
    """``url_state.enter`` for a lesson: on entering ``page``, the lesson switch from the link (``?guide=…``),
    then the page's own ``read_link()``.

    ``guide=1`` turns the lesson on at its first question, ``guide=<step name>``
    (a preset's ``guide=heads``) turns it on at that question, so a preset opens
    on the question that makes its point; ``guide=0`` turns it off.  A link
    without ``guide`` leaves the switch as it was, like every other setting.
    """

    def read() -> None:
        _read_guide(page)
        read_link()

    url_state.enter(page, read)


def _read_guide(page: str) -> None:
    link = url_state.link_params()
    if URL_PARAM in link:
        raw = link.get(URL_PARAM, "")
        on = raw not in ("0", "")
        _settings(page).set("on", on)
        start = raw if on and raw != "1" else None
        st.session_state[_start_key(page)] = start
        st.session_state.pop(_progress_key(page), None)  # a link starts the lesson afresh
        if start is not None and not _STEP_NAME.fullmatch(start):
            url_state.warn_about(URL_PARAM)
            st.session_state[_start_key(page)] = None


_STEP_NAME = re.compile(r"[a-z][a-z0-9_]{0,30}")


def _start_key(page: str) -> str:
    return f"guide.{page}.start"


def url_values(page: str) -> dict:
    """``{"guide": 1}`` while the lesson is on (for the page's ``url_state.publish``)."""
    return {URL_PARAM: 1} if is_on(page) else {}


def is_on(page: str) -> bool:
    return bool(_settings(page).get("on"))


# ---- what the page's charts do while a lesson runs
@dataclass(frozen=True)
class Shown:
    """The current step as the page sees it: the quantities it asks about (hidden until the reveal), the mark after.

    Every element that shows a quantity (a chart, a caption, a metric, a
    hover text, a whole view) asks ``hides(quantity)`` first and waits while
    the open question asks about it: the element names what it shows, the
    question names what it asks, and the rule lives here, not in a list of
    charts per question.
    """

    asks: tuple[str, ...] = ()
    mark: int | tuple[int, int] | None = None

    def hides(self, *quantities: str) -> bool:
        """Whether the open question asks about any of ``quantities`` (so what shows them must wait)."""
        return any(quantity in self.asks for quantity in quantities)


OFF = Shown()


def highlight(fig: Spec, mark, label: str | None = None) -> Spec:
    """``fig`` with ``mark`` outlined: a token index (a bar at x = index + 1) or a (row, column) cell.

    The figure builders put token i at position i + 1 (bars) and cell (i, j)
    at (j + 1, i + 1) (matrices), so one outline serves both.  ``fig`` itself is
    left as it is (it may be a cached one every session shares): the outline goes on a copy.
    """
    if mark is None:
        return fig
    line = dict(color=MARK_COLOR, width=4, dash="dash")
    layout = dict(fig.get("layout", {}))
    if isinstance(mark, tuple):
        row, col = mark
        outline = dict(type="rect", x0=col + 0.5, x1=col + 1.5, y0=row + 0.5, y1=row + 1.5, line=line)
    else:
        outline = dict(type="rect", x0=mark + 0.5, x1=mark + 1.5, y0=0, y1=1, yref="paper", line=line)
        if label:
            note = dict(x=mark + 1, y=1, yref="paper", yanchor="bottom", text=label, showarrow=False)
            layout["annotations"] = [*layout.get("annotations", ()), note | dict(font=dict(color=MARK_COLOR))]
    layout["shapes"] = [*layout.get("shapes", ()), outline]
    return fig | {"layout": layout}


def chart(where, asked: Shown, shows, fig: Spec, marked: bool = True, instead=None, **kwargs) -> None:
    """``ui.figures.show(fig, where=where, **kwargs)``, or the hidden note while the open question asks what it ``shows``.

    ``shows``: the quantity (or a tuple of them) the chart shows, in any form
    (bars, colour, printed numbers, hover text).

    ``instead``: what to draw in its place (a callable), if not the note.
    Once answered, the step's mark is outlined on the chart (unless not ``marked``).
    """
    if asked.hides(*((shows,) if isinstance(shows, str) else shows)):
        with where:
            instead() if instead is not None else hidden_note(fig.get("layout", {}).get("height") or 340)
    else:
        show(highlight(fig, asked.mark) if marked else fig, where=where, **kwargs)


def hidden_note(height: int = 340) -> None:
    """What stands where a chart would give the answer away (same height, so nothing jumps at the reveal)."""
    with st.container(height=height, border=True, vertical_alignment="center", horizontal_alignment="center"):
        st.markdown(t(st.session_state.get(_NOTE_KEY, "guide.hidden")))


# ---- the panel
def lesson(page: str, make_steps: Callable[[], list[Step]], box=None, wide: bool = False) -> Shown:
    """The "Guided lesson" toggle and, when on, the current step; what the page's charts should hide or mark.

    ``make_steps`` is only called when the lesson is on.  ``box``: where to
    draw (a column or container), default here; ``wide``: the box spans the page
    (the options go side by side, so the charts below stay on the first screen).
    """
    from .live import asking  # here, not at the top: it draws a live class's question with this module's parts

    settings = _settings(page)
    settings.ensure()
    with box if box is not None else st.container():
        st.toggle(
            t("guide.toggle"),
            key=settings.follow("on"),
            on_change=settings.copy,
            args=("on",),
            help=t("guide.toggle.help"),
        )
        steps = make_steps() if is_on(page) else None
        asking.teacher_at(page, steps if isinstance(steps, list) else None)  # a live class: what all predict now
        if steps is None:
            return OFF
        if isinstance(steps, NoFit):
            _no_fit(page, steps)
            return OFF
        if not steps:
            st.info(t("guide.no_steps"))
            return OFF
        with st.container(border=True):
            asked = asking.panel(page, steps, wide)
            st.session_state[_NOTE_KEY] = "guide.hidden" if asked is None else "live.hidden"
            return asked or _panel(page, steps, wide, send=asking.send_button)


def _no_fit(page: str, no_fit: NoFit) -> None:
    """No question fits: say which setting to change, and offer the button that changes it."""
    st.info(t("guide.no_fit", reason=say(no_fit.reason)), icon=":material/tune:")
    st.button(
        say(no_fit.button), key=f"w.guide.{page}.fix", on_click=no_fit.apply, type="primary", icon=":material/tune:"
    )


def _fingerprint(steps: list[Step]) -> str:
    text = repr([step.fingerprint() for step in steps])
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def _progress(page: str, steps: list[Step]) -> dict:
    """{"tag", "step", "answers": {index: given}, "revealed", "renewed"}; new questions start a new exercise."""
    tag = _fingerprint(steps)
    progress = st.session_state.get(_progress_key(page))
    if progress is None or progress["tag"] != tag:
        renewed = progress is not None and bool(progress["answers"] or progress["step"])
        start = _first_step(page, steps) if progress is None else 0
        progress = {"tag": tag, "step": start, "answers": {}, "revealed": False, "renewed": renewed, "empty": False}
        st.session_state[_progress_key(page)] = progress
    return progress


def _first_step(page: str, steps: list[Step]) -> int:
    """The step a link's ``guide=<name>`` asked to open on (once), else the first."""
    start = st.session_state.pop(_start_key(page), None)
    names = [step.name for step in steps]
    if start is not None and start not in names:
        st.warning(t("url.bad_params", names=URL_PARAM))  # no such question here: said, not dropped silently
    return names.index(start) if start in names else 0


def say(value) -> str:
    """An option or value as shown: a Word translated, a label escaped, a number as it is."""
    if isinstance(value, Word):
        return t(value.key, **dict(value.values))
    if isinstance(value, float):
        return f"{value:.3g}"
    return md_escape(value)


def step_text(step: Step, part: str) -> str:
    """One of the step's strings, filled with its values (a value that is a Word is a sentence filled the same way)."""
    plain = {name: say(v) if isinstance(v, str) else v for name, v in step.values.items() if not isinstance(v, Word)}
    words = {name: t(v.key).format(**plain) for name, v in step.values.items() if isinstance(v, Word)}
    return t(step.key(part)).format(**plain, **words)


def number_text(step: Step, value) -> str:
    return f"{float(value):.{step.decimals}f}"


def answer_text(step: Step) -> str:
    return say(step.options[int(step.answer)]) if step.options else number_text(step, step.answer)


def answer_widget(step: Step, key: str, wide: bool, value=None) -> None:
    """The step's answer box under its question: a radio of its options, or a number box (``value``: a choice made)."""
    if step.options:
        st.radio(
            step_text(step, "question"),
            range(len(step.options)),
            format_func=lambda i: say(step.options[i]),
            index=None if value is None else int(value),
            horizontal=wide,
            key=key,
        )
    else:
        # starts at 0, not empty: an empty number box reads as "not drawn yet" to the browser tests (e2e helpers)
        whole = step.decimals == 0
        start = float(value) if value is not None else 0.0
        st.number_input(
            step_text(step, "question"),
            value=int(start) if whole else start,
            step=1 if whole else 10.0**-step.decimals,
            format="%d" if whole else f"%.{step.decimals}f",
            key=key,
        )


def given_text(step: Step, given) -> str:
    """An answer given (an option's index, or a number) as shown."""
    return say(step.options[int(given)]) if step.options else number_text(step, given)


def result_box(where, step: Step, given) -> None:
    """Right or not, the answer, and why (``given``: the answer given, never None)."""
    why = step_text(step, "why")
    if step.is_right(given):
        where.success(t("guide.right", answer=answer_text(step)) + " " + why, icon=":material/check_circle:")
    else:
        text = t("guide.wrong", given=given_text(step, given), answer=answer_text(step))
        where.warning(text + " " + why, icon=":material/info:")


def current_index(page: str, steps: list[Step]) -> int | None:
    """The index of the step the lesson stands at, still to answer here (None: answered here, or past the last)."""
    progress = _progress(page, steps)
    index = progress["step"]
    return None if index >= len(steps) or progress["revealed"] else index


def _panel(page: str, steps: list[Step], wide: bool = False, send=None) -> Shown:
    """The current step: its question and Check, then right or not and Next.

    ``send(page, step)``: drawn beside Check (the live class's "Send to the class", for a room's teacher).
    """
    progress = _progress(page, steps)
    if progress.pop("renewed", False):
        st.caption(t("guide.renewed"))
    index = progress["step"]
    if index >= len(steps):
        _score(page, steps, progress)
        return OFF
    step = steps[index]
    # wide: the words on the left, the answer on the right, so the panel stays short above the charts
    words, answer = st.columns([1, 1.2], gap="medium") if wide else (st.container(), st.container())
    words.caption(t("guide.step_of", k=index + 1, n=len(steps)))
    answer_key = keyed(f"w.guide.{page}.{progress['tag']}.{index}")
    if not progress["revealed"]:
        words.markdown(step_text(step, "explain"))
        with answer, st.form(key=f"w.guide.{page}.form", border=False, enter_to_submit=True):
            answer_widget(step, answer_key, wide)
            st.form_submit_button(
                t("guide.check"), on_click=_check, args=(page, answer_key), type="primary", icon=":material/check:"
            )
            if send is not None:
                send(page, step)
        if progress.get("empty"):
            answer.caption(t("guide.pick_first"))
        return Shown(asks=step.asks)

    words.markdown(f"**{step_text(step, 'question')}**")  # once answered, the question and the reason say enough
    result_box(answer, step, progress["answers"][index])
    last = index == len(steps) - 1
    (words if wide else answer).button(  # narrow: below the reason, so it reads question, reason, Next
        t("guide.score_button" if last else "guide.next"),
        key=f"w.guide.{page}.next",
        on_click=next_step,
        args=(page,),
        type="primary",
        icon=":material/arrow_forward:",
    )
    return Shown(mark=step.mark)


def _score(page: str, steps: list[Step], progress: dict) -> None:
    right = sum(step.is_right(progress["answers"].get(i)) for i, step in enumerate(steps))
    st.markdown(f"#### {t('guide.score', right=right, total=len(steps))}")
    for i, step in enumerate(steps):
        ok = step.is_right(progress["answers"].get(i))
        mark = ":green[:material/check:]" if ok else ":red[:material/close:]"  # shapes too, not colour alone
        st.markdown(f"{mark} {step_text(step, 'question')} — **{answer_text(step)}**")
    st.button(
        t("guide.again"), key=f"w.guide.{page}.again", on_click=_restart, args=(page,), icon=":material/restart_alt:"
    )


def _check(page: str, answer_key: str) -> None:
    progress = st.session_state[_progress_key(page)]
    given = st.session_state.get(answer_key)
    progress["empty"] = given is None
    if given is not None:
        progress["answers"][progress["step"]] = given
        progress["revealed"] = True


def next_step(page: str) -> None:
    progress = st.session_state[_progress_key(page)]
    progress["step"] += 1
    progress["revealed"] = False


def _restart(page: str) -> None:
    progress = st.session_state[_progress_key(page)]
    progress.update(step=0, answers={}, revealed=False, empty=False)
    # the answer widgets of the last round would keep their choices
    for key in [k for k in st.session_state if str(k).startswith(f"w.guide.{page}.{progress['tag']}.")]:
        del st.session_state[key]


# ---- presets for teachers
def preset_url(page: str, settings: dict) -> str:
    """The relative link of a preset: the page's path and its settings, with the lesson on (and the language)."""
    params = {k: str(v) for k, v in settings.items()}
    params.setdefault(URL_PARAM, "1")  # a preset may name the step it opens on: "guide": "heads"
    if st.session_state.get("lang", "en") != "en":
        params["lang"] = st.session_state["lang"]
    return f"{page}?{urlencode(params, quote_via=quote)}"


def presets(page: str, items: list[tuple[str, dict]]) -> None:
    """A sidebar expander of preset links ([(catalog key of the name, URL settings)]).

    Each opens the page in a new tab (a new session) with its settings and the
    lesson on, so a teacher can also copy it.  In the sidebar: an element
    added above a page's fragment once kept the fragment's error box on screen
    past the page boundary (tests/app/test_boundary.py).
    """
    with st.sidebar.expander(t("guide.presets"), icon=":material/co_present:"):
        st.caption(t("guide.presets.help"))
        st.markdown("\n".join(f"- [{t(key)}]({preset_url(page, settings)})" for key, settings in items))
