"""The arithmetic written out with the real numbers, as LaTeX for ``st.latex``.

Only formatting lives here: the totals printed at the end of each line are
the core's own scores, weights and output, so the page never shows a
number that was computed twice.
"""

from __future__ import annotations

import math

import numpy as np

TOKENS_SHOWN = 3  # how many tokens get their own line
TERMS_SHOWN = 4  # how many products of a dot product are written out
DIMS_SHOWN = 4  # how many components of a vector are written out


def num(x: float, digits: int = 2) -> str:
    """A number for LaTeX: 2 decimals, a real minus sign, scientific when huge or tiny."""
    if x != 0 and (abs(x) >= 1e5 or abs(x) < 10 ** (-digits)):
        mantissa, exponent = f"{x:.{digits}e}".split("e")
        return f"{mantissa}\\times 10^{{{int(exponent)}}}"
    return f"{x:.{digits}f}"


def paren(x: float) -> str:
    return f"({num(x)})" if x < 0 else num(x)


def vector(v: np.ndarray) -> str:
    shown = ", ".join(num(x) for x in v[:DIMS_SHOWN])
    more = ", \\ldots" if len(v) > DIMS_SHOWN else ""
    return f"[{shown}{more}]"


def dot_terms(q: np.ndarray, x: np.ndarray) -> str:
    terms = " + ".join(f"{paren(a)}\\cdot{paren(b)}" for a, b in zip(q[:TERMS_SHOWN], x[:TERMS_SHOWN]))
    return terms + (" + \\cdots" if len(q) > TERMS_SHOWN else "")


def shown_tokens(allowed: np.ndarray) -> list[int]:
    """The first few tokens that may be attended (masked ones have nothing to show)."""
    return [int(i) for i in np.flatnonzero(allowed)[:TOKENS_SHOWN]]


def score_lines(method: str, q: np.ndarray, x: np.ndarray, scores: np.ndarray, allowed: np.ndarray) -> list[str]:
    """One line a_i = … = value per shown token. q ``[d]``, x ``[n, d]``, scores ``[n]``."""
    d = q.shape[0]
    lines = []
    for i in shown_tokens(allowed):
        k = i + 1
        if method == "dot":
            body = f"a_{{{k}}} = q^\\top x_{{{k}}} = {dot_terms(q, x[i])}"
        elif method == "scaled_dot":
            body = f"a_{{{k}}} = \\frac{{q^\\top x_{{{k}}}}}{{\\sqrt{{d}}}} = \\frac{{{dot_terms(q, x[i])}}}{{\\sqrt{{{d}}}}}"
        elif method == "cosine":
            body = (
                f"a_{{{k}}} = \\frac{{q^\\top x_{{{k}}}}}{{\\lVert q\\rVert\\,\\lVert x_{{{k}}}\\rVert}}"
                f" = \\frac{{{num(float(q @ x[i]))}}}{{{num(float(np.linalg.norm(q)))}\\times {num(float(np.linalg.norm(x[i])))}}}"
            )
        elif method == "general":
            body = f"a_{{{k}}} = q^\\top W x_{{{k}}}"
        else:
            body = f"a_{{{k}}} = v^\\top \\tanh(W_1 q + W_2 x_{{{k}}})"
        lines.append(f"{body} = {num(float(scores[i]), 3)}")
    return lines


def softmax_line(scores: np.ndarray, weights: np.ndarray, temperature: float, allowed: np.ndarray) -> str:
    """w_i = e^{a_i/T} / Σ_j e^{a_j/T} with the first token's numbers filled in."""
    shown = shown_tokens(allowed)
    if not shown:
        return "w_i = 0 \\text{ for every } i"
    i = shown[0]
    t = "" if temperature == 1 else f"/{num(temperature)}"
    exps = " + ".join(f"e^{{{num(float(scores[j]))}{t}}}" for j in shown)
    more = " + \\cdots" if allowed.sum() > len(shown) else ""
    return (
        f"w_{{{i + 1}}} = \\frac{{e^{{a_{{{i + 1}}}/T}}}}{{\\sum_j e^{{a_j/T}}}}"
        f" = \\frac{{e^{{{num(float(scores[i]))}{t}}}}}{{{exps}{more}}} = {num(float(weights[i]), 3)}"
    )


def output_line(x: np.ndarray, weights: np.ndarray, output: np.ndarray, allowed: np.ndarray) -> str:
    """o = Σ w_i x_i with the first weighted rows written out, one per line."""
    shown = shown_tokens(allowed)
    rows = [f"{num(float(weights[i]))}\\,{vector(x[i])}" for i in shown] or ["0"]
    more = " + \\cdots" if allowed.sum() > len(shown) else ""
    body = " \\\\ &+ ".join(rows)
    return f"\\begin{{aligned}} o = \\sum_i w_i x_i &= {body}{more} \\\\ &= {vector(output)} \\end{{aligned}}"


def check_line(weights: np.ndarray, entropy_bits: float, n_allowed: int) -> str:
    top = f"\\log_2 {n_allowed} = {num(math.log2(n_allowed))}" if n_allowed > 0 else "0"
    return (
        f"\\textstyle\\sum_i w_i = {num(float(weights.sum()), 3)}, \\qquad "
        f"H(w) = -\\sum_i w_i \\log_2 w_i = {num(entropy_bits)} \\text{{ bits}} \\;\\le\\; {top}"
    )
