"""Compare A/B on the Query page: A is the page's settings, B differs in method, temperature, mask or q.

Both weight charts share one y axis and colour range, so equal bars look
equal; Δw, Δo and ΔH are B − A of two ``attend`` calls (``attention_core.compare``).
B's settings live in ``query.cmp.*`` and in the link as ``b_method``,
``b_temperature``, ``b_mask`` and ``b_q`` (an empty ``b_q``: B uses A's query).
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from attention_core.comparison import compare
from attention_core.errors import InputError
from attention_core.scoring import SCORE_METHODS, ScoreParams
from attention_core.text_parsing import format_positions, format_vectors, parse_positions, parse_vectors
from lessons.query_attention.scoring import PARAMETRIC
from ui import figures, scoring_input, url_state
from ui.feedback import error_text, push_error
from ui.figures import show
from ui.i18n import t
from ui.settings import Settings

settings = Settings(
    "query.cmp",
    defaults={"method": "dot", "temperature": 0.5, "mask": "", "q": ""},
    parsers={
        "method": url_state.one_of(SCORE_METHODS),
        "temperature": url_state.float_in(0.01, 100.0),
        "mask": lambda raw: format_positions(parse_positions(raw, 10**6)),
        "q": str,
    },
)
URL_PARSERS = {f"b_{name}": parse for name, parse in settings.parsers.items()}


def take_link(found: dict, n: int, d: int) -> None:
    """B's settings from a link (``b_method`` …); the temperature snaps to a slider stop.

    ``b_q`` and ``b_mask`` parse alone but must fit X (d numbers, positions ≤ n): one that
    does not is named in the link's warning, not dropped silently when the view draws.
    """
    settings.ensure()
    found = url_state.drop_unfit(found, "b_q", lambda q: q and parse_vectors(q, d, max_rows=1))
    found = url_state.drop_unfit(found, "b_mask", lambda mask: parse_positions(mask, n))
    values = {name[2:]: value for name, value in found.items() if name in URL_PARSERS}
    if "temperature" in values:
        values["temperature"] = scoring_input.nearest_temperature(values["temperature"])
    settings.apply_url(values)


def url_values() -> dict:
    settings.ensure()
    return {f"b_{name}": value for name, value in settings.url_values().items()}


def _b_mask(n: int) -> np.ndarray:
    """B's masked tokens ``[n]`` bool; a mask that no longer fits the sequence is dropped."""
    masked = np.zeros(n, dtype=bool)
    try:
        masked[parse_positions(settings.get("mask"), n)] = True
    except InputError:
        settings.set("mask", "")
    return masked


def _b_query(q_a: np.ndarray) -> np.ndarray:
    """B's query ``[d]`` (before the page's scale): its own when typed and fitting, else A's."""
    text = settings.get("q")
    if text:
        try:
            return parse_vectors(text, q_a.shape[0], max_rows=1)[0]
        except InputError:
            settings.set("q", "")  # typed for another d: B follows A again
    return q_a


def _on_mask(n: int) -> None:
    text = settings.widget_value("mask")
    try:
        parse_positions(text, n)
    except InputError as exc:
        push_error(t("compare.mask_error", reason=error_text(exc)))
        return  # the box keeps the text to fix; B's last good mask stays
    settings.set("mask", text)


def _on_query(d: int) -> None:
    text = settings.widget_value("q").strip()
    if text:
        try:
            parse_vectors(text, d, max_rows=1)
        except InputError as exc:
            push_error(t("compare.q_error", reason=error_text(exc)))
            return
    settings.set("q", text)


def _on_copy_a(scoring: dict) -> None:
    """B ← A: every B setting takes A's value (then change the one to compare)."""
    settings.set("method", scoring["method"])
    settings.set("temperature", scoring["temperature"])
    settings.set("mask", format_positions(list(np.flatnonzero(scoring["masked"]))))
    settings.set("q", "")
    settings.show("mask", settings.get("mask"))
    settings.show("q", "")


def b_controls(scoring: dict, n: int, d: int) -> None:
    """B's settings in one row: method, temperature, mask, q, and "B ← A"."""
    settings.ensure()
    cols = st.columns([1.2, 1.2, 0.8], vertical_alignment="bottom") + st.columns([1, 2], vertical_alignment="bottom")
    cols[0].selectbox(
        t("compare.method"),
        SCORE_METHODS,
        format_func={m: t(f"scoring.method.{m}") for m in SCORE_METHODS}.get,
        key=settings.follow("method"),
        on_change=settings.copy,
        args=("method",),
    )
    cols[1].select_slider(
        t("compare.temperature"),
        scoring_input.TEMPERATURES,
        key=settings.follow("temperature"),
        on_change=settings.copy,
        args=("temperature",),
    )
    cols[3].text_input(
        t("compare.mask"),
        key=settings.bind("mask"),
        on_change=_on_mask,
        args=(n,),
        placeholder="2, 5-7",
        help=t("compare.mask.help", n=n),
    )
    cols[4].text_input(
        t("compare.q"),
        key=settings.bind("q"),
        on_change=_on_query,
        args=(d,),
        placeholder=t("compare.q.placeholder"),
        help=t("compare.q.help", d=d),
    )
    cols[2].button(
        t("compare.copy_a"),
        on_click=_on_copy_a,
        args=(scoring,),
        width="stretch",
        icon=":material/content_copy:",
        help=t("compare.copy_a.help"),
        key="w.query.cmp.copy_a",
    )


