"""Where a live class's rooms live: the storage contract every backend keeps.

A store knows nothing of teachers or questions (that is ``rooms.py``); it keeps,
per room code, one JSON document and the answers given in it, and does three
things atomically that a class of forty needs from several server processes:
create a room under a limit, read-modify-write its document, and count.

    doc        a JSON-able dict, the room's state (teacher's view, students, questions …); every store
               keeps it as JSON text, so it reads back as its JSON round trip (keys strings, tuples lists)
    version    an int the store mirrors from ``doc["version"]``; ``version()`` reads only it,
               so forty followers polling every second cost forty tiny reads
    answers    {(qid, student): value} kept apart from the document, so forty students answering
               at once do not contend on it

A room that nobody touched (create, update, put_answer) for ``idle_s`` seconds is
gone with its answers: ``read``/``version`` return None, ``update`` raises ``RoomGone``,
and it does not count against ``max_rooms``; its data is deleted (SQLite: by the next
write of any room; Redis: by the keys' TTL).  Reads do not touch a room.

Backends: ``memory_store.MemoryStore`` (one process; the reference the others are
tested against), ``sqlite_store.SQLiteStore`` (one machine, the default),
``redis_store.RedisStore`` (several machines); ``open_store.open_store()`` opens the
one the server is configured for.  Every method is safe to call from many threads,
and (SQLite, Redis) from many processes at once.  ``tests/classroom/test_store_contract.py``
runs the same tests on each.
"""

from __future__ import annotations

from typing import Callable, Protocol


class RoomGone(LookupError):
    """The room does not exist (never made, expired, or closed)."""


class StoreFull(RuntimeError):
    """``create`` refused: the store already holds its limit of rooms."""


class Store(Protocol):
    idle_s: float  # seconds a room lives untouched

    def create(self, code: str, doc: dict, max_rooms: int) -> bool:
        """Store a new room; False when ``code`` is taken (the caller draws another code).

        Raises ``StoreFull`` when ``max_rooms`` live rooms exist already (expired ones do not count).
        """

    def read(self, code: str) -> dict | None:
        """The room's document, or None when there is no such room."""

    def version(self, code: str) -> int | None:
        """``doc["version"]`` of the room (one small read), or None when there is no such room."""

    def update(self, code: str, change: Callable[[dict], dict]) -> dict:
        """Atomically replace the document with ``change(doc)`` and return the new one.

        ``change`` may run more than once (optimistic retries), so it must be pure; it may raise
        to abort (nothing is written and the exception propagates).  Touches the room.
        Raises ``RoomGone`` when there is no such room.
        """

    def put_answer(self, code: str, qid: int, student: str, value: str) -> None:
        """Record (or replace) ``student``'s answer to question ``qid``.  Touches the room.

        Raises ``RoomGone`` when there is no such room.
        """

    def answers(self, code: str, qid: int) -> dict[str, str]:
        """{student: value} for question ``qid`` ({} when none, or no such room)."""

    def delete(self, code: str) -> None:
        """Remove the room and its answers now (closing a room); no error when absent."""

    def hit(self, bucket: str, window_s: float) -> int:
        """Count one event in ``bucket`` and return the events counted in the current window of ``window_s``.

        For rate limits (joins per minute per browser).  A window opens at the bucket's first event and
        lasts ``window_s``; the next event after it opens a new one, counted from 1.
        """

    def close(self) -> None:
        """Release connections (the store is unusable afterwards)."""


def doc_version(doc: dict) -> int:
    """The version a store mirrors from a room's document (0 when it has none)."""
    return int(doc.get("version", 0))
