"""A class on one server: N browser sessions clicking at once against the real `streamlit run`.

    .venv/bin/python benchmarks/bench_class_load.py                    # 30 sessions, 60 s, 1 process
    .venv/bin/python benchmarks/bench_class_load.py --sessions 40 --procs 2   # through nginx (deploy/)
    .venv/bin/python benchmarks/bench_class_load.py --sessions 2 --seconds 5 --reference-seconds 0  # smoke

What it does, in one run:
1. starts the server: ``streamlit run app.py`` on a free port (``--procs 1``),
   or ``deploy/serve_class.py`` (nginx in front of N processes, ``--procs N``);
2. warms it up: one session opens every page once (imports, the model load),
   not counted;
3. the reference: 1 session for ``--reference-seconds``;
4. the load: ``--sessions`` sessions for ``--seconds``.
A session is a browser tab without the drawing (benchmarks/st_client.py): it
opens a page, then changes one of the page's widgets (temperature or method on
Query, heads or mask on Self-attention, layer or head on Transformer), waits
for that rerun's ``script_finished``, thinks ``--think`` s (±50 %, seeded) and
clicks again; every ``--clicks-per-page`` clicks it moves to the next page.

``--heavy-jobs N`` (issue 23, noisy neighbours): the load phase runs twice, the sessions alone and then with
N more sessions that press a heavy button again and again (3 in 5 press Train on Seq2seq with
``--train-steps`` steps, 2 in 5 Run on Complexity), each waiting for its job to end; printed beside the
two rows: the p95 ratio (target ≤ 1.5) and the heavy jobs pressed / finished / failed (none lost).

``--heavy`` opens every page from a link with the largest settings it takes
(Query with n = 4096, Self-attention with n = 2048…), the class that left a
server at 1.2–1.5 GB (issue 24).  After the last phase every session closes and
the server idles for ``--idle-seconds``; the memory line then reads
fresh (after the warm-up) → peak (under load) → idle (N s after the class left),
and whether idle is within 20 % of fresh.

It prints, for the reference and the load: sessions, duration, reruns/s,
p50/p95/max click-to-rerun-finished latency (and of page opens), errors
(exceptions on the page, compile errors, timeouts, closed sockets, missing
widgets), the kB a click receives, the server's peak RSS (the peak of the sum
over its Streamlit processes, read from /proc) and its CPU seconds per rerun,
and the load average.  Only 127.0.0.1; bounded by ``--sessions``,
``--seconds`` and ``--timeout``.  A benchmark, not a test: it exits 0 unless
the server could not start (``--fail-on-error`` makes errors fail, for the
smoke test).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "deploy"))

import procfs  # noqa: E402  (the server's processes in /proc)
import serve_class  # noqa: E402  (the launcher: ports, the class settings, the Streamlit command)
from st_client import BrowserSession, Rerun  # noqa: E402

# Per page: the widgets a student plays with, by key, and the values to pick from
# (None: any of the widget's own options).  A click sets one of them to a value it
# does not have now.
ACTIONS: dict[str, list[tuple[str, list | None]]] = {
    "query": [
        ("w.score.temperature", ["0.1", "0.3", "0.5", "1.0", "2.0", "5.0"]),
        ("w.score.method", None),
    ],
    "self-attention": [
        ("w.sa.heads", [1, 2, 4, 8]),  # all divide the default d_model = 8
        ("w.sa.mask", None),
    ],
    "model": [
        ("w.tm.layer", None),
        ("w.tm.head", None),
    ],
}


# Per page: the link a --heavy student opens it with (the largest settings the page takes, issue 24's class).
HEAVY_LINKS: dict[str, str] = {
    "query": "n=4096&d=64",
    "self-attention": "n=2048&d=64&d_model=64&heads=8",
    "model": "",
}
IDLE_WITHIN = 0.2  # the idle RSS after the class leaves may exceed the fresh one by this fraction


# ------------------------------------------------------------------ the server


@dataclass
class Server:
    """The server under test: its URL, the process we started, and its Streamlit pids."""

    url: str
    proc: subprocess.Popen
    log: Path

    def streamlit_pids(self) -> list[int]:
        """Our process if it is Streamlit, else its children running Streamlit (the launcher's)."""
        return procfs.streamlit_pids(self.proc.pid)

    def backend_urls(self) -> list[str]:
        """Each Streamlit process's own address (behind nginx: the ports the launcher chose)."""
        urls = []
        for pid in self.streamlit_pids():
            args = procfs.cmdline(pid).split(b"\0")
            urls.append(f"http://127.0.0.1:{int(args[args.index(b'--server.port') + 1])}")
        return urls

    def stop(self) -> None:
        """SIGTERM (the launcher stops its children), then SIGKILL the whole process group."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)  # its own group (start_new_session): only what we started
        except ProcessLookupError:
            pass
        self.proc.wait()


@dataclass
class ExistingServer:
    """A server someone else runs (``--url``): nothing to start or stop, no processes to read."""

    url: str

    def streamlit_pids(self) -> list[int]:
        return []

    def backend_urls(self) -> list[str]:
        return [self.url]

    def stop(self) -> None:
        pass


def launcher(root: Path):
    """The launcher module of the checkout at ``root`` (another commit's, to compare it in the same run)."""
    if root == ROOT:
        return serve_class
    spec = importlib.util.spec_from_file_location(f"serve_class_{abs(hash(root))}", root / "deploy" / "serve_class.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def start_server(
    procs: int,
    torch_threads: int | None,
    log: Path,
    root: Path = ROOT,
    launcher_args: list[str] = (),
    port: int | None = None,
) -> Server:
    """The app of the checkout at ``root``, served as that checkout serves it (its own launcher), on ``port``
    (None: a free one)."""
    serve_class = launcher(root)
    port = port or serve_class.free_port()
    env = dict(os.environ)
    if torch_threads is not None:
        env["ATTENTION_EXPLORER_TORCH_THREADS"] = str(torch_threads)
    if procs == 1:
        command = serve_class.streamlit_command(port)
        env["STREAMLIT_SERVER_COOKIE_SECRET"] = secrets.token_hex(32)
    else:
        command = [
            sys.executable,
            str(root / "deploy" / "serve_class.py"),
            "--procs",
            str(procs),
            "--port",
            str(port),
            "--address",
            "127.0.0.1",
        ]
        if torch_threads is not None:
            command += ["--torch-threads", str(torch_threads)]
        command += list(launcher_args)
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            command,
            cwd=root,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    server = Server(f"http://127.0.0.1:{port}", proc, log)
    deadline = time.monotonic() + serve_class.START_TIMEOUT
    while not serve_class.healthy(server.url + "/_stcore/health"):
        if proc.poll() is not None or time.monotonic() > deadline:
            server.stop()
            raise SystemExit(
                f"the server did not start: {' '.join(command)}\n{log.read_text(errors='replace')[-3000:]}"
            )
        time.sleep(0.25)
    return server


class ProcSampler:
    """Samples the Streamlit processes' RSS every 0.5 s (peak of the sum) and reads their CPU time."""

    def __init__(self, pids: list[int]):
        self.pids = pids
        self.peak_total = 0
        self.peak_each = {pid: 0 for pid in pids}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    rss = staticmethod(serve_class.rss_bytes)  # the launcher's own reading, which its memory ceiling uses

    def cpu(self) -> dict[int, float]:
        return {pid: procfs.cpu_seconds(pid) for pid in self.pids}

    def _run(self) -> None:
        while not self._stop.is_set():
            each = {pid: self.rss(pid) for pid in self.pids}
            self.peak_total = max(self.peak_total, sum(each.values()))
            for pid, value in each.items():
                self.peak_each[pid] = max(self.peak_each[pid], value)
            self._stop.wait(0.5)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


# ------------------------------------------------------------------ the students


@dataclass
class Tally:
    clicks: list[Rerun] = field(default_factory=list)
    opens: list[Rerun] = field(default_factory=list)
    clicks_by_page: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def add(self, rerun: Rerun, what: str, page: str) -> None:
        (self.opens if what == "open" else self.clicks).append(rerun)
        if what == "click":
            self.clicks_by_page.setdefault(page, []).append(rerun.seconds)
        if rerun.failed:
            self.errors.append(f"{page} {what}: {rerun.status} {'; '.join(rerun.exceptions)}".strip())


def pick(session: BrowserSession, key: str, values: list | None, rng: random.Random):
    """A value for widget ``key`` other than the one it has now."""
    widget = session.find(key)
    current = session.value(key)
    current = current[0] if isinstance(current, list) and current else current
    choices = values if values is not None else widget.options
    others = [v for v in choices if str(v) != str(current) and v != current]
    return rng.choice(others or choices)


async def student(
    number: int, url: str, pages: list[str], until: float, clicks_per_page: int, args, tally: Tally
) -> None:
    """One browser tab: open a page, click its widgets with think time, move on to the next page."""
    rng = random.Random(args.seed * 1000 + number)
    session = BrowserSession(url, cookie=f"ae_backend={secrets.token_hex(8)}", timeout=args.timeout)
    await asyncio.sleep(rng.uniform(0, args.think))  # a class does not click in lockstep
    try:
        await session.connect()
    except Exception as exc:  # noqa: BLE001 - any failure to connect is an error to count
        tally.errors.append(f"connect: {type(exc).__name__}: {exc}")
        return
    turn = number % len(pages)
    try:
        while time.monotonic() < until:
            page = pages[turn % len(pages)]
            turn += 1
            rerun = await session.open(page, HEAVY_LINKS[page] if args.heavy else "")
            tally.add(rerun, "open", page)
            if rerun.status.startswith("closed"):
                return
            for _ in range(clicks_per_page):
                await asyncio.sleep(args.think * rng.uniform(0.5, 1.5))
                if time.monotonic() >= until:
                    return
                key, values = rng.choice(ACTIONS[page])
                try:
                    value = pick(session, key, values, rng)
                except KeyError as exc:
                    tally.errors.append(f"{page}: {exc.args[0]}")
                    break
                rerun = await session.change(key, value)
                tally.add(rerun, "click", page)
                if rerun.status.startswith("closed"):
                    return
    finally:
        await session.close()


# A heavy student's page, the link it opens and the button it presses again and again.
HEAVY_JOBS = [("seq2seq", "view=train&steps={steps}", "w.s2s.train")] * 3 + [("complexity", "", "w.complexity.run")] * 2


@dataclass
class HeavyTally:
    pressed: int = 0
    finished: int = 0
    failed: list[str] = field(default_factory=list)


async def heavy_student(number: int, url: str, until: float, args, heavy: HeavyTally) -> None:
    """A student who presses Train (or Run) as soon as the last one ended, until the phase ends."""
    page, link, button = HEAVY_JOBS[number % len(HEAVY_JOBS)]
    # a heavy student waits for their turn (the line), so their click may take minutes: --heavy-timeout
    session = BrowserSession(url, cookie=f"ae_backend={secrets.token_hex(8)}", timeout=args.heavy_timeout)
    try:
        await session.connect()
        opened = await session.open(page, link.format(steps=args.train_steps))
        if opened.failed:
            heavy.failed.append(f"{page} open: {opened.status} {opened.exceptions}")
            return
        while time.monotonic() < until:
            heavy.pressed += 1
            rerun = await session.press(button)  # waits in the server's line, then runs to the end
            if rerun.failed:
                heavy.failed.append(f"{page} {button}: {rerun.status} {'; '.join(rerun.exceptions)}".strip())
            else:
                heavy.finished += 1
    except Exception as exc:  # noqa: BLE001 - any failure is a lost job to count
        heavy.failed.append(f"{page}: {type(exc).__name__}: {exc}")
    finally:
        await session.close()


async def drive(
    url: str, sessions: int, seconds: float, pages: list[str], args, heavy_jobs: int = 0
) -> tuple[Tally, float, HeavyTally]:
    tally, heavy = Tally(), HeavyTally()
    started = time.monotonic()
    until = started + seconds
    # the lone reference student moves on sooner, so its few clicks still visit every page
    clicks_per_page = args.clicks_per_page if sessions > 1 else 3
    students = [student(i, url, pages, until, clicks_per_page, args, tally) for i in range(sessions)]
    heavies = [heavy_student(i, url, until, args, heavy) for i in range(heavy_jobs)]
    await asyncio.gather(*students, *heavies)  # the heavy ones finish their last job past ``until``
    return tally, time.monotonic() - started, heavy


async def warm_up(url: str, pages: list[str], timeout: float) -> list[str]:
    """Open every page once, so imports and the model load are not counted as a click."""
    session = BrowserSession(url, timeout=timeout)
    await session.connect()
    try:
        problems = []
        for page in pages:
            rerun = await session.open(page)
            if rerun.failed:
                problems.append(f"warm-up {page}: {rerun.status} {rerun.exceptions}")
        return problems
    finally:
        await session.close()


# ------------------------------------------------------------------ report


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q / 100 * len(values) + 0.5) - 1))]


