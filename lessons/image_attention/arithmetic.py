"""The arithmetic of the student's query over the regions, as LaTeX lines with the real numbers.

Regions are numbered 1…n row by row, like tokens on the Query page.  The
lines show the query region itself and the regions with the most weight;
every total is the core's own number (only formatting happens here).
"""

from __future__ import annotations

import numpy as np

from ui.arithmetic import num, score_lines, vector


def shown_regions(query_index: int, weights: np.ndarray, count: int = 3) -> list[int]:
    """The query's own region first, then the regions with the most weight (0-based, flat)."""
    order = [int(i) for i in np.argsort(-weights, kind="stable") if int(i) != query_index]
    return [query_index] + order[: count - 1]


def lines(
    method: str,
    q: np.ndarray,
    x: np.ndarray,
    scores: np.ndarray,
    weights: np.ndarray,
    output: np.ndarray,
    temperature: float,
    query_index: int,
) -> list[str]:
    """q ``[d]``, X ``[n, d]``, scores, weights ``[n]``, output ``[d]`` (flat, row by row) → LaTeX lines."""
    n = len(weights)
    shown = shown_regions(query_index, weights)
    k = query_index + 1
    out = [f"q = x_{{{k}}} = {vector(q)} \\qquad (d = {len(q)},\\ n = {n})"]
    out += score_lines(method, q, x, scores, sorted(shown))  # a_i = … for the shown regions, in region order
    t = "" if temperature == 1 else f"/{num(temperature)}"
    top = shown[1] if len(shown) > 1 else shown[0]
    exps = " + ".join(f"e^{{{num(float(scores[i]))}{t}}}" for i in sorted(shown))
    out.append(
        f"w_{{{top + 1}}} = \\frac{{e^{{a_{{{top + 1}}}/T}}}}{{\\sum_{{j=1}}^{{{n}}} e^{{a_j/T}}}}"
        f" = \\frac{{e^{{{num(float(scores[top]))}{t}}}}}{{{exps} + \\cdots}} = {num(float(weights[top]), 3)}"
    )
    terms = " + ".join(f"{num(float(weights[i]))}\\,x_{{{i + 1}}}" for i in shown)
    out.append(f"o = \\sum_{{i=1}}^{{{n}}} w_i x_i = {terms} + \\cdots = {vector(output)}")
    out.append(f"\\textstyle\\sum_i w_i = {num(float(weights.sum()), 3)}")
    return out
