"""Complexity: attention costs O(n²) — measure it, and beat it (chunked exact attention, local, linear, Performer).

The page reads top to bottom: the link (when the page is entered) → a Run that was
asked for (it waits in the process's line, then measures) → the ``lesson`` fragment:
the run settings and Run → the measurements (the class's own run, else the shipped
reference) and the online softmax of the steps view → ``views.Shown`` (frozen) → the
guided lesson → ``views.VIEWS[view]`` → the link the page now stands for.

Run waits in a full run of the page, not in the fragment (``running``): Streamlit lets a
click in a fragment wait until the script under way ends, so a Cancel there could not
leave the line; a widget outside every fragment interrupts the run at once.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from attention_core.complexity import Measurement, from_csv
from attention_core.efficient import online_softmax_steps
from lessons.complexity import controls, guide, running, views
from lessons.complexity.controls import SETTINGS
from ui import boundary, guided, url_state
from ui.i18n import t

PAGE = "complexity"
REFERENCE_CSV = Path(__file__).resolve().parent / "reference.csv"

guided.enter(PAGE, controls.read_link)
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
        if run_settings():
            controls.ask_for_run()
            st.rerun(scope="app")  # the run waits in line in a full run of the page (see the module's docstring)

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


running.run_if_asked(st.container())
lesson()