def summarize(
    label: str,
    sessions: int,
    tally: Tally,
    duration: float,
    sampler: ProcSampler,
    cpu_before: dict[int, float],
    cpu_after: dict[int, float],
    load_before: str,
) -> dict:
    clicks = [r.seconds for r in tally.clicks if not r.failed]
    opens = [r.seconds for r in tally.opens if not r.failed]
    reruns = len(tally.clicks) + len(tally.opens)
    cpu = {pid: cpu_after[pid] - cpu_before.get(pid, 0.0) for pid in cpu_after}
    kb = [r.bytes_received / 1e3 for r in tally.clicks]
    return {
        "label": label,
        "sessions": sessions,
        "duration_s": round(duration, 1),
        "reruns": reruns,
        "reruns_per_s": round(reruns / duration, 2) if duration else 0,
        "clicks": len(tally.clicks),
        "click_p50_s": round(percentile(clicks, 50), 3),
        "click_p95_s": round(percentile(clicks, 95), 3),
        "click_max_s": round(max(clicks), 3) if clicks else float("nan"),
        "click_p50_p95_by_page": {
            p: [round(percentile(v, 50), 3), round(percentile(v, 95), 3)]
            for p, v in sorted(tally.clicks_by_page.items())
        },
        "opens": len(tally.opens),
        "open_p50_s": round(percentile(opens, 50), 3),
        "open_max_s": round(max(opens), 3) if opens else float("nan"),
        "errors": len(tally.errors),
        "error_examples": sorted(set(tally.errors))[:5],
        "click_kB_median": round(statistics.median(kb), 1) if kb else 0,
        "server_peak_rss_MB": round(sampler.peak_total / 1e6),
        "server_peak_rss_each_MB": [round(v / 1e6) for v in sampler.peak_each.values()],
        "server_cpu_s": round(sum(cpu.values()), 1),
        "server_cpu_each_s": [round(v, 1) for v in cpu.values()],
        "server_cpu_ms_per_rerun": round(1000 * sum(cpu.values()) / reruns) if reruns else None,
        "loadavg_before": load_before,
        "loadavg_after": procfs.loadavg(),
    }


