"""A live measurement run of the Complexity page: it waits its turn in the process's line (its place and Cancel
shown), measures in a worker process with progress, and keeps the results in the session.

Run is pressed in the page's fragment, which asks for a full run of the page (``controls.ask_for_run``); that run
waits here.  A click in a fragment waits until the script under way ends, a click on a widget outside every
fragment interrupts it at once: Cancel, drawn by this full run, can therefore leave the line.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from attention_core import work_line
from attention_core.complexity import measure, run_plan
from lessons.complexity import controls
from lessons.complexity.controls import SETTINGS
from ui.i18n import t

D = 64  # the measured runs: float32, d = 64
BUSY_CORES = 0.5  # other work that kept more than half a core busy during a run makes its times longer: say so


def run_if_asked(status) -> None:
    """The full run that follows a press on Run: wait in line (place and Cancel shown), then measure.

    A run that was waiting when this one began left the line (Cancel, or any other click that reran the page):
    say so once, and nothing is measured.
    """
    if controls.run_state() == "waiting":
        controls.run_ends()
        status.info(t("complexity.cancelled"), icon=":material/cancel:")
    elif controls.run_state() == "asked":
        controls.run_waits()
        run_measurements(status)


def run_measurements(status) -> None:
    """Measure the chosen methods over the chosen n in a worker process, with progress; keep the results in the session.

    The run waits its turn in the process's line for heavy work (its place shown, and Cancel), so nothing else
    heavy of ours runs beside it; the machine's load while it measured is read too, and a busy machine is named.
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
    waiting = status.empty()
    with work_line.shared().turn(wait_in_line(waiting.container())):
        controls.run_ends()
        waiting.empty()
        before = work_line.cpu_times()
        measure_in_turn(jobs, status)
        others = work_line.busy_cores(before, work_line.cpu_times())
    if others is not None and others - SETTINGS.get("threads") > BUSY_CORES:  # our run's own cores left out
        busy = f"{others - SETTINGS.get('threads'):.1f}"
        status.warning(t("complexity.busy", others=busy, cores=os.cpu_count()), icon=":material/speed:")


def wait_in_line(box) -> Callable[[int], None]:
    """What a student waiting in the process's line sees: their place, and Cancel (a click reruns the page, which
    interrupts the wait at its next redraw of the place and gives the place up)."""
    note = box.empty()
    box.button(t("complexity.cancel"), key="w.complexity.cancel", icon=":material/cancel:")
    return lambda place: note.info(t("complexity.in_line", place=place), icon=":material/hourglass_top:")


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
