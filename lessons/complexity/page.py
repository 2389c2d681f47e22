"""Complexity: attention costs O(n²) — measure it, and beat it (chunked exact attention, local, linear, Performer)."""

from __future__ import annotations

import time
from functools import partial
from pathlib import Path

import numpy as np
import streamlit as st

from attention_core.attend import attend
from attention_core.complexity import (
    LINEAR_COST,
    SLOPE_TOLERANCE,
    Job,
    Measurement,
    about,
    errors_vs_exact,
    fit_sizes,
    fit_slope,
    flops_order,
    from_csv,
    largest_common_n,
    loglog_slope,
    matrix_bytes,
    measure,
    random_qkv,
    to_csv,
)
from attention_core.efficient import (
    chunked_weights,
    linear_weights,
    local_mask,
    online_softmax_steps,
    performer_weights,
)
from attention_core.softmax import softmax
from lessons.complexity import controls, guide
from lessons.complexity import figures as cfig
from ui import boundary, guided, url_state
from ui.figures import show
from ui.i18n import t

PAGE = "complexity"
REFERENCE_CSV = Path(__file__).resolve().parent / "reference.csv"
D = 64  # the measured runs: float32, d = 64
SMALL_N, SMALL_D = guide.ONLINE_N, 16  # the weights and step views: small enough to see every cell
ERROR_N, ERROR_D = 256, 32  # the error view: exact weights are materialised, so n stays small
EXACT_WITHIN = 1e-6  # a difference below this is float32 rounding: the approximation is exact
ERROR_SCALE = 0.5  # q, k halved: scores of std ≈ 0.25, the regime random features estimate well

if guided.entering(PAGE):
    controls.apply_url()
controls.ensure()

st.title(t("complexity.title"))
st.markdown(t("complexity.lesson"))
FLOPS, IN_MEMORY = t("complexity.formula.flops"), t("complexity.formula.memory")
st.latex(
    rf"\underbrace{{QK^\top}}_{{n \times n:\ 2n^2d\ \text{{{FLOPS}}}}} \;\to\; "
    rf"\underbrace{{\operatorname{{softmax}}}}_{{n^2\ \text{{{IN_MEMORY}}}}} \;\to\; "
    rf"\underbrace{{WV}}_{{2n^2d\ \text{{{FLOPS}}}}}"
)
guided.presets(PAGE, guide.presets())
url_state.show_warnings()


@st.cache_data(show_spinner=False)
def reference_results() -> list[Measurement]:
    """The shipped measurements (benchmarks/bench_complexity.py): a full picture before any run."""
    return from_csv(REFERENCE_CSV.read_text()) if REFERENCE_CSV.exists() else []


def run_measurements(status) -> None:
    """Measure the chosen methods over the chosen n in a worker process, with progress; keep the results in the session."""
    methods = controls.get("methods")
    jobs = [
        Job(
            m,
            n,
            D,
            block_size=controls.get("block"),
            window=controls.get("window"),
            num_features=controls.get("features"),
            threads=controls.get("threads"),
            repeats=controls.REPEATS,
        )
        for n in sorted({n for m in methods for n in controls.n_values(m)})
        for m in methods  # smallest n first: a run stopped by the budget still has whole sizes
        if n in controls.n_values(m)
    ]
    bar = status.progress(0.0, text=t("complexity.starting"))
    results, start, stopped = [], time.monotonic(), False
    runs = measure(jobs)
    try:
        for i, m in enumerate(runs):
            results.append(m)
            bar.progress(
                (i + 1) / len(jobs),
                text=t(
                    "complexity.progress", done=i + 1, total=len(jobs), method=t(f"complexity.method.{m.method}"), n=m.n
                ),
            )
            if time.monotonic() - start > controls.BUDGET_SECONDS and i + 1 < len(jobs):
                stopped = True
                break
    except RuntimeError:
        status.error(t("complexity.run_failed"), icon=":material/error:")
        return
    finally:
        runs.close()  # stops the worker if we left early
    bar.empty()
    if stopped:
        status.warning(t("complexity.stopped", seconds=int(controls.BUDGET_SECONDS)), icon=":material/timer:")
    st.session_state[controls.RESULTS_KEY] = results