def print_table(rows: list[dict], header: str) -> None:
    print(header)
    lines = [
        ("sessions", "sessions", "{}"),
        ("duration", "duration_s", "{} s"),
        ("reruns/s", "reruns_per_s", "{}"),
        ("clicks", "clicks", "{}"),
        ("click p50", "click_p50_s", "{} s"),
        ("click p95", "click_p95_s", "{} s"),
        ("click max", "click_max_s", "{} s"),
        *((f"  {page} p50, p95", ("click_p50_p95_by_page", page), "{} s") for page in ACTIONS),
        ("page opens", "opens", "{}"),
        ("open p50", "open_p50_s", "{} s"),
        ("open max", "open_max_s", "{} s"),
        ("errors", "errors", "{}"),
        ("kB a click (median)", "click_kB_median", "{}"),
        ("server peak RSS", "server_peak_rss_MB", "{} MB"),
        ("  per process", "server_peak_rss_each_MB", "{} MB"),
        ("server CPU", "server_cpu_s", "{} s"),
        ("  per process", "server_cpu_each_s", "{} s"),
        ("CPU a rerun", "server_cpu_ms_per_rerun", "{} ms"),
        ("load avg before", "loadavg_before", "{}"),
        ("load avg after", "loadavg_after", "{}"),
    ]

    def cell(row: dict, key, fmt: str) -> str:
        value = row[key[0]].get(key[1]) if isinstance(key, tuple) else row[key]
        if value is None:
            return "–"
        if isinstance(value, list):
            return fmt.format(", ".join(f"{v:g}" for v in value))
        return fmt.format(value)

    width = 22
    print(f"{'':<{width}}" + "".join(f"{r['label']:>44}" for r in rows))
    for name, key, fmt in lines:
        print(f"{name:<{width}}" + "".join(f"{cell(r, key, fmt):>44}" for r in rows))
    for r in rows:
        for example in r["error_examples"]:
            print(f"  error ({r['label']}): {example}")


