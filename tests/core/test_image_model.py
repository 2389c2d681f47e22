"""The shipped image model: loads offline, answers, and its learned attention finds the red object it was never shown."""

from __future__ import annotations

import math
import socket

import numpy as np
import pytest
import torch

from attention_core import scenes
from attention_core.image_model import (
    WEIGHTS_FILE,
    AttentionCNN,
    evaluate,
    load_image_model,
    points_at_target,
    predict,
    to_batch,
)

FRESH_SEED = 2024  # neither the training set (seed 0) nor the test set the training script reports (999)


@pytest.fixture(scope="module")
def loaded():
    return load_image_model()


@pytest.fixture(scope="module")
def fresh():
    return scenes.make_dataset(500, seed=FRESH_SEED)


def test_the_weights_are_small_safetensors_and_load_without_network(monkeypatch):
    assert WEIGHTS_FILE.stat().st_size <= 2_000_000
    assert WEIGHTS_FILE.read_bytes()[8:9] == b"{"  # a safetensors header, not a pickle

    def no_network(*args, **kwargs):
        raise AssertionError("the model tried to use the network")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    model = load_image_model()
    assert model.classes == scenes.CLASSES
    assert not model.model.training


def test_accuracy_and_pointing_game_on_500_fresh_scenes(loaded, fresh):
    images, labels, masks = fresh
    accuracy, pointing = evaluate(loaded, images, labels, masks)
    print(
        f"\n500 fresh scenes (seed {FRESH_SEED}): accuracy {accuracy:.1%}, "
        f"pointing game {pointing:.1%} (most-attended region on the red object)"
    )
    assert accuracy >= 0.95
    assert pointing >= 0.90


def test_the_pooling_is_the_seeds_formula(loaded, fresh):
    """w = softmax(qᵀxᵢ/√d), o = Σ wᵢxᵢ, logits = W o + b, recomputed in plain torch from the model's X."""
    images = fresh[0][:8]
    model = loaded.model
    logits, w, x, o = model(to_batch(images))
    q = model.query
    a = x @ q / math.sqrt(model.d)  # [B, n]
    w_ref = torch.softmax(a, dim=-1)
    torch.testing.assert_close(w, w_ref)
    torch.testing.assert_close(o, (w_ref[..., None] * x).sum(1))
    torch.testing.assert_close(logits, model.classifier(o))
    assert w.shape == (8, model.grid**2)
    torch.testing.assert_close(w.sum(-1), torch.ones(8))


def test_each_regions_feature_is_centred_on_its_region():
    """The map is drawn cell by cell over the image: feature (r, c) must look at the middle of region (r, c).

    With every filter a positive constant (so only the geometry of strides and padding
    counts), the centre of the input gradient of an interior region's features is
    (8r + 3.5, 8c + 3.5) within half a pixel; with symmetric padding it would sit 3.5 px
    up and left, and the map would point at the wrong region.
    """
    model = AttentionCNN().eval()
    with torch.no_grad():
        for module in model.features:
            if isinstance(module, torch.nn.Conv2d):
                module.weight.fill_(0.1)
                module.bias.zero_()
    x = torch.ones((1, 3, 64, 64), requires_grad=True)
    f = model.regions(x)  # [1, 64, d]
    ys, xs = torch.meshgrid(torch.arange(64.0), torch.arange(64.0), indexing="ij")
    for r, c in [(2, 2), (3, 5), (5, 4)]:
        x.grad = None
        f[0, r * 8 + c].sum().backward(retain_graph=True)
        g = x.grad.abs().sum((0, 1))
        centre = (float((g * ys).sum() / g.sum()), float((g * xs).sum() / g.sum()))
        assert abs(centre[0] - (8 * r + 3.5)) <= 0.501 and abs(centre[1] - (8 * c + 3.5)) <= 0.501, (r, c, centre)


def test_predict_on_a_256_px_sample_agrees_with_the_64_px_scene(loaded):
    """The page shows samples at 256 px; the model reads them at 64: the answer and the map must hold."""
    for name in scenes.SAMPLES:
        spec = scenes.sample_spec(name)
        big = scenes.render(spec, 256)
        p = predict(loaded, big.image)
        assert p.weights.shape == (8, 8) and p.weights.sum() == pytest.approx(1, abs=1e-5)
        assert p.probabilities.sum() == pytest.approx(1, abs=1e-5)
        assert int(np.argmax(p.probabilities)) == spec.label, name
        assert points_at_target(p.weights, big.target_mask), name


def test_the_map_follows_the_moved_object(loaded):
    followed = 0
    for seed in range(20):
        spec = scenes.make_spec(500 + seed)
        moved = scenes.move_target(spec, seed=1)
        followed += all(
            points_at_target(predict(loaded, s.image).weights, s.target_mask)
            for s in (scenes.render(spec, 64), scenes.render(moved, 64))
        )
    assert followed >= 17


def test_a_shortened_training_run_learns():
    from attention_core.image_model import LoadedImageModel
    from training.train_image_model import train

    torch.set_num_threads(2)
    model = train(train=800, epochs=3, batch=32, lr=5e-3, seed=1, log=lambda *_: None)
    images, labels, masks = scenes.make_dataset(200, seed=FRESH_SEED)
    accuracy, _ = evaluate(LoadedImageModel(model, scenes.CLASSES, {}), images, labels, masks)
    print(f"\nshortened run (800 scenes × 3 epochs): accuracy {accuracy:.1%} (chance 25 %)")
    assert accuracy >= 0.40


# ------------------------------------------------------------------ the scene generator


def test_scenes_are_seeded_and_the_mask_is_the_red_object():
    a, b = scenes.make_scene(7, 64), scenes.make_scene(7, 64)
    np.testing.assert_array_equal(a.image, b.image)
    assert not np.array_equal(a.image, scenes.make_scene(8, 64).image)
    # red, or at least half red on an anti-aliased edge (the mask takes pixels more than half covered)
    red = (a.image[..., 0] > 150) & (a.image[..., 1] < 150) & (a.image[..., 2] < 150)
    assert (red & a.target_mask).sum() >= 0.9 * a.target_mask.sum() > 0  # the mask sits on red pixels
    assert (red & ~a.target_mask).sum() <= 0.1 * a.target_mask.sum()  # and nothing else is red


def test_a_data_set_is_balanced_and_two_seeds_share_no_scene():
    images, labels, masks = scenes.make_dataset(40, seed=3, size=32)
    assert images.shape == (40, 32, 32, 3) and masks.shape == (40, 32, 32)
    assert np.bincount(labels).tolist() == [10] * len(scenes.CLASSES)
    other, _, _ = scenes.make_dataset(40, seed=4, size=32)
    assert not any(np.array_equal(x, y) for x in images for y in other)


def test_moving_the_target_keeps_the_rest_of_the_scene():
    spec = scenes.sample_spec("crowded")
    moved = scenes.move_target(spec, seed=1)
    assert moved.shapes[1:] == spec.shapes[1:] and moved.label == spec.label
    assert math.hypot(moved.shapes[0].x - spec.shapes[0].x, moved.shapes[0].y - spec.shapes[0].y) > 0.3
