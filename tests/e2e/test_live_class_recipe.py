"""A live class where it runs: the class recipe (deploy/serve_class.py) with a room, on SQLite and on Redis.

Two Streamlit processes behind nginx share the rooms (``--rooms``: a SQLite file both open, or a
redis-server this module starts, tests/redis_server.py).  The teacher is pinned to one process and the
students to the other by the recipe's ``ae_backend`` cookie, so everything a student sees went
through the store.  Teacher and students are websocket sessions that act as browsers
(benchmarks/live_client.py); a student follows as the page does, rerunning its poll fragment every
second.

- The teacher's setting reaches every student within 2 s; the guided question the teacher sends
  reaches them; their answers reach the teacher's count and histogram; the Reveal reaches them,
  each with their own result.
- During a question, the students' process is killed with ``kill -9``: the supervisor restarts it,
  the students reconnect (to the live process) and find the room as it was (following, the question,
  their own answer), every answer given before the kill is counted, and the room works on (a new
  answer, the Reveal).

Needs nginx and, for the Redis half, redis-server (Debian packages): skipped without them, failed under
CI=true.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.redis_server import binary as redis_binary
from tests.redis_server import redis_server
from ui.i18n import catalogs

from .fixtures import REPO
from .helpers import run_async
from .test_fault import HAS_NGINX, backend_pid, backend_ports, port_in_range, serving_class, wait_up

sys.path.insert(0, str(REPO / "benchmarks"))
from live_client import LiveSession, follow_until, ok  # noqa: E402

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not HAS_NGINX and os.environ.get("CI") != "true", reason="nginx is not installed"),
]
EN = catalogs()["en"]
STUDENTS = 3
FOLLOWED_WITHIN = 2.0  # seconds from the teacher's change to every student showing it (issue 26)
BACK_WITHIN = 15.0  # seconds from the kill until the killed process answers its health check again
COME_BACK_WITHIN = 20.0  # seconds from the kill until a student's page is answered again with the room
PAGE = "query"  # the Query page: a setting (the temperature) and a guided question (the most attended token)


@dataclass
class Recipe:
    url: str
    launcher: object  # the serve_class process
    log: Path
    store: str  # "sqlite" or "redis"


@pytest.fixture(scope="module", params=["sqlite", "redis"])
def recipe(request, tmp_path_factory):
    """serve_class with 2 processes on the store ``request.param``, behind nginx on a port of 8780–8799."""
    folder = tmp_path_factory.mktemp(f"live-{request.param}")
    with contextlib.ExitStack() as stack:
        if request.param == "redis":
            if redis_binary() is None:
                if os.environ.get("CI") == "true":
                    pytest.fail("redis-server is not installed (.ci/run installs it)")
                pytest.skip("redis-server is not installed (Debian: apt-get install redis-server)")
            rooms = stack.enter_context(redis_server(folder, port_in_range(6380, 6389)))
        else:
            rooms = f"sqlite:///{folder / 'rooms.sqlite3'}"  # the default store, in a file of this test's own
        log = folder / "serve_class.log"
        url, launcher = stack.enter_context(serving_class(log, port_in_range(8780, 8799), "--rooms", rooms))
        yield Recipe(url, launcher, log, request.param)


# ---------------------------------------------------------------------- a class


@dataclass
class Class:
    teacher: LiveSession
    students: list[LiveSession]
    code: str
    teacher_link: str  # the sidebar's "Teacher link": the room as its teacher, from another device

    @property
    def answer_key(self) -> str:
        return f"w.live.{self.code}.1"  # the first question's answer (English: no language suffix)

    async def close(self) -> None:
        for session in (self.teacher, *self.students):
            await session.close()


async def reachable(url: str, backend: str, within: float = 30.0) -> None:
    """Wait until nginx sends a browser whose cookie names ``backend`` there (after a restart: its next reload)."""
    deadline = time.monotonic() + within
    while True:
        probe = LiveSession(url, cookie=f"ae_backend={backend}", timeout=10)
        with contextlib.suppress(OSError, TimeoutError):
            await probe.connect()
            await probe.close()
        if probe.cookies["ae_backend"] == backend:
            return
        assert time.monotonic() < deadline, f"nginx does not route to {backend}"
        await asyncio.sleep(0.5)


async def open_class(url: str) -> Class:
    """A teacher on process b0 opens a room on the Query page; STUDENTS students on b1 join by the link."""
    for backend in ("b0", "b1"):
        await reachable(url, backend)
    teacher = LiveSession(url, cookie="ae_backend=b0", timeout=60)
    code = await teacher.start_class(PAGE, "temperature=1.0")
    (link,) = [code for code in teacher.codes if "teacher=" in code]  # the sidebar's "Teacher link"
    students = [LiveSession(url, cookie="ae_backend=b1", timeout=60) for _ in range(STUDENTS)]
    for student in students:
        await student.join(code)
    assert teacher.cookies["ae_backend"] == "b0"
    assert {s.cookies["ae_backend"] for s in students} == {"b1"}, "the students are on the other process"
    return Class(teacher, students, code, link)


async def all_follow(students: list[LiveSession], done, what: str, within: float = FOLLOWED_WITHIN) -> None:
    """Every student, polling every second from a phase of its own, shows ``done`` within ``within`` s."""

    async def one(i: int, student: LiveSession) -> float | None:
        await asyncio.sleep(i / len(students))  # browsers' polls are not in step
        return await follow_until(student, done, within)

    started = time.monotonic()
    took = await asyncio.gather(*(one(i, s) for i, s in enumerate(students)))
    late = [i for i, s in enumerate(took) if s is None or i / len(students) + s > within]
    assert not late, f"{what}: students {late} not within {within} s ({took}, {time.monotonic() - started:.1f} s)"


async def teacher_sends_the_question(c: Class) -> list[str]:
    """The teacher turns on the guided lesson and sends its step; the students see it. The options."""
    ok(await c.teacher.change("w.guide.query.on", True), "the guided lesson")
    ok(await c.teacher.press_label(EN["live.send"]), "Send to the class")
    await all_follow(c.students, lambda s: s.has_key(c.answer_key), "the question")
    return c.students[0].find(c.answer_key).options


async def answer(student: LiveSession, key: str, option: str) -> None:
    ok(await student.change(key, option), "picking an answer")
    ok(await student.press_label(EN["live.answer"]), "Answer")
    assert EN["live.answer_in"].format(given=option) in student.texts


async def panel(teacher: LiveSession) -> LiveSession:
    """The teacher's class panel refreshes itself (every 1.5 s in a browser): once now."""
    (fragment,) = [f for f, seconds in teacher.auto_reruns.items() if seconds == 1.5]
    ok(await teacher.run_fragment(fragment), "the class panel")
    return teacher


