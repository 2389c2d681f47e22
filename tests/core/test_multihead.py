"""Multi-head attention checked against torch.nn.MultiheadAttention and against its own formulas."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attention_core.errors import InputError
from attention_core.multihead import (
    MultiHeadAttention,
    MultiHeadParams,
    multi_head_attention,
    multi_head_self_attention,
)

TOL = {torch.float32: 1e-5, torch.float64: 1e-10}
DTYPES = [torch.float32, torch.float64]


def torch_mha(d_model, num_heads, dtype=torch.float64, seed=0, bias=True, kdim=None, vdim=None):
    """A torch layer with every parameter random, biases too (torch starts them at zero)."""
    module = torch.nn.MultiheadAttention(
        d_model, num_heads, bias=bias, kdim=kdim, vdim=vdim, batch_first=True, dtype=dtype
    )
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.randn(p.shape, generator=g, dtype=torch.float64).to(dtype) / math.sqrt(d_model))
    return module.eval()


def randn(*shape, dtype=torch.float64, seed=1):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64).to(dtype)


def run_torch(module, xq, xk, xv=None, attn_allowed=None, key_allowed=None):
    """torch's masks say True = NOT allowed, ours True = may attend: invert."""
    with torch.no_grad():
        out, w = module(
            xq,
            xk,
            xk if xv is None else xv,
            need_weights=True,
            average_attn_weights=False,
            attn_mask=None if attn_allowed is None else ~attn_allowed,
            key_padding_mask=None if key_allowed is None else ~key_allowed,
        )
    return out, w


def assert_close(ours, theirs, dtype):
    assert ours.dtype == theirs.dtype == dtype
    torch.testing.assert_close(ours, theirs, atol=TOL[dtype], rtol=0)


def causal_allowed(m, n):
    return torch.ones(m, n, dtype=torch.bool).tril()


