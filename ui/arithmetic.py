"""The arithmetic written out with the real numbers, as LaTeX for ``st.latex``.

Only formatting lives here: the totals printed at the end of each line are
the core's own scores, weights and output, so the page never shows a
number that was computed twice.  Long lines are broken (``wrap``) so the
result at the end of each stays on screen on a 1280-px laptop.
"""

from __future__ import annotations

import math
import re

import numpy as np

TOKENS_SHOWN = 3  # how many tokens are written out unless the student picks others
TERMS_SHOWN = 4  # how many products of a dot product are written out
DIMS_SHOWN = 4  # how many components of a vector are written out
EXPS_SHOWN = 3  # how many e^{a_j} of the softmax denominator are written out
LINE_CHARS = 46  # a LaTeX line holds about this many visible characters at 1280 px


def num(x: float, digits: int = 2) -> str:
    """A number for LaTeX: 2 decimals, scientific when huge or tiny; total (±∞, NaN, −0 all print)."""
    x = float(x)
    if math.isnan(x):
        return "\\mathrm{NaN}"
    if math.isinf(x):
        return "\\infty" if x > 0 else "-\\infty"
    if x != 0 and (abs(x) >= 1e5 or abs(x) < 10 ** (-digits)):
        mantissa, exponent = f"{x:.{digits}e}".split("e")
        return f"{mantissa}\\times 10^{{{int(exponent)}}}"
    text = f"{x:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text  # −0.00 reads as a sign error


def factor(x: float, digits: int = 2) -> str:
    """``num(x, digits)`` without trailing zeros past the second decimal: q = −0.32 stays −0.32 beside x = 1.1224."""
    text = num(x, digits)
    if "times" not in text and "." in text:
        whole, frac = text.split(".")
        text = f"{whole}.{frac[:2]}{frac[2:].rstrip('0')}"
    return text


def paren(x: float, digits: int = 2) -> str:
    return f"({factor(x, digits)})" if x < 0 else factor(x, digits)


def printed(x: float, digits: int = 2) -> float:
    """The number ``num(x, digits)`` shows, as a student reads it back."""
    x = float(x)
    if not math.isfinite(x) or x == 0:
        return x
    if abs(x) >= 1e5 or abs(x) < 10 ** (-digits):
        return float(f"{x:.{digits}e}")
    return float(f"{x:.{digits}f}")


FACTOR_DIGITS = (2, 3, 4)  # a written-out line's factors get the fewest of these decimals that add up
CLOSE_DIGITS = 4  # … or, when none does, this many and "≈"
RESULT_DIGITS = 3


def adds_up(recompute, result: float, digits: int = RESULT_DIGITS) -> int | None:
    """The fewest ``FACTOR_DIGITS`` whose printed factors give ``result`` as printed (``num(result, digits)``).

    ``recompute(d)``: the line's value worked out from its factors printed with d decimals
    (via ``printed``).  None when no such d exists: the line then says ≈, not =, and
    prints its factors with ``CLOSE_DIGITS`` (a student's sum then lands within a unit of the last digit).
    Why: a student checks a line from the numbers it prints; 2-decimal factors
    once summed to 8.250 beside a printed 8.259.
    """
    want = num(result, digits)
    for d in FACTOR_DIGITS:
        try:
            if num(recompute(d), digits) == want:
                return d
        except (OverflowError, ZeroDivisionError, FloatingPointError):
            return None
    return None


def equals(fits: int | None) -> str:
    """ "=" before a result its printed factors give, "\\approx" before one they only come close to."""
    return "=" if fits is not None else "\\approx"


def width(latex: str) -> int:
    """Roughly how many characters wide ``latex`` renders: each command counts as one."""
    return len(re.sub(r"\\[A-Za-z]+|[{}^_&]|\\[,;!]", lambda m: "x" if m.group(0)[1:].isalpha() else "", latex))


def vector(v: np.ndarray, budget: int = 28, digits: int = 2) -> str:
    """[v₁, v₂, …]: as many leading components as fit in ``budget`` characters (at least one)."""
    parts = [factor(x, digits) for x in v[:DIMS_SHOWN]]
    while len(parts) > 1 and width(", ".join(parts)) > budget:
        parts.pop()
    more = ", \\ldots" if len(v) > len(parts) else ""
    return f"[{', '.join(parts)}{more}]"


