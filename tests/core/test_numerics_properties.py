"""Numerics at the edges, as properties: every scoring method and multi-head attention give finite
weights that sum to 1 (zeros for a row with nothing to attend) for scores of ±1e4 in float32 and
±1e300 in float64, temperatures 1e-3…1e3, fully masked rows and zero vectors under cosine scoring;
and they agree with torch's own softmax and scaled_dot_product_attention wherever those are finite.

References are computed in float64 from the same inputs: at T = 1e-3 a score of 1e4 is 1e7 / T-units,
where float32 rounding alone moves a weight by orders of magnitude, whoever computes it.
"""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from attention_core.attend import attend
from attention_core.multihead import MultiHeadParams, multi_head_attention
from attention_core.scoring import SCORE_METHODS, ScoreParams
from attention_core.softmax import softmax

SCORE_BOUND = {np.float32: 1e4, np.float64: 1e300}  # the magnitudes of scores the issue names
TOLERANCE = {np.float32: dict(rtol=1e-4, atol=1e-5), np.float64: dict(rtol=1e-9, atol=1e-12)}
EXAMPLES = 60  # per property, ×2 for the cheap ones: about half a minute in the normal run

dtypes = st.sampled_from([np.float32, np.float64])
# log-uniform over 1e-3…1e3, with both ends and T = 1 always in play
temperatures = st.sampled_from([1e-3, 1.0, 1e3]) | st.floats(-3.0, 3.0).map(lambda e: 10.0**e)


def finite_floats(dtype, bound):
    width = 32 if dtype == np.float32 else 64
    bound = float(np.nextafter(dtype(bound), dtype(0)))  # representable in dtype, and not above the bound
    extremes = st.sampled_from([float(dtype(v)) for v in (bound, -bound, 0.0, bound / 3, -bound * 0.999)])
    return extremes | st.floats(-bound, bound, allow_nan=False, allow_infinity=False, width=width)


@st.composite
def masks(draw, shape):
    """None, or a boolean mask [m, n] in which some rows may hide everything."""
    if draw(st.booleans()):
        return None
    mask = draw(arrays(np.bool_, shape))
    if draw(st.booleans()):
        mask[draw(st.integers(0, shape[0] - 1))] = False  # a query with nothing to attend
    return mask


def reference_weights(a: torch.Tensor, temperature: float, mask) -> torch.Tensor:
    """torch.softmax(a / T) in float64 over the allowed keys (a fully hidden row comes out NaN)."""
    z = a.double() / temperature
    if mask is not None:
        z = z.masked_fill(~torch.as_tensor(mask), float("-inf"))
    return torch.softmax(z, dim=-1)


def check_weights(w: torch.Tensor, mask, dtype) -> None:
    """Finite, in [0, 1], zero where hidden, rows summing to 1, or all zeros where nothing may be attended."""
    assert torch.isfinite(w).all(), w
    assert (w >= 0).all() and (w <= 1 + 1e-6).all(), w
    sums = w.double().sum(-1)
    empty = torch.zeros_like(sums, dtype=torch.bool)
    if mask is not None:
        allowed = torch.broadcast_to(torch.as_tensor(mask), w.shape)
        assert (w[~allowed] == 0).all()
        empty = ~allowed.any(-1)
    tol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(sums[~empty].numpy(), 1.0, atol=tol)
    assert (w[empty] == 0).all()


def check_agrees(w: torch.Tensor, reference: torch.Tensor, dtype) -> None:
    rows = torch.isfinite(reference).all(-1)  # a fully hidden row is NaN in torch: checked above instead
    np.testing.assert_allclose(w.double()[rows].numpy(), reference[rows].numpy(), **TOLERANCE[dtype])


# ---------------------------------------------------------------- softmax on raw scores


@st.composite
def raw_scores(draw):
    dtype = draw(dtypes)
    shape = (draw(st.integers(1, 4)), draw(st.integers(1, 8)))
    a = draw(arrays(dtype, shape, elements=finite_floats(dtype, SCORE_BOUND[dtype])))
    return dtype, a, draw(masks(shape)), draw(temperatures)


@settings(max_examples=EXAMPLES * 2, deadline=None)
@given(raw_scores())
def test_softmax_is_finite_normalised_and_torchs_at_any_magnitude_and_temperature(case):
    dtype, a, mask, temperature = case
    w = softmax(torch.from_numpy(a), temperature=temperature, mask=mask)
    assert w.dtype == torch.from_numpy(a).dtype
    check_weights(w, mask, dtype)
    check_agrees(w, reference_weights(torch.from_numpy(a), temperature, mask), dtype)


# ---------------------------------------------------------------- attend, every scoring method


