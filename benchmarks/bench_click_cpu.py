"""Server CPU a click, lesson by lesson: this tree against a reference commit, measured in the same run.

    .venv/bin/python benchmarks/bench_click_cpu.py                                    # every lesson, this tree vs main
    .venv/bin/python benchmarks/bench_click_cpu.py --reference HEAD~2 --pages query,speech --rounds 5
    .venv/bin/python benchmarks/bench_click_cpu.py --port 8750 --json click_cpu.json  # servers on 8750 and 8751

Issue 23 item 1: a click (a change of one of the widgets the class-load benchmark clicks,
``bench_class_load.ACTIONS``) should cost the server ~20 ms of CPU on every lesson, ≤ 25 ms
on average over the lessons.

Two servers run side by side, each one Streamlit process as ``make run`` serves it (its
tree's own launcher): the reference commit's (exported with ``git archive``) and this tree's.
One browser session a server (``st_client.BrowserSession``) opens every lesson once first
(imports, models, the caches a class shares: not counted).  Then, lesson by lesson, and
alternating which server goes first, each session opens the lesson, clicks once (not
counted: a first click may fill a cache), then ``--clicks`` times with no think time,
the same seeded clicks on both servers.  The server process's CPU seconds over those
clicks (/proc: every thread, the event loop's sending too), divided by their number, is
the lesson's CPU a click.  ``--rounds`` repeats it all; the medians are printed with the
ratio now / reference, and the mean over the lessons.

One session clicking alone, so what a class adds (many sessions' messages, their GIL)
is not here: ``bench_class_load.py`` measures that.  CPU time, not wall time, is compared:
other jobs on a shared machine change it little (the load average is printed).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import procfs  # noqa: E402
from bench_class_load import ACTIONS, pick, start_server  # noqa: E402
from bench_page_switch import export  # noqa: E402  (git archive of a commit)
from st_client import BrowserSession  # noqa: E402

TIMEOUT = 300.0  # seconds a rerun may take (the Speech page's first transcription, on a busy machine)


class Tree:
    """One tree's server and the one session that clicks on it."""

    def __init__(self, name: str, root: Path, port: int | None, log: Path):
        self.name, self.root = name, root
        self.server = start_server(1, None, log, root, port=port)
        self.pid = self.server.streamlit_pids()[0]
        self.session = BrowserSession(self.server.url, timeout=TIMEOUT)
        self.cpu_ms: dict[str, list[float]] = {}  # lesson → CPU ms a click, one value a round
        self.wall_ms: dict[str, list[float]] = {}
        self.kb: dict[str, list[float]] = {}

    async def warm_up(self, pages: list[str]) -> None:
        await self.session.connect()
        for page in pages:
            opened = await self.session.open(page)
            if opened.failed:
                raise SystemExit(f"{self.name}: {page} did not open: {opened.status} {opened.exceptions}")

    async def clicks(self, page: str, count: int, seed: int) -> None:
        """Open ``page``, click once, then ``count`` clicks measured."""
        rng = random.Random(seed)
        await self.session.open(page)
        await self.click(page, 0, rng)
        cpu, walls, sizes = procfs.cpu_seconds(self.pid), [], []
        for i in range(1, count + 1):
            rerun = await self.click(page, i, rng)
            walls.append(rerun.seconds)
            sizes.append(rerun.bytes_received)
        cpu = procfs.cpu_seconds(self.pid) - cpu
        self.cpu_ms.setdefault(page, []).append(1000 * cpu / count)
        self.wall_ms.setdefault(page, []).append(1000 * statistics.median(walls))
        self.kb.setdefault(page, []).append(statistics.median(sizes) / 1000)

    async def click(self, page: str, i: int, rng: random.Random):
        key, values = ACTIONS[page][i % len(ACTIONS[page])]
        rerun = await self.session.change(key, pick(self.session, key, values, rng))
        if rerun.failed:
            raise SystemExit(f"{self.name}: {page} {key}: {rerun.status} {rerun.exceptions}")
        return rerun

    def median(self, page: str) -> float:
        return statistics.median(self.cpu_ms[page])


