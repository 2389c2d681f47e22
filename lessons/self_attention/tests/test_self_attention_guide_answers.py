"""The Self-attention lesson's guided questions (its guide.py): each stated answer is what the numbers imply,
computed again here independently; the step's own promises by ``test_guides.check_step``."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from lessons.self_attention import guide as sa_guide
from tests.app.test_guides import SEEDS, check_step
from ui.guide_steps import Word


def sa_case(seed: int, h: int = 3, n: int = 6, causal: bool = False, temperature: float = 1.0):
    """Per-head weights softmax(QKᵀ/√d_head / T) by plain torch, Q and K seeded: ``[h, n, n]`` and the scores."""
    g = torch.Generator().manual_seed(seed)
    d_head = 4
    q, k = torch.randn(h, n, d_head, generator=g), torch.randn(h, n, d_head, generator=g)
    s = q @ k.transpose(-1, -2) / d_head**0.5
    allowed = torch.ones(n, n, dtype=torch.bool).tril() if causal else torch.ones(n, n, dtype=torch.bool)
    w = torch.softmax((s / temperature).masked_fill(~allowed, float("-inf")), dim=-1)
    return w.numpy(), s.numpy(), allowed.numpy(), [f"x{i + 1}" for i in range(n)]


def sa_steps(seed, h=3, causal=False, temperature=1.0):
    w, s, allowed, labels = sa_case(seed, h=h, causal=causal, temperature=temperature)
    mask = "causal" if causal else "none"
    return sa_guide.steps(w, s, allowed, labels, labels, mask, False, 4 * h), (w, s, allowed, labels)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("causal", [False, True])
def test_self_attention_answers_are_what_the_numbers_imply(seed, causal):
    head = 0  # the questions are about head 1 and the last row, whatever the page has picked
    steps, (w, s, allowed, labels) = sa_steps(seed, causal=causal)
    by_name = {step.name: step for step in steps}
    for step in steps:
        check_step(step)

    # row 1 after the causal mask: all weight on token 1 itself, whatever the head
    row1 = by_name["row1" if causal else "row1_if"]
    assert row1.options[int(row1.answer)] == Word("guide.sa.row1.one_hot")
    if causal:
        np.testing.assert_allclose(w[head, 0], np.eye(6)[0], atol=1e-7)
        assert row1.mark == (0, 0)

    # which key token i attends to most in the picked head: torch's argmax of that row
    top = by_name["top_key"]
    row = labels.index(top.values["token"])
    assert row == 5
    best = int(torch.as_tensor(w[head, row]).argmax())
    assert top.options[int(top.answer)] == labels[best] and top.mark == (row, best)
    assert all(allowed[row, labels.index(o)] for o in top.options)

    # d_head = d_model / h
    assert by_name["d_head"].is_right(4) and not by_name["d_head"].is_right(12)

    # the most spread head: the highest mean entropy, by torch
    wt = torch.as_tensor(w)
    h_mean = torch.where(wt > 0, -wt * torch.log2(wt.clamp_min(1e-300)), torch.zeros_like(wt)).sum(-1).mean(-1)
    spread = by_name.get("spread")
    if spread is not None:
        assert spread.options[int(spread.answer)] == Word("guide.sa.head", (("k", int(h_mean.argmax()) + 1),))


def test_one_head_asks_nothing_about_heads_and_cross_attention_asks_no_causal_row():
    steps, _ = sa_steps(0, h=1)
    assert "spread" not in {s.name for s in steps}
    w, s, allowed, labels = sa_case(1)
    names = {step.name for step in sa_guide.steps(w, s, allowed, labels, labels, "none", True, 8)}
    assert not names & {"row1", "row1_if"}


def test_a_causal_first_row_is_never_the_question_row():
    """Token 1 sees one key under the causal mask: the top-key question takes a row with a choice."""
    steps, (w, s, allowed, labels) = sa_steps(3, causal=True)
    top = next(step for step in steps if step.name == "top_key")
    assert allowed[labels.index(top.values["token"])].sum() >= 2
