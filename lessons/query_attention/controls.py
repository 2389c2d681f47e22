"""The query editor: sliders, text, "copy token i", random, scale and several queries.

The query matrix Q ``[m, d]`` lives in session state under ``VALUES_KEY``;
every control edits it through a callback and then re-syncs the other
controls, so sliders, text box and charts always show the same numbers.
"""

from __future__ import annotations

import math

import numpy as np
import streamlit as st

from attention_core.errors import InputError
from attention_core.sequences import Sequence
from attention_core.text_parsing import format_vectors, parse_vectors
from ui import arithmetic, url_state
from ui.feedback import error_text, push_error
from ui.i18n import t
from ui.sequence_input import per_sequence
from ui.text import md_escape

VALUES_KEY = "q.values"
SELECTED_KEY = "q.selected"
SCALE_KEY = "q.scale"
DRAFT_KEY = "q.text_draft"  # a query text the parser refused: the box keeps it until a good q replaces it
MAX_QUERIES = 16
SLIDER_MAX_D = 16  # per-dimension sliders up to this d
URL_MAX_NUMBERS = 4096  # longer queries stay out of the URL
MAX_WRITTEN = 8  # tokens the arithmetic view writes out at most
SCALES = (0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 1.5, 2.0, 3.0, 5.0, 7.0, 10.0)


def default_query(d: int, seed: int = 0) -> np.ndarray:
    """A seeded N(0, 1) query ``[1, d]``, rounded so the arithmetic reads well."""
    return np.round(np.random.default_rng(seed + 1000).standard_normal((1, d)), 2)


def ensure_query(seq: Sequence, seed: int = 0) -> np.ndarray:
    """Q ``[m, d]``; reset to the default when the sequence's d changed under it."""
    q = st.session_state.get(VALUES_KEY)
    if q is None or q.shape[1] != seq.d:
        _set(default_query(seq.d, seed))
        st.session_state[SELECTED_KEY] = 0
    st.session_state.setdefault(SCALE_KEY, 1.0)
    return st.session_state[VALUES_KEY]


def set_query(values: np.ndarray) -> None:
    _set(np.atleast_2d(np.asarray(values, dtype=np.float64)))


def _set(values: np.ndarray) -> None:
    """Store Q and push it into every control's widget state (callbacks run before widgets draw)."""
    st.session_state[VALUES_KEY] = values
    st.session_state.pop(DRAFT_KEY, None)
    m, d = values.shape
    st.session_state[SELECTED_KEY] = min(st.session_state.get(SELECTED_KEY, 0), m - 1)
    st.session_state["w.q.text"] = format_vectors(values)
    st.session_state["w.q.m"] = m
    sel = st.session_state[SELECTED_KEY]
    if d <= SLIDER_MAX_D:
        for j in range(d):
            st.session_state[f"w.q.dim.{j}"] = float(values[sel, j])


def url_value() -> str | None:
    q = st.session_state.get(VALUES_KEY)
    if q is None or q.size > URL_MAX_NUMBERS:
        return None
    return format_vectors(q).replace(", ", ",").replace("\n", ";")


def apply_url(found: dict, d: int) -> None:
    """Use a link's ``scale`` (snapped to the nearest stop) and ``q`` (when it has d numbers a row)."""
    if "scale" in found:
        st.session_state[SCALE_KEY] = min(SCALES, key=lambda s: abs(s - found["scale"]))
        st.session_state.pop("w.q.scale", None)
    if "q" in found:
        try:
            set_query(parse_vectors(found["q"], d, max_rows=MAX_QUERIES))
        except InputError:  # a q of the wrong length for this d: the default query is used instead
            url_state.warn_about("q")


# --------------------------------------------------------------- callbacks


def _on_slider(j: int) -> None:
    q = st.session_state[VALUES_KEY].copy()
    q[st.session_state[SELECTED_KEY], j] = st.session_state[f"w.q.dim.{j}"]
    _set(q)


def _on_text(d: int) -> None:
    try:
        q = parse_vectors(st.session_state["w.q.text"], d, max_rows=MAX_QUERIES)
    except InputError as exc:
        push_error(t("query.text_error", reason=error_text(exc)))
        # the box keeps the user's text so they can fix it; the charts keep the last good query
        st.session_state[DRAFT_KEY] = st.session_state["w.q.text"]
        return
    _set(q)


def _on_copy(x: np.ndarray) -> None:
    i = int(st.session_state["w.q.copy_i"]) - 1
    q = st.session_state[VALUES_KEY].copy()
    q[st.session_state[SELECTED_KEY]] = x[i]
    _set(q)


def _on_random() -> None:
    q = st.session_state[VALUES_KEY]
    _set(np.round(np.random.default_rng().standard_normal(q.shape), 2))


def _on_count() -> None:
    q = st.session_state[VALUES_KEY]
    m = int(st.session_state["w.q.m"])
    if m > q.shape[0]:
        extra = np.round(np.random.default_rng(q.shape[0]).standard_normal((m - q.shape[0], q.shape[1])), 2)
        q = np.vstack([q, extra])
    _set(q[:m])


def _on_select() -> None:
    st.session_state[SELECTED_KEY] = int(st.session_state["w.q.sel"])
    _set(st.session_state[VALUES_KEY])