def answered(teacher: LiveSession) -> str:
    return teacher.metrics[EN["live.answered"]]


def counts(teacher: LiveSession) -> list[int]:
    """The histogram's bars, as printed on them."""
    return [int(text) for text in teacher.charts["chart.live.answers"]["data"][0]["text"]]


async def reveal(c: Class, given: dict[int, str]) -> None:
    """The teacher reveals; every student sees the answer, with their own result (right or not)."""
    ok(await c.teacher.press("w.live.reveal.1"), "Reveal")
    await all_follow(c.students, lambda s: bool(s.alerts), "the reveal")
    right = set()
    for i, student in enumerate(c.students):
        assert not student.has_key(c.answer_key), "no answering after the reveal"
        kind, text = student.alerts[0]
        assert kind in ("success", "warning"), student.alerts  # right, or wrong with the answer
        assert given[i] in text, (given[i], text)  # their own answer is named either way
        if kind == "success":
            right.add(given[i])
    assert len(right) <= 1, f"one right answer: {right}"


# ---------------------------------------------------------------------- the tests


def test_students_on_one_process_follow_a_teacher_on_the_other(recipe):
    async def go():
        c = await open_class(recipe.url)
        try:
            ok(await c.teacher.change("w.score.temperature", "2.0"), "the teacher's temperature")
            assert c.teacher.setting("temperature") == "2.0"
            await all_follow(c.students, lambda s: s.setting("temperature") == "2.0", "the temperature")
            for student in c.students:
                for name in ("kind", "n", "seed", "method", "q"):
                    assert student.setting(name) == c.teacher.setting(name), name

            options = await teacher_sends_the_question(c)
            assert len(options) >= 2
            given = {i: options[i % len(options)] for i in range(STUDENTS)}
            for i in (0, 1):
                await answer(c.students[i], c.answer_key, given[i])
            assert answered(await panel(c.teacher)) == EN["live.answered_of"].format(answered=2, students=STUDENTS)
            ok(await c.teacher.change("w.live.show.1", True), "Show answers")
            bars = counts(c.teacher)
            assert sum(bars) == 2 and bars[options.index(given[0])] >= 1 and bars[options.index(given[1])] >= 1
            await answer(c.students[2], c.answer_key, given[2])
            await panel(c.teacher)
            assert answered(c.teacher) == EN["live.answered_of"].format(answered=3, students=STUDENTS)
            assert sum(counts(c.teacher)) == 3
            await reveal(c, given)
        finally:
            await c.close()

    run_async(go())


