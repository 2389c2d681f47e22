"""The query editor: sliders, text, "copy token i", random, scale and several queries.

The query matrix Q ``[m, d]`` is the setting ``q.values`` (``SETTINGS``);
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
from lessons.query_attention import arithmetic
from ui import url_state
from ui.feedback import error_text, push_error
from ui.i18n import t
from ui.sequence_input import per_sequence
from ui.settings import Setting, Settings
from ui.text import md_escape

MAX_QUERIES = 16
SLIDER_MAX_D = 16  # per-dimension sliders up to this d
URL_MAX_NUMBERS = 4096  # longer queries stay out of the URL
MAX_WRITTEN = 8  # tokens the arithmetic view writes out at most
SCALES = (0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 1.5, 2.0, 3.0, 5.0, 7.0, 10.0)


# every parameter a link to this page may set (tests/app/test_hostile_urls.py sends each one nonsense)
LINK_PARAMETERS = tuple("kind n d seed method temperature mask pseed scale q view zoom".split())


# the query matrix Q [m, d] ("values"), the query shown ("selected"), a query text the parser refused
# ("text_draft": the box keeps it until a good q replaces it), and the scale s (the page uses s·q)
SETTINGS = Settings(
    "q",
    defaults={"values": None, "selected": 0, "text_draft": None},
    declared=(
        Setting(
            "scale",
            1.0,
            url_state.float_in(0.1, 10.0),
            "select_slider",
            label="query.scale",
            help="query.scale.help",
            options=SCALES,
            snap=lambda s: min(SCALES, key=lambda stop: abs(stop - s)),
        ),
    ),
    per_language=False,  # no translated option labels: one key per widget, in every language
)
Q = SETTINGS


def default_query(d: int, seed: int = 0) -> np.ndarray:
    """A seeded N(0, 1) query ``[1, d]``, rounded so the arithmetic reads well."""
    return np.round(np.random.default_rng(seed + 1000).standard_normal((1, d)), 2)


def ensure_query(seq: Sequence, seed: int = 0) -> np.ndarray:
    """Q ``[m, d]``; reset to the default when the sequence's d changed under it."""
    Q.ensure()
    q = Q.get("values")
    if q is None or q.shape[1] != seq.d:
        Q.set("selected", 0)
        _set(default_query(seq.d, seed))
    return Q.get("values")


def set_query(values: np.ndarray) -> None:
    values = np.atleast_2d(np.asarray(values, dtype=np.float64))
    now = Q.get("values")
    if now is not None and now.shape == values.shape and np.array_equal(now, values):
        values = now  # the same query (a link, a teacher's state): the editor still shows it (``drawn``)
    _set(values)


def _set(values: np.ndarray) -> None:
    """Store Q and push it into every control's widget state (callbacks run before widgets draw)."""
    Q.set("values", values)
    Q.set("text_draft", None)
    Q.set("selected", min(Q.get("selected"), values.shape[0] - 1))
    _show_settings(values, Q.get("selected"))


def url_value() -> str | None:
    q = Q.get("values")
    if q is None or q.size > URL_MAX_NUMBERS:
        return None
    return format_vectors(q).replace(", ", ",").replace("\n", ";")


def take_link(found: dict, d: int) -> None:
    """Use a link's ``scale`` (snapped to the nearest stop) and ``q`` (when it has d numbers a row)."""
    Q.apply_url({name: found[name] for name in ("scale",) if name in found})
    if "q" in found:
        try:
            set_query(parse_vectors(found["q"], d, max_rows=MAX_QUERIES))
        except InputError:  # a q of the wrong length for this d: the default query is used instead
            url_state.warn_about("q")


# --------------------------------------------------------------- callbacks


def _on_slider(j: int) -> None:
    q = Q.get("values").copy()
    q[Q.get("selected"), j] = Q.widget_value(f"dim.{j}")
    _set(q)


def _on_text(d: int) -> None:
    text = Q.widget_value("text")
    try:
        q = parse_vectors(text, d, max_rows=MAX_QUERIES)
    except InputError as exc:
        push_error(t("query.text_error", reason=error_text(exc)))
        Q.set("text_draft", text)  # the box keeps the user's text to fix; the charts keep the last good query
        return
    _set(q)


def _on_copy(x: np.ndarray) -> None:
    i = int(Q.widget_value("copy_i")) - 1
    q = Q.get("values").copy()
    q[Q.get("selected")] = x[i]
    _set(q)


def _on_random() -> None:
    _set(np.round(np.random.default_rng().standard_normal(Q.get("values").shape), 2))


