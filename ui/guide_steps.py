"""The steps of a guided lesson as plain data: what each lesson's ``guide.py`` returns (no Streamlit here).

A step names its strings by key (``guide.<lesson>.<name>.explain`` /
``.question`` / ``.why``) and gives the numbers that fill them, so a
lesson's question generator is a pure function of the page's numbers that a
test can check without a browser or a language.
"""

from __future__ import annotations

import hashlib
import numbers
from dataclasses import dataclass, field
from typing import Callable, Union


@dataclass(frozen=True)
class Word:
    """A catalog key (``t(key)`` when shown): options and values that are words, not data (e.g. "down")."""

    key: str
    values: tuple = ()  # ((name, value), …) filling the text's {name} fields, e.g. (("k", 2),) for "Head {k}"


Text = Union[str, int, float, Word]  # a label or number shown as it is, or a Word translated when shown


@dataclass(frozen=True)
class Step:
    """One predict-then-reveal step.

    ``options`` empty: the answer is a number, right within ``tolerance``;
    otherwise ``answer`` is the index of the right option.  ``asks`` names the
    quantities the question asks about ("weights", "alignment", …): every view,
    chart, caption, metric and hover text of the page that shows one of them
    waits until the reveal (the page asks ``Shown.hides(quantity)`` before it
    draws one; tests/app/leaks.py checks, view by view, that the answer shows
    nowhere).  ``mark`` is what the page's chart highlights at the reveal (a
    token index, or a (row, column) cell).
    """

    lesson: str  # "query", "sa", …: the strings are guide.<lesson>.<name>.*
    name: str
    values: dict[str, Text] = field(default_factory=dict)
    options: tuple[Text, ...] = ()
    answer: float = 0
    tolerance: float = 0.0
    asks: tuple[str, ...] = ()
    mark: int | tuple[int, int] | None = None
    decimals: int = 3  # a number answer is typed with this many decimals (0: a whole number)

    def key(self, part: str) -> str:
        return f"guide.{self.lesson}.{self.name}.{part}"

    def is_right(self, given) -> bool:
        """Whether ``given`` (an option index, or a number) is the answer."""
        if given is None:
            return False
        if self.options:
            return int(given) == int(self.answer)
        return abs(float(given) - float(self.answer)) <= self.tolerance

    def fingerprint(self) -> tuple:
        """What makes this question this question (a new seed or new data changes it)."""
        return (self.lesson, self.name, tuple(sorted(self.values.items())), self.options, self.answer)

    def digest(self) -> str:
        """``fingerprint()`` as 16 hex digits: the live class matches a student's step to the teacher's by it."""
        return hashlib.blake2b(repr(self.fingerprint()).encode(), digest_size=8).hexdigest()

    def plain(self) -> dict:
        """The step's words as JSON-able data (no answer): a live class's question, drawn in each reader's language."""
        return {
            "lesson": self.lesson,
            "name": self.name,
            "values": {name: _plain(value) for name, value in self.values.items()},
            "options": [_plain(option) for option in self.options],
            "decimals": self.decimals,
        }

    @classmethod
    def from_plain(cls, data: dict) -> Step:
        """The step ``plain()`` wrote (its words; answer 0, nothing asked or marked)."""
        return cls(
            lesson=str(data["lesson"]),
            name=str(data["name"]),
            values={str(name): _from_plain(value) for name, value in data["values"].items()},
            options=tuple(_from_plain(option) for option in data["options"]),
            decimals=int(data["decimals"]),
        )


def _plain(value: Text):
    """A value of a step as JSON: a Word as {"word": key, "values": [[name, value], …]}, numpy numbers as Python's."""
    if isinstance(value, Word):
        return {"word": value.key, "values": [[name, _plain(v)] for name, v in value.values]}
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return float(value)
    return value


def _from_plain(value) -> Text:
    if isinstance(value, dict):
        return Word(str(value["word"]), tuple((str(name), _from_plain(v)) for name, v in value["values"]))
    return value


def distinct_labels(labels) -> list[str]:
    """Token labels as answer options: a label used twice gets its position ("a (#3)"), so options stay distinct."""
    labels = [str(label) for label in labels]
    counts = {label: labels.count(label) for label in labels}
    return [label if counts[label] == 1 else f"{label} (#{i + 1})" for i, label in enumerate(labels)]


def choose_options(right: int, candidates, count: int = 4) -> tuple[list[int], int]:
    """``count`` token indices to offer: ``right`` and the first other ``candidates``, in token order.

    Returns (indices, position of ``right`` among them).  Token order, not rank
    order, so the answer is not always the first option.
    """
    chosen = [right] + [int(c) for c in candidates if int(c) != right][: count - 1]
    chosen.sort()
    return chosen, chosen.index(right)


@dataclass(frozen=True)
class NoFit:
    """No question fits the page's settings: which setting to change, and a button that changes it.

    What a lesson's step maker returns instead of steps.  ``reason`` says what
    is missing ("the object stands still: move it"), ``button`` is the button's
    words, ``apply`` changes the setting (called as the button's callback, so
    the next run has the new setting and the lesson starts).
    """

    reason: Word
    button: Word
    apply: Callable[[], None]
