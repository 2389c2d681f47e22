"""Memory comes back (ui/server.py, issue 24): the janitor closes sessions disconnected too long, and once
sessions have ended it frees what they left, the objects frozen by ``freeze_imported_objects`` included."""

from __future__ import annotations

import platform
import subprocess
import sys
from types import SimpleNamespace

from streamlit.testing.v1 import AppTest

from ui import server

from .pages import ROOT


class FakeRuntime:
    """The two things the janitor uses of Streamlit's Runtime: its session manager and close_session."""

    def __init__(self):
        self.active: set[str] = set()
        self.kept: set[str] = set()  # disconnected, kept for a reconnect
        self.closed: list[str] = []
        self._session_mgr = self

    def list_active_sessions(self):
        return [SimpleNamespace(session=SimpleNamespace(id=sid)) for sid in sorted(self.active)]

    def list_sessions(self):
        return self.list_active_sessions() + [SimpleNamespace(session=SimpleNamespace(id=s)) for s in self.kept]

    def close_session(self, sid: str) -> None:
        self.kept.discard(sid)
        self.closed.append(sid)

    def leave(self, *sids: str) -> None:
        self.active -= set(sids)
        self.kept |= set(sids)


class Recorded(server.Janitor):
    """A janitor whose event loop is the caller, and which records its releases instead of doing them."""

    releases: list[bool]

    def _on_event_loop(self, work):
        return work()


def janitor(runtime: FakeRuntime, ttl: float = 120.0, monkeypatch=None) -> Recorded:
    j = Recorded(runtime, ttl)
    j.releases = []
    monkeypatch.setattr(server, "release_memory", j.releases.append)
    return j


def test_a_disconnected_session_is_closed_before_streamlit_would_drop_it_unclosed(monkeypatch):
    runtime = FakeRuntime()
    runtime.active = {"a", "b"}
    j = janitor(runtime, ttl=120.0, monkeypatch=monkeypatch)
    j.look(0.0)
    runtime.leave("a")
    j.look(15.0)  # seen disconnected at 15 s
    j.look(15.0 + j.close_after - 1)
    assert runtime.closed == []  # a student whose wifi dropped still comes back to their session
    j.look(15.0 + j.close_after)
    assert runtime.closed == ["a"]
    assert j.close_after < 120.0 - server.JANITOR_SECONDS  # before the TTL, with a round to spare


def test_memory_is_released_when_sessions_end_fully_once_the_class_has_left(monkeypatch):
    runtime = FakeRuntime()
    runtime.active = {"a", "b", "c"}
    j = janitor(runtime, monkeypatch=monkeypatch)
    j.look(0.0)
    assert j.releases == []  # nothing ended: no collection while students click
    runtime.leave("a")
    j.look(15.0)
    assert j.releases == [False]  # students still here: a young-generation collection and a trim only
    j.look(30.0)
    assert j.releases == [False]  # nothing new ended: nothing to do
    runtime.leave("b", "c")
    j.look(45.0)
    assert j.releases == [False, True]  # the class has left: the full collection, frozen objects included
    j.look(60.0)
    assert j.releases == [False, True]


def test_a_full_collection_waits_for_its_turn_while_students_are_connected(monkeypatch):
    runtime = FakeRuntime()
    runtime.active = {"a", "b"}
    j = janitor(runtime, monkeypatch=monkeypatch)
    j.look(0.0)
    runtime.leave("a")
    j.look(15.0)
    j.look(server.FULL_COLLECT_EVERY + 1)  # b still connected, but a full round is due: the frozen leftovers go
    assert j.releases == [False, True]


def test_frozen_garbage_is_freed_only_by_the_full_release():
    """What held 210–380 MB: a session's objects in a reference cycle, frozen while it ran, then ended."""
    script = (
        "import gc, weakref\n"
        "from ui.server import release_memory\n"
        "class Data: pass\n"
        "d = Data(); d.me = d  # a cycle, as a session's objects are\n"
        "alive = weakref.ref(d)\n"
        "gc.freeze()  # a page imported a module while this session ran (freeze_imported_objects)\n"
        "del d\n"
        "release_memory(full=False)\n"
        "print(alive() is not None)\n"
        "release_memory(full=True)\n"
        "print(alive() is not None, gc.get_freeze_count() > 0)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    ).stdout.split("\n")
    assert out[0] == "True"  # a young-generation collection does not reach frozen objects
    assert out[1] == "False True"  # the full release frees it, and freezes what lives again


def test_malloc_trim_and_tuning_work_on_the_servers_c_library():
    assert server.malloc_trim() in (True, False)  # never raises; True where glibc had pages to give back
    if platform.libc_ver()[0] == "glibc":  # the Docker image and the class machines (Debian)
        assert server.tune_malloc()


def test_no_janitor_without_a_server():
    server.start_janitor()  # a bare script: no Runtime, no thread
    at = AppTest.from_string("from ui.server import start_janitor\nstart_janitor()").run()  # a stand-in Runtime
    assert not at.exception
    assert server._janitor == []