def test_a_change_from_one_fragment_reruns_that_fragment_on_every_student(recipe):
    """The teacher's temperature (the charts' fragment) and q (the query editor's) reach each student by a
    run of that fragment alone, which draws no sidebar generator (``w.seq.n``); the generator's n, drawn by
    the whole page, reaches them by a whole run.  Either way the student's charts are the teacher's.  With
    the guided lesson on, a change also moves the step the class is to predict: still that fragment's run,
    and the students' pages still wait for their prediction."""

    async def follows(c: Class, key: str, value, name: str, whole: bool) -> None:
        ok(await c.teacher.change(key, value), f"the teacher's {key}")
        wanted = c.teacher.setting(name)
        # which run took the change is the point here, not how soon (the test above times it)
        await all_follow(c.students, lambda s: s.setting(name) == wanted, name, within=3 * FOLLOWED_WITHIN)
        for student in c.students:
            assert student.has_key("w.seq.n") == whole, f"{key}: the student's run was {'not ' * whole}a whole run"
            if "chart.weights" in student.charts:  # hidden while the class predicts (the guided lesson)
                assert student.charts["chart.weights"]["data"] == c.teacher.charts["chart.weights"]["data"], key
            assert student.query_string.split("&room=")[0] == c.teacher.query_string.split("&room=")[0]

    async def go():
        c = await open_class(recipe.url)
        try:
            await follows(c, "w.score.temperature", "2.0", "temperature", whole=False)
            await follows(c, "w.q.dim.0", 1.5, "q", whole=False)
            await follows(c, "w.seq.n", 6, "n", whole=True)
            await follows(c, "w.score.temperature", "0.5", "temperature", whole=False)
            # the guided lesson on: the step the class is to predict moves with each change, in the same fragment
            await follows(c, "w.guide.query.on", True, "guide", whole=False)
            await follows(c, "w.score.temperature", "2.0", "temperature", whole=False)
            assert all(EN["live.predict"] in " ".join(s.texts) for s in c.students), "the class predicts first"
        finally:
            await c.close()

    run_async(go())


async def come_back(student: LiveSession, within: float) -> None:
    """Poll as the page does; when the websocket dropped, reconnect as the frontend does, until answered."""
    deadline = time.monotonic() + within
    while True:
        rerun = await student.poll()
        if not rerun.failed:
            return
        assert time.monotonic() < deadline, f"never answered again: {rerun.status} {rerun.exceptions}"
        with contextlib.suppress(Exception):  # the frontend retries whatever went wrong
            rerun = await student.reconnect(was_running=not rerun.status.startswith("closed before sending"))
            if rerun is not None and not rerun.failed:
                return
        await asyncio.sleep(0.5)


