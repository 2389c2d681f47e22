"""attend(): the whole step checked against plain PyTorch and torch's scaled_dot_product_attention."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from attention_core.attend import Attention, attend
from attention_core.errors import InputError
from attention_core.scoring import SCORE_METHODS, ScoreParams

TOL = {torch.float32: {"rtol": 1e-6, "atol": 1e-6}, torch.float64: {"rtol": 1e-12, "atol": 1e-12}}


def randn(*shape, seed=0, dtype=torch.float64):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed), dtype=dtype)


def plain_attention(q, k, v, scale, mask=None):
    """The textbook computation: matmul, softmax, matmul."""
    a = (q @ k.transpose(-1, -2)) * scale
    if mask is not None:
        a = a.masked_fill(~mask, float("-inf"))
    w = torch.softmax(a, dim=-1)
    return a, w, w @ v


# ----------------------------------------------------------- plain PyTorch


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("method, temperature", [("dot", 1.0), ("dot", 0.3), ("scaled_dot", 1.0), ("scaled_dot", 2.5)])
def test_matches_plain_pytorch(method, temperature, dtype):
    q, k, v = (
        randn(3, 4, 5, seed=1, dtype=dtype),
        randn(3, 6, 5, seed=2, dtype=dtype),
        randn(3, 6, 2, seed=3, dtype=dtype),
    )
    scale = (1.0 if method == "dot" else 1 / math.sqrt(5)) / temperature
    a, w, o = plain_attention(q, k, v, scale)
    got = attend(q, k, v, method=method, temperature=temperature)
    assert isinstance(got, Attention)
    assert got.scores.shape == (3, 4, 6) and got.weights.shape == (3, 4, 6) and got.output.shape == (3, 4, 2)
    assert got.output.dtype == dtype
    torch.testing.assert_close(got.scores, a * temperature, **TOL[dtype])  # scores are before T
    torch.testing.assert_close(got.weights, w, **TOL[dtype])
    torch.testing.assert_close(got.output, o, **TOL[dtype])


@pytest.mark.parametrize("method", ["cosine", "general", "additive"])
def test_other_methods_are_softmax_of_their_scores_times_values(method):
    q, k, v = randn(4, 3, seed=4), randn(7, 3, seed=5), randn(7, 2, seed=6)
    p = ScoreParams.random(3, seed=9, hidden=5)
    got = attend(q, k, v, method=method, params=p, temperature=0.7)
    w = torch.softmax(got.scores / 0.7, dim=-1)
    torch.testing.assert_close(got.weights, w, rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(got.output, w @ v, rtol=1e-12, atol=1e-12)


# --------------------------------------------- scaled_dot_product_attention


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("shape", [(5, 4), (2, 5, 4), (2, 3, 5, 4)])  # [m, d] with batch and heads
@pytest.mark.parametrize("with_mask", [False, True])
def test_matches_scaled_dot_product_attention(dtype, shape, with_mask):
    *batch, m, d = shape
    n, d_v = 7, 3
    q = randn(*batch, m, d, seed=10, dtype=dtype)
    k = randn(*batch, n, d, seed=11, dtype=dtype)
    v = randn(*batch, n, d_v, seed=12, dtype=dtype)
    mask = None
    if with_mask:
        mask = torch.rand(*batch, m, n, generator=torch.Generator().manual_seed(13)) > 0.5
        mask[..., 0] = True  # SDPA gives NaN for a fully masked row
    expected = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    got = attend(q, k, v, method="scaled_dot", mask=mask)
    assert got.output.dtype == dtype
    torch.testing.assert_close(got.output, expected, **TOL[dtype])
    if with_mask:
        assert (got.weights[~mask] == 0).all()


@pytest.mark.parametrize("temperature", [0.25, 4.0])
def test_temperature_is_a_scale_in_sdpa(temperature):
    q, k, v = randn(2, 3, 6, seed=14), randn(2, 9, 6, seed=15), randn(2, 9, 4, seed=16)
    expected = F.scaled_dot_product_attention(q, k, v, scale=1 / (math.sqrt(6) * temperature))
    got = attend(q, k, v, method="scaled_dot", temperature=temperature)
    torch.testing.assert_close(got.output, expected, **TOL[torch.float64])


def test_causal_mask_matches_sdpa_is_causal():
    q, k, v = randn(5, 4, seed=17), randn(5, 4, seed=18), randn(5, 4, seed=19)
    causal = torch.ones(5, 5, dtype=torch.bool).tril()
    expected = F.scaled_dot_product_attention(q[None], k[None], v[None], is_causal=True)[0]
    torch.testing.assert_close(attend(q, k, v, method="scaled_dot", mask=causal).output, expected, **TOL[torch.float64])


# ------------------------------------------------------------- the formulas


@pytest.mark.parametrize("method", SCORE_METHODS)
def test_values_default_to_keys(method):
    x = randn(6, 3, seed=20)
    q = randn(3, seed=21)
    got = attend(q, x, method=method)
    expected = sum(got.weights[i] * x[i] for i in range(6))  # o = Σ wᵢ xᵢ
    torch.testing.assert_close(got.output, expected, rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(attend(q, x, x, method=method).output, got.output)


def test_single_query_gives_n_weights_and_a_d_output():
    x = randn(8, 5, seed=22)
    got = attend(randn(5, seed=23), x)
    assert got.scores.shape == (8,) and got.weights.shape == (8,) and got.output.shape == (5,)
    got = attend(randn(5, seed=23), x, values=randn(8, 2, seed=24))
    assert got.output.shape == (2,)
    # and equals row 0 of the same query asked as a one-row matrix
    many = attend(randn(5, seed=23)[None], x, values=randn(8, 2, seed=24))
    torch.testing.assert_close(got.output, many.output[0])
    torch.testing.assert_close(got.weights, many.weights[0])


def test_the_classroom_example():
    """q = e₁ over three tokens: the arithmetic a student can do by hand."""
    x = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    got = attend(np.array([1.0, 0.0]), x)
    torch.testing.assert_close(got.scores, torch.tensor([1.0, 0.0, 1.0], dtype=torch.float64))
    e = math.e
    w = torch.tensor([e, 1.0, e], dtype=torch.float64) / (2 * e + 1)
    torch.testing.assert_close(got.weights, w)
    torch.testing.assert_close(got.output, torch.tensor([2 * e, 1 + e], dtype=torch.float64) / (2 * e + 1))


@settings(max_examples=60, deadline=None)
@given(
    arrays(np.float64, st.tuples(st.integers(1, 8), st.integers(1, 5)), elements=st.floats(-50, 50)),
    st.sampled_from(SCORE_METHODS),
    st.floats(0.05, 20.0),
    st.data(),
)
def test_output_is_a_convex_combination_of_the_values(x, method, temperature, data):
    q = data.draw(arrays(np.float64, (x.shape[1],), elements=st.floats(-50, 50)))
    mask = data.draw(arrays(np.bool_, (x.shape[0],)))
    mask[data.draw(st.integers(0, x.shape[0] - 1))] = True
    got = attend(q, x, method=method, temperature=temperature, mask=mask)
    torch.testing.assert_close(got.weights.sum(), torch.tensor(1.0, dtype=torch.float64))
    assert (got.weights[torch.as_tensor(~mask)] == 0).all()
    allowed = x[mask]
    o = got.output.numpy()
    slack = 1e-9 * (1 + np.abs(x).max())
    assert np.all(o >= allowed.min(0) - slack) and np.all(o <= allowed.max(0) + slack)


def test_fully_masked_query_gives_zero_output_not_nan():
    x = randn(4, 3, seed=25)
    q = randn(2, 3, seed=26)
    mask = torch.tensor([[True, False, True, False], [False, False, False, False]])
    got = attend(q, x, mask=mask)
    assert not torch.isnan(got.output).any()
    assert torch.equal(got.output[1], torch.zeros(3, dtype=torch.float64))
    torch.testing.assert_close(got.weights[0].sum(), torch.tensor(1.0, dtype=torch.float64))


def test_numpy_and_mixed_dtypes():
    x = np.random.default_rng(1).standard_normal((5, 3))
    got = attend(x[0].astype(np.float32), x.astype(np.float32), values=x)
    assert got.output.dtype == torch.float64  # float64 values win
    got32 = attend(x[0].astype(np.float32), x.astype(np.float32))
    assert got32.output.dtype == torch.float32 and got32.weights.dtype == torch.float32
    torch.testing.assert_close(got32.output.double(), attend(x[0], x).output, rtol=1e-5, atol=1e-6)
    got = attend(x[0].tolist(), x.tolist(), mask=[1, 1, 0, 1, 1])
    assert got.weights[2] == 0


# ------------------------------------------------------------------- errors


@pytest.mark.parametrize("mask", [[True, False], np.ones(6, dtype=bool), np.ones((2, 4), dtype=bool)])
def test_mask_length_mismatch_is_an_input_error(mask):
    with pytest.raises(InputError) as info:
        attend(np.ones(3), np.ones((5, 3)), mask=mask)
    assert "5" in str(info.value)


@pytest.mark.parametrize("values", [np.ones((4, 2)), np.ones(5), np.ones((6, 3))])
def test_values_count_mismatch_is_an_input_error(values):
    with pytest.raises(InputError, match="value"):
        attend(np.ones(3), np.ones((5, 3)), values=values)


@pytest.mark.parametrize(
    "query, keys",
    [
        (np.ones(3), np.ones(3)),  # keys are not a table
        (np.ones(3), np.ones((5, 4))),  # d mismatch
        (1.0, np.ones((5, 3))),
    ],
)
def test_bad_shapes_are_input_errors(query, keys):
    with pytest.raises(InputError):
        attend(query, keys)


@pytest.mark.parametrize("temperature", [0, -2.0, float("nan")])
def test_bad_temperature_is_an_input_error(temperature):
    with pytest.raises(InputError):
        attend(np.ones(3), np.ones((5, 3)), temperature=temperature)


def test_unknown_method_is_an_input_error():
    with pytest.raises(InputError):
        attend(np.ones(3), np.ones((5, 3)), method="nope")


@pytest.mark.parametrize(
    "query, mask", [(np.ones(3), np.ones((2, 5), dtype=bool)), (np.ones((2, 3)), np.ones((3, 5), dtype=bool))]
)
def test_mask_of_the_wrong_shape_is_an_input_error(query, mask):
    with pytest.raises(InputError, match="mask"):
        attend(query, np.ones((5, 3)), mask=mask)


@pytest.mark.parametrize("mask, expected", [(True, 1 / 5), (False, 0.0), (np.array(True), 1 / 5)])
def test_a_single_boolean_mask_applies_to_every_position(mask, expected):
    got = attend(np.zeros(3), np.ones((5, 3)), mask=mask)
    torch.testing.assert_close(got.weights, torch.full((5,), expected, dtype=torch.float64))


def test_no_tokens_gives_no_weights_and_a_zero_output():
    got = attend(np.ones(3), np.ones((0, 3)))
    assert got.weights.shape == (0,)
    assert torch.equal(got.output, torch.zeros(3, dtype=torch.float64))
    got = attend(np.ones((2, 3)), np.ones((0, 3)), values=np.ones((0, 4)))
    assert got.weights.shape == (2, 0) and torch.equal(got.output, torch.zeros(2, 4, dtype=torch.float64))


def test_one_query_over_batched_keys_gives_one_output_per_batch():
    # regression: matmul broadcast [B, n] @ [B, n, d] to [B, B, d]
    torch.manual_seed(0)
    q, k = torch.randn(4), torch.randn(3, 5, 4)
    result = attend(q, k)
    assert result.weights.shape == (3, 5) and result.output.shape == (3, 4)
    for b in range(3):
        one = attend(q, k[b])
        torch.testing.assert_close(result.output[b], one.output)
        expected = torch.softmax(k[b] @ q, dim=-1) @ k[b]
        torch.testing.assert_close(result.output[b], expected)
