"""One process dies, the class goes on: the class recipe (deploy/serve_class.py) under a crash and a hang.

Two Streamlit processes behind nginx; ten students, each a websocket session
that acts as a browser (benchmarks/st_client.py: it keeps the cookies nginx
sets on the handshake, and when its websocket drops it connects again and
reruns with its query string and widget values, as Streamlit's frontend does),
open the Query page with their own settings and click (the temperature) about
twice a second.  Then one process is killed with ``kill -9`` (a segfault, the
OOM killer), and in the second test stopped with SIGSTOP (a hung process):

- the other process's students never notice: no failed click, p95 about the same;
- every student of the faulty process is answered again on the live process,
  with its page and settings, within 10 s of a crash, and within
  serve_class.HUNG_AFTER + 10 s of a hang (the stated timeout: a hung process
  is killed after HUNG_AFTER seconds without a health answer);
- the faulty process is back within 15 s (of the kill, or of being killed as
  hung) and takes new browsers.

Needs nginx (Debian: ``apt-get install nginx``): skipped without it, failed under CI=true.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from tests.server import healthy as _healthy

from .fixtures import REPO
from .helpers import run_async

sys.path.insert(0, str(REPO / "deploy"))
sys.path.insert(0, str(REPO / "benchmarks"))
import procfs  # noqa: E402
import serve_class  # noqa: E402
from st_client import BrowserSession, Rerun  # noqa: E402

HAS_NGINX = bool(shutil.which("nginx") or os.path.exists("/usr/sbin/nginx"))
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not HAS_NGINX and os.environ.get("CI") != "true", reason="nginx is not installed"),
]
STUDENTS = 10
THINK = 0.5  # seconds between a student's clicks
TEMPERATURES = ["0.5", "1.0", "2.0"]
CRASH_ANSWERED_WITHIN = 10.0  # seconds from kill -9 to a crashed process's students answered again
BACK_WITHIN = 15.0  # seconds from the kill until the process answers its health check again
HANG_ANSWERED_WITHIN = serve_class.HUNG_AFTER + 10.0  # the stated timeout, plus the reconnect


def port_in_range(first: int = 8700, last: int = 8799) -> int:
    """A free port in ``first``–``last`` (the range these tests may use)."""
    for port in range(first, last + 1):
        try:
            with socket.socket() as s:
                s.bind(("127.0.0.1", port))
            return port
        except OSError:
            continue
    pytest.fail(f"no free port in {first}–{last}")


@contextlib.contextmanager
def serving_class(log: Path, port: int, *args: str) -> Iterator[tuple[str, subprocess.Popen]]:
    """(URL, launcher process): serve_class with 2 processes on 127.0.0.1:``port`` (``args``: more options)."""
    assert HAS_NGINX, "the class recipe needs nginx (Debian: apt-get install nginx; .ci/run installs it)"
    command = [sys.executable, "deploy/serve_class.py", "--procs", "2", "--port", str(port), "--address", "127.0.0.1"]
    with open(log, "wb") as out:
        launcher = subprocess.Popen(
            [*command, *args],
            cwd=REPO,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while not _healthy(url + "/_stcore/health"):
            if launcher.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"serve_class did not start:\n{log.read_text(errors='replace')[-3000:]}", pytrace=False)
            time.sleep(0.25)
        yield url, launcher
    finally:
        launcher.send_signal(signal.SIGTERM)  # the launcher stops nginx and both Streamlit processes
        try:
            launcher.wait(timeout=30)
        except subprocess.TimeoutExpired:
            launcher.kill()
            launcher.wait()


@pytest.fixture(scope="module")
def class_server(tmp_path_factory):
    """(URL, launcher process, log path): serve_class with 2 processes on 127.0.0.1."""
    log = tmp_path_factory.mktemp("fault") / "serve_class.log"
    with serving_class(log, port_in_range()) as (url, launcher):
        yield url, launcher, log


def backend_ports(log: Path) -> dict[str, int]:
    """{"b0": port, "b1": port} from the launcher's start line."""
    deadline = time.monotonic() + 10  # nginx answers a moment before the launcher prints the line
    while not (found := re.search(r"streamlit on 127\.0\.0\.1:\[([\d, ]+)\]", log.read_text(errors="replace"))):
        assert time.monotonic() < deadline, log.read_text(errors="replace")[-2000:]
        time.sleep(0.2)
    return {f"b{i}": int(p) for i, p in enumerate(found[1].split(","))}


