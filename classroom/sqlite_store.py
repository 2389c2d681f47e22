"""The storage contract in one SQLite file: every server process on one machine shares the rooms (the default).

One file under the data directory (``open_store``), in WAL mode: readers never
wait for the writer, so forty followers polling ``version()`` read while a
teacher writes.  Writers from several processes take turns: a read-modify-write
runs in ``BEGIN IMMEDIATE`` (the write lock first, so two writers cannot both
read the old document), and a busy connection waits up to ``BUSY_TIMEOUT_S``.

Tables (``doc`` last in its row, so ``version()`` never reads the document's pages):

    rooms    code, version, touched, doc (JSON)      touched: wall-clock seconds, shared by every process
    answers  code, qid, student, value                deleted with their room
    hits     bucket, until, count                     rate-limit windows; a window ends at ``until``

Expired rooms (untouched for ``idle_s``) are invisible at once and deleted, with
their answers, by the next write of any room.

Connections: a small pool, each connection used by one thread at a time.  Not
one per thread: Streamlit runs every rerun of every session in a new thread
(``ScriptRunner.start``), so per-thread connections would be opened and dropped
on every follower's poll.  Not one behind a lock: that would queue every
session of a process behind one busy wait.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

from .store import RoomGone, StoreFull, doc_version

BUSY_TIMEOUT_S = 10.0  # a writer waits this long for another process's write lock (a write takes ~1 ms)

SCHEMA = """
CREATE TABLE IF NOT EXISTS rooms (code TEXT PRIMARY KEY, version INTEGER NOT NULL, touched REAL NOT NULL, doc TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS rooms_touched ON rooms (touched);
CREATE TABLE IF NOT EXISTS answers (code TEXT NOT NULL, qid INTEGER NOT NULL, student TEXT NOT NULL, value TEXT NOT NULL,
                                    PRIMARY KEY (code, qid, student));
CREATE TABLE IF NOT EXISTS hits (bucket TEXT PRIMARY KEY, until REAL NOT NULL, count INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS hits_until ON hits (until);
"""


class SQLiteStore:
    def __init__(self, path: str | Path, idle_s: float = 4 * 3600):
        self.idle_s = idle_s
        self.path = Path(path)
        self._lock = threading.Lock()  # guards the pool only, never held during a query
        self._idle: list[sqlite3.Connection] = []
        with self._db() as db:
            db.execute("PRAGMA journal_mode=WAL")  # kept in the file: every later connection is in WAL mode
            db.executescript(SCHEMA)  # IF NOT EXISTS: several processes starting at once are fine

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: no implicit transactions, each write says BEGIN IMMEDIATE itself
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: a killed process loses nothing (a power cut may)
        return db

    @contextmanager
    def _db(self):
        with self._lock:
            db = self._idle.pop() if self._idle else None
        db = db or self._connect()
        try:
            yield db
        finally:
            if db.in_transaction:  # the body of a write raised: nothing of it is kept
                db.execute("ROLLBACK")
            with self._lock:
                self._idle.append(db)

    @contextmanager
    def _write(self):
        """A write transaction, the expired rooms swept first: yields (connection, now).

        BEGIN IMMEDIATE takes the write lock before the first read, so two processes never both
        read the old document.  When the body raises, no COMMIT: ``_db`` rolls back.
        """
        with self._db() as db:
            db.execute("BEGIN IMMEDIATE")
            now = time.time()
            gone = (now - self.idle_s,)
            db.execute("DELETE FROM answers WHERE code IN (SELECT code FROM rooms WHERE touched < ?)", gone)
            db.execute("DELETE FROM rooms WHERE touched < ?", gone)
            yield db, now
            db.execute("COMMIT")

    def _live(self, column: str, code: str) -> tuple | None:
        """``column`` of room ``code``'s row, or None when there is no such live room (one read, no lock)."""
        with self._db() as db:
            sql = f"SELECT {column} FROM rooms WHERE code = ? AND touched >= ?"
            return db.execute(sql, (code, time.time() - self.idle_s)).fetchone()

    def create(self, code: str, doc: dict, max_rooms: int) -> bool:
        with self._write() as (db, now):
            if db.execute("SELECT 1 FROM rooms WHERE code = ?", (code,)).fetchone():
                return False
            if db.execute("SELECT count(*) FROM rooms").fetchone()[0] >= max_rooms:
                raise StoreFull(max_rooms)
            db.execute("DELETE FROM hits WHERE until <= ?", (now,))  # ended rate windows, now and then
            db.execute("INSERT INTO rooms VALUES (?, ?, ?, ?)", (code, doc_version(doc), now, json.dumps(doc)))
            return True

    def read(self, code: str) -> dict | None:
        row = self._live("doc", code)
        return json.loads(row[0]) if row else None

    def version(self, code: str) -> int | None:
        row = self._live("version", code)  # version comes before doc in the row: the document's pages stay unread
        return row[0] if row else None

    def update(self, code: str, change: Callable[[dict], dict]) -> dict:
        with self._write() as (db, now):
            row = db.execute("SELECT doc FROM rooms WHERE code = ?", (code,)).fetchone()
            if row is None:
                raise RoomGone(code)
            new = change(json.loads(row[0]))  # an exception here rolls the transaction back
            db.execute(
                "UPDATE rooms SET version = ?, touched = ?, doc = ? WHERE code = ?",
                (doc_version(new), now, json.dumps(new), code),
            )
            return new

    def put_answer(self, code: str, qid: int, student: str, value: str) -> None:
        with self._write() as (db, now):
            if not db.execute("UPDATE rooms SET touched = ? WHERE code = ?", (now, code)).rowcount:
                raise RoomGone(code)
            db.execute("INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?)", (code, int(qid), student, str(value)))

    def answers(self, code: str, qid: int) -> dict[str, str]:
        with self._db() as db:
            rows = db.execute(
                "SELECT a.student, a.value FROM answers a JOIN rooms r ON r.code = a.code"
                " WHERE a.code = ? AND a.qid = ? AND r.touched >= ?",
                (code, int(qid), time.time() - self.idle_s),
            ).fetchall()
        return dict(rows)

    def delete(self, code: str) -> None:
        with self._write() as (db, now):
            db.execute("DELETE FROM answers WHERE code = ?", (code,))
            db.execute("DELETE FROM rooms WHERE code = ?", (code,))

    def hit(self, bucket: str, window_s: float) -> int:
        now = time.time()
        with self._db() as db:  # one statement: atomic on its own
            (count,) = db.execute(
                "INSERT INTO hits VALUES (?1, ?2 + ?3, 1) ON CONFLICT (bucket) DO UPDATE SET"
                " count = CASE WHEN until <= ?2 THEN 1 ELSE count + 1 END,"
                " until = CASE WHEN until <= ?2 THEN ?2 + ?3 ELSE until END RETURNING count",
                (bucket, now, window_s),
            ).fetchone()
        return count

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for db in idle:
            db.close()