def _on_scale() -> None:
    st.session_state[SCALE_KEY] = float(st.session_state["w.q.scale"])


# ------------------------------------------------------------------ widget


def _ensure_widget(key: str, value) -> None:
    if key not in st.session_state:
        st.session_state[key] = value


def _show_settings(q: np.ndarray, sel: int) -> None:
    """Every run, hand each editor widget the setting it shows (callbacks have already copied a change in).

    Why every run: a value written to a widget's key this run is the one the
    browser is told to show.  Left to themselves, the browser's widgets and the
    server's state can part: after a good upload and a refused one, the browser
    once showed scale 0.1, q = −3.00… and an empty box (the widgets' defaults)
    while the charts used the kept q, and the next nudge sent those defaults back
    as the new settings.  Written each run, the two cannot part.
    """
    state = st.session_state
    m, d = q.shape
    state["w.q.scale"] = state[SCALE_KEY]
    state["w.q.m"] = m
    state["w.q.sel"] = sel
    state["w.q.text"] = state.get(DRAFT_KEY) or format_vectors(q)
    if d <= SLIDER_MAX_D:
        for j in range(d):
            state[f"w.q.dim.{j}"] = float(q[sel, j])


def query_controls(seq: Sequence) -> tuple[np.ndarray, int, float]:
    """Draw the query editor; return (Q ``[m, d]``, selected query index, scale)."""
    q = st.session_state[VALUES_KEY]
    m, d = q.shape
    sel = st.session_state[SELECTED_KEY]
    _show_settings(q, sel)
    _ensure_widget("w.q.copy_i", 1)
    if st.session_state["w.q.copy_i"] > seq.n:
        st.session_state["w.q.copy_i"] = 1

    st.subheader(t("query.header"))
    # the buttons first: pressing one must not scroll the charts away on a 768-px-high laptop
    left, right = st.columns([1, 1], vertical_alignment="bottom")
    left.number_input(t("query.copy_index"), 1, seq.n, step=1, key="w.q.copy_i")
    right.button(t("query.copy"), on_click=_on_copy, args=(seq.values,), width="stretch", key="w.q.copy")
    left, right = st.columns([1, 1], vertical_alignment="bottom")
    left.select_slider(t("query.scale"), SCALES, key="w.q.scale", on_change=_on_scale, help=t("query.scale.help"))
    right.button(t("query.random"), on_click=_on_random, width="stretch", icon=":material/casino:", key="w.q.random")
    top = st.columns(2)
    top[0].number_input(
        t("query.count"), 1, MAX_QUERIES, step=1, key="w.q.m", on_change=_on_count, help=t("query.count.help")
    )
    if m > 1:
        top[1].selectbox(
            t("query.selected"), list(range(m)), format_func=lambda i: f"q{i + 1}", key="w.q.sel", on_change=_on_select
        )

    if d <= SLIDER_MAX_D:
        # a slider whose range changes is a new widget to Streamlit: _show_settings hands it q again
        limit = float(max(3.0, math.ceil(np.abs(seq.values).max()), math.ceil(np.abs(q).max())))
        cols = st.columns(2 if d > 4 else 1)
        for j in range(d):
            cols[j % len(cols)].slider(
                f"q{j + 1}" if m == 1 else f"q{sel + 1}[{j + 1}]",
                -limit,
                limit,
                step=0.05,
                key=f"w.q.dim.{j}",
                on_change=_on_slider,
                args=(j,),
            )
    st.text_area(
        t("query.text"),
        key="w.q.text",
        on_change=_on_text,
        args=(d,),
        height=68 if m == 1 and d <= 16 else 120,
        help=t("query.text.help", d=d),
    )
    return st.session_state[VALUES_KEY], st.session_state[SELECTED_KEY], st.session_state[SCALE_KEY]


def written_tokens(seq, w: np.ndarray, allowed: np.ndarray) -> list[int]:
    """The tokens whose arithmetic is written out: the student's choice, else the largest weights.

    The choice belongs to the sequence it was made for: new data starts from the largest weights again.
    """
    chosen = per_sequence("arith_tokens", dict)  # {"tokens": [...]} once the student picks
    options = [int(i) for i in np.flatnonzero(allowed)]
    picked = [i for i in chosen.get("tokens", []) if allowed[i]]
    tokens = picked or arithmetic.largest(w, allowed)
    st.session_state["w.q.arith_tokens"] = tokens  # before the widget is drawn: it shows what is written out

    def on_change() -> None:
        chosen["tokens"] = list(st.session_state["w.q.arith_tokens"])  # empty: back to the largest weights

    st.multiselect(
        t("query.arith.tokens"),
        options,
        format_func=lambda i: seq.labels[i],
        key="w.q.arith_tokens",
        on_change=on_change,
        max_selections=MAX_WRITTEN,
        help=t("query.arith.tokens.help"),
    )
    left_out = [seq.labels[i] for i in options if i not in tokens]
    names = ", ".join(md_escape(label) for label in left_out[:MAX_WRITTEN]) + (
        ", …" if len(left_out) > MAX_WRITTEN else ""
    )
    how = "picked" if picked else "largest"
    st.caption(
        t(f"query.arith.{how}", k=len(tokens))
        + (" " + t("query.arith.left_out", m=len(left_out), names=names) if left_out else "")
    )
    return tokens