def series(results: list[Measurement], methods, value) -> list[dict]:
    """One log–log line per method: its n, its values, the sizes the slope is fitted on, and the slope (≥ 2 sizes)."""
    out = []
    for method in methods:
        rows = sorted((m for m in results if m.method == method), key=lambda m: m.n)
        if not rows:
            continue
        n = np.array([m.n for m in rows])
        y = np.array([max(value(m), 1e-12) for m in rows])
        fit = loglog_slope(n, y)
        out.append(
            dict(
                method=method,
                name=t(f"complexity.method.{method}"),
                n=n,
                y=y,
                fitted=fit_sizes(n) if fit else np.ones(len(n), bool),
                slope=fit.value if fit else None,
                below=fit.below if fit else None,
                n_from=fit.n_from if fit else None,
            )
        )
    return out


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


def time_view(results, methods) -> None:
    lines = series(results, methods, lambda m: m.seconds * 1e3)
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
    n_table = largest_common_n([m for m in results if m.method in methods])
    table = [
        {
            t("complexity.col.method"): t(f"complexity.method.{m.method}"),
            "n": m.n,
            t("complexity.col.ms"): round(m.seconds * 1e3, 2),
            "GFLOP/s": round(m.flops / m.seconds / 1e9, 1),
        }
        for m in sorted(
            results,
            key=lambda m: (
                m.n,
                controls.DEFAULTS["methods"].index(m.method) if m.method in controls.DEFAULTS["methods"] else 9,
            ),
        )
        if m.method in methods and m.n == n_table
    ]
    st.dataframe(table, hide_index=True, width="content")


def memory_view(results, methods) -> None:
    lines = series(results, methods, lambda m: m.peak_bytes / 2**20)
    ns = sorted({m.n for m in results})
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
    n_top = largest_common_n([m for m in results if m.method in methods])  # where every method shown has a bar
    at_top = [m for m in results if m.n == n_top and m.method in methods]
    at_top.sort(key=lambda m: methods.index(m.method))
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


@st.cache_data(show_spinner=False, max_entries=8, max_size="8MB")
def error_curves(n: int, d: int, windows: tuple, features: tuple) -> dict:
    """{method: {"max_output", …: [k]}} errors against exact attention, per window and per feature count."""
    q, k, v = random_qkv(n, d, seed=1)
    q, k = q * ERROR_SCALE, k * ERROR_SCALE

    def as_arrays(errs) -> dict[str, np.ndarray]:
        fields = ("max_output", "mean_output", "max_weights", "mean_weights")
        return {f: np.array([getattr(e, f) for e in errs]) for f in fields}

    return {
        "local": as_arrays([errors_vs_exact("local", q, k, v, window=w) for w in windows]),
        "performer": as_arrays([errors_vs_exact("performer", q, k, v, num_features=r) for r in features]),
        "linear": as_arrays([errors_vs_exact("linear", q, k, v)]),
    }


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


def error_view(asked: guided.Shown) -> None:
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


