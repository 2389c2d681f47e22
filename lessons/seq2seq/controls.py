"""The seq2seq lesson's settings: task, scoring, lengths, sizes, seed, view and input — in the sidebar and the URL."""

from __future__ import annotations

import streamlit as st

from attention_core.seq2seq import NO_ATTENTION, Seq2SeqConfig
from attention_core.seq2seq import SCORINGS as SEQ2SEQ_SCORINGS
from attention_core.toy_tasks import DATE_LENGTHS, MAX_LENGTH, TASKS, make_task
from ui import url_state
from ui.i18n import t
from ui.settings import Settings

SCORINGS = SEQ2SEQ_SCORINGS + (NO_ATTENTION,)
HIDDEN_SIZES = (16, 32, 64, 128)
LENGTH_RANGE = (2, 20)  # what the page lets a student train on
STEP_RANGE = (50, 2000)  # capped: a training holds one core for at most a minute or two
VIEWS = ("try", "train", "why")
DEFAULT_TEXT = {"date": "23 Nov 2026"}
DEFAULTS = {
    "task": "reverse",
    "scoring": "additive",
    "lo": 5,
    "hi": 10,
    "hidden": 64,
    "steps": 1000,
    "seed": 0,
    "view": "try",
    "text": "attention",
}
URL_PARSERS = {
    "task": url_state.one_of(TASKS),
    "scoring": url_state.one_of(SCORINGS),
    "lo": url_state.int_in(*LENGTH_RANGE),
    "hi": url_state.int_in(*LENGTH_RANGE),
    "hidden": lambda raw: int(url_state.one_of([str(h) for h in HIDDEN_SIZES])(raw)),
    "steps": url_state.int_in(*STEP_RANGE),
    "seed": url_state.int_in(0, 9999),
    "view": url_state.one_of(VIEWS),
    "text": lambda raw: raw[:40],
}

_settings = Settings("s2s", defaults=DEFAULTS)
_key, _bind, _copy = _settings.canon, _settings.bind, _settings.copy


def default_text(task: str) -> str:
    return DEFAULT_TEXT.get(task, DEFAULTS["text"])


def ensure() -> None:
    _settings.ensure()


def apply_url(found: dict) -> None:
    """Settings from a shared link become the canonical values (widgets are rebuilt from them)."""
    ensure()
    # an input the task cannot read is a bad link value (one warning, the default input), not an error box
    task = found.get("task", value("task"))
    found = url_state.drop_unfit(found, "text", lambda text: make_task(task).check(text, MAX_LENGTH))
    if "task" in found and "text" not in found:
        found["text"] = default_text(found["task"])
    found = fit_lengths(found, value("lo"), value("hi"))
    for name, new in found.items():
        st.session_state[_key(name)] = new
        st.session_state.pop(_settings.widget(name), None)
    if "lo" in found or "hi" in found:
        st.session_state.pop(_settings.widget("lengths"), None)


def fit_lengths(found: dict, lo: int, hi: int) -> dict:
    """``found`` with a shortest length ≤ the longest, both taken from the link where it gives them.

    The link's own numbers win: ``lo=3&hi=15`` swapped is both; ``lo=15`` alone raises the current
    longest (10) to 15 and ``hi=3`` alone lowers the shortest to 3, rather than an error box instead of the lesson.
    """
    if "lo" not in found and "hi" not in found:
        return found
    lo, hi = found.get("lo", lo), found.get("hi", hi)
    if "lo" in found and "hi" in found:
        lo, hi = min(lo, hi), max(lo, hi)
    elif "lo" in found:
        hi = max(hi, lo)
    else:
        lo = min(lo, hi)
    return found | {"lo": lo, "hi": hi}


def value(name: str):
    return st.session_state[_key(name)]


def set_value(name: str, new) -> None:
    """Set a setting and its widget (call before the widget is drawn, or from a callback)."""
    st.session_state[_key(name)] = new
    st.session_state.pop(_settings.widget(name), None)


