"""The Transformer model lesson's guided questions (its guide.py): each stated answer is what the numbers imply,
computed again here independently (the bundled model's real weights); the step's own promises by ``test_guides.check_step``."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from lessons.transformer_model import guide as tm_guide
from tests.app.test_guides import check_step
from ui.guide_steps import Word


@pytest.fixture(scope="module")
def coref():
    from attention_core.model_attention import load_model, model_attention

    model = load_model(None)
    return [model_attention(model, text) for text in (tm_guide.TIRED, tm_guide.WIDE)]


@pytest.mark.parametrize("layer, head", [(3, 1), (0, 0), (5, 11), (2, 7)])
def test_transformer_answers_are_what_the_weights_imply(coref, layer, head):
    first, second = coref
    steps = tm_guide.steps(
        first.attentions, first.tokens, layer, head, "it", "[CLS]", "[SEP]", second.attentions, second.tokens
    )
    by_name = {step.name: step for step in steps}
    assert set(by_name) == {"follow_top", "special", "second", "broad_layer"}
    for step in steps:
        check_step(step)
    a, a2 = first.attentions[layer, head].astype(np.float64), second.attentions[layer, head].astype(np.float64)
    i, i2 = first.tokens.index("it"), second.tokens.index("it")

    top = by_name["follow_top"]
    assert top.options[int(top.answer)] == first.tokens[int(np.argmax(a[i]))]

    share = a[:, [0, len(first.tokens) - 1]].sum(axis=1).mean()
    expected = "low" if share < 0.1 else "middle" if share < 0.5 else "high"
    assert by_name["special"].options[int(by_name["special"].answer)] == Word(f"guide.tm.special.{expected}")

    second_step = by_name["second"]
    word = second_step.values["token"]
    delta = a2[i2, second.tokens.index(word)] - a[i, first.tokens.index(word)]
    # among the words that occur once in each sentence ("the" occurs twice: the question could not say which)
    once = [w for w in first.tokens if first.tokens.count(w) == 1 and second.tokens.count(w) == 1]
    assert first.tokens.count(word) == 1 and second.tokens.count(word) == 1
    assert abs(delta) >= max(
        abs(a2[i2, second.tokens.index(w)] - a[i, first.tokens.index(w)])
        for w in once
        if w.isalnum() and w not in ("[CLS]", "[SEP]", "it")
    )
    assert second_step.options[int(second_step.answer)] == Word("guide.up" if delta > 0 else "guide.down")

    # the broadest layer: the highest entropy, by torch, averaged over heads and rows
    wt = torch.as_tensor(first.attentions, dtype=torch.float64)
    h_layer = (-(wt * torch.log2(wt.clamp_min(1e-300))).sum(-1)).mean(dim=(-1, -2))
    broad = by_name["broad_layer"]
    assert broad.options[int(broad.answer)] == Word("guide.tm.layer", (("k", int(h_layer.argmax()) + 1),))


def test_the_coreference_preset_shows_it_looking_at_the_animal(coref):
    """The preset's claim, on the model's own weights: in layer 4, head 2, "it" attends to "animal" most."""
    first, _ = coref
    params = dict(tm_guide.presets())["guide.tm.preset.coref"]
    layer, head, token = params["layer"] - 1, params["head"] - 1, params["token"] - 1
    assert first.tokens[token] == "it"
    assert first.tokens[int(np.argmax(first.attentions[layer, head, token]))] == "animal"


def test_no_follow_word_no_follow_question(coref):
    first, _ = coref
    names = {s.name for s in tm_guide.steps(first.attentions, first.tokens, 3, 1, "zebra", "[CLS]", "[SEP]")}
    assert names == {"special", "broad_layer"}
