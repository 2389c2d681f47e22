"""The Self-attention page's layer summary and masks, against the full n×n matrices pooled by hand."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import attention_core.layer_summary as layer_summary
from attention_core.blocks import pool
from attention_core.layer_summary import SIDE, head_weights, query_row, second_sequence, summarise
from attention_core.masks import build_mask
from attention_core.multihead import MultiHeadParams, multi_head_attention
from attention_core.sequences import SEQUENCE_KINDS, generate_sequence
from attention_core.softmax import entropy, mean_entropy

# ------------------------------------------------------------------- masks


def test_masks():
    assert build_mask("none", 3, 4).all() and build_mask("none", 3, 4).shape == (3, 4)
    np.testing.assert_array_equal(build_mask("causal", 4, 4), np.tril(np.ones((4, 4), dtype=bool)))
    assert build_mask("causal", 3, 5, cross=True).all()  # no "future" in cross-attention
    padding = build_mask("padding", 3, 5, pad=2)
    assert padding[:, :3].all() and not padding[:, 3:].any()
    assert not build_mask("padding", 2, 3, pad=9).any()
    custom = build_mask("custom", 3, 3, hidden=[(0, 1), (2, 2), (5, 0)])  # (5, 0) is outside: ignored
    assert custom.sum() == 7 and not custom[0, 1] and not custom[2, 2]


def test_the_causal_mask_agrees_with_torch():
    np.testing.assert_array_equal(build_mask("causal", 6, 6), ~torch.ones(6, 6, dtype=torch.bool).triu(1).numpy())


# ------------------------------------------------------- the block-averaged path


def full_layer(x_q, x_kv, d_model, h, seed, allowed, temperature):
    params = MultiHeadParams.random(d_model, h, seed=seed, d_in=x_q.shape[1])
    return multi_head_attention(x_q, x_kv, params, mask=allowed, temperature=temperature)


@pytest.mark.parametrize(
    "n_q, n_k, mask", [(300, 300, "causal"), (300, 300, "padding"), (270, 300, "none"), (40, 300, "custom")]
)
def test_summary_equals_pooling_the_full_matrices(n_q, n_k, mask, monkeypatch):
    monkeypatch.setattr(layer_summary, "CELL_BUDGET", 20_000)  # many row chunks, as at n = 2048
    x = generate_sequence("gaussian", n_q, 6, seed=1).values
    y = x if n_q == n_k else generate_sequence("clusters", n_k, 6, seed=2).values
    rng = np.random.default_rng(0)
    hidden = [tuple(p) for p in rng.integers(0, [n_q, n_k], size=(500, 2))]
    allowed = build_mask(mask, n_q, n_k, pad=40, hidden=hidden, cross=n_q != n_k)
    allowed[5, :] = False  # a query that may see nothing: zero weights, NaN scores
    layer = summarise(x, y, 8, 2, 3, allowed, 0.7)
    full = full_layer(x, y, 8, 2, 3, allowed, 0.7)
    w_full, s_full = full.weights.numpy(), full.scores.numpy()  # (h, n_q, n_k)

    assert not layer.exact and layer.weights.shape == (2, min(n_q, SIDE), min(n_k, SIDE))
    for head in range(2):
        pooled_w, rows, cols = pool(w_full[head], SIDE, SIDE)
        np.testing.assert_array_equal(layer.row_starts, rows)
        np.testing.assert_array_equal(layer.col_starts, cols)
        np.testing.assert_allclose(layer.weights[head], pooled_w, atol=1e-12)
        pooled_s, _, _ = pool(np.where(allowed, s_full[head], np.nan), SIDE, SIDE)
        np.testing.assert_allclose(layer.scores[head], pooled_s, atol=1e-12, equal_nan=True)
    np.testing.assert_allclose(layer.allowed, pool(allowed.astype(float), SIDE, SIDE)[0], atol=1e-12)
    np.testing.assert_allclose(layer.entropy, entropy(full.weights).numpy(), atol=1e-12)
    # H̄ a head from the exact rows (not the block averages), without the query that sees nothing
    np.testing.assert_allclose(layer.mean_entropy, mean_entropy(full.weights, allowed).numpy(), atol=1e-12)
    np.testing.assert_allclose(layer.q, full.q.numpy(), atol=1e-12)
    np.testing.assert_allclose(layer.k, full.k.numpy(), atol=1e-12)
    np.testing.assert_allclose(layer.concat, full.concat.numpy(), atol=1e-12)
    np.testing.assert_allclose(layer.output, full.output.numpy(), atol=1e-12)


def test_small_layers_are_exact_and_hide_masked_scores():
    x = generate_sequence("clusters", 12, 4, seed=0).values
    allowed = build_mask("causal", 12, 12)
    layer = summarise(x, x, 8, 4, 0, allowed, 1.0)
    full = full_layer(x, x, 8, 4, 0, allowed, 1.0)
    assert layer.exact
    np.testing.assert_allclose(layer.weights, full.weights.numpy(), atol=1e-12)
    np.testing.assert_array_equal(np.isnan(layer.scores), np.broadcast_to(~allowed, layer.scores.shape))
    np.testing.assert_array_equal(layer.allowed, allowed)


def test_query_row_is_row_i_of_the_layer():
    x = generate_sequence("gaussian", 20, 5, seed=4).values
    allowed = build_mask("padding", 20, 20, pad=3)
    full = full_layer(x, x, 12, 3, 7, allowed, 2.0)
    row = query_row(x, x, 12, 3, 7, allowed[9], 2.0, 9)
    np.testing.assert_allclose(row.weights[:, 0].numpy(), full.weights[:, 9].numpy(), atol=1e-12)
    np.testing.assert_allclose(row.head_outputs[:, 0].numpy(), full.head_outputs[:, 9].numpy(), atol=1e-12)


def test_head_weights_project_x_into_that_heads_q_k_v():
    x = generate_sequence("gaussian", 7, 5, seed=4).values
    full = full_layer(x, x, 12, 3, 7, None, 1.0)
    w_q, w_k, w_v = head_weights(12, 3, 7, 5, head=1)
    assert w_q.shape == (5, 4)
    np.testing.assert_allclose(x @ w_q, full.q[1].numpy(), atol=1e-12)
    np.testing.assert_allclose(x @ w_k, full.k[1].numpy(), atol=1e-12)
    np.testing.assert_allclose(x @ w_v, full.v[1].numpy(), atol=1e-12)


@pytest.mark.parametrize("kind", SEQUENCE_KINDS)
def test_second_sequence_is_labelled_y(kind):
    values, labels = second_sequence(kind, 5, 3, seed=1)
    assert values.shape == (5, 3) and labels == ("y1", "y2", "y3", "y4", "y5")