def backend_pid(launcher: subprocess.Popen, port: int) -> int:
    for pid in procfs.streamlit_pids(launcher.pid):
        if f"--server.port\0{port}\0".encode() in procfs.cmdline(pid):
            return pid
    raise AssertionError(f"no Streamlit process on port {port}")


def both_up(log: Path) -> None:
    for port in backend_ports(log).values():
        assert wait_up(port, 60) is not None
    time.sleep(1)  # and nginx has taken them in (the launcher checks twice a second)


def wait_up(port: int, timeout: float) -> float | None:
    """Seconds until the process on ``port`` answers "ok" (None: not within ``timeout``)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if _healthy(f"http://127.0.0.1:{port}/_stcore/health"):
            return time.monotonic() - started
        time.sleep(0.2)
    return None


@dataclass
class Click:
    sent: float  # time.monotonic()
    backend: str  # the process the student's cookie named when it clicked
    rerun: Rerun


@dataclass
class Student:
    """One browser tab on the Query page with its own settings."""

    number: int
    session: BrowserSession
    settings: dict[str, str] = field(default_factory=dict)  # seed and n, as the URL holds them
    clicks: list[Click] = field(default_factory=list)
    answered_again: list[tuple[float, str, dict]] = field(default_factory=list)  # (when, backend, settings)
    problems: list[str] = field(default_factory=list)

    @property
    def backend(self) -> str:
        return self.session.cookies.get("ae_backend", "")

    def url_settings(self) -> dict[str, str]:
        found = parse_qs(self.session.query_string)
        return {name: found.get(name, [""])[0] for name in ("seed", "n", "temperature")}

    async def open(self) -> None:
        await self.session.connect()
        rerun = await self.session.open("query", f"n={5 + self.number % 4}&seed={self.number}&temperature=1.0")
        assert rerun.status == "ok" and not rerun.exceptions, (rerun.status, rerun.exceptions)
        self.settings = self.url_settings()

    async def click_until(self, stop: float) -> None:
        """Click every THINK s; when the websocket drops (or a click times out), reconnect as the frontend does."""
        turn = self.number
        while time.monotonic() < stop:
            await asyncio.sleep(THINK * (0.5 + (turn * 0.37) % 1))
            turn += 1
            backend, sent = self.backend, time.monotonic()
            rerun = await self.click(turn)
            self.clicks.append(Click(sent, backend, rerun))
            if rerun.failed:
                # the frontend reruns at once after reconnecting if its click was under way; an idle tab
                # (the websocket closed before the click was sent) waits for the student's next click
                await self.come_back(was_running=not rerun.status.startswith("closed before sending"), turn=turn)

    async def click(self, turn: int) -> Rerun:
        """The temperature slider, inside the page's fragment: a fragment rerun."""
        return await self.session.change("w.score.temperature", TEMPERATURES[turn % len(TEMPERATURES)])

    async def come_back(self, was_running: bool, turn: int) -> None:
        give_up = time.monotonic() + 60
        while time.monotonic() < give_up:
            try:
                rerun = await self.session.reconnect(was_running)
                if rerun is None:  # idle: the student clicks again
                    rerun = await self.click(turn + 1)
            except Exception as exc:  # noqa: BLE001 - the frontend retries whatever went wrong
                self.problems.append(f"reconnect: {type(exc).__name__}: {exc}")
                await asyncio.sleep(0.3)
                continue
            if rerun.status == "ok" and not rerun.exceptions:
                self.answered_again.append((time.monotonic(), self.backend, self.url_settings()))
                return
            self.problems.append(f"after reconnect: {rerun.status} {rerun.exceptions}")
            await asyncio.sleep(0.3)
        self.problems.append("never answered again")


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)] if values else 0.0


