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


def paren(x: float) -> str:
    return f"({num(x)})" if x < 0 else num(x)


def width(latex: str) -> int:
    """Roughly how many characters wide ``latex`` renders: each command counts as one."""
    return len(re.sub(r"\\[A-Za-z]+|[{}^_&]|\\[,;!]", lambda m: "x" if m.group(0)[1:].isalpha() else "", latex))


def vector(v: np.ndarray, budget: int = 28) -> str:
    """[v₁, v₂, …]: as many leading components as fit in ``budget`` characters (at least one)."""
    parts = [num(x) for x in v[:DIMS_SHOWN]]
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


def _dot_pieces(q: np.ndarray, x: np.ndarray) -> list[str]:
    """["q₁x₁", "+ q₂x₂", …] of the first TERMS_SHOWN products."""
    terms = [f"{paren(a)}\\cdot{paren(b)}" for a, b in zip(q[:TERMS_SHOWN], x[:TERMS_SHOWN])]
    pieces = [terms[0]] + [f"+ {term}" for term in terms[1:]]
    return pieces + (["+ \\cdots"] if len(q) > TERMS_SHOWN else [])


def dot_terms(q: np.ndarray, x: np.ndarray) -> str:
    """q₁x₁ + q₂x₂ + … on one line (the self-attention arithmetic writes it inside a fraction)."""
    return " ".join(_dot_pieces(q, x))


def largest(weights: np.ndarray, allowed: np.ndarray, k: int = TOKENS_SHOWN) -> list[int]:
    """The k attendable tokens with the largest weights, largest first (ties: lower index first)."""
    candidates = np.flatnonzero(allowed)
    order = np.lexsort((candidates, -np.asarray(weights, dtype=np.float64)[candidates]))
    return [int(i) for i in candidates[order][:k]]


def score_lines(method: str, q: np.ndarray, x: np.ndarray, scores: np.ndarray, tokens: list[int]) -> list[str]:
    """One line a_i = … = value per token in ``tokens``. q ``[d]``, x ``[n, d]``, scores ``[n]``."""
    d = q.shape[0]
    lines = []
    for i in tokens:
        k = i + 1
        result = f"= {num(float(scores[i]), 3)}"
        if method in ("dot", "scaled_dot"):
            first, *rest = _dot_pieces(q, x[i])
            if method == "dot":
                head, pieces = f"a_{{{k}}} = q^\\top x_{{{k}}}", [f"= {first}", *rest]
            else:
                head = f"a_{{{k}}} = \\frac{{q^\\top x_{{{k}}}}}{{\\sqrt{{d}}}}"
                pieces = [f"= \\tfrac{{1}}{{\\sqrt{{{d}}}}}\\,({first}", *rest]
                pieces[-1] += ")"
            lines.append(wrap(head, pieces + [result]))
        elif method == "cosine":
            head = f"a_{{{k}}} = \\frac{{q^\\top x_{{{k}}}}}{{\\lVert q\\rVert\\,\\lVert x_{{{k}}}\\rVert}}"
            frac = f"= \\frac{{{num(float(q @ x[i]))}}}{{{num(float(np.linalg.norm(q)))}\\times {num(float(np.linalg.norm(x[i])))}}}"
            lines.append(wrap(head, [frac, result]))
        elif method == "general":
            lines.append(wrap(f"a_{{{k}}} = q^\\top W x_{{{k}}}", [result]))
        else:
            lines.append(wrap(f"a_{{{k}}} = v^\\top \\tanh(W_1 q + W_2 x_{{{k}}})", [result]))
    return lines


def softmax_line(
    scores: np.ndarray, weights: np.ndarray, temperature: float, allowed: np.ndarray, tokens: list[int]
) -> str:
    """w_i = e^{a_i/T} / Σ_j e^{a_j/T} for the first of ``tokens``, with its numbers filled in."""
    shown = [i for i in tokens if allowed[i]] or largest(weights, allowed, 1)
    if not shown:
        return "w_i = 0 \\text{ for every } i"
    i = shown[0]
    t = "" if temperature == 1 else f"/{temperature:g}"  # T is one of the slider's stops
    exps = " + ".join(f"e^{{{num(float(scores[j]))}{t}}}" for j in shown[:EXPS_SHOWN])
    more = " + \\cdots" if allowed.sum() > len(shown[:EXPS_SHOWN]) else ""
    return wrap(
        f"w_{{{i + 1}}} = \\frac{{e^{{a_{{{i + 1}}}/T}}}}{{\\sum_j e^{{a_j/T}}}}",
        [f"= \\frac{{e^{{{num(float(scores[i]))}{t}}}}}{{{exps}{more}}}", f"= {num(float(weights[i]), 3)}"],
    )


