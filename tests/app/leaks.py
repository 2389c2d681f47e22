"""Does a page give a guided question's answer away?  Everything a page shows, read out of AppTest.

The rule (ui/guided.py, ``Shown.hides``): while a question waits for its
answer, no element of the page shows it — no chart (bars, colours, printed
numbers, hover text, customdata), caption, metric, alert, formula or widget
label.  ``texts`` and ``numbers`` collect all of that from a page run;
``secrets`` says what a step's answer looks like on a page; ``assert_hidden``
checks that none of it is there.  Each lesson's test walks every view with
each question open and calls ``assert_hidden``.
"""

from __future__ import annotations

import json
import re
import string

import numpy as np
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from tests.app.helpers import decode


def _nodes(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


def _strings(value, out: list[str]) -> None:
    if isinstance(value, str):
        if not value.startswith("$$ID-"):  # a widget's id: a hash, not something the page shows
            out.append(value)
    elif isinstance(value, dict):
        for item in value.values():
            _strings(item, out)
    elif isinstance(value, list):
        for item in value:
            _strings(item, out)


def _figures(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def texts(at: AppTest) -> list[str]:
    """Every string on the page: element bodies, labels, helps, options, and every string in every chart's spec."""
    out: list[str] = []
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None or type(node).__name__ == "UnknownElement":
            continue
        try:
            _strings(MessageToDict(proto), out)
        except (TypeError, AttributeError):
            continue
    for spec in _figures(at):
        _strings(spec, out)
    return out


def _arrays(value, out: list[np.ndarray]) -> None:
    if isinstance(value, dict):
        if "bdata" in value:
            out.append(np.ravel(decode(value)))
            return
        for item in value.values():
            _arrays(item, out)
    elif isinstance(value, list):
        flat = [v for v in value if isinstance(v, (int, float)) and not isinstance(v, bool)]
        if flat:
            out.append(np.asarray(flat, dtype=np.float64))
        for item in value:
            if isinstance(item, (dict, list)):
                _arrays(item, out)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        out.append(np.asarray([value], dtype=np.float64))


def numbers(at: AppTest) -> np.ndarray:
    """Every number in every chart's data (z, y, x, customdata, …): a colour or a hover can show a value too."""
    out: list[np.ndarray] = []
    for spec in _figures(at):
        for trace in spec.get("data", []):
            _arrays(
                {k: v for k, v in trace.items() if k not in ("marker", "line")} | {"marker": trace.get("marker")}, out
            )
    return np.concatenate(out) if out else np.zeros(0)


def _number_pattern(text: str) -> re.Pattern:
    """``text`` as a number standing alone (not the middle of 10.235, nor 0.2 of 0.23)."""
    return re.compile(rf"(?<![\d.]){re.escape(text)}(?![\d])")


def shows_number(at: AppTest, value: float, decimals=(2, 3), exact: bool = True) -> list[str]:
    """Where the page shows ``value``: printed with any of ``decimals``, or (``exact``) carried in a chart's data."""
    found = []
    for d in decimals:
        pattern = _number_pattern(f"{value:.{d}f}")
        found += [s for s in texts(at) if pattern.search(s)]
    if exact and value != 0:
        data = numbers(at)
        if np.any(np.isclose(data, value, rtol=2e-6, atol=0)):
            found.append(f"a chart carries {value!r}")
    return found


def shows_words(at: AppTest, words: str) -> list[str]:
    """The page's strings containing ``words`` (markdown escapes and spacing ignored)."""
    plain = _plain(words)
    return [s for s in texts(at) if plain and plain in _plain(s)]


def _plain(text: str) -> str:
    text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)  # Markdown escapes
    text = re.sub(r"[*_`$]", "", text)
    return " ".join(text.split()).lower()


def fields(template: str) -> set[str]:
    """The ``{name}`` fields of a catalog string."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def assert_hidden(at: AppTest, values: dict, words=()) -> None:
    """Neither a number in ``values`` ({what: number}) nor any of ``words`` appears anywhere on the page."""
    leaks = {}
    for what, value in values.items():
        where = shows_number(at, float(value))
        if where:
            leaks[what] = where[:3]
    for phrase in words:
        where = shows_words(at, phrase)
        if where:
            leaks[phrase] = where[:3]
    assert not leaks, f"the open question's answer shows on the page: {leaks}"
