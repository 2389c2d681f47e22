"""scores(): every method against an independent computation (einsum, loops, torch.nn.functional)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from attention_core.errors import InputError
from attention_core.scoring import SCORE_METHODS, ScoreParams, scores


def randn(*shape, seed=0, dtype=torch.float64):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed), dtype=dtype)


def tol(dtype):
    return {"rtol": 1e-5, "atol": 1e-5} if dtype == torch.float32 else {"rtol": 1e-11, "atol": 1e-11}


# --------------------------------------------------------- reference formulas


def ref_dot(q, k):
    return torch.einsum("...md,...nd->...mn", q, k)


def ref_general(q, k, w):
    """a_ij = q_iᵀ W k_j, one pair at a time."""
    out = torch.empty(q.shape[0], k.shape[0], dtype=q.dtype)
    for i in range(q.shape[0]):
        for j in range(k.shape[0]):
            out[i, j] = q[i] @ w @ k[j]
    return out


def ref_additive(q, k, w1, w2, v):
    """a_ij = vᵀ tanh(W₁ q_i + W₂ k_j), one pair at a time."""
    out = torch.empty(q.shape[0], k.shape[0], dtype=q.dtype)
    for i in range(q.shape[0]):
        for j in range(k.shape[0]):
            out[i, j] = v @ torch.tanh(w1 @ q[i] + w2 @ k[j])
    return out


def reference(method, q, k, p: ScoreParams):
    """[m, d], [n, d] → [m, n], written straight from the formulas."""
    d = q.shape[-1]
    as_t = lambda a: torch.as_tensor(a, dtype=q.dtype)  # noqa: E731
    if method == "dot":
        return ref_dot(q, k)
    if method == "scaled_dot":
        return ref_dot(q, k) / math.sqrt(d)
    if method == "cosine":
        return F.cosine_similarity(q[:, None, :], k[None, :, :], dim=-1)
    if method == "general":
        return ref_general(q, k, as_t(p.w))
    return ref_additive(q, k, as_t(p.w1), as_t(p.w2), as_t(p.v))


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("method", SCORE_METHODS)
@pytest.mark.parametrize("m, n, d, hidden", [(1, 1, 1, None), (3, 5, 4, None), (2, 7, 3, 6), (4, 2, 8, 2)])
def test_each_method_matches_its_formula(method, dtype, m, n, d, hidden):
    q, k = randn(m, d, seed=1, dtype=dtype), randn(n, d, seed=2, dtype=dtype)
    p = ScoreParams.random(d, seed=3, hidden=hidden)
    got = scores(q, k, method=method, params=p)
    assert got.shape == (m, n)
    assert got.dtype == dtype
    torch.testing.assert_close(got, reference(method, q, k, p), **tol(dtype))


@pytest.mark.parametrize("method", ["general", "additive"])
def test_default_params_are_seed_zero(method):
    q, k = randn(2, 5, seed=4), randn(6, 5, seed=5)
    torch.testing.assert_close(scores(q, k, method), scores(q, k, method, params=ScoreParams.random(5, seed=0)))
    assert not torch.allclose(scores(q, k, method), scores(q, k, method, params=ScoreParams.random(5, seed=1)))


def test_general_with_identity_is_dot():
    q, k = randn(3, 4, seed=6), randn(5, 4, seed=7)
    p = ScoreParams(w=np.eye(4), w1=np.zeros((4, 4)), w2=np.zeros((4, 4)), v=np.zeros(4))
    torch.testing.assert_close(scores(q, k, "general", params=p), q @ k.T)
    assert torch.equal(scores(q, k, "additive", params=p), torch.zeros(3, 5, dtype=torch.float64))


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 6),
    st.integers(1, 6),
    st.integers(1, 6),
    st.integers(0, 2**31 - 1),
    st.floats(0.01, 100.0),
    st.floats(0.01, 100.0),
)
def test_score_properties(m, n, d, seed, c_q, c_k):
    q, k = randn(m, d, seed=seed), randn(n, d, seed=seed + 1)
    dot = scores(q, k, "dot")
    torch.testing.assert_close(scores(q, k, "scaled_dot"), dot / math.sqrt(d))
    cos = scores(q, k, "cosine")
    assert (cos.abs() <= 1 + 1e-12).all()
    # cosine ignores lengths; dot scales with both
    torch.testing.assert_close(scores(c_q * q, c_k * k, "cosine"), cos)
    torch.testing.assert_close(scores(c_q * q, c_k * k, "dot"), c_q * c_k * dot)


def test_cosine_of_a_zero_vector_is_zero_not_nan():
    k = torch.tensor([[1.0, 0.0], [0.0, 0.0], [3.0, 4.0]])
    got = scores(torch.zeros(2), k, "cosine")
    assert torch.equal(got, torch.zeros(3))
    got = scores(torch.tensor([1.0, 0.0]), k, "cosine")
    torch.testing.assert_close(got, F.cosine_similarity(torch.tensor([[1.0, 0.0]]), k, dim=-1))


# ------------------------------------------------------------------- shapes


@pytest.mark.parametrize("method", SCORE_METHODS)
def test_shapes(method):
    d = 4
    k = randn(6, d, seed=8)
    q1 = randn(d, seed=9)
    a1 = scores(q1, k, method)
    assert a1.shape == (6,)
    # a single query [d] is the same as a one-row [1, d]
    torch.testing.assert_close(a1, scores(q1[None], k, method)[0])
    assert scores(randn(3, d, seed=10), k, method).shape == (3, 6)

    # batches: [B, m, d] with [B, n, d]; [B, H, m, d] with [B, H, n, d]; shared keys [n, d]
    qb, kb = randn(2, 3, d, seed=11), randn(2, 6, d, seed=12)
    ab = scores(qb, kb, method)
    assert ab.shape == (2, 3, 6)
    for b in range(2):
        torch.testing.assert_close(ab[b], scores(qb[b], kb[b], method))
    qh, kh = randn(2, 5, 3, d, seed=13), randn(2, 5, 6, d, seed=14)
    ah = scores(qh, kh, method)
    assert ah.shape == (2, 5, 3, 6)
    torch.testing.assert_close(ah[1, 4], scores(qh[1, 4], kh[1, 4], method))
    shared = scores(qb, k, method)
    assert shared.shape == (2, 3, 6)
    torch.testing.assert_close(shared[1], scores(qb[1], k, method))
    # one query against batched keys: [B, n]
    single = scores(q1, kb, method)
    assert single.shape == (2, 6)
    torch.testing.assert_close(single[0], scores(q1, kb[0], method))


# ------------------------------------------------------------ input kinds


@pytest.mark.parametrize("method", SCORE_METHODS)
def test_numpy_torch_and_lists_give_the_same_scores(method):
    q, k = randn(2, 3, seed=15), randn(4, 3, seed=16)
    expected = scores(q, k, method)
    assert expected.dtype == torch.float64
    for qq, kk in [(q.numpy(), k.numpy()), (q.numpy(), k), (q.tolist(), k.tolist())]:
        got = scores(qq, kk, method)
        assert isinstance(got, torch.Tensor)
        torch.testing.assert_close(got.double(), expected, rtol=1e-6, atol=1e-6)


def test_dtypes():
    k64 = np.random.default_rng(0).standard_normal((4, 3))
    assert scores(np.ones(3), k64).dtype == torch.float64
    assert scores(np.ones(3, dtype=np.float32), k64.astype(np.float32)).dtype == torch.float32
    assert scores(np.ones(3, dtype=np.float32), k64).dtype == torch.float64  # the wider wins
    assert scores(np.ones(3, dtype=int), np.eye(3, dtype=int)).dtype == torch.float32
    torch.testing.assert_close(scores([1, 2, 3], np.eye(3, dtype=int)), torch.tensor([1.0, 2.0, 3.0]))


def test_read_only_and_reversed_numpy_arrays_are_accepted():
    k = np.arange(12, dtype=np.float64).reshape(4, 3)
    k.setflags(write=False)
    torch.testing.assert_close(scores(np.ones(3), k), torch.as_tensor(k.sum(1)))
    torch.testing.assert_close(scores(np.ones(3), k[::-1]), torch.as_tensor(k[::-1].sum(1).copy()))
    torch.testing.assert_close(scores(np.ones(3)[::-1], k[:, ::-1]), torch.as_tensor(k.sum(1)))


# ------------------------------------------------------------------- errors


@pytest.mark.parametrize("method", SCORE_METHODS)
@pytest.mark.parametrize("dq, dk", [(3, 5), (7, 2), (1, 12)])
def test_mismatched_dimensions_name_both_numbers(method, dq, dk):
    for q in (np.ones(dq), np.ones((2, dq))):
        with pytest.raises(InputError) as info:
            scores(q, np.ones((4, dk)), method)
        message = str(info.value)
        assert str(dq) in message and str(dk) in message
        assert message.endswith(".")


@pytest.mark.parametrize("method", ["", "Dot", "dot_product", "softmax", None, 3])
def test_unknown_method_is_an_input_error(method):
    with pytest.raises(InputError) as info:
        scores(np.ones(3), np.ones((4, 3)), method)
    assert "scaled_dot" in str(info.value)  # it lists the choices


@pytest.mark.parametrize(
    "query, keys",
    [
        (np.ones(3), np.ones(3)),  # keys must be a table
        (np.ones(3), 5.0),
        (2.0, np.ones((4, 3))),  # a lone number is not a query
        (np.array(["a", "b"]), np.ones((2, 2))),  # text
        ([[1, 2], [3]], np.ones((2, 2))),  # ragged
        (np.ones(2) + 1j, np.ones((3, 2))),  # complex
        (np.ones(2), np.ones((3, 2)) + 1j),
        (np.array([object(), object()]), np.ones((3, 2))),
    ],
)
def test_bad_arrays_are_input_errors(query, keys):
    with pytest.raises(InputError):
        scores(query, keys)


# -------------------------------------------------------------- ScoreParams


@pytest.mark.parametrize("d, hidden", [(1, None), (4, None), (4, 10), (16, 3)])
def test_score_params_random_is_seeded(d, hidden):
    a = ScoreParams.random(d, seed=7, hidden=hidden)
    b = ScoreParams.random(d, seed=7, hidden=hidden)
    c = ScoreParams.random(d, seed=8, hidden=hidden)
    h = d if hidden is None else hidden
    assert a.w.shape == (d, d) and a.w1.shape == (h, d) and a.w2.shape == (h, d) and a.v.shape == (h,)
    for name in ("w", "w1", "w2", "v"):
        assert getattr(a, name).dtype == np.float64
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
        assert not np.array_equal(getattr(a, name), getattr(c, name))


def test_score_params_scale_keeps_general_comparable_to_scaled_dot():
    d = 256
    p = ScoreParams.random(d, seed=0)
    assert np.std(p.w) == pytest.approx(1 / math.sqrt(d), rel=0.05)
    assert np.std(p.v) == pytest.approx(1.0, rel=0.2)


@settings(max_examples=40, deadline=None)
@given(
    arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 5)), elements=st.floats(-1e3, 1e3)),
    st.sampled_from(SCORE_METHODS),
)
def test_scores_are_finite_for_finite_input(q, method):
    k = np.vstack([q, q[::-1] * 0.5, np.zeros_like(q[:1])])
    a = scores(q, k, method)
    assert a.shape == (q.shape[0], k.shape[0])
    assert torch.isfinite(a).all()
