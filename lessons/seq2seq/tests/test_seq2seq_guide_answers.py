"""The Seq2seq lesson's guided questions (its guide.py): each stated answer is what the numbers imply,
computed again here independently (the shipped models' alignments); the step's own promises by ``test_guides.check_step``."""

from __future__ import annotations

import numpy as np
import pytest

from lessons.seq2seq import guide as s2s_guide
from tests.app.pages import ROOT
from tests.app.test_guides import check_step
from ui.guide_steps import Word


@pytest.mark.parametrize("task, shape", [("reverse", "anti"), ("copy", "diagonal")])
@pytest.mark.parametrize("text", ["attention", "reverse", "letters"])
def test_seq2seq_answers_are_what_the_alignment_implies(task, shape, text):
    from attention_core.seq2seq import Seq2Seq

    model = Seq2Seq.load(ROOT / "models" / "seq2seq" / f"{task}_additive.safetensors")
    p = model.predict(text)
    steps = s2s_guide.steps(p.text, p.output, p.weights)
    assert [s.name for s in steps] == ["first", "last", "shape"]
    for step in steps:
        check_step(step)
    w = np.asarray(p.weights)
    for step, t in zip(steps[:2], (0, len(p.output) - 1)):
        best = int(np.argmax(w[t]))
        assert step.options[int(step.answer)] == f"{p.text[best]} ({best + 1})" and step.mark == (t, best)
    # the shape from the argmax positions' correlation, by numpy: a trained model reverses or copies
    looked = w.argmax(axis=1)
    rho = np.corrcoef(np.arange(len(looked)), looked)[0, 1]
    assert (rho < -0.8) == (shape == "anti") and (rho > 0.8) == (shape == "diagonal")
    assert steps[2].options[int(steps[2].answer)] == Word(f"guide.s2s.shape.{shape}")


def test_seq2seq_without_an_alignment_asks_nothing():
    assert s2s_guide.steps("abc", "cba", None) == []
    assert s2s_guide.steps("a", "a", np.ones((1, 1))) == []


@pytest.mark.parametrize("task", ["reverse", "copy", "sort", "date"])
def test_seq2seq_why_answers_are_what_the_curves_say(task):
    import json

    index = json.loads((ROOT / "models" / "seq2seq" / "checkpoints.json").read_text())
    att, base = index[f"{task}_additive"]["accuracy_by_length"], index[f"{task}_none"]["accuracy_by_length"]
    lengths = sorted(int(n) for n in att)
    a, b = np.array([att[str(n)] for n in lengths]), np.array([base[str(n)] for n in lengths])
    without, with_, gap = s2s_guide.why_steps(lengths, a, b)
    for step in (without, with_, gap):
        check_step(step)
    bands = [0.1, 0.5, 0.9]
    assert int(without.answer) == sum(b[-1] >= x for x in bands) and int(with_.answer) == sum(a[-1] >= x for x in bands)
    k = int(np.argmax(a - b))
    half = (len(lengths) + 1) // 2
    expected = "nowhere" if (a - b)[k] < 0.05 else ("short" if k < half else "long")
    assert gap.options[int(gap.answer)].key == f"guide.s2s.gap.{expected}"
    if task in ("reverse", "copy"):
        assert expected == "long" and int(without.answer) == 0  # the baseline fails on long inputs
    if task in ("sort", "date"):
        assert expected == "nowhere"
