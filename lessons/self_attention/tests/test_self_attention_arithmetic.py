"""The Self-attention pair arithmetic adds up on screen: every line is recomputed from the numbers it prints.

Issue 21: with 2-decimal factors the printed products of s₁,₁ summed to 0.013
while the numerator said 0.026 — rounding (the terms cancel), not a wrong
term: the core's q·k is 0.02624.  Now each "=" holds for the printed numbers
(factors with as many decimals as that takes), and where rounding keeps one
from holding the page writes "≈".
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from attention_core import layer_summary as ls
from attention_core.masks import build_mask
from attention_core.sequences import generate_sequence
from lessons.self_attention import figures as safig
from tests.app.helpers import no_errors
from tests.app.pages import open_page

NUMBER = r"-?\d+(?:\.\d+)?"


def _numbers(text: str) -> list[float]:
    return [float(x) for x in re.findall(NUMBER, text)]


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def check_score_block(block: str, q: np.ndarray, k: np.ndarray, s: float) -> None:
    """The score block: q and k as printed, each product, their sum, the division; "=" exact, "≈" close."""
    rows = [r.strip() for r in block.removeprefix("\\begin{aligned}").removesuffix("\\end{aligned}").split("\\\\")]
    q_row, k_row = rows[0], rows[1]
    q_shown = _numbers(q_row.split("W_Q =")[1])
    k_shown = _numbers(k_row.split("W_K =")[1])
    np.testing.assert_allclose(
        q_shown, q[: len(q_shown)], atol=0.5 * 10 ** -_decimals(q_row.split("[")[1].split(",")[0])
    )
    np.testing.assert_allclose(
        k_shown, k[: len(k_shown)], atol=0.5 * 10 ** -_decimals(k_row.split("[")[1].split(",")[0])
    )
    product_rows = [r for r in rows[2:] if "\\cdot" in r]
    pairs = re.findall(rf"\(?({NUMBER})\)?\\cdot\(?({NUMBER})\)?", " ".join(product_rows))
    assert [float(x) for x, _ in pairs] == q_shown and [float(y) for _, y in pairs] == k_shown
    (sum_row,) = [r for r in rows if r.startswith("&=")]
    terms_text, result_text = re.split(r" (=|\\approx) (?=-?\d+\.\d+$)", sum_row.removeprefix("&= "))[::2]
    relation = re.search(r" (=|\\approx) -?\d+\.\d+$", sum_row).group(1)
    terms, sign = [], 1.0
    for token in terms_text.replace("+ \\cdots", "").split():
        if token in "+-":
            sign = -1.0 if token == "-" else 1.0
        else:
            terms.append(sign * float(token))
    p = _decimals(result_text)
    assert len(terms) == len(pairs)
    for (x, y), term in zip(pairs, terms):  # each product: the printed factors' product, rounded to p decimals
        assert abs(float(x) * float(y) - term) <= 0.5 * 10**-p + 1e-12, (x, y, term)
    total, dot = sum(terms), float(result_text)
    if "cdots" not in sum_row:
        if relation == "=":
            assert round(total, p) == dot, (terms, dot)
        else:
            assert abs(total - dot) <= len(terms) * 10**-p, (terms, dot)
    assert abs(dot - s * math.sqrt(len(q))) <= 0.5 * 10**-p + 1e-12  # the numerator is the core's q·k
    s_row = rows[-1]
    frac_num, root_text, relation, s_text = re.search(
        rf"\\frac{{({NUMBER})}}{{({NUMBER})}} (=|\\approx) ({NUMBER})$", s_row
    ).groups()
    assert float(frac_num) == dot and abs(float(root_text) - math.sqrt(len(q))) < 1e-4
    if relation == "=":
        assert round(float(frac_num) / float(root_text), p) == float(s_text)
    else:
        assert abs(float(frac_num) / float(root_text) - float(s_text)) <= 2 * 10**-p
    assert abs(float(s_text) - s) <= 0.5 * 10**-p + 1e-12


def check_weight_block(block: str, w: float, temperature: float) -> None:
    """The softmax line: e^(printed s / printed T) is the printed numerator, their quotient the printed weight."""
    found = re.search(
        rf"\\frac{{e\^{{({NUMBER})(?:/({NUMBER}))?}}}}{{.*}} (=|\\approx) \\frac{{({NUMBER})}}{{({NUMBER})}} (=|\\approx) ({NUMBER})",
        block,
    )
    if found is None:  # scores beyond float range: only the weight is printed
        return
    s_text, t_text, first, top, bottom, second, w_text = found.groups()
    t_value = float(t_text) if t_text else 1.0
    e = math.exp(float(s_text) / t_value)
    if first == "=":
        assert float(f"{e:.4g}") == float(top), (s_text, t_text, top)
    else:
        assert abs(e - float(top)) <= 0.01 * float(top)
    if second == "=":
        assert round(float(top) / float(bottom), 4) == float(w_text)
    else:
        assert abs(float(top) / float(bottom) - float(w_text)) <= 2e-3 * max(float(w_text), 1e-3) + 5e-5
    assert abs(float(w_text) - w) <= 5e-5 + 1e-12


def pair(seed: int, d_model: int, heads: int, temperature: float, i: int, j: int, mask: str = "none"):
    x = generate_sequence("clusters", 8, 4, seed).values
    allowed = build_mask(mask, 8, 8, pad=1, hidden=frozenset(), cross=False)
    layer = ls.summarise(x, x, d_model, heads, seed, allowed, temperature)
    row = ls.query_row(x, x, d_model, heads, seed, allowed[i], temperature, i)
    args = (row.q[0, 0].numpy(), layer.k[0, j], row.scores[0, 0].numpy(), row.weights[0, 0].numpy(), allowed[i])
    lines = safig.pair_lines(
        i, j, *args, temperature, row.head_outputs[0, 0].numpy(),
        masked_note="masked", all_masked_note="none", visible_note="over {count}",
    )  # fmt: skip
    return lines, args


def test_the_reported_case_adds_up():
    """The issue's s₁,₁ (defaults, head 1): the products of the printed factors now sum to the numerator shown."""
    lines, (q, k, scores, weights, _) = pair(0, 8, 2, 1.0, 0, 0)
    assert "= 0.026" in lines[0] and "= 0.013" in lines[0]  # q·k = 0.026 and s = 0.026 / 2: no wrong term
    check_score_block(lines[0], q, k, float(scores[0]))
    check_weight_block(lines[1], float(weights[0]), 1.0)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("d_model, heads", [(8, 2), (16, 2), (8, 1), (24, 2)])
@pytest.mark.parametrize("temperature", [1.0, 0.5, 0.05, 5.0])
def test_every_written_line_adds_up_from_its_own_numbers(seed, d_model, heads, temperature):
    for i, j in ((0, 0), (7, 3), (4, 6)):
        lines, (q, k, scores, weights, _) = pair(seed, d_model, heads, temperature, i, j)
        check_score_block(lines[0], q, k, float(scores[j]))
        check_weight_block(lines[1], float(weights[j]), temperature)


def test_the_page_prints_arithmetic_that_adds_up():
    at = open_page("lessons/self_attention/page.py", i=1, j=1)
    no_errors(at)
    latex = [el.value.strip("$\n ") for el in at.latex]  # st.latex wraps its body in $$ … $$
    (block,) = [b for b in latex if "q_{1}^\\top k_{1}" in b and "W_Q" in b]
    _, (q, k, scores, weights, _) = pair(0, 8, 2, 1.0, 0, 0)
    check_score_block(block, q, k, float(scores[0]))
    (weights_block,) = [b for b in latex if b.startswith("\\begin{aligned} w_{1,1}")]
    check_weight_block(weights_block, float(weights[0]), 1.0)