def print_noisy_neighbours(rows: list[dict]) -> None:
    """The class's p95 with the heavy jobs over the same class's p95 without them (target ≤ 1.5), and the jobs."""
    noisy = next((r for r in rows if "heavy_jobs" in r), None)
    quiet = next((r for r in rows if r["sessions"] == (noisy or {}).get("sessions") and "heavy_jobs" not in r), None)
    if noisy is None or quiet is None:
        return
    ratio = noisy["click_p95_s"] / quiet["click_p95_s"] if quiet["click_p95_s"] else float("nan")
    jobs = noisy["heavy_jobs"]
    lost = jobs["pressed"] - jobs["finished"] - len(jobs["failed"])
    print(
        f"# noisy neighbours: p95 {quiet['click_p95_s']} s alone → {noisy['click_p95_s']} s with the heavy jobs "
        f"= {ratio:.2f}× (target ≤ 1.5); heavy jobs pressed {jobs['pressed']}, finished {jobs['finished']}, "
        f"failed {len(jobs['failed'])}, lost {lost}"
    )
    for failure in jobs["failed"]:
        print(f"  heavy job failed: {failure}")


def total_rss(pids: list[int]) -> int:
    return sum(ProcSampler.rss(pid) for pid in pids)


def watch_idle(pids: list[int], seconds: float, every: float = 10.0) -> list[tuple[float, int]]:
    """The server's RSS (sum over its processes) every ``every`` s while no session is open: [(s, bytes)]."""
    start = time.monotonic()
    timeline = [(0.0, total_rss(pids))]
    while (elapsed := time.monotonic() - start) < seconds:
        time.sleep(min(every, seconds - elapsed))
        timeline.append((time.monotonic() - start, total_rss(pids)))
    return timeline


