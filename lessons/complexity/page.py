"""Complexity: attention costs O(n²) — measure it, and beat it (chunked exact attention, local, linear, Performer).

The page reads top to bottom: the link (when the page is entered) → the run
settings and Run → the measurements (the class's own run, else the shipped
reference) and the online softmax of the steps view → ``views.Shown``
(frozen) → the guided lesson → ``views.VIEWS[view]`` → the link the page now
stands for.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import streamlit as st

from attention_core import work_line
from attention_core.complexity import Measurement, from_csv, measure, run_plan
from attention_core.efficient import online_softmax_steps
from lessons.complexity import controls, guide, views
from lessons.complexity.controls import SETTINGS
from ui import boundary, guided, url_state
from ui.i18n import t

PAGE = "complexity"
REFERENCE_CSV = Path(__file__).resolve().parent / "reference.csv"
D = 64  # the measured runs: float32, d = 64
BUSY_CORES = 0.5  # other work that kept more than half a core busy during a run makes its times longer: say so

if guided.entering(PAGE):
    controls.read_link()
SETTINGS.ensure()

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
    """Measure the chosen methods over the chosen n in a worker process, with progress; keep the results in the session.

    The run waits its turn in the process's line for heavy work (its place shown), so nothing else heavy of ours
    runs beside it; the machine's load while it measured is read too, and a busy machine is named.
    """
    lo, hi = SETTINGS.get("n")
    jobs = run_plan(
        SETTINGS.get("methods"),
        [n for n in controls.N_OPTIONS if lo <= n <= hi],
        controls.LINEAR_MAX_N,
        d=D,
        block_size=SETTINGS.get("block"),
        window=SETTINGS.get("window"),
        num_features=SETTINGS.get("features"),
        threads=SETTINGS.get("threads"),
        repeats=controls.REPEATS,
    )
    note = status.empty()
    with work_line.shared().turn(
        lambda place: note.info(t("complexity.in_line", place=place), icon=":material/hourglass_top:")
    ):
        note.empty()
        before = work_line.cpu_times()
        measure_in_turn(jobs, status)
        others = work_line.busy_cores(before, work_line.cpu_times())
    if others is not None and others - SETTINGS.get("threads") > BUSY_CORES:  # our run's own cores left out
        busy = f"{others - SETTINGS.get('threads'):.1f}"
        status.warning(t("complexity.busy", others=busy, cores=os.cpu_count()), icon=":material/speed:")


def measure_in_turn(jobs, status) -> None:
    """The run itself, while no other heavy job of ours runs in this process."""
    bar = status.progress(0.0, text=t("complexity.starting"))
    results, start, stopped = [], time.monotonic(), False
    runs = measure(jobs)
    try:
        for i, m in enumerate(runs):
            results.append(m)
            method = t(f"complexity.method.{m.method}")
            bar.progress(
                (i + 1) / len(jobs), text=t("complexity.progress", done=i + 1, total=len(jobs), method=method, n=m.n)
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
    controls.keep_results(results)


def run_settings() -> bool:
    """The settings of a measurement run (methods, n range, block size, window, features, threads) and Run."""
    SETTINGS.draw("methods", on_change=controls.on_methods)
    left, *cols = st.columns([1.6, 1, 1, 1, 0.8], gap="medium")
    SETTINGS.draw("n", where=left, help_args={"max": controls.MAX_N, "linear_max": controls.LINEAR_MAX_N})
    for col, name in zip(cols, ("block", "window", "features", "threads")):
        SETTINGS.draw(name, where=col)
    button, note = st.columns([1, 4], vertical_alignment="center")
    run = button.button(
        t("complexity.run"), type="primary", icon=":material/play_arrow:", key="w.complexity.run", width="stretch"
    )
    limits = dict(max=controls.MAX_N, linear_max=controls.LINEAR_MAX_N, repeats=controls.REPEATS)
    note.caption(t("complexity.run_note", seconds=int(controls.BUDGET_SECONDS), **limits))
    return run


@boundary.fragment
def lesson() -> None:
    """Everything below the title: the run settings, Run, and the one visible view (widgets rerun only this)."""
    with st.container(border=True):
        run = run_settings()
        status = st.container()
    if run:
        run_measurements(status)

    live = controls.live_results()
    results = live or reference_results()
    methods = tuple(m for m in SETTINGS.get("methods") if any(r.method == m for r in results))
    online = online_softmax_steps(guide.online_scores(), SETTINGS.get("step_block"))  # the steps view's row
    shown = views.Shown(live, results, methods, online, controls.fit_step())
    # the questions come from the numbers the page shows: the measurements of the methods chosen, the steps view's row
    asked = guided.lesson(PAGE, lambda: guide.steps(shown.measured, shown.online), wide=True)
    view = SETTINGS.draw("view")
    views.VIEWS[view](shown, asked)
    url_state.publish(controls.url_values() | guided.url_values(PAGE))


lesson()