@st.composite
def attention_inputs(draw):
    """Queries [m, d], keys [n, d] whose scores reach the issue's magnitudes, some vectors all zero."""
    dtype = draw(dtypes)
    m, n, d = draw(st.integers(1, 3)), draw(st.integers(1, 6)), draw(st.integers(1, 6))
    # entries up to √(bound / d): dot products up to the bound; float32 also up to the app's |x| ≤ 1e6
    bound = math.sqrt(SCORE_BOUND[dtype] / d)
    if dtype == np.float32 and draw(st.booleans()):
        bound = 1e6
    q = draw(arrays(dtype, (m, d), elements=finite_floats(dtype, bound)))
    k = draw(arrays(dtype, (n, d), elements=finite_floats(dtype, bound)))
    for x in (q, k):  # zero vectors: the cosine of a zero vector is defined as 0
        x[draw(arrays(np.bool_, x.shape[0]))] = 0
    return dtype, q, k, draw(masks((m, n))), draw(temperatures), draw(st.sampled_from(SCORE_METHODS))


@settings(max_examples=EXAMPLES * 2, deadline=None)
@given(attention_inputs())
def test_every_scoring_method_gives_finite_normalised_weights_that_agree_with_torch(case):
    dtype, q, k, mask, temperature, method = case
    params = ScoreParams.random(q.shape[-1], seed=1)
    att = attend(q, k, method=method, temperature=temperature, mask=mask, params=params)
    assert torch.isfinite(att.scores).all(), att.scores
    check_weights(att.weights, mask, dtype)
    check_agrees(att.weights, reference_weights(att.scores, temperature, mask), dtype)
    assert torch.isfinite(att.output).all()
    if method == "cosine":
        zero_q, zero_k = ~q.any(-1), ~k.any(-1)
        assert (att.scores[zero_q] == 0).all() and (att.scores[:, zero_k] == 0).all()
        assert (att.scores.abs() <= 1 + 1e-5).all()
    if dtype == np.float64 and method == "scaled_dot":  # the whole step against torch's own attention
        expected = F.scaled_dot_product_attention(
            torch.from_numpy(q),
            torch.from_numpy(k),
            torch.from_numpy(k),
            attn_mask=None if mask is None else torch.as_tensor(mask),
            scale=1 / (math.sqrt(q.shape[-1]) * temperature),
        )
        rows = torch.isfinite(expected).all(-1)
        np.testing.assert_allclose(att.output[rows].numpy(), expected[rows].numpy(), rtol=1e-9, atol=1e-9 * bound_of(k))


def bound_of(x: np.ndarray) -> float:
    return float(np.abs(x).max(initial=1.0))


# ---------------------------------------------------------------- multi-head, masks and causal


@st.composite
def multi_head_inputs(draw):
    dtype = draw(dtypes)
    h = draw(st.integers(1, 3))
    d_model = h * draw(st.integers(1, 3))
    m, n = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    # Xavier weights keep q and k near the size of x: entries of ±1e4 (float32) / ±1e100 (float64)
    bound = 1e4 if dtype == np.float32 else 1e100
    x_q = draw(arrays(dtype, (m, d_model), elements=finite_floats(dtype, bound)))
    x_kv = draw(arrays(dtype, (n, d_model), elements=finite_floats(dtype, bound)))
    params = MultiHeadParams.random(d_model, h, seed=draw(st.integers(0, 5)))
    params = MultiHeadParams(  # in the inputs' dtype: float64 params would widen float32 inputs
        w_q=params.w_q.to(DTYPE[dtype]),
        w_k=params.w_k.to(DTYPE[dtype]),
        w_v=params.w_v.to(DTYPE[dtype]),
        w_o=params.w_o.to(DTYPE[dtype]),
        num_heads=h,
    )
    return dtype, x_q, x_kv, params, draw(masks((m, n))), draw(st.booleans()), draw(temperatures)


DTYPE = {np.float32: torch.float32, np.float64: torch.float64}


@settings(max_examples=EXAMPLES, deadline=None)
@given(multi_head_inputs())
def test_multi_head_weights_are_finite_normalised_and_torchs_with_any_mask(case):
    dtype, x_q, x_kv, params, mask, causal, temperature = case
    att = multi_head_attention(x_q, x_kv, params, causal=causal, mask=mask, temperature=temperature)
    m, n = x_q.shape[0], x_kv.shape[0]
    allowed = np.ones((m, n), dtype=bool) if mask is None else mask.copy()
    if causal:
        allowed &= np.tril(np.ones((m, n), dtype=bool))
    assert att.weights.dtype == DTYPE[dtype]
    check_weights(att.weights, allowed, dtype)
    check_agrees(att.weights, reference_weights(att.scores, temperature, allowed), dtype)
    assert torch.isfinite(att.output).all()
    # torch's attention on the same projections: the heads' outputs, where a row has something to attend
    expected = F.scaled_dot_product_attention(
        att.q.double(),
        att.k.double(),
        att.v.double(),
        attn_mask=torch.as_tensor(allowed),
        scale=1 / (math.sqrt(params.d_head) * temperature),
    )
    rows = torch.isfinite(expected).all(-1)
    scale = float(att.v.double().abs().max()) if att.v.numel() else 1.0
    tol = TOLERANCE[dtype]
    np.testing.assert_allclose(
        att.head_outputs.double()[rows].numpy(),
        expected[rows].numpy(),
        rtol=tol["rtol"],
        atol=tol["atol"] * max(scale, 1.0) * 10,
    )
