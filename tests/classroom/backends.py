"""The stores under test, opened by kind, and the work of one concurrent writer (a process, or a thread for memory).

Top-level functions only: the writer processes are spawned (a fresh interpreter, as a second
server process would be), so they open their own store from ``kind`` and ``where``.
"""

from __future__ import annotations

import os
import signal
import sqlite3

from classroom.memory_store import MemoryStore
from classroom.redis_store import PREFIX, RedisStore
from classroom.sqlite_store import SQLiteStore
from classroom.store import Store, StoreFull

KINDS = ("memory", "sqlite", "redis")


def open_backend(kind: str, where: str, idle_s: float = 3600) -> Store:
    """A new store object of ``kind`` on ``where`` (a SQLite file, a Redis URL; memory: a new, empty store)."""
    if kind == "sqlite":
        return SQLiteStore(where, idle_s)
    if kind == "redis":
        return RedisStore(where, idle_s)
    return MemoryStore(idle_s)


def leftovers(store: Store, kind: str, where: str, code: str) -> list[str]:
    """What is still stored of room ``code``, read behind the store's back: rows, keys, entries."""
    if kind == "sqlite":
        with sqlite3.connect(where) as db:
            return [f"{table}: {n}" for table in ("rooms", "answers") for (n,) in
                    db.execute(f"SELECT count(*) FROM {table} WHERE code = ?", (code,)) if n]  # fmt: skip
    if kind == "redis":
        import redis

        client = redis.Redis.from_url(where, decode_responses=True)
        try:
            return sorted(k for k in client.scan_iter(PREFIX + "*") if code in k) + (
                ["live"] if client.zscore(PREFIX + "live", code) is not None else []
            )
        finally:
            client.close()
    return [name for name in ("_docs", "_versions", "_touched", "_answers") if code in getattr(store, name)]


def increment(doc: dict) -> dict:
    """One teacher change: the counter and the version up by one (pure, as ``update`` requires)."""
    return {**doc, "count": doc["count"] + 1, "version": doc["version"] + 1}


def write_many(store: Store, code: str, n: int, worker: int) -> list[int]:
    """``n`` updates, ``n`` answers (one student each) and ``n`` hits of one bucket; returns the hits' counts."""
    for _ in range(n):
        store.update(code, increment)
    for i in range(n):
        store.put_answer(code, 1, f"w{worker}-s{i}", str(worker))
    return [store.hit("joins:one-browser", 600) for _ in range(n)]


def create_many(store: Store, codes: list[str], max_rooms: int) -> list[str]:
    """Try to create each room: "made", "taken" or "full" for each code."""
    said = []
    for code in codes:
        try:
            said.append("made" if store.create(code, {"version": 0}, max_rooms) else "taken")
        except StoreFull:
            said.append("full")
    return said


def in_process(job: str, kind: str, where: str, args: tuple, barrier, results) -> None:
    """A writer process: its own store, then ``job`` with the others at once (the barrier)."""
    store = open_backend(kind, where)
    barrier.wait()
    results.put(globals()[job](store, *args))
    store.close()


def answer_then_die(kind: str, where: str, code: str) -> None:
    """A server process that records answers and a change, then is killed (``kill -9``) before it could close."""
    store = open_backend(kind, where)
    for i in range(10):
        store.put_answer(code, 7, f"student-{i}", "b")
    store.update(code, increment)
    os.kill(os.getpid(), signal.SIGKILL)
