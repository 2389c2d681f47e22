"""The Speech page's model calls: one Whisper per process, a line for it, and its results kept by the clip's hash.

Why not ``st.cache_data`` for the transcription: it would hand every rerun an unpickled copy (a 30-s clip's
attentions are tens of MB), and the wait in line must be shown while it runs, which a cached function's
replayed elements cannot do. ``Results`` is the same idea, bounded, holding frozen read-only results that
every session may share (a result depends only on the audio's bytes and the settings, never on a session).
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from concurrent.futures.process import BrokenProcessPool

import streamlit as st

from attention_core.speech import timing
from attention_core.speech.model import LoadedWhisper, load_whisper
from attention_core.speech.transcribe import Transcription, transcribe
from attention_core.speech.worker import Worker
from attention_core.work_line import Line, lower_priority, shared
from lessons.speech.controls import Heard
from ui.i18n import t

MAX_TRANSCRIPTIONS = 8  # a 30-s clip's result is ≤ ~50 MB; a 5-s one ~2 MB
MAX_ALIGNMENTS = 64
# Transcribe in a worker process (attention_core/speech/worker.py) instead of the server's own thread. Off by default:
# 40 clips pressed at once through 2 processes (benchmarks/bench_speech_class.py), quiet machine (load 0.4–2.0,
# 2026-12-07): in-process, other pages' p95 44 → 55 ms, transcripts median 8.0 s, the last 14.9 s; worker,
# 47 → 86 ms, median 30.3 s, the last 57.7 s (all 40 served both ways, 0 errors).  The loaded machine said the same
# (in-process 700 → 616 ms, median 34 s; worker 723 → 970 ms, median 105–111 s).  ATTENTION_EXPLORER_SPEECH_WORKER=1
# turns it on.
IN_WORKER = os.environ.get("ATTENTION_EXPLORER_SPEECH_WORKER") == "1"


class Results:
    """At most ``size`` results, least recently used dropped first; thread-safe."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
            return self._items.get(key)

    def put(self, key, value) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


@st.cache_resource(show_spinner=False)
def model() -> LoadedWhisper:
    """Whisper base, loaded once per server process and shared read-only (~300 MB)."""
    return load_whisper()


@st.cache_resource(show_spinner=False)
def worker() -> Worker:
    """This server process's transcription worker (a separate process: the server's own thread stays free)."""
    return Worker()


@st.cache_resource(show_spinner=False)
def line() -> Line:
    return shared()  # the process's one line for heavy work: Train and Run wait in it too


@st.cache_resource(show_spinner=False)
def transcriptions() -> Results:
    return Results(MAX_TRANSCRIPTIONS)


@st.cache_resource(show_spinner=False)
def alignments() -> Results:
    return Results(MAX_ALIGNMENTS)


def heard(clip: Heard, language: str) -> Transcription:
    """The clip's transcription; computed (waiting in line, with a visible place) when no session has it yet."""
    key = (clip.digest, language)
    found = transcriptions().get(key)
    if found is not None:
        return found
    whisper = model()
    with st.status(t("speech.listening"), expanded=False) as status:
        with line().turn(lambda place: status.update(label=t("speech.in_line", place=place))):
            status.update(label=t("speech.listening"))
            found = _transcribe(whisper, clip.clip.samples, None if language == "auto" else language)
        status.update(label=t("speech.heard", seconds=f"{clip.clip.seconds:.1f}"), state="complete")
    transcriptions().put(key, found)
    return found


def _transcribe(whisper: LoadedWhisper, samples, language: str | None) -> Transcription:
    """In the worker process when IN_WORKER, else (or if the worker keeps dying) here, at a lower priority."""
    if IN_WORKER:
        try:
            return worker().transcribe(samples, language)
        except BrokenProcessPool:
            pass
    with lower_priority():  # the other students' clicks first
        return transcribe(whisper, samples, language)


def heads_of(whisper: LoadedWhisper, heads: str, layer: int, head: int) -> tuple[tuple[int, int], ...]:
    """The (layer, head) pairs, 0-based, that the alignment view averages."""
    if heads == "all":
        return tuple((i, j) for i in range(whisper.num_layers) for j in range(whisper.num_heads))
    if heads == "picked" and layer > 0:
        return ((layer - 1, head - 1),)
    return whisper.alignment_heads


def aligned(
    clip: Heard, language: str, heard_: Transcription, heads: tuple, normalise: bool, width: int
) -> timing.Alignment:
    """openai's word timing of the clip with these steps (cached: the DTW is a Python loop)."""
    key = (clip.digest, language, heads, normalise, width)
    found = alignments().get(key)
    if found is None:
        found = timing.align(heard_.cross, heads, heard_.words, heard_.frames_in_clip, normalise, width)
        alignments().put(key, found)
    return found