def memory_summary(fresh: int, peak: int, timeline: list[tuple[float, int]]) -> dict:
    idle_s, idle = timeline[-1]
    return {
        "fresh_MB": round(fresh / 1e6),
        "peak_MB": round(peak / 1e6),
        "idle_MB": round(idle / 1e6),
        "idle_after_s": round(idle_s),
        "idle_over_fresh": round(idle / fresh - 1, 3) if fresh else None,
        "idle_within": bool(fresh) and idle <= (1 + IDLE_WITHIN) * fresh,
        "idle_timeline_MB": [[round(t), round(v / 1e6)] for t, v in timeline],
    }


def print_memory(memory: dict) -> None:
    verdict = "within" if memory["idle_within"] else "NOT within"
    print(
        f"# memory: fresh {memory['fresh_MB']} MB → peak {memory['peak_MB']} MB → idle {memory['idle_MB']} MB "
        f"{memory['idle_after_s']} s after the class left ({memory['idle_over_fresh']:+.0%} of fresh: "
        f"{verdict} {IDLE_WITHIN:.0%})"
    )
    print("#   idle RSS (s, MB): " + ", ".join(f"{t}: {v}" for t, v in memory["idle_timeline_MB"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="N websocket sessions against the real server.")
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the load phase")
    parser.add_argument("--reference-seconds", type=float, default=30.0, help="1-session reference (0: skip)")
    parser.add_argument("--think", type=float, default=1.0, help="mean think time between clicks, s")
    parser.add_argument("--procs", type=int, default=1, help="1: streamlit alone; N: nginx + N processes")
    parser.add_argument("--pages", default="query,self-attention,model", help="url paths, comma-separated")
    parser.add_argument("--clicks-per-page", type=int, default=8)
    parser.add_argument(
        "--torch-threads",
        type=int,
        default=None,
        help="ATTENTION_EXPLORER_TORCH_THREADS for the server (default: the app's own default)",
    )
    parser.add_argument("--timeout", type=float, default=120.0, help="a rerun slower than this is an error")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--url", help="drive a server that is already running (no start, no RSS/CPU figures)")
    parser.add_argument("--fail-on-error", action="store_true", help="exit 1 on any error or no rerun")
    parser.add_argument(
        "--root",
        type=Path,
        default=ROOT,
        help="the checkout whose app to serve (e.g. a `git worktree add` of an older commit; default: this one)",
    )
    parser.add_argument(
        "--no-pin",
        action="store_true",
        help="--procs N: let every process use every core (the launcher's --no-pin; a machine others share)",
    )
    parser.add_argument("--heavy", action="store_true", help="open every page with its largest settings")
    parser.add_argument(
        "--heavy-jobs", type=int, default=0, help="noisy neighbours: the load again with N sessions pressing Train/Run"
    )
    parser.add_argument("--train-steps", type=int, default=300, help="the steps a heavy student's Train takes")
    parser.add_argument(
        "--heavy-timeout", type=float, default=600.0, help="a heavy student leaves a job (wait + run) after this, s"
    )
    parser.add_argument(
        "--idle-seconds",
        type=float,
        default=0.0,
        help="after the class leaves, watch the server's RSS this long and print fresh → peak → idle (0: skip)",
    )
    args = parser.parse_args(argv)
    if not 1 <= args.sessions <= 200 or not 0 < args.seconds <= 900 or not 0 <= args.idle_seconds <= 900:
        parser.error("--sessions in 1…200, --seconds in (0, 900], --idle-seconds in [0, 900]: a bounded benchmark")
    pages = [p.strip() for p in args.pages.split(",") if p.strip()]
    unknown = [p for p in pages if p not in ACTIONS]
    if unknown:
        parser.error(f"no actions for pages {unknown}; known: {list(ACTIONS)}")

    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench_class_load.{os.getpid()}.log"
    print(
        f"# bench_class_load: procs={args.procs} sessions={args.sessions} seconds={args.seconds:g} "
        f"think={args.think:g} pages={','.join(pages)} heavy={args.heavy} "
        f"torch_threads={args.torch_threads or 'app default'} root={args.root} "
        f"load={procfs.loadavg()} cores={os.cpu_count()}",
        flush=True,
    )
    server = (
        ExistingServer(args.url.rstrip("/"))
        if args.url
        else start_server(args.procs, args.torch_threads, log, args.root.resolve(), ["--no-pin"] if args.no_pin else [])
    )
    rows, memory = [], None
    try:
        pids = server.streamlit_pids()
        # every process pays its imports and the model load once; warm each one directly
        problems = [p for url in server.backend_urls() for p in asyncio.run(warm_up(url, pages, args.timeout))]
        fresh, peak = total_rss(pids), 0  # the warmed-up server, before any class
        phases = [("1 session (reference)", 1, args.reference_seconds, 0)] if args.reference_seconds > 0 else []
        phases.append((f"{args.sessions} sessions", args.sessions, args.seconds, 0))
        if args.heavy_jobs:
            label = f"{args.sessions} + {args.heavy_jobs} heavy"
            phases.append((label, args.sessions, args.seconds, args.heavy_jobs))
        for label, sessions, seconds, heavy_jobs in phases:
            print(f"# {label}: {seconds:g} s …", file=sys.stderr, flush=True)
            load_before = procfs.loadavg()
            with ProcSampler(pids) as sampler:
                cpu_before = sampler.cpu()
                tally, duration, heavy = asyncio.run(drive(server.url, sessions, seconds, pages, args, heavy_jobs))
                cpu_after = sampler.cpu()
            tally.errors[:0] = problems
            problems = []
            rows.append(summarize(label, sessions, tally, duration, sampler, cpu_before, cpu_after, load_before))
            if heavy_jobs:
                rows[-1]["heavy_jobs"] = dict(pressed=heavy.pressed, finished=heavy.finished, failed=heavy.failed[:5])
            peak = max(peak, sampler.peak_total)
        if args.idle_seconds > 0 and pids:  # every session has closed: the class has left
            print(f"# idle: {args.idle_seconds:g} s …", file=sys.stderr, flush=True)
            memory = memory_summary(fresh, peak, watch_idle(pids, args.idle_seconds))
    finally:
        server.stop()
    print_table(rows, f"# {'nginx + ' if args.procs > 1 else ''}{args.procs} Streamlit process(es) at {server.url}")
    if memory:
        print_memory(memory)
    print_noisy_neighbours(rows)
    if args.json:
        figures = {"args": {k: str(v) for k, v in vars(args).items()}, "rows": rows, "memory": memory}
        args.json.write_text(json.dumps(figures, indent=1))
    if args.fail_on_error and (any(r["errors"] for r in rows) or not all(r["clicks"] for r in rows)):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