def weights_view(asked: guided.Shown) -> None:
    method = controls.approx_picker()
    q, k, v = random_qkv(SMALL_N, SMALL_D, seed=2)
    exact = attend(q, k, v, method="scaled_dot").weights
    window, features, block = controls.get("small_window"), controls.get("features"), controls.get("step_block")
    if method == "chunked":
        approx = chunked_weights(q, k, block)
        right = t("complexity.w.chunked", block=block)
    elif method == "local":
        approx = attend(q, k, v, method="scaled_dot", mask=local_mask(SMALL_N, SMALL_N, window)).weights
        right = t("complexity.w.local", window=window)
    elif method == "linear":
        approx = linear_weights(q, k)
        right = t("complexity.method.linear")
    else:
        approx = performer_weights(q, k, features, seed=0)
        right = t("complexity.w.performer", features=features)
    diff = (approx - exact).abs()
    show(
        cfig.weights_pair(
            exact.numpy(),
            approx.numpy(),
            title=t("complexity.w.title", n=SMALL_N),
            left_title=t("complexity.w.exact"),
            right_title=right,
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


def steps_view(asked: guided.Shown) -> None:
    st.markdown(t("complexity.steps_lesson"))
    scores = guide.online_scores()
    block, b = controls.step_controls(lambda size: -(-SMALL_N // size))
    steps = online_softmax_steps(scores, block)
    m_b, l_b, factor = float(steps.running_max[b]), float(steps.running_sum[b]), float(steps.rescale[b])
    running = not asked.hides("running")  # the running max, sum and rescale (and the weights they give) wait
    left, right = st.columns(2, gap="medium")
    show(
        cfig.step_scores(
            scores.numpy(),
            block,
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
            softmax(scores).numpy(),  # the exact weights the running sums end on
            title=t("complexity.steps.weights_title", seen=steps.seen(b), n=SMALL_N),
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
    cols[0].metric(
        t("complexity.steps.m"),
        f"{m_b:.3f}",
        delta=f"{m_b - float(steps.running_max[b - 1]):+.3f}" if b else None,
        delta_color="off",
    )
    cols[1].metric(t("complexity.steps.l"), f"{l_b:.3f}")
    cols[2].metric(t("complexity.steps.rescale"), f"{factor:.3f}" if b else "—")
    prev_l = float(steps.running_sum[b - 1]) if b else 0.0
    st.latex(
        rf"m_{{{b + 1}}} = \max(m_{{{b}}},\ \max_{{j \in B_{{{b + 1}}}}} a_j) = {m_b:.3f} \qquad "
        rf"\ell_{{{b + 1}}} = \ell_{{{b}}}\, e^{{m_{{{b}}} - m_{{{b + 1}}}}} + \sum_{{j \in B_{{{b + 1}}}}} e^{{a_j - m_{{{b + 1}}}}}"
        rf" = {prev_l:.3f} \times {factor:.3f} + {l_b - prev_l * factor:.3f} = {l_b:.3f}"
        if b
        else rf"m_1 = \max_{{j \in B_1}} a_j = {m_b:.3f} \qquad \ell_1 = \sum_{{j \in B_1}} e^{{a_j - m_1}} = {l_b:.3f}"
    )
    st.caption(t("complexity.steps_caption"))


def sizes(results: list[Measurement]) -> dict:
    """The n the measurements span, for the note above the charts: {lo, hi, further, threads}; ``further`` says how
    far the methods whose work grows like n went, when they went beyond the others."""
    ns = sorted({m.n for m in results})
    linear = [m.n for m in results if m.method in LINEAR_COST]
    others = [m.n for m in results if m.method not in LINEAR_COST] or ns
    further = t("complexity.further", n=max(linear)) if linear and max(linear) > max(others) else ""
    return dict(lo=ns[0], hi=max(others), further=further, threads=results[0].threads)


def measured_view(view: str, live, results, methods, asked: guided.Shown) -> None:
    """The time or memory view: which measurements these are, the charts (each waits while a question asks what it
    shows), the CSV."""
    if live:
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.success(
            t("complexity.live_note", **sizes([m for m in live if m.method in methods] or live)),
            icon=":material/timer:",
        )
        if right.button(t("complexity.show_reference"), key="w.complexity.reference", width="stretch"):
            st.session_state.pop(controls.RESULTS_KEY, None)
            st.rerun(scope="fragment")
    elif results:
        st.info(
            t("complexity.reference_note", **sizes([m for m in results if m.method in methods] or results)),
            icon=":material/bar_chart:",
        )
    shows = ("time",) if view == "time" else ("memory", "matrix")  # the memory charts draw the n × n matrix too
    if not results or not methods:
        st.warning(t("complexity.no_results"), icon=":material/warning:")
    elif asked.hides(*shows):
        guided.hidden_note(450)
    elif view == "time":
        time_view(results, methods)
    else:
        memory_view(results, methods)
    if results and not asked.hides("time", "memory"):  # the CSV holds both
        st.download_button(t("export.csv"), partial(to_csv, results), "complexity.csv", "text/csv", on_click="ignore")


@boundary.fragment
def lesson() -> None:
    """Everything below the title: the run settings, Run, and the one visible view (widgets rerun only this)."""
    with st.container(border=True):
        controls.run_settings()
        button, note = st.columns([1, 4], vertical_alignment="center")
        run = button.button(
            t("complexity.run"), type="primary", icon=":material/play_arrow:", key="w.complexity.run", width="stretch"
        )
        note.caption(
            t(
                "complexity.run_note",
                max=controls.MAX_N,
                linear_max=controls.LINEAR_MAX_N,
                repeats=controls.REPEATS,
                seconds=int(controls.BUDGET_SECONDS),
            )
        )
        status = st.container()
    if run:
        run_measurements(status)

    live = st.session_state.get(controls.RESULTS_KEY)
    results = live or reference_results()
    methods = [m for m in controls.get("methods") if any(r.method == m for r in results)]
    shown = [r for r in results if r.method in methods]
    online = online_softmax_steps(guide.online_scores(), controls.get("step_block"))
    # the questions come from the numbers the page shows: the measurements of the methods chosen, the steps view's row
    asked = guided.lesson(PAGE, lambda: guide.steps(shown, online), wide=True)
    view = controls.view_picker()
    if view in ("time", "memory"):
        measured_view(view, live, results, methods, asked)
    elif view == "error":
        error_view(asked)
    elif view == "weights":
        weights_view(asked)
    else:
        steps_view(asked)
    url_state.publish(controls.url_values() | guided.url_values(PAGE))


lesson()