def use_attention() -> None:
    """Button callback: the baseline has no alignment to ask about; additive attention has one."""
    set_value("scoring", "additive")


def use_default_text() -> None:
    """Button callback: the task's own example input (long enough for the questions)."""
    set_value("text", default_text(value("task")))


def show_try() -> None:
    """Button callback: open the Alignment view (the questions need a model that stands still)."""
    set_value("view", "try")


def _on_task() -> None:
    _copy("task")
    set_value("text", default_text(value("task")))  # the old input rarely fits the new task


def _on_lengths() -> None:
    lo, hi = st.session_state[_settings.widget("lengths")]
    st.session_state[_key("lo")], st.session_state[_key("hi")] = int(lo), int(hi)


def sidebar() -> None:
    """The training settings in the sidebar (each change reruns the page)."""
    ensure()
    lengths_key = _settings.widget("lengths")
    if lengths_key not in st.session_state:
        st.session_state[lengths_key] = (value("lo"), value("hi"))
    with st.sidebar:
        st.subheader(t("seq2seq.settings"))
        st.selectbox(
            t("seq2seq.task"),
            TASKS,
            format_func={k: t(f"seq2seq.task.{k}") for k in TASKS}.get,
            key=_bind("task"),
            on_change=_on_task,
            help=t("seq2seq.task.help"),
        )
        st.selectbox(
            t("seq2seq.scoring"),
            SCORINGS,
            format_func={k: t(f"seq2seq.scoring.{k}") for k in SCORINGS}.get,
            key=_bind("scoring"),
            on_change=_copy,
            args=("scoring",),
            help=t("seq2seq.scoring.help"),
        )
        is_date = value("task") == "date"
        st.slider(
            t("seq2seq.lengths"),
            *LENGTH_RANGE,
            key=lengths_key,
            on_change=_on_lengths,
            disabled=is_date,
            help=t("seq2seq.lengths.date") if is_date else t("seq2seq.lengths.help"),
        )
        st.select_slider(
            t("seq2seq.hidden"),
            HIDDEN_SIZES,
            key=_bind("hidden"),
            on_change=_copy,
            args=("hidden",),
            help=t("seq2seq.hidden.help"),
        )
        st.slider(
            t("seq2seq.steps"),
            *STEP_RANGE,
            step=50,
            key=_bind("steps"),
            on_change=_copy,
            args=("steps",),
            help=t("seq2seq.steps.help"),
        )
        st.number_input(t("seq2seq.seed"), 0, 9999, step=1, key=_bind("seed"), on_change=_copy, args=("seed",))


def view_control() -> str:
    """The view picker (a full rerun: the Train view must be able to stop a training in progress)."""
    ensure()
    view = st.segmented_control(
        t("seq2seq.view"),
        VIEWS,
        format_func={k: t(f"seq2seq.view.{k}") for k in VIEWS}.get,
        key=_bind("view"),
        on_change=_copy,
        args=("view",),
        required=True,
        label_visibility="collapsed",
    )
    return view or DEFAULTS["view"]


def text_key() -> str:
    """The input box's widget key (bound to the canonical text); its on_change is ``copy_text``."""
    return _bind("text")


def copy_text() -> None:
    _copy("text")


def config() -> Seq2SeqConfig:
    """The model the settings describe (dates have their own lengths)."""
    task = value("task")
    lo, hi = DATE_LENGTHS if task == "date" else (value("lo"), value("hi"))
    return Seq2SeqConfig(
        task=task,
        scoring=value("scoring"),
        min_length=lo,
        max_length=hi,
        hidden=int(value("hidden")),
        seed=int(value("seed")),
    )


def url_values() -> dict:
    """Every setting that differs from its default (a short link); the model's weights never go in."""
    return {name: value(name) for name in DEFAULTS if value(name) != DEFAULTS[name]} | (
        {"text": value("text")} if value("text") != default_text(value("task")) else {"text": None}
    )
