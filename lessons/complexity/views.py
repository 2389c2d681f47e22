"""The Complexity page's views: what each draws from the frozen result (``Shown``) and the open question.

``page.py`` reads the settings, runs (or loads) the measurements, builds
``Shown`` and calls ``VIEWS[view]``.  Every element that shows a quantity
checks ``asked.hides(...)`` first: "time", "memory", "matrix" (the n × n
matrix's size), "running" (the online softmax's running max, sum and rescale).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np
import streamlit as st

from attention_core.complexity import (
    LINEAR_COST,
    SLOPE_TOLERANCE,
    Measurement,
    about,
    error_sweep,
    fit_slope,
    flops_order,
    implied_weights,
    largest_common_n,
    loglog_lines,
    matrix_bytes,
    random_qkv,
    to_csv,
)
from attention_core.efficient import OnlineSoftmaxSteps
from attention_core.softmax import softmax
from lessons.complexity import controls
from lessons.complexity import figures as cfig
from lessons.complexity.controls import SETTINGS
from ui import guided
from ui.figures import show
from ui.i18n import t

SMALL_N, SMALL_D = controls.ONLINE_N, 16  # the weights and step views: small enough to see every cell
ERROR_N, ERROR_D = 256, 32  # the error view: exact weights are materialised, so n stays small
EXACT_WITHIN = 1e-6  # a difference below this is float32 rounding: the approximation is exact
ERROR_SCALE = 0.5  # q, k halved: scores of std ≈ 0.25, the regime random features estimate well


@dataclass(frozen=True)
class Shown:
    """What the page draws: the measurements (a live run of this session, else the shipped reference), the methods
    chosen that have some, and the online softmax of the steps view with the block its slider stands on."""

    live: list[Measurement] | None
    results: list[Measurement]
    methods: tuple[str, ...]
    online: OnlineSoftmaxSteps
    b: int  # the steps view's block, from 0

    @property
    def measured(self) -> list[Measurement]:
        """The measurements of the methods shown (what the charts and the questions come from)."""
        return [m for m in self.results if m.method in self.methods]


# ---------------------------------------------------------------- time and memory


def series(results: list[Measurement], methods, value) -> list[dict]:
    """The chart's log–log lines (the core's ``loglog_lines``) with their names, as the figure builder takes them."""
    return [
        dict(
            method=line.method,
            name=t(f"complexity.method.{line.method}"),
            n=line.n,
            y=line.y,
            fitted=line.fitted,
            slope=line.slope.value if line.slope else None,
            below=line.slope.below if line.slope else None,
            n_from=line.slope.n_from if line.slope else None,
        )
        for line in loglog_lines(results, methods, value)
    ]


def slope_claims(lines: list[dict]) -> str:
    """What the time chart's slopes say, each sentence computed from them: "about k" only where a slope is near k,
    the slope itself where not; where a line is flatter below its fitted sizes; where it is steeper than its work."""
    sep = t("complexity.list_sep")
    fitted = [line for line in lines if line["slope"] is not None]
    items = [
        t("complexity.slope.about", method=line["name"], k=about(line["slope"]), slope=f"{line['slope']:.2f}")
        if about(line["slope"]) is not None
        else t("complexity.slope.is", method=line["name"], slope=f"{line['slope']:.2f}")
        for line in fitted
    ]
    text = [t("complexity.time_caption")] + ([t("complexity.slopes", items=sep.join(items))] if items else [])
    flatter = [
        t("complexity.flatter.item", method=line["name"], below=f"{line['below']:.2f}", n=line["n_from"])
        for line in fitted
        if line["below"] is not None and line["below"] < line["slope"] - SLOPE_TOLERANCE
    ]
    if flatter:
        text.append(t("complexity.flatter", items=sep.join(flatter)))
    steeper = [
        t("complexity.steeper.item", method=line["name"], slope=f"{line['slope']:.2f}", k=flops_order(line["method"]))
        for line in fitted
        if line["slope"] > flops_order(line["method"]) + SLOPE_TOLERANCE
    ]
    if steeper:
        text.append(t("complexity.steeper", items=sep.join(steeper)))
    return " ".join(text)


def time_charts(shown: Shown) -> None:
    lines = series(shown.results, shown.methods, lambda m: m.seconds * 1e3)
    show(
        cfig.loglog_figure(
            lines,
            title=t("complexity.time_title"),
            x_title="n",
            y_title=t("complexity.ms"),
            slope_label=t("complexity.slope"),
            unit="ms",
        ),
        key="chart.complexity.time",
    )
    st.caption(slope_claims(lines))
    n_table = largest_common_n(shown.measured)
    order = controls.DEFAULTS["methods"]
    rows = sorted(shown.measured, key=lambda m: (m.n, order.index(m.method) if m.method in order else 9))
    table = [
        {
            t("complexity.col.method"): t(f"complexity.method.{m.method}"),
            "n": m.n,
            t("complexity.col.ms"): round(m.seconds * 1e3, 2),
            "GFLOP/s": round(m.flops / m.seconds / 1e9, 1),
        }
        for m in rows
        if m.n == n_table
    ]
    st.dataframe(table, hide_index=True, width="content")


def memory_charts(shown: Shown) -> None:
    lines = series(shown.results, shown.methods, lambda m: m.peak_bytes / 2**20)
    ns = sorted({m.n for m in shown.results})
    reference = dict(name=t("complexity.matrix"), n=np.array(ns), y=np.array([matrix_bytes(n) / 2**20 for n in ns]))
    show(
        cfig.loglog_figure(
            lines,
            title=t("complexity.memory_title"),
            x_title="n",
            y_title=t("complexity.mib"),
            slope_label=t("complexity.slope"),
            unit="MiB",
            reference=reference,
        ),
        key="chart.complexity.memory",
    )
    n_top = largest_common_n(shown.measured)  # where every method shown has a bar
    at_top = sorted((m for m in shown.measured if m.n == n_top), key=lambda m: shown.methods.index(m.method))
    show(
        cfig.memory_bars(
            [m.method for m in at_top],
            [t(f"complexity.method.{m.method}") for m in at_top],
            np.array([m.peak_bytes / 2**20 for m in at_top]),
            matrix_bytes(n_top) / 2**20,
            title=t("complexity.bars_title", n=n_top),
            x_title=t("complexity.mib"),
            matrix_label=t("complexity.matrix"),
            value_label=t("complexity.bar_value"),
        ),
        key="chart.complexity.bars",
    )
    exact = [m for m in at_top if m.method == "exact"]
    ratio = t("complexity.memory_exact", n=n_top, ratio=f"{exact[0].peak_bytes / matrix_bytes(n_top):.1f}")
    st.caption(t("complexity.memory_caption") + (" " + ratio if exact else ""))


def sizes(results: list[Measurement]) -> dict:
    """The n the measurements span, for the note above the charts: {lo, hi, further, threads}; ``further`` says how
    far the methods whose work grows like n went, when they went beyond the others."""
    ns = sorted({m.n for m in results})
    linear = [m.n for m in results if m.method in LINEAR_COST]
    others = [m.n for m in results if m.method not in LINEAR_COST] or ns
    further = t("complexity.further", n=max(linear)) if linear and max(linear) > max(others) else ""
    return dict(lo=ns[0], hi=max(others), further=further, threads=results[0].threads)


def source_note(shown: Shown) -> None:
    """Which measurements these are: the class's own run (and a way back to the reference), or the shipped ones."""
    if shown.live:
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.success(t("complexity.live_note", **sizes(shown.measured or shown.live)), icon=":material/timer:")
        if right.button(t("complexity.show_reference"), key="w.complexity.reference", width="stretch"):
            controls.drop_results()
            st.rerun(scope="fragment")
    elif shown.results:
        st.info(t("complexity.reference_note", **sizes(shown.measured or shown.results)), icon=":material/bar_chart:")


