"""The load benchmark's browser client (benchmarks/st_client.py) still speaks to the real app.

A smoke test, so the class-load benchmark cannot rot when pages change: every
widget the benchmark clicks must exist, each click must run the script to the
end without an exception and change the view's link (every setting is in the
URL), and a short run of the benchmark itself must show reruns and no errors.
No browser needed: the client speaks Streamlit's websocket protocol itself.
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))

import bench_class_load  # noqa: E402
from st_client import BrowserSession  # noqa: E402

pytestmark = pytest.mark.e2e


def in_own_thread(function, *args):
    """``function(*args)`` on a fresh thread: Playwright's sync API (other e2e tests in this
    process) leaves an event loop running on the main thread, where asyncio.run() refuses to start."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


def test_every_benchmark_click_reruns_the_page_and_changes_its_link(class_server):
    async def click_everything() -> list[str]:
        problems = []
        rng = random.Random(0)
        session = BrowserSession(class_server.url, timeout=180)
        await session.connect()
        try:
            for page, actions in bench_class_load.ACTIONS.items():
                opened = await session.open(page)
                if opened.failed:
                    problems.append(f"open {page}: {opened.status} {opened.exceptions}")
                    continue
                for key, values in actions:
                    before = session.query_string
                    value = bench_class_load.pick(session, key, values, rng)
                    rerun = await session.change(key, value)
                    if rerun.failed:
                        problems.append(f"{page} {key}={value}: {rerun.status} {rerun.exceptions}")
                    elif session.query_string == before:
                        problems.append(f"{page} {key}={value}: the link did not change ({before})")
        finally:
            await session.close()
        return problems

    assert in_own_thread(asyncio.run, click_everything()) == []


def test_a_short_load_run_has_reruns_and_no_errors(class_server, tmp_path):
    out = tmp_path / "load.json"
    code = in_own_thread(
        bench_class_load.main,
        [
            "--url",
            class_server.url,
            "--sessions",
            "2",
            "--seconds",
            "5",
            "--reference-seconds",
            "0",
            "--think",
            "0.3",
            "--timeout",
            "180",
            "--json",
            str(out),
        ],
    )
    row = json.loads(out.read_text())["rows"][-1]
    assert code == 0
    assert row["errors"] == 0, row["error_examples"]
    assert row["reruns"] >= 2 and row["clicks"] >= 1, row


def test_cancel_while_waiting_in_line_leaves_it_at_once(class_server):
    """On the real server (issue 23): while one student trains, another's Run waits in line with its place and
    Cancel; Cancel's click interrupts the wait at once (a click inside a fragment would wait for the run to end)."""

    async def cancel_in_line() -> tuple[float, list[str], bool]:
        trainer = BrowserSession(class_server.url, timeout=300)
        student = BrowserSession(class_server.url, timeout=300)
        await trainer.connect()
        await student.connect()
        try:
            await trainer.open("seq2seq", "view=train&steps=5000")  # holds the line for a while
            training = asyncio.create_task(trainer.press("w.s2s.train"))
            await student.open("complexity", "n=256-512&methods=exact")
            await asyncio.sleep(2.0)  # the training has its turn (the alerts below say that Run waited)
            running = asyncio.create_task(student.press("w.complexity.run"))
            deadline = time.monotonic() + 60
            while "w.complexity.cancel" not in student.keys():
                assert time.monotonic() < deadline and not running.done(), "Run drew no Cancel"
                await asyncio.sleep(0.1)
            await asyncio.sleep(1.0)  # waiting, its place shown
            await student.click_during_run("w.complexity.cancel")
            clicked = time.monotonic()
            rerun = await running
            return time.monotonic() - clicked, rerun.alerts, training.done()
        finally:
            await student.close()
            await trainer.close()

    seconds, alerts, training_ended = in_own_thread(asyncio.run, cancel_in_line())
    assert not training_ended  # the other student still trains: the line was still held when Cancel came
    assert any("you are number 1 in line" in a for a in alerts)
    assert any("You left the line before your run started" in a for a in alerts)
    assert not any("measured just now" in a for a in alerts)  # nothing was measured
    assert seconds < 10  # at once, not after the training