async def measure(trees: list[Tree], pages: list[str], clicks: int, rounds: int) -> None:
    for tree in trees:
        await tree.warm_up(pages)
    for r in range(rounds):
        for p, page in enumerate(pages):
            order = trees if (r + p) % 2 == 0 else trees[::-1]  # each server goes first half the time
            for tree in order:
                await tree.clicks(page, clicks, seed=1000 * r + p)
            print(f"# round {r + 1}, {page}: " + ", ".join(f"{t.name} {t.cpu_ms[page][-1]:.1f} ms" for t in trees))
    for tree in trees:
        await tree.session.close()


def report(ref: Tree, now: Tree, pages: list[str], load_before: str) -> dict:
    rows = {
        page: {
            "reference_ms": round(ref.median(page), 1),
            "now_ms": round(now.median(page), 1),
            "ratio": round(now.median(page) / ref.median(page), 2) if ref.median(page) else None,
            "wall_ms": [round(statistics.median(ref.wall_ms[page])), round(statistics.median(now.wall_ms[page]))],
            "kB": [round(statistics.median(ref.kb[page]), 1), round(statistics.median(now.kb[page]), 1)],
        }
        for page in pages
    }
    mean_ref = statistics.fmean(r["reference_ms"] for r in rows.values())
    mean_now = statistics.fmean(r["now_ms"] for r in rows.values())
    print(f"# server CPU a click (median of rounds), {ref.name} = reference, now = {now.root}")
    print(f"{'lesson':<16}{'reference ms':>14}{'now ms':>10}{'now/ref':>9}{'wall ms ref, now':>20}{'kB ref, now':>16}")
    for page, r in rows.items():
        wall, kb = "{}, {}".format(*r["wall_ms"]), "{:g}, {:g}".format(*r["kB"])
        print(f"{page:<16}{r['reference_ms']:>14}{r['now_ms']:>10}{r['ratio']:>9}{wall:>20}{kb:>16}")
    verdict = "PASS" if mean_now <= 25 else "FAIL"
    print(f"{'mean':<16}{mean_ref:>14.1f}{mean_now:>10.1f}{mean_now / mean_ref:>9.2f}   target ≤ 25 ms: {verdict}")
    print(f"# load average before {load_before}, after {procfs.loadavg()} ({os.cpu_count()} cores)")
    return {"lessons": rows, "mean_reference_ms": round(mean_ref, 1), "mean_now_ms": round(mean_now, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reference", default="main", help="the commit to compare with (default: main)")
    parser.add_argument("--pages", default=",".join(ACTIONS), help="url paths, comma-separated (default: all seven)")
    parser.add_argument("--clicks", type=int, default=20, help="measured clicks a lesson a round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--port", type=int, help="the reference's port, this tree's the next (default: free ones)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    pages = [p for p in args.pages.split(",") if p]
    unknown = [p for p in pages if p not in ACTIONS]
    if unknown or not 1 <= args.clicks <= 500 or not 1 <= args.rounds <= 20:
        parser.error(f"pages in {list(ACTIONS)} (not {unknown}), --clicks in 1…500, --rounds in 1…20")
    load_before = procfs.loadavg()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bench_click_cpu_") as tmp:
        reference_root = Path(tmp) / "tree"
        reference_root.mkdir()
        export(args.reference, reference_root)
        trees: list[Tree] = []
        try:
            for name, root, offset in ((args.reference, reference_root, 0), ("now", ROOT, 1)):
                port = args.port + offset if args.port else None
                trees.append(Tree(name, root, port, Path(tmp) / f"{name.replace('/', '_')}.log"))
            asyncio.run(measure(trees, pages, args.clicks, args.rounds))
        finally:
            for tree in trees:
                tree.server.stop()
    figures = report(*trees, pages, load_before)
    print(f"# {time.monotonic() - started:.0f} s")
    if args.json:
        args.json.write_text(json.dumps(figures | {"args": {k: str(v) for k, v in vars(args).items()}}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