def measured_view(charts, shows: tuple, shown: Shown, asked: guided.Shown) -> None:
    """The time or memory view: which measurements, the charts (waiting while a question asks what they show),
    the CSV."""
    source_note(shown)
    if not shown.results or not shown.methods:
        st.warning(t("complexity.no_results"), icon=":material/warning:")
    elif asked.hides(*shows):
        guided.hidden_note(450)
    else:
        charts(shown)
    if shown.results and not asked.hides("time", "memory"):  # the CSV holds both
        csv = partial(to_csv, shown.results)
        st.download_button(t("export.csv"), csv, "complexity.csv", "text/csv", on_click="ignore")


# ---------------------------------------------------------------- error, weights, steps


@st.cache_data(show_spinner=False, max_entries=8, max_size="8MB")
def error_curves(n: int, d: int, windows: tuple, features: tuple) -> dict:
    """{method: {"max_output", …: [k]}} errors against exact attention, per window and per feature count."""
    q, k, v = random_qkv(n, d, seed=1)
    return error_sweep(q * ERROR_SCALE, k * ERROR_SCALE, v, windows, features)


def error_claims(data: dict) -> str:
    """The error view's caption, computed from its curves: the first window that is exact (every difference below
    EXACT_WITHIN), and the slope of the Performer's mean output error against r."""
    local = data["local"]
    exact = (local["max_output"] < EXACT_WITHIN) & (local["max_weights"] < EXACT_WITHIN)
    window = controls.WINDOWS[int(np.argmax(exact))] if exact.any() else None
    slope = fit_slope(controls.FEATURES, data["performer"]["mean_output"])[0]
    return t(
        "complexity.error_caption", window=window if window is not None else "—", slope=f"{slope:.2f}".replace("-", "−")
    )