async def a_class(url: str) -> list[Student]:
    students = [Student(i, BrowserSession(url, timeout=60)) for i in range(STUDENTS)]
    for student in students:  # one after the other: each open websocket counts for nginx's least_conn
        await student.open()
    spread = {b: sum(s.backend == b for s in students) for b in ("b0", "b1")}
    assert min(spread.values()) >= 2, f"the students did not spread over both processes: {spread}"
    return students


async def new_browsers_reach(url: str, backend: str, tries: int = 4) -> list[str]:
    """Open the Query page in up to ``tries`` new browsers until one lands on ``backend``; their backends."""
    landed = []
    for _ in range(tries):
        session = BrowserSession(url, timeout=60)
        await session.connect()
        rerun = await session.open("query")
        assert rerun.status == "ok" and not rerun.exceptions, (rerun.status, rerun.exceptions)
        landed.append(session.cookies["ae_backend"])
        await session.close()
        if landed[-1] == backend:
            break
    return landed


def check_class(students: list[Student], faulty: str, fault_at: float, answered_within: float) -> None:
    """The other process's students never noticed; the faulty one's were answered again in time, as before."""
    calm = [s for s in students if s.clicks and s.clicks[0].backend != faulty]
    hit = [s for s in students if s.clicks and s.clicks[0].backend == faulty]
    assert calm and hit
    for s in calm:
        failed = [c.rerun.status for c in s.clicks if c.rerun.failed]
        assert not failed and not s.problems, f"student {s.number} on the live process noticed: {failed} {s.problems}"
    before = [c.rerun.seconds for s in calm for c in s.clicks if c.sent < fault_at]
    after = [c.rerun.seconds for s in calm for c in s.clicks if c.sent >= fault_at]
    print(f"live process's clicks: p95 {p95(before):.3f} s before the fault, {p95(after):.3f} s after")
    assert len(after) >= 10
    # "unchanged" on a shared 2-core machine, where the restarting process's imports compete for the CPU
    assert p95(after) <= max(3 * p95(before), 1.0), (p95(before), p95(after))
    for s in hit:
        assert not s.problems, f"student {s.number}: {s.problems}"
        assert s.answered_again, f"student {s.number} of the faulty process was never answered again"
        when, backend, settings = s.answered_again[0]
        assert when - fault_at <= answered_within, f"student {s.number} answered after {when - fault_at:.1f} s"
        assert backend != faulty, "answered again by the live process (the cookie names it now)"
        assert {k: settings[k] for k in ("seed", "n")} == {k: s.settings[k] for k in ("seed", "n")}  # its page
        # and it goes on clicking there
        assert any(c.rerun.status == "ok" and c.sent > when for c in s.clicks), f"student {s.number}"
        # no click waited on the faulty process longer than the stated timeout (plus a round of checks)
        longest = max(c.rerun.seconds for c in s.clicks)
        assert longest <= serve_class.HUNG_AFTER + 3, f"student {s.number} waited {longest:.1f} s for a click"


