"""The storage contract (classroom/store.py), one suite run on every store: memory, SQLite and a real Redis.

Concurrent writers are separate processes for SQLite and Redis (spawned: fresh interpreters, as
other server processes are) and threads for the memory store, which lives in one process.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import sys
import threading
import time
import types
from dataclasses import dataclass, field
from queue import Empty

import pytest

from classroom.store import RoomGone, Store, StoreFull

from .backends import KINDS, answer_then_die, create_many, in_process, increment, leftovers, open_backend, write_many

WRITERS, EACH = 4, 50  # the 4 processes × 50 increments
IDLE_S = 1.0  # a short idle time for the expiry tests; they sleep in steps of STEP
STEP = 0.6


@dataclass
class Backend:
    kind: str
    where: str  # the SQLite file or the Redis URL ("" for memory)
    opened: list[Store] = field(default_factory=list)

    def open(self, idle_s: float = 3600) -> Store:
        """A new store object on the same data (for memory: a new, empty store)."""
        store = open_backend(self.kind, self.where, idle_s)
        self.opened.append(store)
        return store

    def leftovers(self, store: Store, code: str) -> list[str]:
        return leftovers(store, self.kind, self.where, code)


def _backend(request, tmp_path):
    kind = request.param
    if kind == "redis":
        import redis

        where = request.getfixturevalue("redis_url")
        with redis.Redis.from_url(where) as client:
            client.flushdb()  # every test starts from an empty database
    else:
        where = str(tmp_path / "rooms.sqlite3") if kind == "sqlite" else ""
    found = Backend(kind, where)
    yield found
    for store in found.opened:
        store.close()


backend = pytest.fixture(params=KINDS)(_backend)
shared = pytest.fixture(params=[k for k in KINDS if k != "memory"])(_backend)  # data that outlives a process


@pytest.fixture
def store(backend) -> Store:
    return backend.open()


DOC = {"version": 3, "view": {"page": "query", "query": "q=1,2&temperature=0.5"}, "students": {}}


# ------------------------------------------------------------------ create, read, version


def test_a_new_room_reads_back_as_it_was_stored_and_its_version_is_the_documents(store):
    assert store.create("ROOM01", DOC, max_rooms=10) is True
    assert store.read("ROOM01") == DOC
    assert store.version("ROOM01") == 3


def test_a_document_reads_back_as_its_json_round_trip(store):
    store.create("ROOM01", {"version": 1, "ids": {7: ("a", 1.5)}}, max_rooms=10)
    assert store.read("ROOM01") == {"version": 1, "ids": {"7": ["a", 1.5]}}


def test_a_taken_code_returns_false_and_leaves_the_room_as_it_was(store):
    store.create("ROOM01", DOC, max_rooms=10)
    assert store.create("ROOM01", {"version": 99}, max_rooms=10) is False
    assert store.read("ROOM01") == DOC


def test_no_such_room_reads_as_none_and_has_no_answers(store):
    assert store.read("NOPE") is None and store.version("NOPE") is None
    assert store.answers("NOPE", 1) == {}
    with pytest.raises(RoomGone):
        store.update("NOPE", increment)
    with pytest.raises(RoomGone):
        store.put_answer("NOPE", 1, "s", "a")
    store.delete("NOPE")  # no error


def test_what_read_returns_is_the_callers_copy(store):
    store.create("ROOM01", DOC, max_rooms=10)
    store.read("ROOM01")["view"]["page"] = "changed by a caller"
    assert store.read("ROOM01") == DOC


# ------------------------------------------------------------------ update


def test_update_writes_the_changed_document_and_its_version(store):
    store.create("ROOM01", {"version": 0, "count": 0}, max_rooms=10)
    assert store.update("ROOM01", increment) == {"version": 1, "count": 1}
    assert store.read("ROOM01") == {"version": 1, "count": 1}
    assert store.version("ROOM01") == 1


def test_a_change_that_raises_writes_nothing_and_its_error_reaches_the_caller(store):
    store.create("ROOM01", {"version": 0, "count": 0}, max_rooms=10)

    def refuse(doc):
        doc["count"] = 1000  # changed in place, then refused: the stored room must not see it
        raise ValueError("not the teacher")

    with pytest.raises(ValueError, match="not the teacher"):
        store.update("ROOM01", refuse)
    assert store.read("ROOM01") == {"version": 0, "count": 0} and store.version("ROOM01") == 0
    assert store.update("ROOM01", increment)["count"] == 1  # and the room still takes changes


def test_a_change_that_keeps_the_version_keeps_version_reads_still(store):
    store.create("ROOM01", {"version": 5, "students": 0}, max_rooms=10)
    store.update("ROOM01", lambda doc: {**doc, "students": doc["students"] + 1})  # a join: followers need not rerun
    assert store.version("ROOM01") == 5 and store.read("ROOM01")["students"] == 1


# ------------------------------------------------------------------ answers and delete


def test_answers_are_kept_per_question_and_a_second_answer_replaces_the_first(store):
    store.create("ROOM01", DOC, max_rooms=10)
    store.put_answer("ROOM01", 1, "ann", "a")
    store.put_answer("ROOM01", 1, "bo", "b")
    store.put_answer("ROOM01", 2, "ann", "c")
    store.put_answer("ROOM01", 1, "ann", "d")  # changed her mind
    assert store.answers("ROOM01", 1) == {"ann": "d", "bo": "b"}
    assert store.answers("ROOM01", 2) == {"ann": "c"}
    assert store.answers("ROOM01", 3) == {}
    assert store.read("ROOM01") == DOC  # answers live apart from the document


def test_delete_removes_the_room_and_every_answer_and_a_new_room_of_that_code_starts_empty(backend, store):
    store.create("ROOM01", DOC, max_rooms=10)
    store.put_answer("ROOM01", 1, "ann", "a")
    store.put_answer("ROOM01", 2, "ann", "b")
    store.delete("ROOM01")
    assert store.read("ROOM01") is None and store.answers("ROOM01", 1) == {}
    assert backend.leftovers(store, "ROOM01") == []
    assert store.create("ROOM01", {"version": 0}, max_rooms=10) is True
    assert store.answers("ROOM01", 1) == {} and store.answers("ROOM01", 2) == {}


# ------------------------------------------------------------------ limits


def test_create_refuses_at_max_rooms_and_a_deleted_room_frees_its_place(store):
    for i in range(3):
        assert store.create(f"ROOM0{i}", DOC, max_rooms=3)
    with pytest.raises(StoreFull):
        store.create("ROOM09", DOC, max_rooms=3)
    assert store.read("ROOM09") is None
    assert store.create("ROOM00", DOC, max_rooms=3) is False  # a taken code is said before the limit
    store.delete("ROOM01")
    assert store.create("ROOM09", DOC, max_rooms=3) is True


def test_hit_counts_within_its_window_and_starts_again_after_it(store):
    assert [store.hit("join:browser-a", 0.5) for _ in range(3)] == [1, 2, 3]
    assert store.hit("join:browser-b", 0.5) == 1  # buckets are apart
    time.sleep(0.6)
    assert store.hit("join:browser-a", 0.5) == 1
    assert store.hit("join:browser-a", 0.5) == 2


# ------------------------------------------------------------------ expiry


def test_a_touched_room_lives_on_and_an_idle_one_is_gone_with_its_answers(backend):
    store = backend.open(idle_s=IDLE_S)
    store.create("IDLE01", {"version": 0, "count": 0}, max_rooms=1)
    store.put_answer("IDLE01", 1, "ann", "a")
    time.sleep(STEP)
    store.update("IDLE01", increment)  # a touch
    time.sleep(STEP)  # past IDLE_S since the creation, not since the touch
    assert store.version("IDLE01") == 1 and store.answers("IDLE01", 1) == {"ann": "a"}
    store.put_answer("IDLE01", 2, "bo", "b")  # a touch too
    time.sleep(STEP)
    assert store.version("IDLE01") == 1 and store.answers("IDLE01", 2) == {"bo": "b"}
    time.sleep(IDLE_S + 0.2)
    assert store.read("IDLE01") is None and store.version("IDLE01") is None
    assert store.answers("IDLE01", 1) == {} and store.answers("IDLE01", 2) == {}
    with pytest.raises(RoomGone):
        store.update("IDLE01", increment)
    with pytest.raises(RoomGone):
        store.put_answer("IDLE01", 1, "ann", "b")
    # it does not count against max_rooms, and its data is deleted (SQLite: by this write; Redis: by the TTL)
    assert store.create("IDLE02", {"version": 0}, max_rooms=1) is True
    assert backend.leftovers(store, "IDLE01") == []


def test_reading_does_not_keep_a_room_alive(backend):
    store = backend.open(idle_s=IDLE_S)
    store.create("IDLE01", {"version": 0}, max_rooms=10)
    deadline = time.monotonic() + IDLE_S + 0.3
    while time.monotonic() < deadline:  # forty followers polling do not keep an abandoned room
        store.version("IDLE01")
        store.read("IDLE01")
        time.sleep(0.1)
    assert store.version("IDLE01") is None


# ------------------------------------------------------------------ restart: a new store on the same data
# (SQLite and Redis: the memory store's rooms die with its process, by design)


def test_a_new_store_object_on_the_same_data_sees_every_room_as_it_was(shared):
    first = shared.open()
    first.create("ROOM01", DOC, max_rooms=10)
    first.update("ROOM01", lambda doc: {**doc, "version": 4})
    first.put_answer("ROOM01", 1, "ann", "a")
    first.close()
    again = shared.open()
    assert again.read("ROOM01") == {**DOC, "version": 4} and again.version("ROOM01") == 4
    assert again.answers("ROOM01", 1) == {"ann": "a"}
    assert again.create("ROOM01", DOC, max_rooms=10) is False


def test_a_process_killed_after_writing_lost_nothing(shared):
    store = shared.open()
    store.create("ROOM01", {"version": 0, "count": 0}, max_rooms=10)
    process = multiprocessing.get_context("spawn").Process(
        target=answer_then_die, args=(shared.kind, shared.where, "ROOM01")
    )
    with plain_main():
        process.start()
    process.join(60)
    assert process.exitcode == -9  # kill -9, no chance to close anything
    again = shared.open()
    assert again.answers("ROOM01", 7) == {f"student-{i}": "b" for i in range(10)}
    assert again.read("ROOM01") == {"version": 1, "count": 1}
    again.update("ROOM01", increment)  # and the room still takes changes (no lock left behind)
    assert again.version("ROOM01") == 2


# ------------------------------------------------------------------ several writers at once


@contextlib.contextmanager
def plain_main():
    """Spawn without re-running this process's ``__main__`` in the child.

    A spawned child imports the parent's ``__main__`` from its path; after an AppTest ran in this pytest worker,
    ``__main__`` is the app's script (``app.py``), which the child would run, Streamlit and all, and fail.  The
    writers are functions of ``tests/classroom/backends.py``: the child needs no main module at all.
    """
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def run_at_once(backend: Backend, store: Store, job: str, args: list[tuple]) -> list:
    """``job`` of backends.py once per ``args``, all started together: processes (SQLite, Redis) or threads (memory)."""
    if backend.kind == "memory":
        barrier, results = threading.Barrier(len(args)), []
        work = {"write_many": write_many, "create_many": create_many}[job]

        def thread(a):
            barrier.wait()
            results.append(work(store, *a))

        threads = [threading.Thread(target=thread, args=(a,)) for a in args]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        return results
    context = multiprocessing.get_context("spawn")  # a fresh interpreter each, like another server process
    barrier, queue = context.Barrier(len(args)), context.Queue()
    processes = [
        context.Process(target=in_process, args=(job, backend.kind, backend.where, a, barrier, queue)) for a in args
    ]
    with plain_main():
        for p in processes:
            p.start()
    results, deadline = [], time.monotonic() + 120
    while len(results) < len(processes):
        try:
            results.append(queue.get(timeout=0.5))
        except Empty:
            failed = [p.exitcode for p in processes if p.exitcode not in (None, 0)]
            assert not failed, f"a writer process failed with exit code {failed} (its traceback is above)"
            assert time.monotonic() < deadline, "the writers did not finish within 120 s"
    for p in processes:
        p.join(30)
        assert p.exitcode == 0
    return results


def test_concurrent_writers_lose_no_update_no_answer_and_no_hit(backend, store):
    store.create("ROOM01", {"version": 0, "count": 0}, max_rooms=10)
    hits = run_at_once(backend, store, "write_many", [("ROOM01", EACH, w) for w in range(WRITERS)])
    assert store.read("ROOM01") == {"version": WRITERS * EACH, "count": WRITERS * EACH}
    assert store.version("ROOM01") == WRITERS * EACH
    assert store.answers("ROOM01", 1) == {f"w{w}-s{i}": str(w) for w in range(WRITERS) for i in range(EACH)}
    # every hit got its own count: 1 … WRITERS × EACH, none twice
    assert sorted(n for counts in hits for n in counts) == list(range(1, WRITERS * EACH + 1))


def test_concurrent_creates_make_each_code_once_and_never_more_than_max_rooms(backend, store):
    codes = [f"ROOM{i:02d}" for i in range(20)]
    said = run_at_once(backend, store, "create_many", [(codes, 10)] * WRITERS)
    made = [code for outcome in said for code, what in zip(codes, outcome) if what == "made"]
    assert len(made) == len(set(made)) == 10
    assert sum(store.read(code) is not None for code in codes) == 10
    with pytest.raises(StoreFull):
        store.create("ROOM99", DOC, max_rooms=10)
