"""The Query lesson's guided questions (its guide.py): each stated answer is what the numbers imply,
computed again here independently; the step's own promises by ``test_guides.check_step``."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from attention_core.attend import attend
from attention_core.sequences import generate_sequence
from lessons.query_attention import guide as query_guide
from tests.app.test_guides import SEEDS, check_step
from ui.guide_steps import Word


def query_case(seed: int, kind="gaussian", temperature=1.0, masked=()):
    """The Query page's numbers for one seeded sequence and query, by plain torch: a = Xq, w = softmax(a / T)."""
    x = np.array(generate_sequence(kind, 8, 4, seed).values)  # a writable copy for torch
    q = np.random.default_rng(seed + 100).standard_normal(4)
    allowed = np.ones(8, dtype=bool)
    allowed[list(masked)] = False
    a = torch.as_tensor(x) @ torch.as_tensor(q)
    w = torch.softmax((a / temperature).masked_fill(~torch.as_tensor(allowed), float("-inf")), dim=-1)
    o = w @ torch.as_tensor(x)
    labels = [f"x{i + 1}" for i in range(8)]
    return x, labels, a.numpy(), w.numpy(), o.numpy(), temperature, allowed


def entropy_bits(w: torch.Tensor) -> float:
    w = w[w > 0]
    return float(-(w * torch.log2(w)).sum())


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("temperature, masked", [(1.0, ()), (0.5, (0, 3)), (3.0, (5,))])
def test_query_answers_are_what_the_numbers_imply(seed, temperature, masked):
    x, labels, a, w, o, T, allowed = query_case(seed, temperature=temperature, masked=masked)
    top, temp, by_hand, closest = query_guide.steps(x, labels, a, w, o, T, allowed)
    for step in (top, temp, by_hand, closest):
        check_step(step)

    # which token gets the most weight: argmax of torch's softmax, never a masked token
    best = int(np.argmax(w))
    assert top.options[int(top.answer)] == labels[best] and top.mark == best
    assert all(allowed[labels.index(o)] for o in top.options)

    # halving T: torch's entropy at T/2 against the entropy now
    a_t = torch.as_tensor(a).masked_fill(~torch.as_tensor(allowed), float("-inf"))
    h, h_half = entropy_bits(torch.softmax(a_t / T, -1)), entropy_bits(torch.softmax(a_t / (T / 2), -1))
    expected = "down" if h_half < h - 1e-6 else "up" if h_half > h + 1e-6 else "same"
    assert temp.options[int(temp.answer)] == Word(f"guide.{expected}")
    assert expected == "down"  # random scores never tie: a smaller T always concentrates them

    # the softmax by hand: the runner-up's weight, within the stated tolerance, from the numbers the question gives
    j = labels.index(by_hand.values["token"])
    assert j == int(np.argsort(-w)[1])
    assert by_hand.is_right(float(w[j])) and by_hand.is_right(float(w[j]) + 0.009)
    assert not by_hand.is_right(float(w[j]) + 0.05)
    given = np.exp(by_hand.values["z"]) / by_hand.values["total"]  # what a student computes from the question
    assert abs(given - w[j]) <= by_hand.tolerance

    # the output's nearest token: o = w @ X by torch
    near = int(np.argmin(np.linalg.norm(x - o, axis=1)))
    assert closest.options[int(closest.answer)] == labels[near] and closest.mark == near


def test_the_answers_follow_the_data():
    """A new seed makes a new exercise: the questions differ."""
    prints = {tuple(s.fingerprint() for s in query_guide.steps(*query_case(seed))) for seed in SEEDS}
    assert len(prints) == len(SEEDS)


def test_even_scores_keep_the_entropy():
    x = np.ones((4, 3))
    a = x @ np.ones(3)
    w = np.full(4, 0.25)
    step = query_guide.steps(x, list("abcd"), a, w, w @ x, 1.0, np.ones(4, dtype=bool))[1]
    assert step.options[int(step.answer)] == Word("guide.same")


def test_huge_scores_are_written_shifted():
    x, labels, a, w, o, T, allowed = query_case(1)
    a = a * 1000
    w = torch.softmax(torch.as_tensor(a), -1).numpy()
    step = query_guide.steps(x, labels, a, w, w @ x, T, allowed)[2]
    assert step.name == "softmax_shifted"
    assert abs(np.exp(step.values["z"]) / step.values["total"] - w[labels.index(step.values["token"])]) < 0.01


def test_repeated_labels_make_distinct_options():
    x, labels, a, w, o, T, allowed = query_case(2)
    steps = query_guide.steps(x, ["a"] * 8, a, w, o, T, allowed)
    for step in steps:
        check_step(step)


def test_no_questions_when_the_query_sees_one_token():
    x, labels, a, w, o, T, allowed = query_case(0, masked=range(1, 8))
    assert query_guide.steps(x, labels, a, w, o, T, allowed) == []


def test_query_presets_make_their_point():
    """Each preset link's settings do what its name says (computed with attend, the page's own call)."""
    x = query_guide._tokens()
    presets = dict(query_guide.presets())

    def weights(name):
        p = presets[f"guide.query.preset.{name}"]
        q = np.array([float(v) for v in p["q"].split(",")])
        allowed = np.ones(len(x), dtype=bool)
        if p["mask"]:
            allowed[int(p["mask"]) - 1] = False
        return attend(q, x, method=p["method"], temperature=p["temperature"], mask=allowed).weights.numpy()

    np.testing.assert_allclose(
        [float(v) for v in presets["guide.query.preset.copy"]["q"].split(",")], np.round(x[2], 2)
    )
    assert np.argmax(weights("copy")) == 5  # x6 beats the copy of x3
    split = weights("split")
    assert abs(split[3] - split[4]) < 0.05 and split[3] + split[4] > 0.95
    assert weights("sharp").max() > 0.95 and weights("flat").max() < 0.5
    assert np.argmax(weights("mask")) == 3 and weights("mask")[4] == 0