def error_view(shown: Shown, asked: guided.Shown) -> None:
    st.markdown(t("complexity.error_lesson", n=ERROR_N, d=ERROR_D, scale=ERROR_SCALE))
    data = error_curves(ERROR_N, ERROR_D, controls.WINDOWS, controls.FEATURES)
    floor = lambda y: np.maximum(y, 1e-9)  # noqa: E731  (exact within float32 rounding: kept on the log axis)
    linear = data["linear"]
    flat = [
        dict(name=t("complexity.err.linear_out"), y=float(linear["mean_output"][0]), method="linear", dash="dot"),
        dict(name=t("complexity.err.linear_w"), y=float(linear["mean_weights"][0]), method="linear", dash="dashdot"),
    ]
    left, right = st.columns(2, gap="medium")
    for col, method, x, title, axis in (
        (left, "local", controls.WINDOWS, t("complexity.err.local_title"), t("complexity.window")),
        (right, "performer", controls.FEATURES, t("complexity.err.performer_title"), t("complexity.features")),
    ):
        e = data[method]
        curves = [
            dict(name=t("complexity.err.max_out"), y=floor(e["max_output"]), method=method, dash="solid"),
            dict(name=t("complexity.err.mean_out"), y=floor(e["mean_output"]), method=method, dash="dash"),
            dict(name=t("complexity.err.max_w"), y=floor(e["max_weights"]), method="exact", dash="solid"),
            dict(name=t("complexity.err.mean_w"), y=floor(e["mean_weights"]), method="exact", dash="dash"),
        ]
        show(
            cfig.error_figure(np.array(x), curves, title=title, x_title=axis, y_title=t("complexity.err.y"), flat=flat),
            key=f"chart.complexity.error.{method}",
            where=col,
        )
    st.caption(error_claims(data))


def approx_title(method: str) -> str:
    """The right heatmap's title: the method and the knob it was drawn with."""
    if method == "chunked":
        return t("complexity.w.chunked", block=SETTINGS.get("step_block"))
    if method == "local":
        return t("complexity.w.local", window=SETTINGS.get("small_window"))
    if method == "performer":
        return t("complexity.w.performer", features=SETTINGS.get("features"))
    return t("complexity.method.linear")


def weights_view(shown: Shown, asked: guided.Shown) -> None:
    """Exact attention's weights beside the chosen method's (its own knob under the picker; the Performer uses the
    run's "Random features" setting), and how far apart they are."""
    method = SETTINGS.draw("approx")
    knob = {"local": "small_window", "chunked": "step_block"}.get(method)  # sized for n = 32
    if knob:
        SETTINGS.draw(knob, where=st.columns([1, 2])[0])
    q, k, _ = random_qkv(SMALL_N, SMALL_D, seed=2)
    exact = implied_weights("exact", q, k)
    approx = implied_weights(
        method,
        q,
        k,
        block_size=SETTINGS.get("step_block"),
        window=SETTINGS.get("small_window"),
        num_features=SETTINGS.get("features"),
    )
    diff = (approx - exact).abs()
    show(
        cfig.weights_pair(
            exact.numpy(),
            approx.numpy(),
            title=t("complexity.w.title", n=SMALL_N),
            left_title=t("complexity.w.exact"),
            right_title=approx_title(method),
            x_title=t("complexity.axis.key"),
            y_title=t("complexity.axis.query"),
        ),
        key="chart.complexity.weights",
    )
    cols = st.columns(3)
    cols[0].metric(t("complexity.w.max_diff"), f"{float(diff.max()):.2g}")
    cols[1].metric(t("complexity.w.mean_diff"), f"{float(diff.mean()):.2g}")
    cols[2].metric(t("complexity.w.row_sum"), f"{float(approx.sum(-1).min()):.3f} … {float(approx.sum(-1).max()):.3f}")
    st.caption(t(f"complexity.w.caption.{method}"))


