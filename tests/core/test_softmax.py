"""softmax and entropy, checked against torch.softmax and torch.distributions."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from attention_core.errors import InputError
from attention_core.softmax import entropy, mean_entropy, softmax

DTYPES = {np.float32: torch.float32, np.float64: torch.float64}


def score_arrays(dtype=np.float64, max_abs=100.0, min_n=1, max_n=12, batch=True):
    """Scores [n] or [b, n] of moderate size."""
    width = 32 if dtype == np.float32 else 64
    elements = st.floats(-max_abs, max_abs, allow_nan=False, allow_infinity=False, width=width)
    shapes = st.tuples(st.integers(min_n, max_n))
    if batch:
        shapes = shapes | st.tuples(st.integers(1, 4), st.integers(min_n, max_n))
    return shapes.flatmap(lambda shape: arrays(dtype, shape, elements=elements))


@st.composite
def scores_and_mask(draw, dtype=np.float64, max_abs=100.0):
    """Scores [b, n] and a boolean mask with at least one True in every row."""
    a = draw(score_arrays(dtype, max_abs=max_abs, batch=False))
    b = draw(st.integers(1, 3))
    a = np.stack([a] * b) + draw(arrays(dtype, (b, a.shape[-1]), elements=st.sampled_from([0.0, 1.0, -2.5])))
    mask = draw(arrays(np.bool_, a.shape))
    keep = draw(arrays(np.int64, (b,), elements=st.integers(0, a.shape[-1] - 1)))
    mask[np.arange(b), keep] = True
    return a, mask


def tol(dtype):
    return {"rtol": 1e-5, "atol": 1e-6} if dtype in (np.float32, torch.float32) else {"rtol": 1e-11, "atol": 1e-13}


# ------------------------------------------------------------------ sums to 1


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from([np.float32, np.float64]).flatmap(lambda dt: scores_and_mask(dt, max_abs=1e6)),
    st.floats(0.01, 100.0),
)
def test_weights_sum_to_one_over_allowed_positions(a_mask, temperature):
    a, mask = a_mask
    w = softmax(a, temperature=temperature, mask=mask)
    assert w.dtype == DTYPES[a.dtype.type]
    assert torch.isfinite(w).all()
    assert (w >= 0).all()
    sums = w.double().sum(-1)
    torch.testing.assert_close(sums, torch.ones_like(sums), rtol=0, atol=1e-5 if a.dtype == np.float32 else 1e-12)
    # masked positions get exactly 0, not merely something small
    assert (w[torch.as_tensor(~mask)] == 0).all()


@settings(max_examples=100, deadline=None)
@given(score_arrays(np.float64, max_abs=50.0), st.floats(-1e3, 1e3))
def test_adding_a_constant_to_every_score_changes_nothing(a, c):
    torch.testing.assert_close(softmax(a + c), softmax(a), rtol=1e-9, atol=1e-11)


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from([np.float32, np.float64]).flatmap(lambda dt: score_arrays(dt, max_abs=30.0)), st.floats(0.1, 10.0)
)
def test_equals_torch_softmax_of_scores_over_temperature(a, temperature):
    t = torch.as_tensor(a)
    expected = torch.softmax(t / temperature, dim=-1)
    got = softmax(a, temperature=temperature)
    assert got.dtype == t.dtype
    # float32: (a − max)/T and a/T − max/T round differently, by ~eps·|a/T| in the exponent
    kw = {"rtol": 1e-4, "atol": 1e-6} if a.dtype == np.float32 else {"rtol": 1e-10, "atol": 1e-12}
    torch.testing.assert_close(got, expected, **kw)


def test_masked_softmax_equals_torch_softmax_with_minus_inf():
    g = torch.Generator().manual_seed(0)
    a = torch.randn(5, 7, generator=g, dtype=torch.float64) * 3
    mask = torch.rand(5, 7, generator=g) > 0.4
    mask[:, 0] = True
    expected = torch.softmax(a.masked_fill(~mask, float("-inf")), dim=-1)
    torch.testing.assert_close(softmax(a, mask=mask), expected, rtol=1e-12, atol=1e-14)


def test_dim_argument_and_mask_broadcasting():
    g = torch.Generator().manual_seed(1)
    a = torch.randn(4, 6, generator=g, dtype=torch.float64)
    torch.testing.assert_close(softmax(a, dim=0), torch.softmax(a, dim=0), rtol=1e-12, atol=1e-14)
    row_mask = torch.tensor([True, False, True, True, False, True])  # [n], broadcast over rows
    expected = torch.softmax(a.masked_fill(~row_mask, float("-inf")), dim=-1)
    torch.testing.assert_close(softmax(a, mask=row_mask), expected, rtol=1e-12, atol=1e-14)
    torch.testing.assert_close(softmax(a, mask=row_mask.tolist()), expected, rtol=1e-12, atol=1e-14)


# ---------------------------------------------------------------- temperature


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from([np.float32, np.float64]).flatmap(lambda dt: scores_and_mask(dt, max_abs=1e6)),
    st.sampled_from([1e-6, 1e-30, 1e-45, 1e-100, 1e-300, 5e-324]),
)
def test_temperature_to_zero_gives_the_one_hot_argmax(a_mask, temperature):
    a, mask = a_mask
    allowed = np.where(mask, a.astype(np.float64), -np.inf)
    top = np.sort(allowed, axis=-1)
    if a.shape[-1] > 1:
        gap = top[:, -1] - top[:, -2]  # -inf - x = inf when only one position is allowed
        with np.errstate(over="ignore"):
            assume(np.all(gap / temperature > 1000))
    expected = torch.nn.functional.one_hot(torch.as_tensor(allowed.argmax(-1)), a.shape[-1])
    w = softmax(a, temperature=temperature, mask=mask)
    assert w.dtype == DTYPES[a.dtype.type]
    torch.testing.assert_close(w, expected.to(w.dtype), rtol=0, atol=1e-12)


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from([np.float32, np.float64]).flatmap(lambda dt: scores_and_mask(dt, max_abs=1e6)),
    st.sampled_from([1e30, 1e39, 1e100, 1e300, 1.7e308]),
)
def test_temperature_to_infinity_gives_uniform_over_allowed_positions(a_mask, temperature):
    a, mask = a_mask
    w = softmax(a, temperature=temperature, mask=mask)
    expected = torch.as_tensor(mask / mask.sum(-1, keepdims=True)).to(w.dtype)
    torch.testing.assert_close(w, expected, rtol=0, atol=1e-7)


def test_ties_at_zero_temperature_share_the_weight():
    w = softmax(torch.tensor([2.0, 5.0, 5.0, 1.0]), temperature=1e-9)
    torch.testing.assert_close(w, torch.tensor([0.0, 0.5, 0.5, 0.0]))


@pytest.mark.parametrize("temperature", [0, 0.0, -0.0, -1, -1e-300, float("nan"), float("-inf"), None, "warm"])
def test_bad_temperature_is_an_input_error(temperature):
    with pytest.raises(InputError, match="temperature"):
        softmax(torch.tensor([1.0, 2.0]), temperature=temperature)


# ------------------------------------------------------------- huge scores


def exact(*z):
    """softmax of small numbers in float64: the answer a huge case must give."""
    return torch.softmax(torch.tensor(z, dtype=torch.float64), 0).tolist()


HUGE = [
    # (scores, dtype, temperature, the exact answer computed from small numbers)
    ([1e30, -1e30, 0.0], torch.float32, 1.0, [1.0, 0.0, 0.0]),
    ([1e30, 0.999999e30], torch.float32, 1.0, [1.0, 0.0]),
    ([3e38, -3e38], torch.float32, 1.0, [1.0, 0.0]),
    ([-3e38, 3e38, 0.0], torch.float32, 0.5, [0.0, 1.0, 0.0]),
    ([3e38, 2e38], torch.float32, 0.5, [1.0, 0.0]),  # a/T overflows both: order must survive
    ([3e38, 2e38], torch.float32, 1e38, exact(3.0, 2.0)),
    ([3e38, -3e38], torch.float32, 1e38, exact(3.0, -3.0)),
    ([3e38, -3e38], torch.float32, 1e39, exact(0.3, -0.3)),
    ([1e300, -1e300], torch.float64, 1.0, [1.0, 0.0]),
    ([1e300, 0.5e300, -1e300], torch.float64, 1e300, exact(1.0, 0.5, -1.0)),
    ([1.7e308, -1.7e308], torch.float64, 1e308, exact(1.7, -1.7)),
    ([1e300, 1e300 * (1 - 1e-12)], torch.float64, 1e-300, [1.0, 0.0]),
    ([math.inf, 0.0, -math.inf], torch.float32, 1.0, [1.0, 0.0, 0.0]),
    ([math.inf, 0.0, -math.inf], torch.float64, 1e-3, [1.0, 0.0, 0.0]),
    ([math.inf, 5.0, math.inf], torch.float64, 1.0, [0.5, 0.0, 0.5]),
    ([-math.inf, 2.0, 1.0], torch.float32, 1.0, [0.0] + exact(2.0, 1.0)),
    ([-math.inf, -math.inf], torch.float32, 1.0, [0.5, 0.5]),
    ([math.inf, -math.inf], torch.float64, 1e300, [1.0, 0.0]),
]


@pytest.mark.parametrize("values, dtype, temperature, expected", HUGE)
def test_huge_scores_stay_finite_and_correct(values, dtype, temperature, expected):
    w = softmax(torch.tensor(values, dtype=dtype), temperature=temperature)
    assert w.dtype == dtype
    assert torch.isfinite(w).all()
    torch.testing.assert_close(w, torch.as_tensor(expected, dtype=torch.float64).to(dtype), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_huge_scores_with_a_mask(dtype):
    big = torch.finfo(dtype).max
    a = torch.tensor([[big, -big, big / 2], [math.inf, 1.0, -math.inf]], dtype=dtype)
    mask = torch.tensor([[False, True, True], [False, True, True]])
    w = softmax(a, mask=mask)
    torch.testing.assert_close(w, torch.tensor([[0.0, 0.0, 1.0], [0.0, 1.0, 0.0]], dtype=dtype))


# ------------------------------------------------------------ fully masked


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("temperature", [1.0, 1e-300, 1e300])
def test_fully_masked_rows_are_zero_never_nan(dtype, temperature):
    a = torch.tensor([[1.0, 2.0, 3.0], [math.inf, -math.inf, 1e30], [0.5, 0.5, 0.5], [-1.0, 4.0, 2.0]], dtype=dtype)
    mask = torch.tensor([[True, True, True], [False, False, False], [False, False, False], [False, True, True]])
    w = softmax(a, temperature=temperature, mask=mask)
    assert not torch.isnan(w).any()
    assert (w[1:3] == 0).all()
    torch.testing.assert_close(w[[0, 3]].sum(-1), torch.ones(2, dtype=dtype))
    assert w[3, 0] == 0


def test_fully_masked_single_row():
    w = softmax(np.array([1.0, 2.0]), mask=np.array([False, False]))
    assert torch.equal(w, torch.zeros(2, dtype=torch.float64))


# ------------------------------------------------------------------ dtypes


@pytest.mark.parametrize("temperature", [1.0, 1e-300, 1e300])
def test_dtypes_are_kept(temperature):
    assert softmax(np.array([1.0, 2.0]), temperature=temperature).dtype == torch.float64
    assert softmax(torch.tensor([1.0, 2.0], dtype=torch.float64), temperature=temperature).dtype == torch.float64
    assert softmax(np.array([1.0, 2.0], dtype=np.float32), temperature=temperature).dtype == torch.float32
    assert softmax([1, 2, 3], temperature=temperature).dtype == torch.float32  # integers become float32


def test_float16_works():
    a = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float16)
    w = softmax(a)
    assert w.dtype == torch.float16
    torch.testing.assert_close(w.double(), torch.softmax(a.double(), 0), rtol=2e-3, atol=1e-3)


def test_input_is_not_modified():
    a = torch.tensor([1.0, math.inf, -3.0])
    before = a.clone()
    softmax(a, temperature=0.1, mask=torch.tensor([True, False, True]))
    assert torch.equal(a, before)


# ------------------------------------------------------------------ entropy


@pytest.mark.parametrize("k", [1, 2, 3, 4, 7, 16, 100])
def test_entropy_of_uniform_over_k_is_log2_k(k):
    w = torch.zeros(k + 5, dtype=torch.float64)
    w[:k] = 1.0 / k
    assert entropy(w).item() == pytest.approx(math.log2(k), abs=1e-12)
    assert entropy(w, base=math.e).item() == pytest.approx(math.log(k), abs=1e-12)


@pytest.mark.parametrize("n, i", [(1, 0), (5, 0), (5, 4), (64, 17)])
def test_entropy_of_one_hot_is_zero(n, i):
    w = torch.zeros(n)
    w[i] = 1.0
    h = entropy(w)
    assert h.item() == 0.0
    assert not torch.isnan(h)


@settings(max_examples=100, deadline=None)
@given(
    arrays(np.float64, st.tuples(st.integers(1, 3), st.integers(1, 10)), elements=st.floats(0.0, 10.0) | st.just(0.0))
)
def test_entropy_matches_torch_categorical(raw):
    assume(np.all(raw.sum(-1) > 1e-3))
    probs = torch.as_tensor(raw / raw.sum(-1, keepdims=True))
    expected = torch.distributions.Categorical(probs=probs).entropy() / math.log(2)
    got = entropy(probs)
    assert got.shape == probs.shape[:-1]
    torch.testing.assert_close(got, expected, rtol=1e-10, atol=1e-12)


def test_entropy_of_softmax_weights_and_of_zero_rows():
    w = softmax(torch.tensor([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]), mask=torch.tensor([[True, True, True], [False] * 3]))
    h = entropy(w)
    expected = torch.distributions.Categorical(probs=w[0]).entropy() / math.log(2)
    torch.testing.assert_close(h[0], expected)
    assert h[1] == 0  # a fully masked row has no uncertainty to report, and no NaN


def test_entropy_is_never_minus_zero_nor_negative():
    # one visible token: −1·log 1 = −0.0, which prints as "−0.00 bits"; a weight rounded just above 1 gives −1e-7
    one_hot = torch.eye(4)  # [4, 4]: four rows, each all on one key
    just_above_one = torch.tensor([torch.nextafter(torch.tensor(1.0), torch.tensor(2.0)).item()])
    for w in (torch.tensor([1.0]), one_hot, just_above_one, torch.zeros(3)):
        h = entropy(w)
        assert not torch.signbit(h).any(), h
        assert (h >= 0).all()
    assert f"{float(entropy(torch.tensor([1.0]))):.2f}" == "0.00"


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 3), st.integers(1, 8), st.integers(0, 2**31 - 1))
def test_mean_entropy_is_torch_categorical_averaged_over_the_queries_that_may_attend(heads, n, seed):
    g = torch.Generator().manual_seed(seed)
    allowed = torch.rand(n, n, generator=g) > 0.4  # [m, n]: some queries may attend to no key
    w = softmax(torch.randn(heads, n, n, generator=g, dtype=torch.float64), mask=allowed)  # [h, m, n]
    live = allowed.any(dim=-1)
    got = mean_entropy(w, allowed)
    assert got.shape == (heads,)
    if not live.any():
        assert torch.equal(got, torch.zeros(heads, dtype=torch.float64))
        return
    expected = torch.distributions.Categorical(probs=w[:, live]).entropy().mean(dim=-1) / math.log(2)
    torch.testing.assert_close(got, expected, rtol=1e-10, atol=1e-12)


def test_mean_entropy_leaves_out_a_query_with_nothing_to_attend():
    allowed = torch.tensor([[True, True], [False, False]])  # query 2 may attend to nothing: weights all 0
    w = softmax(torch.zeros(1, 2, 2), mask=allowed)
    assert mean_entropy(w, allowed).tolist() == [1.0]  # query 1 alone, uniform over 2 keys: 1 bit, not 0.5


@pytest.mark.parametrize("shape, mask_shape", [((5,), (2, 5)), ((2, 5), (3, 5)), ((2, 5), (4,)), ((3,), (0,))])
def test_mask_that_does_not_fit_is_an_input_error(shape, mask_shape):
    with pytest.raises(InputError, match="mask"):
        softmax(torch.zeros(shape), mask=torch.ones(mask_shape, dtype=torch.bool))


def test_empty_scores_give_empty_weights():
    for a in (torch.zeros(0), torch.zeros(3, 0, dtype=torch.float64)):
        w = softmax(a)
        assert w.shape == a.shape and w.dtype == a.dtype
