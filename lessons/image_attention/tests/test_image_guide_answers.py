"""The Image attention lesson's guided questions (its guide.py): each stated answer is what the numbers imply,
computed again here independently (the shipped CNN); the step's own promises by ``test_guides.check_step``."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from lessons.image_attention import guide as image_guide
from tests.app.test_guides import check_step
from ui.guide_steps import Word


@pytest.mark.parametrize("sample", ["red-circle", "red-square", "crowded", "striped"])
def test_image_answers_are_what_the_model_computed(sample):
    from attention_core import scenes
    from attention_core.image_model import load_image_model, predict

    model = load_image_model()
    scene = scenes.render(scenes.sample_spec(sample), 256)
    p = predict(model, scene.image)
    steps = image_guide.steps(p.weights, p.probabilities, model.classes, model.model.size, 3)
    assert [s.name for s in steps] == ["shape", "quarter", "regions"]
    for step in steps:
        check_step(step)
    by_name = {s.name: s for s in steps}
    best = int(torch.as_tensor(p.probabilities).argmax())
    assert by_name["shape"].options[int(by_name["shape"].answer)] == Word(f"image.class.{model.classes[best]}")
    w = np.asarray(p.weights)
    r, c = divmod(int(np.argmax(w)), w.shape[1])
    quarter = ("top" if r < w.shape[0] / 2 else "bottom") + "_" + ("left" if c < w.shape[1] / 2 else "right")
    assert by_name["quarter"].options[int(by_name["quarter"].answer)] == Word(f"guide.image.quarter.{quarter}")
    # the regions: the model's input size halved by its stride-2 layers, squared
    assert by_name["regions"].is_right(w.size) and (model.model.size // 2**3) ** 2 == w.size


@pytest.mark.parametrize("move", [1, 2, 3])
def test_image_moved_scene_answers(move):
    from attention_core import scenes
    from attention_core.image_model import load_image_model, predict

    model = load_image_model()
    spec = scenes.sample_spec("red-triangle")
    for k in range(1, move + 1):
        spec = scenes.move_target(spec, seed=k)
    scene = scenes.render(spec, 256)
    p = predict(model, scene.image)
    follows, shape = image_guide.move_steps(p.weights, p.probabilities, model.classes, scene.target_mask)
    for step in (follows, shape):
        check_step(step)
    # the pointing game by hand: at least 10 % of the most attended region's pixels lie on the object
    w = np.asarray(p.weights)
    r, c = divmod(int(np.argmax(w)), w.shape[1])
    cell = scene.target_mask.shape[0] // w.shape[0]
    on = bool(scene.target_mask[r * cell : (r + 1) * cell, c * cell : (c + 1) * cell].mean() >= 0.10)
    assert follows.options[int(follows.answer)] == Word("guide.image.yes" if on else "guide.image.no")
    best = int(np.argmax(p.probabilities))
    assert shape.options[int(shape.answer)] == Word(f"image.class.{model.classes[best]}")


def test_image_own_query_answers():
    rng = np.random.default_rng(0)
    w = rng.random((4, 5))
    w /= w.sum()
    r, c = divmod(int(np.argmax(w)), 5)
    itself, similar = image_guide.own_steps(w, (r, c))
    check_step(itself)
    check_step(similar)
    assert itself.options[int(itself.answer)] == Word("guide.image.itself.yes")
    elsewhere = (r + 1) % 4, c
    assert image_guide.own_steps(w, elsewhere)[0].options[0] == Word("guide.image.itself.yes")
    assert int(image_guide.own_steps(w, elsewhere)[0].answer) == 1
    assert similar.is_right(int((w >= w.max() / 2).sum()))
    # a look-alike region that ties the query's own weight still counts as "itself"
    tie = np.full((2, 2), 0.25)
    assert int(image_guide.own_steps(tie, (1, 1))[0].answer) == 0