async def run_fault(url: str, launcher, log: Path, fault: signal.Signals) -> None:
    ports = backend_ports(log)
    for port in ports.values():
        assert wait_up(port, 60) is not None
    students = await a_class(url)
    counts = {b: sum(s.backend == b for s in students) for b in ports}
    faulty = max(counts, key=counts.get)
    pid = backend_pid(launcher, ports[faulty])
    stop = time.monotonic() + 6 + answered_after(fault) + 8
    clicking = asyncio.gather(*(s.click_until(stop) for s in students))
    await asyncio.sleep(6)  # the class clicks normally first
    fault_at = time.monotonic()
    os.kill(pid, fault)
    if fault == signal.SIGSTOP:  # the supervisor kills a hung process; the test waits for that first
        gone = await asyncio.to_thread(wait_gone, pid, serve_class.HUNG_AFTER + 5)
        assert gone, f"the hung process was not killed within {serve_class.HUNG_AFTER + 5:.0f} s"
    back = await asyncio.to_thread(wait_up, ports[faulty], BACK_WITHIN)
    assert back is not None, f"{faulty} not back within {BACK_WITHIN:.0f} s:\n{log.read_text()[-2000:]}"
    assert launcher.poll() is None, "the launcher stays up"
    await clicking
    for s in students:
        await s.session.close()
    check_class(students, faulty, fault_at, answered_after(fault))
    assert faulty in await new_browsers_reach(url, faulty), "the process that came back takes new browsers"
    assert backend_pid(launcher, ports[faulty]) != pid


def answered_after(fault: signal.Signals) -> float:
    return CRASH_ANSWERED_WITHIN if fault == signal.SIGKILL else HANG_ANSWERED_WITHIN


def wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stat = procfs.cmdline(pid)
        if not stat or _zombie(pid):
            return True
        time.sleep(0.2)
    return False


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def test_a_crashed_process_is_restarted_and_its_students_come_back_on_the_live_one(class_server):
    url, launcher, log = class_server
    run_async(run_fault(url, launcher, log, signal.SIGKILL))
    text = log.read_text(errors="replace")
    assert "was killed by SIGKILL" in text and "restarting it" in text  # the launcher says why


def test_a_hung_process_is_killed_after_the_stated_timeout_and_its_students_come_back(class_server):
    url, launcher, log = class_server
    run_async(run_fault(url, launcher, log, signal.SIGSTOP))
    assert f"answered nothing for {serve_class.HUNG_AFTER:.0f} s: killed" in log.read_text(errors="replace")


async def move_to_the_other_process(url: str) -> tuple[BrowserSession, dict, Rerun]:
    """A tab that was reading when its process died: on reconnecting it lands on the other one, and clicks.

    (The move is made by naming the other process in the cookie, as nginx does when the first one is down.)
    Returns the session, its settings before the move and the first click's rerun after it.
    """
    session = BrowserSession(url, timeout=30)
    await session.connect()
    rerun = await session.open("query", "n=7&seed=3&temperature=2.0")
    assert rerun.status == "ok"
    before = parse_qs(session.query_string)
    first = session.cookies["ae_backend"]
    session.cookies["ae_backend"] = "b1" if first == "b0" else "b0"
    assert await session.reconnect(was_running=False) is None  # an idle tab sends nothing on reconnecting
    assert session.cookies["ae_backend"] != first
    rerun = await session.change("w.score.temperature", "0.5")  # a fragment's widget
    return session, before, rerun


def test_the_first_click_after_a_move_to_another_process_is_answered_with_the_same_page(class_server):
    url, launcher, log = class_server
    both_up(log)

    async def go():
        session, before, rerun = await move_to_the_other_process(url)
        await session.close()
        # before deploy/streamlit_main.py: no answer at all (the new session drops a fragment's rerun)
        assert rerun.status == "ok" and not rerun.exceptions, (rerun.status, rerun.exceptions)
        after = parse_qs(session.query_string)
        assert {k: after[k] for k in ("n", "seed")} == {k: before[k] for k in ("n", "seed")}

    run_async(go())


def test_the_first_click_after_a_move_keeps_its_value(class_server):
    url, launcher, log = class_server
    both_up(log)

    async def go():
        session, before, rerun = await move_to_the_other_process(url)
        await session.close()
        assert rerun.status == "ok"
        assert parse_qs(session.query_string)["temperature"] == ["0.5"]

    run_async(go())