# ------------------------------------------------------------- against torch


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize("batch", [(), (3,)])
def test_self_attention_matches_torch(dtype, causal, batch):
    module = torch_mha(12, 3, dtype=dtype)
    x = randn(*batch, 6, 12, dtype=dtype)
    ours = multi_head_self_attention(x, MultiHeadParams.from_torch(module), causal=causal)
    out, w = run_torch(module, x, x, attn_allowed=causal_allowed(6, 6) if causal else None)
    assert ours.weights.shape == (*batch, 3, 6, 6)
    assert ours.output.shape == (*batch, 6, 12)
    assert_close(ours.output, out, dtype)
    assert_close(ours.weights, w, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_causal_flag_equals_explicit_lower_triangular_mask_in_torch(dtype):
    module = torch_mha(8, 2, dtype=dtype, seed=3)
    x = randn(2, 5, 8, dtype=dtype, seed=4)
    ours = multi_head_self_attention(x, MultiHeadParams.from_torch(module), causal=True)
    with torch.no_grad():
        out, w = module(
            x,
            x,
            x,
            need_weights=True,
            average_attn_weights=False,
            attn_mask=torch.nn.Transformer.generate_square_subsequent_mask(5, dtype=dtype),
        )
    assert_close(ours.output, out, dtype)
    assert_close(ours.weights, w, dtype)
    assert torch.all(ours.weights[..., 0, 1:] == 0)  # the first token sees only itself


def test_extra_batch_dims_match_torch_on_the_flattened_batch():
    module = torch_mha(8, 4, seed=5)
    x = randn(2, 3, 5, 8, seed=6)
    ours = multi_head_self_attention(x, MultiHeadParams.from_torch(module), causal=True)
    flat = x.reshape(6, 5, 8)
    out, w = run_torch(module, flat, flat, attn_allowed=causal_allowed(5, 5))
    assert_close(ours.output, out.reshape(2, 3, 5, 8), torch.float64)
    assert_close(ours.weights, w.reshape(2, 3, 4, 5, 5), torch.float64)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("causal", [False, True])
def test_key_padding_mask_matches_torch(dtype, causal):
    module = torch_mha(8, 2, dtype=dtype, seed=7)
    x = randn(3, 5, 8, dtype=dtype, seed=8)
    keep = torch.tensor(
        [[True, True, True, True, True], [True, True, True, False, False], [True, False, True, True, False]]
    )
    ours = multi_head_self_attention(x, MultiHeadParams.from_torch(module), causal=causal, mask=keep)
    out, w = run_torch(module, x, x, attn_allowed=causal_allowed(5, 5) if causal else None, key_allowed=keep)
    assert_close(ours.output, out, dtype)
    assert_close(ours.weights, w, dtype)
    assert torch.all(ours.weights[1, :, :, 3:] == 0)


def test_one_dimensional_key_padding_on_unbatched_tokens_matches_torch():
    module = torch_mha(6, 3, seed=9)
    x = randn(4, 6, seed=10)
    keep = torch.tensor([True, False, True, True])
    ours = multi_head_self_attention(x, MultiHeadParams.from_torch(module), mask=keep.numpy())
    out, w = run_torch(module, x, x, key_allowed=keep)
    assert_close(ours.output, out, torch.float64)
    assert_close(ours.weights, w, torch.float64)


@pytest.mark.parametrize("dtype", DTYPES)
def test_arbitrary_attention_mask_matches_torch(dtype):
    module = torch_mha(8, 2, dtype=dtype, seed=11)
    x = randn(2, 6, 8, dtype=dtype, seed=12)
    allowed = torch.rand(6, 6, generator=torch.Generator().manual_seed(13)) < 0.5
    allowed |= torch.eye(6, dtype=torch.bool)  # no empty row: torch would give NaN there
    ours = multi_head_self_attention(x, MultiHeadParams.from_torch(module), mask=allowed)
    out, w = run_torch(module, x, x, attn_allowed=allowed)
    assert_close(ours.output, out, dtype)
    assert_close(ours.weights, w, dtype)


def test_per_example_attention_mask_matches_torch_one_example_at_a_time():
    module = torch_mha(8, 2, seed=14)
    params = MultiHeadParams.from_torch(module)
    x = randn(2, 4, 8, seed=15)
    allowed = torch.rand(2, 4, 4, generator=torch.Generator().manual_seed(16)) < 0.5
    allowed |= torch.eye(4, dtype=torch.bool)
    ours = multi_head_self_attention(x, params, mask=allowed)
    for b in range(2):
        out, w = run_torch(module, x[b : b + 1], x[b : b + 1], attn_allowed=allowed[b])
        assert_close(ours.output[b], out[0], torch.float64)
        assert_close(ours.weights[b], w[0], torch.float64)


@pytest.mark.parametrize("dtype", DTYPES)
def test_cross_attention_matches_torch(dtype):
    module = torch_mha(8, 4, dtype=dtype, seed=17)
    x_q = randn(2, 3, 8, dtype=dtype, seed=18)
    x_kv = randn(2, 7, 8, dtype=dtype, seed=19)
    keep = torch.ones(2, 7, dtype=torch.bool)
    keep[1, 5:] = False
    ours = multi_head_attention(x_q, x_kv, MultiHeadParams.from_torch(module), mask=keep)
    out, w = run_torch(module, x_q, x_kv, key_allowed=keep)
    assert ours.weights.shape == (2, 4, 3, 7)
    assert ours.q.shape == (2, 4, 3, 2) and ours.k.shape == (2, 4, 7, 2)
    assert_close(ours.output, out, dtype)
    assert_close(ours.weights, w, dtype)


def test_cross_attention_with_different_key_and_value_widths_matches_torch():
    module = torch_mha(6, 2, kdim=4, vdim=5, seed=20)
    params = MultiHeadParams.from_torch(module)
    assert params.w_k.shape == (6, 4) and params.w_v.shape == (6, 5)
    x_q, keys, values = randn(2, 3, 6, seed=21), randn(2, 5, 4, seed=22), randn(2, 5, 5, seed=23)
    ours = multi_head_attention(x_q, keys, params, x_v=values, causal=True)
    out, w = run_torch(module, x_q, keys, values, attn_allowed=causal_allowed(3, 5))
    assert_close(ours.output, out, torch.float64)
    assert_close(ours.weights, w, torch.float64)


def test_layer_without_biases_matches_torch_and_gets_zero_biases():
    module = torch_mha(8, 2, bias=False, seed=24)
    params = MultiHeadParams.from_torch(module)
    for b in (params.b_q, params.b_k, params.b_v, params.b_o):
        assert torch.equal(b, torch.zeros(8, dtype=torch.float64))
    x = randn(5, 8, seed=25)
    ours = multi_head_self_attention(x, params)
    out, w = run_torch(module, x, x)
    assert_close(ours.output, out, torch.float64)
    assert_close(ours.weights, w, torch.float64)


def test_per_head_q_k_v_are_torch_projections_split_into_column_blocks():
    module = torch_mha(6, 3, seed=26)
    x = randn(4, 6, seed=27)
    ours = multi_head_self_attention(x, MultiHeadParams.from_torch(module))
    with torch.no_grad():
        Q, K, V = torch.nn.functional.linear(x, module.in_proj_weight, module.in_proj_bias).chunk(3, dim=-1)
    for j in range(3):
        cols = slice(2 * j, 2 * j + 2)
        torch.testing.assert_close(ours.q[j], Q[:, cols], atol=1e-12, rtol=0)
        torch.testing.assert_close(ours.k[j], K[:, cols], atol=1e-12, rtol=0)
        torch.testing.assert_close(ours.v[j], V[:, cols], atol=1e-12, rtol=0)
        torch.testing.assert_close(ours.concat[:, cols], ours.head_outputs[j], atol=0, rtol=0)
    torch.testing.assert_close(ours.scores, ours.q @ ours.k.transpose(-1, -2) / math.sqrt(2), atol=1e-12, rtol=0)
    torch.testing.assert_close(ours.head_outputs, ours.weights @ ours.v, atol=1e-12, rtol=0)


def test_from_torch_copies_the_weights():
    module = torch_mha(4, 2, seed=28)
    params = MultiHeadParams.from_torch(module)
    before = params.w_q.clone()
    with torch.no_grad():
        module.in_proj_weight.add_(1.0)
    assert torch.equal(params.w_q, before)
    assert not params.w_q.requires_grad


def test_from_torch_refuses_extra_key_value_biases():
    with pytest.raises(InputError):
        MultiHeadParams.from_torch(torch.nn.MultiheadAttention(4, 2, add_bias_kv=True))


# ------------------------------------------------------------ params


def test_random_is_deterministic_and_seed_dependent():
    a, b = MultiHeadParams.random(8, 2, seed=3), MultiHeadParams.random(8, 2, seed=3)
    c = MultiHeadParams.random(8, 2, seed=4)
    for name in ("w_q", "w_k", "w_v", "w_o", "b_q", "b_k", "b_v", "b_o"):
        assert torch.equal(getattr(a, name), getattr(b, name))
    assert not torch.equal(a.w_q, c.w_q)
    assert not torch.equal(a.w_q, a.w_k)  # the three projections are different matrices
    assert a.w_q.dtype == torch.float64
    assert (a.d_model, a.d_head, a.num_heads) == (8, 4, 2)


def test_random_with_a_token_width_different_from_d_model():
    p = MultiHeadParams.random(12, 3, seed=0, d_in=5)
    assert p.w_q.shape == p.w_k.shape == p.w_v.shape == (12, 5)
    assert p.w_o.shape == (12, 12)
    assert p.b_q.shape == (12,)
    r = multi_head_self_attention(np.ones((7, 5)), p)
    assert r.output.shape == (7, 12) and r.weights.shape == (3, 7, 7)


def test_random_weights_have_xavier_scale():
    p = MultiHeadParams.random(64, 4, seed=0, d_in=32)
    assert p.w_q.std().item() == pytest.approx(math.sqrt(2 / (64 + 32)), rel=0.1)
    assert p.w_o.std().item() == pytest.approx(math.sqrt(2 / 128), rel=0.1)
    assert float(p.b_q.abs().max()) <= 0.1


def test_heads_that_do_not_divide_d_model_give_a_clear_sentence():
    with pytest.raises(InputError) as err:
        MultiHeadParams.random(30, 8)
    assert str(err.value) == "8 heads cannot split d_model = 30 evenly; choose a d_model that is a multiple of 8."


@pytest.mark.parametrize("num_heads", [0, -2, 2.5, True, "2"])
def test_bad_num_heads_raise_input_error(num_heads):
    with pytest.raises(InputError):
        MultiHeadParams.random(8, num_heads)


def test_hand_built_params_are_validated():
    w = np.eye(4)
    MultiHeadParams(w_q=w, w_k=w, w_v=w, w_o=w, num_heads=2)  # fine: biases default to zero
    with pytest.raises(InputError):
        MultiHeadParams(w_q=w, w_k=w, w_v=w, w_o=np.eye(3), num_heads=2)
    with pytest.raises(InputError):
        MultiHeadParams(w_q=w, w_k=np.eye(3), w_v=w, w_o=w, num_heads=2)
    with pytest.raises(InputError):
        MultiHeadParams(w_q=w, w_k=w, w_v=w, w_o=w, num_heads=3)
    with pytest.raises(InputError):
        MultiHeadParams(w_q=w, w_k=w, w_v=w, w_o=w, num_heads=2, b_o=np.zeros(3))


# ------------------------------------------------------------ behaviour


def test_bad_inputs_raise_input_error():
    p = MultiHeadParams.random(8, 2)
    x = np.zeros((4, 8))
    for bad in (
        lambda: multi_head_self_attention(np.zeros((4, 7)), p),  # wrong token width
        lambda: multi_head_self_attention(np.zeros(8), p),  # not a table
        lambda: multi_head_self_attention(np.zeros((0, 8)), p),  # no tokens
        lambda: multi_head_self_attention(x, p, mask=np.ones(3, dtype=bool)),  # wrong mask length
        lambda: multi_head_self_attention(x, p, mask=np.ones((3, 4), dtype=bool)),  # wrong mask rows
        lambda: multi_head_self_attention(x, p, mask=np.zeros((4, 4))),  # float mask
        lambda: multi_head_self_attention(x, p, mask=np.ones((2, 4, 4), dtype=bool)),  # batch with no batch
        lambda: multi_head_self_attention(x, p, temperature=0.0),
        lambda: multi_head_attention(np.zeros((2, 4, 8)), np.zeros((3, 5, 8)), p),  # batches do not fit
        lambda: multi_head_attention(x, x, p, x_v=np.zeros((3, 8))),  # values ≠ keys
    ):
        with pytest.raises(InputError):
            bad()


def test_fully_masked_row_gives_zero_weights_and_no_nan():
    p = MultiHeadParams.random(8, 2, seed=1)
    p = MultiHeadParams(p.w_q, p.w_k, p.w_v, p.w_o, num_heads=2, b_o=np.arange(8.0))
    allowed = np.ones((4, 4), dtype=bool)
    allowed[2] = False
    r = multi_head_self_attention(randn(4, 8), p, mask=allowed)
    for t in (r.scores, r.weights, r.head_outputs, r.concat, r.output):
        assert torch.isfinite(t).all()
    assert torch.all(r.weights[:, 2] == 0)
    torch.testing.assert_close(r.output[2], torch.arange(8.0, dtype=torch.float64))  # only b_o is left
    torch.testing.assert_close(r.weights[:, [0, 1, 3]].sum(-1), torch.ones(2, 3, dtype=torch.float64))


def test_padding_every_key_of_one_example_gives_zero_weights_there():
    p = MultiHeadParams.random(4, 2)
    keep = np.array([[True, True, False], [False, False, False]])
    r = multi_head_self_attention(randn(2, 3, 4), p, mask=keep, causal=True)
    assert torch.isfinite(r.output).all()
    assert torch.all(r.weights[1] == 0)
    torch.testing.assert_close(r.weights[0].sum(-1), torch.ones(2, 3, dtype=torch.float64))


def test_weight_rows_sum_to_one():
    r = multi_head_self_attention(randn(2, 5, 6), MultiHeadParams.random(6, 3), causal=True)
    torch.testing.assert_close(r.weights.sum(-1), torch.ones(2, 3, 5, dtype=torch.float64))
    assert torch.all(r.weights >= 0)


@pytest.mark.parametrize("temperature", [0.25, 1.0, 3.0])
def test_temperature_divides_the_scores(temperature):
    p, x = MultiHeadParams.random(8, 2, seed=2), randn(5, 8, seed=3)
    plain = multi_head_self_attention(x, p)
    hot = multi_head_self_attention(x, p, temperature=temperature)
    torch.testing.assert_close(hot.scores, plain.scores, atol=0, rtol=0)  # scores are before T
    expected = torch.softmax(plain.scores / temperature, dim=-1)
    torch.testing.assert_close(hot.weights, expected, atol=1e-12, rtol=0)


def test_numpy_float64_input_stays_float64_and_float32_stays_float32():
    p64 = MultiHeadParams.random(4, 2)
    r = multi_head_self_attention(np.ones((3, 4)), p64)
    assert isinstance(r, MultiHeadAttention) and r.output.dtype == torch.float64
    p32 = MultiHeadParams.from_torch(torch_mha(4, 2, dtype=torch.float32))
    assert multi_head_self_attention(np.ones((3, 4), dtype=np.float32), p32).output.dtype == torch.float32


def test_attention_mask_for_a_batch_of_size_n_is_read_as_per_query_when_given_a_leading_one():
    p, x = MultiHeadParams.random(4, 2), randn(3, 3, 4)
    tri = np.tril(np.ones((3, 3), dtype=bool))
    as_padding = multi_head_self_attention(x, p, mask=tri)  # [B, n] with B = n: key padding
    per_query = multi_head_self_attention(x, p, mask=tri[None])
    causal = multi_head_self_attention(x, p, causal=True)
    torch.testing.assert_close(per_query.weights, causal.weights, atol=0, rtol=0)
    assert torch.all(as_padding.weights[0, :, :, 1:] == 0)  # example 0 keeps only key 0


# ------------------------------------------------------------ properties

small = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@small
@given(
    batch=st.integers(1, 3),
    n=st.integers(1, 5),
    num_heads=st.integers(1, 3),
    d_head=st.integers(1, 3),
    causal=st.booleans(),
    pad=st.lists(st.booleans(), min_size=15, max_size=15),
    seed=st.integers(0, 2**16),
)
def test_property_matches_torch(batch, n, num_heads, d_head, causal, pad, seed):
    d_model = num_heads * d_head
    module = torch_mha(d_model, num_heads, seed=seed)
    x = randn(batch, n, d_model, seed=seed + 1) * 3
    keep = torch.tensor(pad[: batch * n]).reshape(batch, n)
    keep[:, 0] = True  # every query keeps key 0, so torch never meets an empty row (it gives NaN)
    ours = multi_head_self_attention(x, MultiHeadParams.from_torch(module), causal=causal, mask=keep)
    out, w = run_torch(module, x, x, attn_allowed=causal_allowed(n, n) if causal else None, key_allowed=keep)
    assert_close(ours.output, out, torch.float64)
    assert_close(ours.weights, w, torch.float64)


@small
@given(
    n=st.integers(1, 6),
    cut=st.integers(1, 6),
    num_heads=st.sampled_from([1, 2]),
    drop=st.lists(st.booleans(), min_size=6, max_size=6),
    seed=st.integers(0, 2**16),
)
def test_property_causal_prefix_and_padding_equal_shorter_sequences(n, cut, num_heads, drop, seed):
    p = MultiHeadParams.random(4, num_heads, seed=seed)
    x = randn(n, 4, seed=seed)
    # causal: the first k outputs never depend on later tokens
    k = min(cut, n)
    full = multi_head_self_attention(x, p, causal=True)
    prefix = multi_head_self_attention(x[:k], p, causal=True)
    torch.testing.assert_close(full.output[:k], prefix.output, atol=1e-12, rtol=0)
    # key padding: hiding keys equals leaving them out of the key/value sequence
    keep = torch.tensor(drop[:n])
    keep[0] = True
    hidden = multi_head_attention(x, x, p, mask=keep)
    removed = multi_head_attention(x, x[keep], p)
    torch.testing.assert_close(hidden.output, removed.output, atol=1e-12, rtol=0)
    torch.testing.assert_close(hidden.weights[..., keep], removed.weights, atol=1e-12, rtol=0)


@small
@given(n=st.integers(1, 6), seed=st.integers(0, 2**16), data=st.data())
def test_property_self_attention_is_permutation_equivariant(n, seed, data):
    perm = torch.tensor(data.draw(st.permutations(range(n))), dtype=torch.long)
    p = MultiHeadParams.random(6, 3, seed=seed)
    x = randn(n, 6, seed=seed)
    r, rp = multi_head_self_attention(x, p), multi_head_self_attention(x[perm], p)
    torch.testing.assert_close(rp.output, r.output[perm], atol=1e-12, rtol=0)
    torch.testing.assert_close(rp.weights, r.weights[:, perm][:, :, perm], atol=1e-12, rtol=0)
