"""The session's own model: a training run (its curve, its last alignment, how it ended) and where the session keeps it.

``Run`` is plain Python around the core's ``train_seq2seq``; only ``session()``
touches Streamlit (the run lives in this session's state, never shared).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np

from attention_core.seq2seq import Seq2Seq, Seq2SeqConfig, TrainProgress, held_out_inputs
from lessons.seq2seq.controls import SETTINGS

TIME_LIMIT_S = 120  # one training holds a core at most this long


@dataclass
class Run:
    """This session's own model and how its training went (session state only, never shared)."""

    model: Seq2Seq
    steps: int  # planned
    example: str
    losses: list[float] = field(default_factory=list)
    accuracies: list[float] = field(default_factory=list)
    alignment: np.ndarray | None = None
    alignment_step: int = 0
    seconds: float = 0.0
    status: str = "waiting"  # in the process's line → training → done, stopped, time
    previous: Run | None = field(default=None, compare=False, repr=False)  # the session's run before, kept on a cancel
    test_accuracy: float | None = None
    by_length: dict | None = None
    # With runner.fastReruns (Streamlit's default) a click starts a new script run at once, in a
    # new thread, while the old run keeps training until its next Streamlit call: the new run
    # asks the loop to stop and waits for it, so the two never touch the model or the curve together.
    stop: threading.Event = field(default_factory=threading.Event, compare=False, repr=False)
    ended: threading.Event = field(default_factory=threading.Event, compare=False, repr=False)

    @property
    def config(self) -> Seq2SeqConfig:
        return self.model.config

    def record(self, p: TrainProgress) -> bool:
        """Keep one step's numbers; True when the loop must end (a newer script run, or the time limit)."""
        self.losses.append(p.loss)
        self.accuracies.append(p.accuracy)
        self.seconds = p.seconds
        if p.alignment is not None:
            self.alignment, self.alignment_step = p.alignment, p.step
        return self.stop.is_set() or p.seconds > TIME_LIMIT_S

    def finish(self, status: str) -> None:
        self.status = status
        if self.test_accuracy is None:
            self.test_accuracy = self.model.accuracy(held_out_inputs(self.config, 1000))

    def accuracy_by_length(self) -> dict[int, float]:
        """Exact-match accuracy by input length, once per trained model (200 inputs a length)."""
        if self.by_length is None:
            self.by_length = self.model.accuracy_by_length(range(self.config.min_length, self.config.max_length + 1))
        return self.by_length


@dataclass
class Session:
    """What this session keeps of the lesson beside its settings: its own run, the last input that worked."""

    run: Run | None = None
    last_good: str | None = None
    cancelled: bool = False  # the last Train left the line before its turn (a click, Cancel): say so once


def session() -> Session:
    return SETTINGS.remember("session", Session)


def start(config: Seq2SeqConfig, steps: int, example: str) -> Run:
    """A new run on a fresh model (the Alignment view then offers it)."""
    run = Run(Seq2Seq(config), steps, example, previous=session().run)
    session().run = run
    SETTINGS.set("model", "yours")
    return run


def current_run() -> Run | None:
    """The session's run; one still training is stopped first (a new script run interrupted it).

    One still waiting in line left it (Cancel, or any other click): the session keeps the run it had before.
    """
    memory = session()
    run = memory.run
    if run is not None and run.status == "waiting":
        run.stop.set()
        run.ended.wait(timeout=10)
        if run.status == "waiting":  # it never got its turn
            memory.run, memory.cancelled, run = run.previous, True, run.previous
    if run is not None and run.status == "training":
        run.stop.set()
        run.ended.wait(timeout=10)  # one step takes milliseconds; the timeout only guards a lost thread
        run.finish("stopped")
    return run
