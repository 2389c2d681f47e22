"""The storage contract in one process's memory: the reference the other stores are tested against.

Not for a class: a room held here is seen by one server process only and dies
with it.  Tests of the room rules and of the pages use it; a lone ``streamlit
run`` may too (``open_store`` picks it only when asked).

A document is kept as its JSON text, as the other stores keep it: a test on this
store meets what they would do to a document (integer keys come back as strings,
tuples as lists, and a value JSON cannot hold fails at once).
"""

from __future__ import annotations

import json
import threading
import time
from typing import Callable

from .store import RoomGone, StoreFull, doc_version


class MemoryStore:
    def __init__(self, idle_s: float = 4 * 3600, clock: Callable[[], float] = time.monotonic):
        self.idle_s = idle_s
        self._clock = clock
        self._lock = threading.Lock()
        self._docs: dict[str, str] = {}  # code → the document as JSON
        self._versions: dict[str, int] = {}
        self._touched: dict[str, float] = {}
        self._answers: dict[str, dict[tuple[int, str], str]] = {}
        self._hits: dict[str, tuple[float, int]] = {}

    def _live(self, code: str) -> bool:
        """Whether ``code`` is a live room; an expired one is deleted here (call with the lock held)."""
        if code not in self._docs:
            return False
        if self._clock() - self._touched[code] > self.idle_s:
            self._drop(code)
            return False
        return True

    def _drop(self, code: str) -> None:
        self._docs.pop(code, None)
        self._versions.pop(code, None)
        self._touched.pop(code, None)
        self._answers.pop(code, None)

    def create(self, code: str, doc: dict, max_rooms: int) -> bool:
        with self._lock:
            if self._live(code):
                return False
            if sum(self._live(c) for c in list(self._docs)) >= max_rooms:
                raise StoreFull(max_rooms)
            self._docs[code], self._versions[code] = json.dumps(doc), doc_version(doc)
            self._touched[code] = self._clock()
            self._answers[code] = {}
            return True

    def read(self, code: str) -> dict | None:
        with self._lock:
            return json.loads(self._docs[code]) if self._live(code) else None

    def version(self, code: str) -> int | None:
        with self._lock:
            return self._versions[code] if self._live(code) else None

    def update(self, code: str, change: Callable[[dict], dict]) -> dict:
        with self._lock:
            if not self._live(code):
                raise RoomGone(code)
            new = change(json.loads(self._docs[code]))
            self._docs[code], self._versions[code] = json.dumps(new), doc_version(new)
            self._touched[code] = self._clock()
            return new

    def put_answer(self, code: str, qid: int, student: str, value: str) -> None:
        with self._lock:
            if not self._live(code):
                raise RoomGone(code)
            self._answers[code][(int(qid), student)] = str(value)
            self._touched[code] = self._clock()

    def answers(self, code: str, qid: int) -> dict[str, str]:
        with self._lock:
            if not self._live(code):
                return {}
            return {s: v for (q, s), v in self._answers[code].items() if q == int(qid)}

    def delete(self, code: str) -> None:
        with self._lock:
            self._drop(code)

    def hit(self, bucket: str, window_s: float) -> int:
        with self._lock:
            now = self._clock()
            start, count = self._hits.get(bucket, (now, 0))
            if now - start >= window_s:
                start, count = now, 0
            self._hits[bucket] = (start, count + 1)
            return count + 1

    def close(self) -> None:
        pass