def compare_view(shown, asked=None) -> None:
    """A (the page's settings and shown query) and B side by side, then Δw, Δo and ΔH."""
    seq, scoring, scale, zoom = shown.seq, shown.scoring, shown.scale, shown.zoom
    q_a = shown.q_box[shown.sel]  # A's query before the scale (B's own q is typed like it)
    b_controls(scoring, seq.n, seq.d)
    masked_b = _b_mask(seq.n)
    q_b = _b_query(q_a)
    method_b, temperature_b = settings.get("method"), float(settings.get("temperature"))
    needs_params = PARAMETRIC
    side_a = dict(
        query=shown.q[shown.sel],
        method=scoring["method"],
        temperature=scoring["temperature"],
        mask=shown.allowed,
        params=shown.params,
    )
    side_b = dict(
        query=shown.q[shown.sel] if q_b is q_a else scale * q_b,
        method=method_b,
        temperature=temperature_b,
        mask=~masked_b,
        params=ScoreParams.random(seq.d, seed=scoring["pseed"]) if method_b in needs_params else None,
    )
    result = compare(seq.values, side_a, side_b)
    w_a, w_b = result.a.weights.numpy(), result.b.weights.numpy()
    top = max(float(w_a.max(initial=0.0)), float(w_b.max(initial=0.0)), 1e-12)
    y_range = (0.0, 1.08 * top) if zoom else (0.0, 1.08)  # one axis for both: equal bars look equal
    color_range = (0.0, top) if zoom else figures.WEIGHT_RANGE
    words = figures.words(t)
    legend = bool(scoring["masked"].any() or masked_b.any())  # both or neither: the plots keep one height
    charts = st.columns(2, gap="medium")
    for col, name, w, masked, method, temperature, q in (
        (charts[0], "A", w_a, scoring["masked"], scoring["method"], scoring["temperature"], side_a["query"]),
        (charts[1], "B", w_b, masked_b, method_b, temperature_b, side_b["query"]),
    ):
        fig = figures.bar_chart(
            w,
            seq.labels,
            t("compare.weights_title", side=name, method=t(f"scoring.method.{method}"), T=temperature),
            t("query.weight_axis"),
            color=w,
            masked=masked,
            x_title=t("query.token_axis"),
            hide_text_below=0.005,
            y_range=y_range,
            color_range=color_range,
            height=320,
            words=words,
        )
        fig.update_layout(showlegend=legend, margin_b=75 if legend else 50)  # the legend below the axis title
        show(fig, width="stretch", key=f"chart.compare.{name.lower()}", where=col)
        col.caption(t("compare.side_q", side=name, q=format_vectors(q)))

    metrics = st.columns(4)
    metrics[0].metric(t("compare.entropy", side="A"), t("query.bits", h=result.entropy_a))
    metrics[1].metric(t("compare.entropy", side="B"), t("query.bits", h=result.entropy_b))
    metrics[2].metric(t("compare.delta_h"), f"{result.delta_entropy:+.2f}", help=t("compare.delta_h.help"))
    delta_o = result.delta_output
    metrics[3].metric("‖Δo‖", f"{np.linalg.norm(delta_o):.3f}", help=t("compare.delta_o.help"))
    deltas = st.columns(2, gap="medium")
    show(
        figures.bar_chart(
            result.delta_weights,
            seq.labels,
            t("compare.delta_w_title"),
            "Δwᵢ",
            x_title=t("query.token_axis"),
            hide_text_below=0.005,
            height=280,
            words=words,
        ),
        width="stretch",
        key="chart.compare.delta_w",
        where=deltas[0],
    )
    show(
        figures.bar_chart(
            delta_o,
            [str(k + 1) for k in range(seq.d)],
            t("compare.delta_o_title"),
            "Δo",
            x_title=t("query.dim_axis"),
            height=280,
            words=words,
        ),
        width="stretch",
        key="chart.compare.delta_o",
        where=deltas[1],
    )
    st.caption(t("compare.caption"))