def test_killing_the_students_process_during_a_question_loses_nothing(recipe):
    ports = backend_ports(recipe.log)

    async def go():
        c = await open_class(recipe.url)
        try:
            options = await teacher_sends_the_question(c)
            given = {i: options[i % len(options)] for i in range(STUDENTS)}
            for i in (0, 1):
                await answer(c.students[i], c.answer_key, given[i])
            pid = backend_pid(recipe.launcher, ports["b1"])
            os.kill(pid, signal.SIGKILL)
            killed_at = time.monotonic()
            await asyncio.gather(*(come_back(s, COME_BACK_WITHIN) for s in c.students))
            print(f"students answered again {time.monotonic() - killed_at:.1f} s after the kill")
            for i, student in enumerate(c.students):
                assert student.cookies["ae_backend"] == "b0", "answered by the live process"
                assert student.setting("room") == c.code and student.has_key(c.answer_key), "the question, as it was"
                assert EN["live.following"] in student.texts
                if i in given and i < 2:  # their own answer, read back from the room
                    assert EN["live.answer_in"].format(given=given[i]) in student.texts
            assert answered(await panel(c.teacher)) == EN["live.answered_of"].format(answered=2, students=STUDENTS)

            await answer(c.students[2], c.answer_key, given[2])  # the room works on
            assert answered(await panel(c.teacher)) == EN["live.answered_of"].format(answered=3, students=STUDENTS)
            await reveal(c, given)
        finally:
            await c.close()
        back = await asyncio.to_thread(wait_up, ports["b1"], BACK_WITHIN)
        assert back is not None, f"b1 not back within {BACK_WITHIN:.0f} s of the kill"
        assert backend_pid(recipe.launcher, ports["b1"]) != pid

    run_async(go())
    assert "was killed by SIGKILL" in recipe.log.read_text(errors="replace")


def test_killing_the_teachers_process_during_a_question_loses_no_teacher_state(recipe):
    """The teacher's key lives in the teacher's session only (issue 26): their way back is the teacher link.

    The students (on the other process) never notice; the teacher, back through the teacher link on the
    live process (on the page they had open: opened on the home page, the link takes the class there),
    finds the room as it was (the question, the answers counted) and reveals.
    """
    ports = backend_ports(recipe.log)

    async def go():
        c = await open_class(recipe.url)
        again = LiveSession(recipe.url, cookie="ae_backend=b0", timeout=60)  # the teacher's other tab
        try:
            options = await teacher_sends_the_question(c)
            given = {i: options[i % len(options)] for i in range(STUDENTS)}
            for i in (0, 1):
                await answer(c.students[i], c.answer_key, given[i])
            os.kill(backend_pid(recipe.launcher, ports["b0"]), signal.SIGKILL)
            for student in c.students:  # on the live process: nothing happened
                ok(await student.poll(), "a student's poll after the teacher's process died")
                assert student.cookies["ae_backend"] == "b1"

            await again.connect()
            # the teacher link, on the page the teacher had open (its address: the settings and the room)
            key = c.teacher_link.split("teacher=", 1)[1]
            ok(await again.open(PAGE, f"{c.teacher.query_string}&teacher={key}"), "the teacher link")
            assert again.cookies["ae_backend"] == "b1", "the live process"
            assert answered(await panel(again)) == EN["live.answered_of"].format(answered=2, students=STUDENTS)
            await answer(c.students[2], c.answer_key, given[2])
            assert answered(await panel(again)) == EN["live.answered_of"].format(answered=3, students=STUDENTS)
            c.teacher = again
            await reveal(c, given)
        finally:
            await c.close()
        back = await asyncio.to_thread(wait_up, ports["b0"], BACK_WITHIN)
        assert back is not None, f"b0 not back within {BACK_WITHIN:.0f} s of the kill"

    run_async(go())
