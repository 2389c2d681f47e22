"""Every lesson followed: a teacher's click on each page reaches a student as the same state and the same charts.

A teacher opens a live class on each lesson in turn and clicks the controls the class-load benchmark
clicks there (``bench_class_load.ACTIONS``: a setting in a page's fragment, and on the Image page one in
the sidebar, which reruns the whole page).  A student (a websocket session that acts as a browser,
benchmarks/live_client.py) follows by its poll, as the page does.  After each click the student's page
state is the teacher's, every chart both drew is the same figure (data and layout), nothing failed, and
a click the teacher's page took with one fragment's run reached the student with that fragment's run
alone, not the whole page (ui/live/follow.py): the shared sidebar's language picker is drawn only by a
whole run.  One server process, its rooms in memory.
"""

from __future__ import annotations

import json
import os
import random
import sys

import pytest

from .fixtures import REPO, streamlit_server
from .helpers import run_async

sys.path.insert(0, str(REPO / "benchmarks"))
from bench_class_load import ACTIONS, pick  # noqa: E402
from live_client import LiveSession, ok  # noqa: E402

pytestmark = pytest.mark.e2e
PORT = int(os.environ.get("E2E_LIVE_PAGES_PORT", "8722"))
WHOLE_RUN = "w.lang"  # the shared sidebar's language picker: drawn by a whole run, never by a fragment's
SIDEBAR_ACTIONS = {"w.image.sample"}  # drawn outside the page's fragments: the teacher's page reruns whole


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("live-pages")
    env = os.environ | {"ATTENTION_EXPLORER_ROOMS": "memory"}
    with streamlit_server(folder / "server.log", port=PORT, env=env) as base:
        yield base


def state(session: LiveSession) -> str:
    """The page's state in the address bar, without the room's own parameters."""
    return "&".join(p for p in session.query_string.split("&") if not p.startswith(("room=", "seat=")))


def test_every_lessons_controls_reach_a_following_student(url):
    rng = random.Random(26)

    async def follow(teacher: LiveSession, student: LiveSession, key: str) -> None:
        for _ in range(3):  # a click the teacher's page makes in two runs (a fragment's, then the page's)
            ok(await student.poll(), f"the student's poll after {key}")
            if state(student) == state(teacher) and (student.charts or student.drawn):
                return
        raise AssertionError(f"{key}: the student shows {state(student)}, the teacher {state(teacher)}")

    async def go():
        for page, actions in ACTIONS.items():
            teacher, student = LiveSession(url, timeout=120), LiveSession(url, timeout=120)
            code = await teacher.start_class(page)
            await student.join(code)
            try:
                for key, values in actions:
                    value = pick(teacher, key, values, rng)
                    ok(await teacher.change(key, value), f"the teacher's {key} on {page}")
                    await follow(teacher, student, key)
                    where = f"{page}: {key} = {value}"
                    shared = [name for name in teacher.charts if name in student.charts]
                    assert shared, f"{where}: no chart drawn by both"
                    for name in shared:
                        same = json.dumps(teacher.charts[name], sort_keys=True)
                        assert json.dumps(student.charts[name], sort_keys=True) == same, f"{where}: {name}"
                    assert not [a for a in student.alerts if a[0] == "error"], f"{where}: {student.alerts}"
                    whole = key in SIDEBAR_ACTIONS
                    assert teacher.has_key(WHOLE_RUN) == whole, f"{where}: the teacher's own run"
                    assert student.has_key(WHOLE_RUN) == whole, f"{where}: the student's run was not the teacher's"
            finally:
                await teacher.close()
                await student.close()

    run_async(go())
