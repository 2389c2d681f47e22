"""What following the teacher costs when nothing changes: one idle poll of a live class's follower.

    .venv/bin/python benchmarks/bench_live_follow.py                # 8 rounds of 40 polls each side
    .venv/bin/python benchmarks/bench_live_follow.py --rounds 3 --polls 20 --port 8725

Issue 26 part 5: a student following the teacher checks the room every second with a small
``st.fragment(run_every=1 s)`` (ui/live/follow.py ``poll``) that reads one version number and reruns the
page only when the teacher changed something.  Forty students polling must not cost the class.

Two servers run side by side: the app, and the reference, a page whose only content is a fragment that
draws nothing and does nothing (``bare_fragment_app.py``).  A teacher session opens a class on the app; a
student session joins it by the link (websocket sessions that act as browsers, ``st_client.py``).  Then,
in interleaved rounds, the student's poll fragment and the reference's fragment are rerun ``--polls``
times each, as a browser does when the fragment is due; the servers' CPU seconds (``/proc``) over each
round, divided by the polls, give the CPU of one poll.  Printed: medians over the rounds of CPU and wall
time per poll, the ratio of the follower's poll to the bare fragment's (target ≤ 2×: the poll adds a
session-state lookup and one version read of the room's SQLite file, the default store), that no idle poll reran the page (every one ended as a
fragment run and drew nothing), and, for scale, the follower's whole page run (what a teacher's change
costs each student).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from procfs import cpu_seconds, loadavg  # noqa: E402
from st_client import BrowserSession  # noqa: E402

from classroom.open_store import ROOMS_ENV  # noqa: E402
from tests.server import streamlit_server  # noqa: E402

TARGET = 2.0  # an idle poll may cost at most this many bare fragment reruns
BARE_APP = Path(__file__).resolve().parent / "bare_fragment_app.py"


class Reader(BrowserSession):
    """A browser session that also keeps the Markdown it was sent (the room's code is one heading)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.texts: list[str] = []
        self.page_deltas = 0  # elements drawn outside any fragment: a page run

    def _element(self, element, fragment_id, seen, result):
        if element.WhichOneof("type") == "markdown":
            self.texts.append(element.markdown.body)
        if not fragment_id:
            self.page_deltas += 1
        super()._element(element, fragment_id, seen, result)


def server_pid(base_url: str) -> int:
    """The pid of the Streamlit process listening at ``base_url`` (the one this script started)."""
    port = base_url.rsplit(":", 1)[1]
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                argv = (proc / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"streamlit" in b" ".join(argv) and port.encode() in argv:
                return int(proc.name)
    raise SystemExit(f"no streamlit process for {base_url}")


async def poll_round(session: Reader, fragment_id: str, pid: int, polls: int) -> tuple[float, float, int]:
    """(server CPU seconds a poll, wall seconds a poll, page runs seen) over ``polls`` reruns of the fragment."""
    deltas = session.page_deltas
    cpu, wall = cpu_seconds(pid), time.perf_counter()
    for _ in range(polls):
        result = await session.run_fragment(fragment_id)
        if result.status != "ok" or result.exceptions:
            raise SystemExit(f"a poll failed: {result.status} {result.exceptions}")
    await asyncio.sleep(0.05)  # the server's last message goes out before its CPU is read
    return (cpu_seconds(pid) - cpu) / polls, (time.perf_counter() - wall) / polls, session.page_deltas - deltas


async def main(args) -> None:
    with ExitStack() as stack:
        logs = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        env = os.environ | {ROOMS_ENV: f"sqlite:///{logs / 'rooms.sqlite3'}"}  # the default store, a file of its own
        app = stack.enter_context(streamlit_server(logs / "app.log", port=args.port, env=env))
        bare = stack.enter_context(streamlit_server(logs / "bare.log", port=args.port + 1, script=str(BARE_APP)))
        app_pid, bare_pid = server_pid(app), server_pid(bare)

        teacher = Reader(app)
        await teacher.connect()
        await teacher.open("home")
        await teacher.press("w.live.start")
        code = next(m.group(1) for text in teacher.texts if (m := re.fullmatch(r"## ([A-Z2-9]{6})", text)))
        student = Reader(app)
        await student.connect()
        joined = await student.open("", f"room={code}")
        if joined.failed or "seat=" not in student.query_string:
            raise SystemExit(f"the student did not join: {joined}")
        (follow_id,) = student.auto_reruns
        reference = Reader(bare)
        await reference.connect()
        await reference.open("")
        (bare_id,) = reference.auto_reruns

        await poll_round(student, follow_id, app_pid, 5)  # warm both up
        await poll_round(reference, bare_id, bare_pid, 5)
        sides = {"follower's idle poll": [], "bare fragment rerun": []}
        page_runs = 0
        for i in range(args.rounds):
            order = [
                ("follower's idle poll", student, follow_id, app_pid),
                ("bare fragment rerun", reference, bare_id, bare_pid),
            ]
            for name, session, fragment, pid in order if i % 2 == 0 else order[::-1]:
                cpu, wall, pages = await poll_round(session, fragment, pid, args.polls)
                sides[name].append((cpu, wall))
                page_runs += pages if session is student else 0
        full = []
        for _ in range(5):
            cpu = cpu_seconds(app_pid)
            await student._rerun()  # what a teacher's change costs a follower: its whole page runs
            full.append(cpu_seconds(app_pid) - cpu)

        print(f"load average {loadavg()}; {args.rounds} rounds × {args.polls} polls a side, medians")
        print(f"{'':28} {'server CPU / poll':>18} {'wall / poll':>12}")
        for name, values in sides.items():
            cpu = statistics.median(v[0] for v in values)
            wall = statistics.median(v[1] for v in values)
            print(f"{name:28} {cpu * 1000:15.2f} ms {wall * 1000:9.2f} ms")
        follower = statistics.median(v[0] for v in sides["follower's idle poll"])
        base = statistics.median(v[0] for v in sides["bare fragment rerun"])
        ratio = follower / base if base > 0 else float("inf")
        verdict = "PASS" if ratio <= TARGET else "FAIL"
        print(f"idle poll / bare fragment rerun: {ratio:.2f}×  (target ≤ {TARGET:.0f}×) {verdict}")
        print(f"page runs during the idle polls: {page_runs}  (target 0) {'PASS' if page_runs == 0 else 'FAIL'}")
        print(
            f"for scale, the follower's whole page run (a teacher's change): {statistics.median(full) * 1000:.1f} ms CPU"
        )
        print(f"40 idle followers polling once a second: ≈ {40 * follower * 100:.1f} % of one core")
        for session in (teacher, student, reference):
            await session.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--polls", type=int, default=40, help="fragment reruns a round and side")
    parser.add_argument("--port", type=int, default=8725, help="the app's port; the reference's is the next one")
    asyncio.run(main(parser.parse_args()))
