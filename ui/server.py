"""Settings of the server process (not of a page): how many threads torch may use, the GC, and memory coming back.

A Streamlit server runs every session's script in its own thread of one
process, and a class makes many scripts run at once.  torch's default, one
thread per core for each operation, then has the sessions' threads fight over
the same cores: on a busy 2-core machine a 64-token forward pass took 254 ms
with 2 threads and 27 ms with 1 (issue 9).  One thread per process lets the
processes (deploy/serve_class.py runs about one per core) use the cores.
``ATTENTION_EXPLORER_TORCH_THREADS`` overrides it, e.g. for one teacher alone
on a big machine.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import gc
import logging
import os
import sys
import threading
import time

TORCH_THREADS_ENV = "ATTENTION_EXPLORER_TORCH_THREADS"


def torch_threads() -> int:
    """The number of torch threads this process should use (≥ 1; default 1)."""
    try:
        return max(1, int(os.environ.get(TORCH_THREADS_ENV, "1")))
    except ValueError:
        return 1


def limit_torch_threads() -> None:
    """Give torch ``torch_threads()`` threads, without importing torch (the home page does not need it).

    Before torch is imported, OMP_NUM_THREADS decides its thread count (torch
    caps it at the number of cores); after, only ``torch.set_num_threads``
    does.  app.py calls this on every run, so a page that imports torch runs
    with the setting from the next run on.  Cheap: no import, two lookups.
    """
    threads = torch_threads()
    torch = sys.modules.get("torch")
    if torch is None:
        os.environ["OMP_NUM_THREADS"] = str(threads)
    elif hasattr(torch, "set_num_threads") and torch.get_num_threads() != threads:
        # hasattr: another session's script may be importing torch right now (a partly initialised
        # module); OMP_NUM_THREADS, set before that import began, already holds for it
        torch.set_num_threads(threads)


def freeze_imported_objects() -> None:
    """Move every object alive now into the collector's permanent generation, once per batch of new imports.

    The libraries' objects (torch, transformers, plotly: ~500k) live as long as
    the process, yet every full collection walked them all again: 0.4 s each on
    this machine, 2 µs after a freeze.  Frozen objects are still freed by
    reference counting; only cycles among them wait.  app.py calls this after
    each page run, and it acts only when a page imported new modules (a few times
    per process), so a session's own data is frozen at most then.
    """
    # len(sys.modules) at the last gc.freeze(): one number per process, by design (no session's data), kept on
    # the function so the isolation test's scan of module-level containers does not see it change
    if len(sys.modules) != getattr(freeze_imported_objects, "modules_seen", 0):
        freeze_imported_objects.modules_seen = len(sys.modules)
        gc.freeze()


# ------------------------------------------------------------- memory comes back (issue 24)
#
# After a class with heavy settings the idle server stayed at 1.2–1.6 GB (0.59 GB fresh) for as long as
# anyone watched.  Measured in the idle server (gc, then malloc_trim, then each step below):
# - objects frozen by ``freeze_imported_objects`` while sessions ran: plotly imports a validator module the
#   first time a figure uses a property, so a page run may freeze everything alive then — its session's
#   arrays and figures, in reference cycles that only a collection of the frozen objects frees (≈ 210–380 MB);
# - memory Python and torch had freed, but glibc kept in its arenas (malloc_trim gave back ≈ 150–415 MB);
# - disconnected sessions: Streamlit keeps them for a reconnect and drops them only when storage is next
#   written, never while the server is idle, and without shutting them down (their uploads stayed);
# - the caches (≈ 60 MB of Self-attention summaries at n = 2048): bounded by entries and bytes where declared.
# The janitor, one daemon thread per process, does the first three between reruns once sessions have gone,
# and glibc is told to keep big blocks returnable (``tune_malloc``).

JANITOR_SECONDS = 15.0  # how often the janitor looks at the sessions
FULL_COLLECT_EVERY = 300.0  # while students are connected, at most one full collection (≈ 0.5–1 s of GIL) per 5 min
_log = logging.getLogger(__name__)


def malloc_trim() -> bool:
    """Give the pages glibc holds free back to the OS (False where the C library has no malloc_trim)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.malloc_trim(0))
    except (OSError, AttributeError):  # musl, macOS: nothing to trim this way
        return False


M_MMAP_THRESHOLD, M_ARENA_MAX = -3, -8  # mallopt parameters, from glibc's malloc.h
# blocks from this size get pages of their own, returned to the OS when freed: the n × n matrices (16 MB at
# n = 2048) are, the many 1 MB arrays of a rerun are not (mapping each anew cost ≈ 1.5× the time of a
# rerun's array arithmetic at 256 kB)
MMAP_THRESHOLD = 4 * 1024 * 1024
ARENA_MAX = 2  # per-thread arenas a session's script thread may create