def step_formula(steps: OnlineSoftmaxSteps, b: int) -> str:
    """m and ℓ after block b + 1, written out with the numbers."""
    m_b, l_b, factor = float(steps.running_max[b]), float(steps.running_sum[b]), float(steps.rescale[b])
    if not b:
        return (
            rf"m_1 = \max_{{j \in B_1}} a_j = {m_b:.3f} \qquad \ell_1 = \sum_{{j \in B_1}} e^{{a_j - m_1}} = {l_b:.3f}"
        )
    prev_l = float(steps.running_sum[b - 1])
    return (
        rf"m_{{{b + 1}}} = \max(m_{{{b}}},\ \max_{{j \in B_{{{b + 1}}}}} a_j) = {m_b:.3f} \qquad "
        rf"\ell_{{{b + 1}}} = \ell_{{{b}}}\, e^{{m_{{{b}}} - m_{{{b + 1}}}}} + \sum_{{j \in B_{{{b + 1}}}}} e^{{a_j - m_{{{b + 1}}}}}"
        rf" = {prev_l:.3f} \times {factor:.3f} + {l_b - prev_l * factor:.3f} = {l_b:.3f}"
    )


def steps_view(shown: Shown, asked: guided.Shown) -> None:
    """The online softmax one block at a time: the scores merged so far, the weights they give, m and ℓ."""
    st.markdown(t("complexity.steps_lesson"))
    left, right = st.columns([1, 3], gap="large")
    SETTINGS.draw("step_block", where=left)
    SETTINGS.draw("step", where=right, max_value=controls.num_blocks(SETTINGS.get("step_block")))
    steps, b = shown.online, shown.b
    m_b = float(steps.running_max[b])
    running = not asked.hides("running")  # the running max, sum and rescale (and the weights they give) wait
    left, right = st.columns(2, gap="medium")
    show(
        cfig.step_scores(
            steps.scores.numpy(),
            steps.block_size,
            b,
            m_b if running else None,
            title=t("complexity.steps.scores_title", b=b + 1, blocks=steps.num_blocks),
            x_title=t("complexity.axis.key"),
            y_title=t("complexity.steps.score_axis"),
            done_label=t("complexity.steps.done"),
            current_label=t("complexity.steps.current"),
            pending_label=t("complexity.steps.pending"),
            max_label=t("complexity.steps.max", m=m_b),
        ),
        key="chart.complexity.steps.scores",
        where=left,
    )
    guided.chart(
        right,
        asked,
        "running",
        cfig.step_weights(
            steps.weights_after(b).numpy(),
            softmax(steps.scores).numpy(),  # the exact weights the running sums end on
            title=t("complexity.steps.weights_title", seen=steps.seen(b), n=len(steps.scores)),
            x_title=t("complexity.axis.key"),
            y_title=t("complexity.steps.weight_axis"),
            partial_label=t("complexity.steps.partial"),
            final_label=t("complexity.steps.final"),
        ),
        key="chart.complexity.steps.weights",
    )
    if not running:
        return
    cols = st.columns(3)
    delta = f"{m_b - float(steps.running_max[b - 1]):+.3f}" if b else None
    cols[0].metric(t("complexity.steps.m"), f"{m_b:.3f}", delta=delta, delta_color="off")
    cols[1].metric(t("complexity.steps.l"), f"{float(steps.running_sum[b]):.3f}")
    cols[2].metric(t("complexity.steps.rescale"), f"{float(steps.rescale[b]):.3f}" if b else "—")
    st.latex(step_formula(steps, b))
    st.caption(t("complexity.steps_caption"))


VIEWS = {
    "time": partial(measured_view, time_charts, ("time",)),
    "memory": partial(measured_view, memory_charts, ("memory", "matrix")),  # the memory charts draw the matrix too
    "error": error_view,
    "weights": weights_view,
    "steps": steps_view,
}
