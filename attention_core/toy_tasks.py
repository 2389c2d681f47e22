"""Toy sequence tasks for the seq2seq lesson: seeded generators and the rule behind each task.

A task maps an input string to an output string by a rule a student can
state in one sentence (reverse it, sort it, shift every letter by k, write
the date the ISO way), so a trained model can be checked exactly and its
alignment read against the rule: "reverse" should look at the input from
its end, "copy" along the diagonal.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from dataclasses import dataclass

import numpy as np

from .errors import InputError, Quoted

TASKS = ("reverse", "copy", "sort", "shift", "date")
LETTERS = string.ascii_lowercase
MONTHS = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)  # English, whatever the locale
YEARS = (1900, 2099)  # dates are drawn from these years
DATE_LENGTHS = (10, 11)  # "1 Jan 2026", "23 Nov 2026"
MAX_LENGTH = 30  # longest input a string task may be trained on
SHIFT_K = 3  # the shift task's default k (Caesar's own)
_DATE = re.compile(r"^(\d{1,2}) ([A-Za-z]{3}) (\d{4})$")


@dataclass(frozen=True)
class Task:
    """One toy task: its name, the letters it reads and writes, and its rule.

    ``k`` is used by "shift" only (a → a+k, wrapping z → c for k = 3).
    """

    name: str
    k: int = SHIFT_K

    @property
    def alphabet(self) -> str:
        """Every character an input or an output may hold, in a fixed order (the vocabulary)."""
        if self.name == "date":
            month_letters = sorted(set("".join(MONTHS)))
            return string.digits + " -" + "".join(month_letters)
        return LETTERS

    @property
    def fixed_length(self) -> bool:
        """True when the input length is set by the task (a date), not by the user."""
        return self.name == "date"

    def target(self, text: str) -> str:
        """The correct output for ``text`` (assumed valid, see ``check``)."""
        if self.name == "reverse":
            return text[::-1]
        if self.name == "copy":
            return text
        if self.name == "sort":
            return "".join(sorted(text))
        if self.name == "shift":
            return "".join(LETTERS[(LETTERS.index(c) + self.k) % 26] for c in text)
        day, month, year = _parse_date(text)
        return f"{year:04d}-{month:02d}-{day:02d}"

    def check(self, text: str, max_length: int) -> str:
        """``text`` cleaned (spaces trimmed; letters lower-cased, months capitalised) or InputError.

        One sentence says what is wrong: empty, a character the task never
        saw, longer than the model was trained on, or a date that does not exist.
        """
        text = text.strip()
        if not text:
            raise InputError("task.empty")
        if self.name == "date":
            match = _DATE.match(" ".join(text.split()))
            if not match:
                raise InputError("task.date_format")
            text = f"{int(match.group(1))} {match.group(2).capitalize()} {match.group(3)}"
            _parse_date(text)
            return text
        text = text.lower()
        bad = sorted(set(text) - set(LETTERS))
        if bad:
            raise InputError("task.letters_only", shown=Quoted(bad[:5]))
        if len(text) > max_length:
            raise InputError("task.too_long", count=len(text), max=max_length)
        return text

    def sample(self, rng: np.random.Generator, count: int, min_length: int, max_length: int) -> list[str]:
        """``count`` random inputs of ``min_length``–``max_length`` characters, drawn from ``rng``.

        Dates are 10 or 11 characters long ("1 Jan 2026", "23 Nov 2026"):
        lengths that allow neither give both.
        """
        if self.name == "date":
            first = dt.date(YEARS[0], 1, 1).toordinal()
            last = dt.date(YEARS[1], 12, 31).toordinal()
            wanted = [n for n in DATE_LENGTHS if min_length <= n <= max_length] or list(DATE_LENGTHS)
            dates: list[str] = []
            while len(dates) < count:  # rejection: about a third of all days have one digit
                days = rng.integers(first, last + 1, size=2 * count)
                dates += [s for s in (format_date(dt.date.fromordinal(int(d))) for d in days) if len(s) in wanted]
            return dates[:count]
        lengths = rng.integers(min_length, max_length + 1, size=count)
        letters = rng.integers(0, 26, size=(count, max_length))
        return ["".join(LETTERS[i] for i in row[:n]) for row, n in zip(letters, lengths)]

    def example(self, length: int) -> str:
        """A fixed, readable input for the live heatmap: the alphabet in order for the string tasks."""
        if self.name == "date":
            return "23 Nov 2026"
        if self.name == "sort":
            return "".join(LETTERS[(7 * i + 3) % 26] for i in range(length))  # shuffled, no repeats
        return LETTERS[:length]


def format_date(day: dt.date) -> str:
    """dt.date(2026, 11, 23) → "23 Nov 2026"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _parse_date(text: str) -> tuple[int, int, int]:
    """ "23 Nov 2026" → (23, 11, 2026), or InputError for a month or a day that does not exist."""
    match = _DATE.match(text)
    if not match:
        raise InputError("task.date_format")
    day, name, year = int(match.group(1)), match.group(2).capitalize(), int(match.group(3))
    if name not in MONTHS:
        raise InputError("task.not_month", month=match.group(2))
    month = MONTHS.index(name) + 1
    if not YEARS[0] <= year <= YEARS[1]:
        raise InputError("task.year_range", first=YEARS[0], last=YEARS[1], year=year)
    try:
        dt.date(year, month, day)
    except ValueError:
        raise InputError("task.no_such_day", month=name, month_number=month, year=year, day=day) from None
    return day, month, year


def make_task(name: str, k: int = SHIFT_K) -> Task:
    if name not in TASKS:
        raise InputError("seq2seq.unknown_task", task=name, choices=", ".join(TASKS))
    return Task(name, k)
