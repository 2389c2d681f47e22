"""The arithmetic view adds up from what it prints: every written-out line is recomputed from its own printed numbers.

A student checks a line with a calculator from the numbers on the screen, so
a line that says "=" must give its printed result from its printed factors
(2-decimal factors once summed to 8.250 beside a printed a₅ = 8.259), and a
line that says "≈" must come within one unit of the result's last digit.
"""

from __future__ import annotations

import math
import re

import pytest

from tests.app.pages import open_page

from .test_query_page import show

PAGE = "lessons/query_attention/page.py"
NUM = r"-?\d+\.\d+(?:\\times 10\^\{-?\d+\})?"


def value(text: str) -> float:
    if "times" in text:
        mantissa, exponent = re.fullmatch(r"(-?\d+\.\d+)\\times 10\^\{(-?\d+)\}", text).groups()
        return float(mantissa) * 10.0 ** int(exponent)
    return float(text)


def decimals(text: str) -> int:
    return len(text.split("\\times")[0].split(".")[1])


def plain(latex: str) -> str:
    """The line without layout: aligned blocks, alignment marks, line breaks and spacing."""
    for cut in ("\\begin{aligned}", "\\end{aligned}", "&", "\\\\", "\\quad", "\\,", "$$"):
        latex = latex.replace(cut, " ")
    return " ".join(latex.split())


def result(line: str) -> tuple[str, str]:
    """(sign, printed result): what follows the line's last "=" or "≈"."""
    at = max(line.rfind("= "), line.rfind("\\approx "))
    sign = "=" if line[at] == "=" else "\\approx"
    return sign, line[at + len(sign) :].strip()


def recompute(line: str):
    """(worked out from the printed numbers, printed result text, sign); None for a line that is not arithmetic."""
    if "\\cdots" in line or "\\ldots" in line:  # part of the sum left out: nothing to recompute
        return None
    sign, printed = result(line)
    if line.startswith("a_{") and "\\cdot" in line:
        pairs = re.findall(rf"\(?({NUM})\)?\\cdot\(?({NUM})\)?", line)
        total = sum(value(a) * value(b) for a, b in pairs)
        root = re.search(r"\\tfrac\{1\}\{\\sqrt\{(\d+)\}\}", line)
        return (total / math.sqrt(int(root[1])) if root else total), printed, sign
    if line.startswith("a_{") and "\\lVert" in line:
        dot, nq, nx = re.search(rf"\\frac\{{({NUM})\}}\{{({NUM})\\times ({NUM})\}}", line).groups()
        return value(dot) / (value(nq) * value(nx)), printed, sign
    if line.startswith("w_{") and "e^" in line:
        exps = re.findall(rf"e\^\{{({NUM})(?:/(\d+(?:\.\d+)?))?\}}", line)
        z = [value(a) / float(t or 1) for a, t in exps]
        return math.exp(z[0]) / sum(math.exp(v) for v in z[1:]), printed, sign
    if line.startswith("o = "):
        terms = re.findall(rf"({NUM}) ?\[([^\]]*)\]", line.split("=", 1)[1])  # w_i [x_i]; the result has no w
        comps = [[value(v.strip()) for v in vec.split(",")] for _, vec in terms]
        weights = [value(w) for w, _ in terms]
        worked = [sum(w * row[c] for w, row in zip(weights, comps)) for c in range(len(comps[0]))]
        return worked, printed, sign
    return None


def check(worked, printed: str, sign: str) -> None:
    if isinstance(worked, list):
        for w, p in zip(worked, printed.strip("[]").split(",")):
            check(w, p.strip(), sign)
        return
    k = decimals(printed)
    if sign == "=":
        assert f"{worked:.{k}f}" == f"{value(printed):.{k}f}", (worked, printed)
    else:
        assert abs(worked - value(printed)) <= 10.0**-k, (worked, printed)


@pytest.mark.parametrize(
    "settings",
    [
        {},  # the default: 8 tokens, the three largest weights written out (a₅ once printed 8.259 from 8.250)
        {"n": 3},
        {"n": 3, "seed": 4},
        {"n": 3, "kind": "gaussian", "seed": 2, "temperature": 0.5},
        {"n": 3, "method": "cosine"},
        {"n": 3, "method": "scaled_dot", "temperature": 0.5, "seed": 7},
    ],
)
def test_every_written_line_adds_up_from_its_printed_numbers(settings):
    at = open_page(PAGE, **settings)
    show(at, "arithmetic")
    lines = [plain(el.proto.body) for el in at.get("latex")]
    checked = 0
    for line in lines:
        found = recompute(line)
        if found is not None:
            check(*found)
            checked += 1
    assert checked >= (3 if not settings else 5), lines  # 3 scores, and with 3 tokens the softmax and o too
