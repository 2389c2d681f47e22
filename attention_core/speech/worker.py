"""A transcription worker: one separate process per server process, Whisper loaded there once, one clip at a time.

Why a process: a transcription keeps a core busy for a second or more, and in the server's own process it held the
GIL for much of that time, so every other session's clicks on that process waited behind it (the other pages' p95
went from 117 ms to 1.6 s while a class recorded). In a worker process the server's thread only waits on a pipe; the
worker runs with torch at one thread and a lower priority, so the other students' clicks get the core first.
Whether it pays off is measured, not assumed: the Speech page uses it only when switched on
(``ATTENTION_EXPLORER_SPEECH_WORKER=1``; the numbers measured so far are beside the page's ``IN_WORKER``).
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import numpy as np

from attention_core.speech.model import load_whisper
from attention_core.speech.transcribe import Transcription, transcribe

# The worker process's own model, loaded once by ``_start`` in that process. A server process never loads it here:
# it is the state of a process that serves transcriptions only, and it holds no session's data.
_whisper = functools.lru_cache(maxsize=1)(load_whisper)


def _start() -> None:
    """Run once in the worker process: one torch thread, a lower priority, the model loaded."""
    import torch

    torch.set_num_threads(1)
    try:
        os.nice(10)
    except OSError:  # not allowed: run at the server's priority
        pass
    _whisper()


def _transcribe(samples: np.ndarray, language: str | None) -> Transcription:
    return transcribe(_whisper(), samples, language)


def _ready() -> int:
    return os.getpid()


class Worker:
    """One worker process (started now, so the model loads while the page draws); restarted if it dies.

    Thread-safe: the page's ``Line`` lets one transcription at a time through, but a restart may race a call.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._executor().submit(_ready)

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                # spawn, not fork: a forked copy of a server process would inherit its threads' locks mid-use
                context = multiprocessing.get_context("spawn")
                self._pool = ProcessPoolExecutor(1, mp_context=context, initializer=_start)
            return self._pool

    def _drop(self, pool: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is pool:
                self._pool = None
        pool.shutdown(wait=False, cancel_futures=True)

    def pid(self) -> int:
        """The worker process's id (it is started if it is not running)."""
        return self._call(_ready)

    def transcribe(self, samples: np.ndarray, language: str | None = None) -> Transcription:
        """``transcribe(whisper, samples, language)`` in the worker; an InputError comes back as raised there."""
        return self._call(_transcribe, samples, language)

    def _call(self, function, *args):
        for attempt in range(2):  # a worker that died (killed, out of memory) is replaced once
            pool = self._executor()
            try:
                return pool.submit(function, *args).result()
            except BrokenProcessPool:
                self._drop(pool)
                if attempt == 1:
                    raise

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