def _on_count() -> None:
    q = Q.get("values")
    m = int(Q.widget_value("m"))
    if m > q.shape[0]:
        extra = np.round(np.random.default_rng(q.shape[0]).standard_normal((m - q.shape[0], q.shape[1])), 2)
        q = np.vstack([q, extra])
    _set(q[:m])


def _on_select() -> None:
    Q.set("selected", int(Q.widget_value("sel")))
    _set(Q.get("values"))


# ------------------------------------------------------------------ widget


def _show_settings(q: np.ndarray, sel: int) -> None:
    """Every run, hand each editor widget the setting it shows (callbacks have already copied a change in).

    Why every run: a value written to a widget's key this run is the one the
    browser is told to show.  Left to themselves, the browser's widgets and the
    server's state can part: after a good upload and a refused one, the browser
    once showed scale 0.1, q = −3.00… and an empty box (the widgets' defaults)
    while the charts used the kept q, and the next nudge sent those defaults back
    as the new settings.  Written each run, the two cannot part.
    """
    m, d = q.shape
    Q.show("m", m)
    Q.show("sel", sel)
    Q.show("text", Q.get("text_draft") or format_vectors(q))
    if d <= SLIDER_MAX_D:
        for j in range(d):
            Q.show(f"dim.{j}", float(q[sel, j]))


def query_controls(seq: Sequence) -> tuple[np.ndarray, int, float]:
    """Draw the query editor; return (Q ``[m, d]``, selected query index, scale)."""
    q = Q.get("values")
    m, d = q.shape
    sel = Q.get("selected")
    _show_settings(q, sel)
    if Q.widget_value("copy_i") is None or Q.widget_value("copy_i") > seq.n:
        Q.show("copy_i", 1)

    st.subheader(t("query.header"))
    # the buttons first: pressing one must not scroll the charts away on a 768-px-high laptop
    left, right = st.columns([1, 1], vertical_alignment="bottom")
    left.number_input(t("query.copy_index"), 1, seq.n, step=1, key=Q.widget("copy_i"))
    right.button(t("query.copy"), on_click=_on_copy, args=(seq.values,), width="stretch", key=Q.widget("copy"))
    left, right = st.columns([1, 1], vertical_alignment="bottom")
    Q.draw("scale", where=left)
    right.button(
        t("query.random"), on_click=_on_random, width="stretch", icon=":material/casino:", key=Q.widget("random")
    )
    top = st.columns(2)
    top[0].number_input(
        t("query.count"), 1, MAX_QUERIES, step=1, key=Q.widget("m"), on_change=_on_count, help=t("query.count.help")
    )
    if m > 1:
        top[1].selectbox(
            t("query.selected"),
            list(range(m)),
            format_func=lambda i: f"q{i + 1}",
            key=Q.widget("sel"),
            on_change=_on_select,
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
                key=Q.widget(f"dim.{j}"),
                on_change=_on_slider,
                args=(j,),
            )
    st.text_area(
        t("query.text"),
        key=Q.widget("text"),
        on_change=_on_text,
        args=(d,),
        height=68 if m == 1 and d <= 16 else 120,
        help=t("query.text.help", d=d),
    )
    return Q.get("values"), Q.get("selected"), float(Q.get("scale"))


def drawn(q_box: np.ndarray, sel: int, scale: float) -> bool:
    """Whether the editor shows the query now set (``query_controls`` returned these), or something moved it since."""
    return Q.get("values") is q_box and Q.get("selected") == sel and float(Q.get("scale")) == scale


def written_tokens(seq, w: np.ndarray, allowed: np.ndarray) -> list[int]:
    """The tokens whose arithmetic is written out: the student's choice, else the largest weights.

    The choice belongs to the sequence it was made for: new data starts from the largest weights again.
    """
    chosen = per_sequence("arith_tokens", dict)  # {"tokens": [...]} once the student picks
    options = [int(i) for i in np.flatnonzero(allowed)]
    picked = [i for i in chosen.get("tokens", []) if allowed[i]]
    tokens = picked or arithmetic.largest(w, allowed)
    Q.show("arith_tokens", tokens)  # before the widget is drawn: it shows what is written out

    def on_change() -> None:
        chosen["tokens"] = list(Q.widget_value("arith_tokens"))  # empty: back to the largest weights

    st.multiselect(
        t("query.arith.tokens"),
        options,
        format_func=lambda i: seq.labels[i],
        key=Q.widget("arith_tokens"),
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
