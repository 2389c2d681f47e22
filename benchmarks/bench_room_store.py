"""The live class's room stores: operations a second, SQLite and Redis against the memory store in the same run.

    .venv/bin/python benchmarks/bench_room_store.py            # ~2 minutes
    .venv/bin/python benchmarks/bench_room_store.py --quick    # one round, shorter runs

What a class asks of its store (issue 26): forty followers each read ``version()`` about once a second,
the teacher's changes are ``update``s, and forty students answer a question at once with ``put_answer``.
Each is run flat out for ``--seconds`` by 1 and by 4 workers at once: for SQLite and Redis each worker is
its own process (spawned, as a server process is) with its own store; the memory store lives in one
process, so its 4 workers are threads.  Rounds are interleaved (the stores in rotating order) and the
median of the rounds is printed, with the ratio to the memory store's median with the same number of
workers, and how many times over the store covers what forty students following need (40 ``version()``
a second).  A redis-server is started here in a temporary folder (Debian: apt-get install redis-server);
without one the Redis rows are left out.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from classroom.memory_store import MemoryStore  # noqa: E402
from classroom.redis_store import RedisStore  # noqa: E402
from classroom.sqlite_store import SQLiteStore  # noqa: E402
from tests import redis_server  # noqa: E402
from tests.server import free_port  # noqa: E402

CODE = "BENCH1"
FOLLOWERS = 40  # students following, each polling version() once a second
# a room's document about the size a real one has: the teacher's page state and forty students
DOC = {
    "version": 0,
    "view": {"page": "query", "query": "kind=gaussian&n=8&d=4&seed=0&q=0.5,1,-0.2,0.3&temperature=1&view=bars" * 8},
    "students": {f"student-{i:02d}": {"nickname": f"nick {i}", "joined": 1.0e9 + i} for i in range(FOLLOWERS)},
}
OPS = ("version", "update", "put_answer")


def open_store(kind: str, where: str):
    if kind == "sqlite":
        return SQLiteStore(where)
    if kind == "redis":
        return RedisStore(where)
    raise ValueError(kind)


def bump(doc: dict) -> dict:
    return {**doc, "version": doc["version"] + 1}


def run_op(store, op: str, worker: int, seconds: float) -> int:
    """``op`` on the room as often as it goes for ``seconds``: how many were done."""
    calls = {
        "version": lambda i: store.version(CODE),
        "update": lambda i: store.update(CODE, bump),
        "put_answer": lambda i: store.put_answer(CODE, 1, f"w{worker}-s{i % FOLLOWERS}", "b"),
    }[op]
    done, end = 0, time.perf_counter() + seconds
    while time.perf_counter() < end:
        calls(done)
        done += 1
    return done


def process_worker(kind: str, where: str, op: str, worker: int, seconds: float, barrier, results) -> None:
    store = open_store(kind, where)
    store.version(CODE)  # connected before the clock starts
    barrier.wait()
    results.put(run_op(store, op, worker, seconds))
    store.close()


def measure(kind: str, where: str, memory: MemoryStore, op: str, workers: int, seconds: float) -> float:
    """Operations a second of ``workers`` at once."""
    if kind == "memory":
        counts, barrier = [], threading.Barrier(workers)

        def thread(w):
            barrier.wait()
            counts.append(run_op(memory, op, w, seconds))

        threads = [threading.Thread(target=thread, args=(w,)) for w in range(workers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return sum(counts) / seconds
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(workers), context.Queue()
    procs = [
        context.Process(target=process_worker, args=(kind, where, op, w, seconds, barrier, results))
        for w in range(workers)
    ]
    for p in procs:
        p.start()
    total = sum(results.get(timeout=120 + seconds) for _ in procs)
    for p in procs:
        p.join()
    return total / seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=2.0, help="how long each measurement runs")
    parser.add_argument("--quick", action="store_true", help="one round of 0.5 s")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.seconds = 1, 0.5
    print(f"load average before: {os.getloadavg()[0]:.2f} (on {os.cpu_count()} cores)")

    with tempfile.TemporaryDirectory(prefix="bench-room-store-") as tmp:
        stores = {"memory": "", "sqlite": str(Path(tmp) / "rooms.sqlite3")}
        server = None
        if redis_server.binary():
            (Path(tmp) / "redis").mkdir()
            server = redis_server.redis_server(Path(tmp) / "redis", free_port())
            stores["redis"] = server.__enter__()
        else:
            print("redis-server is not installed (Debian: apt-get install redis-server): no Redis rows")
        memory = MemoryStore()
        memory.create(CODE, DOC, max_rooms=10)
        for kind in ("sqlite", "redis"):
            if kind in stores:
                store = open_store(kind, stores[kind])
                store.create(CODE, DOC, max_rooms=10)
                store.close()
        try:
            rates: dict[tuple[str, str, int], list[float]] = {}
            kinds = list(stores)
            for r in range(args.rounds):
                order = kinds[r % len(kinds) :] + kinds[: r % len(kinds)]  # rotating, so no store always goes first
                for workers in (1, 4):
                    for op in OPS:
                        for kind in order:
                            rate = measure(kind, stores[kind], memory, op, workers, args.seconds)
                            rates.setdefault((kind, op, workers), []).append(rate)
        finally:
            if server is not None:
                server.__exit__(None, None, None)

    print(f"\nops/s, median of {args.rounds} round(s) of {args.seconds:g} s; ratio = this store / memory, same workers")
    print(f"{'store':<8}{'workers':>8}{'operation':>12}{'ops/s':>12}{'vs memory':>11}{'× 40 followers':>16}")
    for workers in (1, 4):
        for op in OPS:
            reference = statistics.median(rates["memory", op, workers])
            for kind in stores:
                rate = statistics.median(rates[kind, op, workers])
                covers = f"{rate / FOLLOWERS:,.0f}×" if op == "version" else ""
                print(f"{kind:<8}{workers:>8}{op:>12}{rate:>12,.0f}{rate / reference:>10.3f}×{covers:>16}")
    print(
        f"\n'× 40 followers': how many times over version() serves {FOLLOWERS} students polling once a second."
        f"\nload average after: {os.getloadavg()[0]:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