def tune_malloc() -> bool:
    """Have glibc hand big blocks back when they are freed, and keep fewer arenas (False without glibc).

    glibc raises its mmap threshold each time a big block is freed, so after one large array later ones of
    up to 32 MB come from the heap, where a single live object pins the pages around it; and every script
    thread may get an arena of its own (8 a core).  A fixed threshold and two arenas for the threads started
    from now on keep what a class frees returnable (``malloc_trim`` gives back whole free pages only).
    """
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(libc.mallopt(M_ARENA_MAX, ARENA_MAX))
    except (OSError, AttributeError):
        return False


def collect_frozen() -> int:
    """A full collection that includes the frozen objects, which are frozen again after (see the note above)."""
    gc.unfreeze()
    try:
        return gc.collect()
    finally:
        gc.freeze()


def release_memory(full: bool) -> None:
    """Free what the ended sessions left: cycles (the frozen ones too when ``full``), then glibc's free pages."""
    collect_frozen() if full else gc.collect()
    malloc_trim()


def close_after_seconds(ttl: float) -> float:
    """How long a disconnected session is kept before the janitor closes it: before Streamlit's TTL runs out.

    Streamlit drops an expired session from storage without shutting it down, and only when storage is
    next written; closed by the janitor first, its state and uploaded files are freed with it.
    """
    return max(0.0, ttl - 2 * JANITOR_SECONDS)


class Janitor:
    """Closes sessions disconnected too long and releases memory once sessions have gone (one per process)."""

    def __init__(self, runtime, ttl: float):
        self.runtime = runtime
        self.close_after = close_after_seconds(ttl)
        self.gone_since: dict[str, float] = {}  # disconnected session id → when the janitor first saw it so
        self.active = self.sessions = 0  # connected sessions, and those plus the kept ones, at the last look
        self.last_full: float | None = None  # when the last full collection ran (the first look counts as one)
        self.full_pending = False  # sessions ended since the last full collection

    def look(self, now: float) -> None:
        """One round: on the event loop, count the sessions and close the stale ones; here, release memory."""
        active, kept = self._on_event_loop(lambda: self._close_stale(now))
        if self.last_full is None:
            self.last_full = now
        ended = active < self.active or active + kept < self.sessions
        self.active, self.sessions = active, active + kept
        self.full_pending |= ended
        full = self.full_pending and (active == 0 or now - self.last_full >= FULL_COLLECT_EVERY)
        if ended or full:
            release_memory(full)
        if full:
            self.full_pending, self.last_full = False, now

    def _close_stale(self, now: float) -> tuple[int, int]:
        manager = self.runtime._session_mgr  # no public list of sessions; the SessionManager protocol's methods
        active = {info.session.id for info in manager.list_active_sessions()}
        kept = {info.session.id for info in manager.list_sessions()} - active
        self.gone_since = {sid: self.gone_since.get(sid, now) for sid in kept}
        for sid, since in list(self.gone_since.items()):
            if now - since >= self.close_after:
                self.runtime.close_session(sid)  # shuts it down: session state and uploaded files go
                del self.gone_since[sid]
        return len(active), len(self.gone_since)

    def _on_event_loop(self, work):
        """Run ``work`` on the server's event loop (session storage is only touched there) and wait for it."""

        async def call():
            return work()

        loop = self.runtime._get_async_objs().eventloop
        return asyncio.run_coroutine_threadsafe(call(), loop).result(timeout=JANITOR_SECONDS)

    def run(self) -> None:
        while True:
            time.sleep(JANITOR_SECONDS)
            try:
                self.look(time.monotonic())
            except Exception:  # noqa: BLE001 - the janitor must outlive any one bad round (a stopping server)
                _log.warning("memory janitor: a round failed", exc_info=True)


_janitor_started = threading.Lock()
_janitor: list[Janitor] = []


def start_janitor() -> None:
    """Start the process's janitor thread once (app.py calls this on every run; then it is one lookup)."""
    if _janitor:
        return
    from streamlit import config
    from streamlit.runtime import Runtime

    # bare scripts have no Runtime, AppTest a stand-in (a MagicMock): no server, no sessions to look after
    if not Runtime.exists() or type(Runtime.instance()) is not Runtime:
        return
    with _janitor_started:
        if not _janitor:
            tune_malloc()
            janitor = Janitor(Runtime.instance(), float(config.get_option("server.disconnectedSessionTTL")))
            _janitor.append(janitor)
            threading.Thread(target=janitor.run, name="memory-janitor", daemon=True).start()