def output_line(x: np.ndarray, weights: np.ndarray, output: np.ndarray, allowed: np.ndarray, tokens: list[int]) -> str:
    """o = Σ w_i x_i with the rows of ``tokens`` written out, one per line."""
    shown = [i for i in tokens if allowed[i]]
    rows = [f"{num(float(weights[i]))}\\,{vector(x[i])}" for i in shown] or ["0"]
    more = " + \\cdots" if allowed.sum() > len(shown) else ""
    body = " \\\\ &+ ".join(rows)
    return f"\\begin{{aligned}} o = \\sum_i w_i x_i &= {body}{more} \\\\ &= {vector(output)} \\end{{aligned}}"


def sum_line(weights: np.ndarray) -> str:
    return f"\\textstyle\\sum_i w_i = {num(float(weights.sum()), 3)}"


def entropy_line(entropy_bits: float, n_allowed: int, bits: str) -> str:
    """H(w) = … bits ≤ log₂ n; ``bits`` is the unit's word in the page's language."""
    top = f"\\log_2 {n_allowed} = {num(math.log2(n_allowed))}" if n_allowed > 0 else "0"
    return wrap(
        "H(w) = -\\textstyle\\sum_i w_i \\log_2 w_i",
        [f"= {num(max(entropy_bits, 0.0))}\\text{{ {bits}}}", f"\\le {top}"],
    )


# ------------------------------------------------------ why the copy lost


def _distinct(a: float, b: float) -> tuple[str, str]:
    """a and b with just enough decimals (2 to 6) that two different numbers do not print alike."""
    for digits in range(2, 7):
        fa, fb = f"{a:.{digits}f}", f"{b:.{digits}f}"
        if fa != fb:
            break
    return fa, fb


def why_copy_loses(
    method: str, q: np.ndarray, x: np.ndarray, scores: np.ndarray, weights: np.ndarray, allowed: np.ndarray
) -> tuple[str, dict] | None:
    """When q is a copy of a token that does not get the largest weight: why, from the numbers.

    q ``[d]`` (as typed, before the scale), x ``[n, d]``, scores, weights, allowed ``[n]``.
    Returns (reason, values) for the sentence ``query.why.<reason>``, or None
    when q copies no token or the copy wins.  Token values are 0-based indices.
    """
    copies = np.flatnonzero(np.all(x == q, axis=1))
    if copies.size == 0:
        return None
    i = int(copies[0])
    if not allowed[i]:
        return "masked", {"copy": i}
    win = int(np.argmax(weights))
    if win == i:
        return None
    if weights[win] - weights[i] <= 1e-12 * max(float(weights[win]), 1e-300):
        return "tie", {"copy": i, "win": win, "w": f"{float(weights[i]):.3f}"}
    a_win, a_copy = _distinct(float(scores[win]), float(scores[i]))
    if method in ("dot", "scaled_dot"):
        # a = ‖q‖·‖x‖·cos θ with q = x_copy: the winner's length must outweigh its angle
        norm_win, norm_copy = _distinct(float(np.linalg.norm(x[win])), float(np.linalg.norm(x[i])))
        cos = float(x[win] @ x[i] / max(np.linalg.norm(x[win]) * np.linalg.norm(x[i]), 1e-300))
        return "longer", {
            "copy": i,
            "win": win,
            "a_win": a_win,
            "a_copy": a_copy,
            "norm_win": norm_win,
            "norm_copy": norm_copy,
            "cos": f"{cos:.2f}",
        }
    return "learned", {"copy": i, "win": win, "a_win": a_win, "a_copy": a_copy}
