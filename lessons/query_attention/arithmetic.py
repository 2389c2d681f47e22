"""The Query page's arithmetic written out: the softmax, the output, Σw, the entropy, and why a copied token lost.

Formatting only, like ``ui/arithmetic.py`` (whose helpers and score lines the
image page shares): the totals printed are the core's own numbers.
"""

from __future__ import annotations

import math

import numpy as np

from ui.arithmetic import (
    CLOSE_DIGITS,
    DIMS_SHOWN,
    EXPS_SHOWN,
    FACTOR_DIGITS,
    RESULT_DIGITS,
    TOKENS_SHOWN,
    adds_up,
    equals,
    factor,
    num,
    printed,
    vector,
    wrap,
)


def largest(weights: np.ndarray, allowed: np.ndarray, k: int = TOKENS_SHOWN) -> list[int]:
    """The k attendable tokens with the largest weights, largest first (ties: lower index first)."""
    candidates = np.flatnonzero(allowed)
    order = np.lexsort((candidates, -np.asarray(weights, dtype=np.float64)[candidates]))
    return [int(i) for i in candidates[order][:k]]


def softmax_line(
    scores: np.ndarray, weights: np.ndarray, temperature: float, allowed: np.ndarray, tokens: list[int]
) -> str:
    """w_i = e^{a_i/T} / Σ_j e^{a_j/T} for the first of ``tokens``, with its numbers filled in."""
    shown = [i for i in tokens if allowed[i]] or largest(weights, allowed, 1)
    if not shown:
        return "w_i = 0 \\text{ for every } i"
    i = shown[0]
    t = "" if temperature == 1 else f"/{temperature:g}"  # T is one of the slider's stops
    written = shown[:EXPS_SHOWN]
    complete = allowed.sum() == len(written)  # every term of the sum written: the line can be checked
    a = np.asarray(scores, dtype=np.float64)

    def recompute(d: int) -> float:
        z = np.array([printed(a[j], d) for j in written]) / temperature
        return float(np.exp(printed(a[i], d) / temperature - z.max()) / np.exp(z - z.max()).sum())

    fits = adds_up(recompute, float(weights[i])) if complete else 2
    d = fits or CLOSE_DIGITS
    exps = " + ".join(f"e^{{{factor(float(a[j]), d)}{t}}}" for j in written)
    more = "" if complete else " + \\cdots"
    return wrap(
        f"w_{{{i + 1}}} = \\frac{{e^{{a_{{{i + 1}}}/T}}}}{{\\sum_j e^{{a_j/T}}}}",
        [
            f"= \\frac{{e^{{{factor(float(a[i]), d)}{t}}}}}{{{exps}{more}}}",
            f"{equals(fits)} {num(float(weights[i]), RESULT_DIGITS)}",
        ],
    )


def output_line(x: np.ndarray, weights: np.ndarray, output: np.ndarray, allowed: np.ndarray, tokens: list[int]) -> str:
    """o = Σ w_i x_i with the rows of ``tokens`` written out, one per line.

    When every term and component is written, the factors get the fewest decimals with which
    each printed component of o (2 decimals) adds up from them, else ``CLOSE_DIGITS`` and "≈".
    """
    shown = [i for i in tokens if allowed[i]]
    more = " + \\cdots" if allowed.sum() > len(shown) else ""
    complete = not more and x.shape[1] <= DIMS_SHOWN and bool(shown)
    w = np.asarray(weights, dtype=np.float64)

    def recompute(d: int) -> np.ndarray:
        return np.array([sum(printed(w[i], d) * printed(x[i, c], d) for i in shown) for c in range(x.shape[1])])

    fits = None
    if complete:
        fits = next((d for d in FACTOR_DIGITS if all(num(v) == num(o) for v, o in zip(recompute(d), output))), None)
    digits = (fits or CLOSE_DIGITS) if complete else 2
    budget = 28 + 5 * (digits - 2) + (12 if complete else 0)  # a checkable row keeps every component
    rows = [f"{factor(float(w[i]), digits)}\\,{vector(x[i], budget, digits)}" for i in shown] or ["0"]
    body = " \\\\ &+ ".join(rows)
    sign = "\\approx" if complete and fits is None else "="
    return (
        f"\\begin{{aligned}} o = \\sum_i w_i x_i &= {body}{more} \\\\ &{sign} {vector(output, budget)} \\end{{aligned}}"
    )


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
