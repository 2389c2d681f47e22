"""A room's question: what the teacher sends, how an answer is checked, scored and counted (no store here).

A question is stored as a plain dict in the room's document (``stored``):
the page, the guided step's name and fingerprint, its options' labels (none:
the answer is a number, right within ``tolerance``), the right answer, the
step's words as plain data, and, once revealed, the answers frozen
(``final``).  ``public`` is what students may read of it.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field

from .errors import BadInput

MAX_NUMBER = 1e9  # a typed answer beyond this is not an answer to any question here
NUMBER_BINS = 8  # a number question's answers: one bar a value up to this many values, else this many bins


@dataclass(frozen=True)
class Question:
    """A question as students see it: no right answer until it is revealed."""

    qid: int
    page: str
    step: str
    fingerprint: str
    labels: tuple[str, ...]  # the options in the teacher's words; empty: the answer is a number
    decimals: int
    text: dict  # the step as plain data (ui.guide_steps.Step.plain), drawn in each reader's language
    shown: bool  # the teacher shows the answers' distribution
    revealed: bool
    answer: float | None  # None until revealed
    tolerance: float


@dataclass(frozen=True)
class Tally:
    """How the class answered one question, in aggregate: counts per option, or per value/bin of a number."""

    qid: int
    answered: int
    counts: tuple[int, ...]
    labels: tuple[str, ...]  # per count: the option's label, or the value/bin of a number
    revealed: bool
    right: int | None  # answers that were right, once revealed
    answer_index: int | None  # which count holds the right answer, once revealed (a choice question)


@dataclass(frozen=True)
class Own:
    """One student's own answer to a question, and (once revealed) whether it was right."""

    value: str | None
    right: bool | None


@dataclass(frozen=True)
class Score:
    """The class's result on one revealed question."""

    qid: int
    page: str
    step: str
    answered: int
    right: int


@dataclass
class NewQuestion:
    """What ``ask`` takes: the UI builds it from the page's guided step (``answer``: an option's index, or a number)."""

    page: str
    step: str
    fingerprint: str
    labels: list[str] = field(default_factory=list)
    answer: float = 0
    tolerance: float = 0.0
    decimals: int = 3
    text: dict = field(default_factory=dict)


def check_step(page, step, fingerprint) -> None:
    """A page's url path, a guided step's name and its fingerprint, each of its shape, or ``BadInput``."""
    for why, value, shape in (
        ("page", page, r"[a-z0-9-]{1,40}"),
        ("step", step, r"[a-z][a-z0-9_]{0,40}"),
        ("fingerprint", fingerprint, r"[0-9a-f]{8,64}"),
    ):
        if not (isinstance(value, str) and re.fullmatch(shape, value)):
            raise BadInput("room.bad_question", why=why)


def stored(q: NewQuestion, options: int, max_bytes: int) -> dict:
    """The question as a room keeps it (at most ``options`` options, ``max_bytes`` as JSON), or ``BadInput``."""

    def bad(why: str):
        return BadInput("room.bad_question", why=why)

    check_step(q.page, q.step, q.fingerprint)
    labels = [str(label) for label in q.labels]
    if len(labels) == 1 or len(labels) > options:
        raise bad("options")
    if not (isinstance(q.decimals, int) and 0 <= q.decimals <= 6):
        raise bad("decimals")
    answer, tolerance = float(q.answer), float(q.tolerance)
    if not (math.isfinite(answer) and math.isfinite(tolerance) and tolerance >= 0):
        raise bad("answer")
    if labels and not (answer.is_integer() and 0 <= answer < len(labels)):
        raise bad("answer")
    entry = {
        "page": q.page,
        "step": q.step,
        "fingerprint": q.fingerprint,
        "labels": labels,
        "answer": int(answer) if labels else answer,
        "tolerance": tolerance,
        "decimals": q.decimals,
        "text": q.text,
        "shown": False,
        "revealed": False,
        "final": None,
    }
    if len(json.dumps(entry, ensure_ascii=False).encode()) > max_bytes:
        raise bad("size")
    return entry


def spreadsheet_safe(text: str) -> str:
    """A text cell a spreadsheet will not run as a formula (a nickname "=HYPERLINK(…)")."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def public(question: dict) -> Question:
    """A stored question as students may read it: the right answer only once revealed."""
    revealed = bool(question["revealed"])
    return Question(
        qid=int(question["qid"]),
        page=question["page"],
        step=question["step"],
        fingerprint=question["fingerprint"],
        labels=tuple(question["labels"]),
        decimals=int(question["decimals"]),
        text=question["text"],
        shown=bool(question["shown"]),
        revealed=revealed,
        answer=float(question["answer"]) if revealed else None,
        tolerance=float(question["tolerance"]),
    )


def checked_answer(question: dict, value) -> str:
    """``value`` as kept (an option's index, or the number with the question's decimals), or ``BadInput``."""
    text = str(value).strip()
    if question["labels"]:
        count = len(question["labels"])
        if not (text.isascii() and text.isdigit() and int(text) < count):
            raise BadInput("room.bad_answer", count=count)
        return str(int(text))
    try:
        if not text.isascii():  # float("１.５") is 1.5: typed answers are ASCII digits
            raise ValueError(text)
        number = float(text)
    except ValueError:
        raise BadInput("room.bad_number") from None
    if not (math.isfinite(number) and abs(number) <= MAX_NUMBER):
        raise BadInput("room.bad_number")
    return f"{number:.{int(question['decimals'])}f}"


def is_right(question: dict, value) -> bool:
    """Whether an answer as kept (None: none given) is the stored question's right answer."""
    if value is None:
        return False
    if question["labels"]:
        return int(value) == int(question["answer"])
    return abs(float(value) - float(question["answer"])) <= float(question["tolerance"]) + 1e-12


def said(question: dict, value) -> str:
    """An answer as the results file shows it: the option's label, or the number."""
    if question["labels"]:
        return spreadsheet_safe(question["labels"][int(value)])
    return f"{float(value):.{int(question['decimals'])}f}"


def number_bins(values: list[float], decimals: int) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """(labels, counts) of a number question's answers: one bar a value, or equal bins over their range.

    The bins follow the answers, never the right answer, so the distribution gives nothing away.
    """
    if not values:
        return (), ()
    distinct = sorted(set(values))
    if len(distinct) <= NUMBER_BINS:
        return tuple(f"{v:.{decimals}f}" for v in distinct), tuple(values.count(v) for v in distinct)
    lo, hi = distinct[0], distinct[-1]
    width = (hi - lo) / NUMBER_BINS
    counts = [0] * NUMBER_BINS
    for v in values:
        counts[min(int((v - lo) / width), NUMBER_BINS - 1)] += 1
    edges = [lo + i * width for i in range(NUMBER_BINS + 1)]
    labels = tuple(f"{edges[i]:.{decimals}f}–{edges[i + 1]:.{decimals}f}" for i in range(NUMBER_BINS))
    return labels, tuple(counts)