def wrap(head: str, pieces: list[str]) -> str:
    """``head`` followed by ``pieces`` ("= …", "+ …"), broken into lines of about LINE_CHARS.

    One line when it fits; otherwise an ``aligned`` block whose first line
    holds the head, continuation lines indented under the first "=".
    """
    if width(head) + sum(width(p) + 1 for p in pieces) <= LINE_CHARS:
        return " ".join([head, *pieces])
    lines, line = [], []
    used = width(head)
    for piece in pieces:
        if line and used + width(piece) > LINE_CHARS:
            lines.append(" ".join(line))
            line, used = [], width(head)
        line.append(piece)
        used += width(piece) + 1
    lines.append(" ".join(line))
    body = [f"{head} &{lines[0]}"] + [f"&{rest}" if rest.startswith("=") else f"&\\quad {rest}" for rest in lines[1:]]
    return "\\begin{aligned} " + " \\\\ ".join(body) + " \\end{aligned}"


def _dot_pieces(q: np.ndarray, x: np.ndarray, digits: int = 2) -> list[str]:
    """["q₁x₁", "+ q₂x₂", …] of the first TERMS_SHOWN products, the factors with ``digits`` decimals."""
    terms = [f"{paren(a, digits)}\\cdot{paren(b, digits)}" for a, b in zip(q[:TERMS_SHOWN], x[:TERMS_SHOWN])]
    pieces = [terms[0]] + [f"+ {term}" for term in terms[1:]]
    return pieces + (["+ \\cdots"] if len(q) > TERMS_SHOWN else [])


def dot_terms(q: np.ndarray, x: np.ndarray, digits: int = 2) -> str:
    """q₁x₁ + q₂x₂ + … on one line (the self-attention arithmetic writes it inside a fraction)."""
    return " ".join(_dot_pieces(q, x, digits))


def _printed_dot(q: np.ndarray, x: np.ndarray, d: int) -> float:
    return sum(printed(a, d) * printed(b, d) for a, b in zip(q, x))


def score_lines(method: str, q: np.ndarray, x: np.ndarray, scores: np.ndarray, tokens: list[int]) -> list[str]:
    """One line a_i = … = value per token in ``tokens``. q ``[d]``, x ``[n, d]``, scores ``[n]``."""
    d = q.shape[0]
    lines = []
    for i in tokens:
        k = i + 1
        a_i = float(scores[i])
        if method in ("dot", "scaled_dot"):
            root = 1.0 if method == "dot" else math.sqrt(d)
            # every product written out: the fewest decimals whose products add up to the printed score
            fits = adds_up(lambda dd: _printed_dot(q, x[i], dd) / root, a_i) if d <= TERMS_SHOWN else 2
            first, *rest = _dot_pieces(q, x[i], fits or CLOSE_DIGITS)
            if method == "dot":
                head, pieces = f"a_{{{k}}} = q^\\top x_{{{k}}}", [f"= {first}", *rest]
            else:
                head = f"a_{{{k}}} = \\frac{{q^\\top x_{{{k}}}}}{{\\sqrt{{d}}}}"
                pieces = [f"= \\tfrac{{1}}{{\\sqrt{{{d}}}}}\\,({first}", *rest]
                pieces[-1] += ")"
            lines.append(wrap(head, pieces + [f"{equals(fits)} {num(a_i, RESULT_DIGITS)}"]))
        elif method == "cosine":
            head = f"a_{{{k}}} = \\frac{{q^\\top x_{{{k}}}}}{{\\lVert q\\rVert\\,\\lVert x_{{{k}}}\\rVert}}"
            dot, nq, nx = float(q @ x[i]), float(np.linalg.norm(q)), float(np.linalg.norm(x[i]))
            fits = adds_up(lambda dd: printed(dot, dd) / (printed(nq, dd) * printed(nx, dd)), a_i)
            dd = fits or CLOSE_DIGITS
            frac = f"= \\frac{{{factor(dot, dd)}}}{{{factor(nq, dd)}\\times {factor(nx, dd)}}}"
            lines.append(wrap(head, [frac, f"{equals(fits)} {num(a_i, RESULT_DIGITS)}"]))
        elif method == "general":
            lines.append(wrap(f"a_{{{k}}} = q^\\top W x_{{{k}}}", [f"= {num(a_i, RESULT_DIGITS)}"]))
        else:
            lines.append(wrap(f"a_{{{k}}} = v^\\top \\tanh(W_1 q + W_2 x_{{{k}}})", [f"= {num(a_i, RESULT_DIGITS)}"]))
    return lines
