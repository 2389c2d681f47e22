"""Efficient attention: chunked (online softmax) against attend() and torch's SDPA; local, linear, Performer; measurement."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from attention_core.attend import attend
from attention_core.complexity import (
    Job,
    Measurement,
    about,
    cost_clock,
    errors_vs_exact,
    fit_sizes,
    fit_slope,
    flops,
    from_csv,
    loglog_slope,
    measure,
    peak_extra_bytes,
    random_qkv,
    to_csv,
)
from attention_core.efficient import (
    block_weights,
    chunked_attention,
    chunked_weights,
    linear_attention,
    linear_weights,
    local_attention,
    local_mask,
    online_softmax_steps,
    orthogonal_features,
    performer_attention,
    performer_weights,
)
from attention_core.errors import InputError

F32 = dict(rtol=0, atol=1e-5)
F64 = dict(rtol=0, atol=1e-12)


def randn(*shape, seed=0, dtype=torch.float32):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed), dtype=dtype)


def qkv(m=37, n=53, d=16, d_v=8, batch=(), seed=0, dtype=torch.float32):
    return (
        randn(*batch, m, d, seed=seed, dtype=dtype),
        randn(*batch, n, d, seed=seed + 1, dtype=dtype),
        randn(*batch, n, d_v, seed=seed + 2, dtype=dtype),
    )


# ---------------------------------------------------------------- chunked_attention: exact


@pytest.mark.parametrize("block_size", [1, 2, 5, 16, 52, 53, 54, 200])
@pytest.mark.parametrize("query_block_size", [None, 1, 7, 37])
def test_chunked_equals_exact_for_any_block_size(block_size, query_block_size):
    q, k, v = qkv()  # 53 keys: no block size below divides them
    exact = attend(q, k, v, method="scaled_dot").output
    got = chunked_attention(q, k, v, block_size, query_block_size=query_block_size)
    torch.testing.assert_close(got, exact, **F32)


@pytest.mark.parametrize("block_size", [3, 16, 64])
def test_chunked_matches_torch_sdpa_with_batch_dims_and_causal(block_size):
    q, k, v = qkv(m=70, n=70, batch=(2, 3))
    torch.testing.assert_close(chunked_attention(q, k, v, block_size), F.scaled_dot_product_attention(q, k, v), **F32)
    torch.testing.assert_close(
        chunked_attention(q, k, v, block_size, causal=True, query_block_size=9),
        F.scaled_dot_product_attention(q, k, v, is_causal=True),
        **F32,
    )


def test_chunked_causal_with_more_keys_than_queries_is_top_left_aligned():
    q, k, v = qkv(m=20, n=45)
    expected = F.scaled_dot_product_attention(q, k, v, is_causal=True)  # query i sees keys 0…i
    torch.testing.assert_close(chunked_attention(q, k, v, 8, causal=True), expected, **F32)


def test_chunked_padding_mask_and_general_mask():
    q, k, v = qkv(batch=(2,))
    padding = torch.arange(53) < 40  # [n]: the last 13 keys are padding
    exact = attend(q, k, v, method="scaled_dot", mask=padding).output
    torch.testing.assert_close(chunked_attention(q, k, v, 16, mask=padding), exact, **F32)
    general = torch.rand(2, 37, 53, generator=torch.Generator().manual_seed(3)) > 0.6
    exact = attend(q, k, v, method="scaled_dot", mask=general).output
    torch.testing.assert_close(chunked_attention(q, k, v, 8, mask=general, query_block_size=5), exact, **F32)
    torch.testing.assert_close(
        chunked_attention(q, k, v, 8, mask=general),
        F.scaled_dot_product_attention(q, k, v, attn_mask=general).nan_to_num(0.0),
        **F32,
    )


def test_fully_masked_rows_give_zeros_and_their_lse_is_minus_inf():
    q, k, v = qkv()
    mask = torch.ones(37, 53, dtype=torch.bool)
    mask[4] = False  # nothing for query 4
    mask[9, :20] = False  # query 9 sees nothing in the first blocks: its max stays −inf for a while
    out, lse = chunked_attention(q, k, v, 8, mask=mask, return_lse=True)
    assert torch.isfinite(out).all()
    assert (out[4] == 0).all() and lse[4] == -math.inf
    exact = attend(q, k, v, method="scaled_dot", mask=mask).output
    torch.testing.assert_close(out, exact, **F32)
    assert torch.isfinite(lse[torch.arange(37) != 4]).all()


def test_chunked_float64():
    q, k, v = qkv(dtype=torch.float64, batch=(3,))
    out = chunked_attention(q, k, v, 6, causal=True)
    assert out.dtype == torch.float64
    torch.testing.assert_close(out, F.scaled_dot_product_attention(q, k, v, is_causal=True), **F64)


def test_chunked_stays_finite_for_huge_scores():
    q, k, v = qkv(m=8, n=30)
    out = chunked_attention(q * 300, k * 300, v, 7)  # scores in the tens of thousands: e^a overflows unless rescaled
    torch.testing.assert_close(out, attend(q * 300, k * 300, v, method="scaled_dot").output, **F32)


def test_lse_recovers_the_weights_of_any_block():
    q, k, v = qkv(batch=(2,))
    _, lse = chunked_attention(q, k, v, 16, return_lse=True)
    weights = attend(q, k, v, method="scaled_dot").weights
    torch.testing.assert_close(lse, torch.logsumexp(q @ k.transpose(-1, -2) / 4, dim=-1), **F32)
    for start, stop in ((0, 16), (16, 32), (48, 53)):
        torch.testing.assert_close(block_weights(q, k, lse, start, stop), weights[..., start:stop], **F32)


@pytest.mark.parametrize("block_size", [1, 5, 16, 53, 200])
def test_chunked_weights_are_torch_softmax_of_the_scaled_scores(block_size):
    q, k, _ = qkv(batch=(2,))  # [2, 37, 16], [2, 53, 16]
    expected = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(16), dim=-1)  # [2, 37, 53]
    got = chunked_weights(q, k, block_size)
    assert got.shape == expected.shape
    torch.testing.assert_close(got, expected, **F32)


def test_chunked_weights_of_no_keys_and_a_bad_block_size():
    assert chunked_weights(randn(3, 4), randn(0, 4), 2).shape == (3, 0)
    with pytest.raises(InputError):
        chunked_weights(randn(3, 4), randn(5, 4), 0)


def test_random_qkv_is_seeded_standard_normal_in_order():
    g = torch.Generator().manual_seed(7)
    expected = [torch.randn(6, 3, generator=g) for _ in range(3)]
    for got, want in zip(random_qkv(6, 3, seed=7), expected, strict=True):
        assert torch.equal(got, want)


def test_chunked_bad_input_is_one_sentence():
    q, k, v = qkv()
    with pytest.raises(InputError, match="block size"):
        chunked_attention(q, k, v, 0)
    with pytest.raises(InputError, match="dimensions"):
        chunked_attention(q[:, :5], k, v)
    with pytest.raises(InputError, match="mask"):
        chunked_attention(q, k, v, 8, mask=torch.ones(52, dtype=torch.bool))


# ---------------------------------------------------------------- the step view


def test_online_softmax_steps_end_at_softmax():
    a = randn(29, seed=5) * 3
    steps = online_softmax_steps(a, 8)
    assert steps.num_blocks == 4 and steps.seen(0) == 8 and steps.seen(3) == 29
    torch.testing.assert_close(steps.weights_after(3), torch.softmax(a, 0), **F32)
    torch.testing.assert_close(steps.running_max, torch.stack([a[: 8 * (b + 1)].max() for b in range(4)]), **F32)
    torch.testing.assert_close(steps.running_sum[1], torch.exp(a[:16] - steps.running_max[1]).sum(), **F32)
    assert steps.rescale[0] == 0 and (steps.rescale[1:] <= 1).all()
    partial = steps.weights_after(1)
    torch.testing.assert_close(partial[:16], torch.softmax(a[:16], 0), **F32)  # a softmax over what has been seen
    assert (partial[16:] == 0).all()


# ---------------------------------------------------------------- approximations


def test_local_with_a_window_covering_every_key_is_exact():
    q, k, v = qkv(m=60, n=60, batch=(2,))
    exact = attend(q, k, v, method="scaled_dot").output
    torch.testing.assert_close(local_attention(q, k, v, window=60, block_size=16), exact, **F32)
    torch.testing.assert_close(local_attention(q, k, v, window=59, block_size=7), exact, **F32)


def test_local_equals_attention_with_a_band_mask():
    q, k, v = qkv(m=50, n=50)
    for window in (0, 3, 10):
        banded = attend(q, k, v, method="scaled_dot", mask=local_mask(50, 50, window)).output
        torch.testing.assert_close(local_attention(q, k, v, window, block_size=8), banded, **F32)
    assert local_mask(4, 4, 1).sum() == 10  # the diagonal and its two neighbours


def test_linear_attention_shapes_and_weights():
    q, k, v = qkv(batch=(2, 3))
    out = linear_attention(q, k, v)
    assert out.shape == (2, 3, 37, 8)
    w = linear_weights(q, k)
    assert w.shape == (2, 3, 37, 53) and (w > 0).all()
    torch.testing.assert_close(w.sum(-1), torch.ones(2, 3, 37), **F32)
    torch.testing.assert_close(out, w @ v, **F32)  # the O(n) route gives the implied weights' output
    phi = lambda x: F.elu(x) + 1  # noqa: E731  (Katharopoulos et al. 2020, eq. 7)
    by_hand = (phi(q) @ phi(k).transpose(-1, -2)) / (phi(q) @ phi(k).transpose(-1, -2)).sum(-1, keepdim=True)
    torch.testing.assert_close(w, by_hand, **F32)
    with pytest.raises(InputError, match="feature map"):
        linear_attention(q, k, v, feature_map="cosh")


def test_orthogonal_features_are_orthogonal_within_a_block_and_seeded():
    omega = orthogonal_features(40, 16, seed=3, dtype=torch.float64)
    assert omega.shape == (40, 16)
    directions = omega[:16] / omega[:16].norm(dim=-1, keepdim=True)
    torch.testing.assert_close(directions @ directions.T, torch.eye(16, dtype=torch.float64), **F64)
    torch.testing.assert_close(orthogonal_features(40, 16, seed=3, dtype=torch.float64), omega, rtol=0, atol=0)
    assert not torch.equal(orthogonal_features(40, 16, seed=4, dtype=torch.float64), omega)


def test_performer_error_falls_as_features_grow():
    q, k, v = qkv(m=64, n=64, d=16, dtype=torch.float64)
    q, k = q * 0.5, k * 0.5  # moderate scores: the regime random features are made for
    exact = attend(q, k, v, method="scaled_dot")
    error = {r: float((performer_weights(q, k, r, seed=1) - exact.weights).abs().mean()) for r in (4, 64, 1024)}
    assert error[1024] < error[64] < error[4]
    assert error[1024] < error[4] / 5  # ~1/√r once the features are many
    out = {r: performer_attention(q, k, v, r, seed=1) for r in (4, 1024)}
    torch.testing.assert_close(out[1024], performer_weights(q, k, 1024, seed=1) @ v, rtol=0, atol=1e-10)
    assert (out[1024] - exact.output).abs().mean() < (out[4] - exact.output).abs().mean() / 3


def test_errors_vs_exact():
    q, k, v = qkv(m=40, n=40)
    wide = errors_vs_exact("local", q, k, v, window=40)
    assert wide.max_output < 1e-5 and wide.max_weights < 1e-6
    narrow = errors_vs_exact("local", q, k, v, window=2)
    assert narrow.max_output > 0.05 and narrow.mean_weights > wide.mean_weights
    linear = errors_vs_exact("linear", q, k, v)
    assert 0 < linear.mean_output <= linear.max_output


# ---------------------------------------------------------------- measurement


def test_fit_slope_recovers_the_exponent():
    n = np.array([512, 1024, 2048, 4096, 8192])
    slope, intercept = fit_slope(n, 3e-9 * n**2.0)
    assert slope == pytest.approx(2.0) and math.exp(intercept) == pytest.approx(3e-9)
    noisy = 1e-6 * n * np.exp(np.random.default_rng(0).normal(0, 0.05, n.size))
    assert fit_slope(n, noisy)[0] == pytest.approx(1.0, abs=0.1)


def test_the_slope_is_read_where_the_work_dominates():
    """A fixed cost of 0.2 ms a call and 0.1 µs per token: the whole range fits 0.7, the upper half about 1."""
    n = 2.0 ** np.arange(9, 17)  # 512 … 65536
    seconds = 2e-4 + 1e-7 * n
    assert list(fit_sizes(n)) == [False] * 4 + [True] * 4  # 8192 … 65536: the upper half in log n
    slope = loglog_slope(n, seconds)
    assert fit_slope(n, seconds)[0] < 0.75 < slope.value and about(slope.value) == 1
    assert slope.n_from == 8192 and slope.below < 0.6  # below, the fixed cost flattens the line
    assert about(0.6) is None and about(1.5) is None and about(2.2) == 2


def test_a_short_range_fits_at_least_three_sizes():
    assert list(fit_sizes([256, 512, 1024, 2048])) == [False, True, True, True]
    assert list(fit_sizes([256, 512])) == [True, True]
    slope = loglog_slope([256, 512], [1.0, 4.0])
    assert slope.value == pytest.approx(2.0) and slope.below is None
    assert loglog_slope([256], [1.0]) is None


def test_one_thread_is_timed_in_cpu_time():
    """A busy machine makes a call wait for a core: the CPU clock does not count the wait, the wall clock does."""
    assert cost_clock(1) is time.process_time and cost_clock(2) is time.perf_counter
    start_cpu, start_wall = time.process_time(), time.perf_counter()
    time.sleep(0.05)  # waiting, like a call that lost its core to another process
    assert time.process_time() - start_cpu < 0.02 < time.perf_counter() - start_wall


def test_flops():
    assert flops("exact", 1024, 64) == 4 * 1024**2 * 64 == flops("chunked", 1024, 64)
    assert flops("local", 1024, 64, window=10) == 4 * 1024 * 21 * 64
    assert flops("linear", 2048, 64) == 2 * flops("linear", 1024, 64)


def test_peak_memory_is_measured_not_computed():
    n = 2**21  # 8 MiB of float32
    held = []
    got = peak_extra_bytes(lambda: held.append(torch.ones(n)))
    assert 7 * 2**20 < got < 12 * 2**20


def test_measure_in_a_worker_and_csv_round_trip():
    jobs = [Job("exact", 1024, d=16, repeats=1), Job("chunked", 1024, d=16, block_size=128, repeats=1)]
    results = list(measure(jobs))
    assert [(m.method, m.n) for m in results] == [("exact", 1024), ("chunked", 1024)]
    exact, chunked = results
    assert exact.peak_bytes > 4 * 1024**2  # at least the n×n float32 weights: 4 MiB
    assert chunked.peak_bytes < exact.peak_bytes / 2
    assert all(m.seconds > 0 for m in results)
    back = from_csv(to_csv(results))
    assert [(m.method, m.n, m.peak_bytes) for m in back] == [(m.method, m.n, m.peak_bytes) for m in results]
    assert isinstance(back[0], Measurement) and back[0].seconds == pytest.approx(exact.seconds, rel=1e-5)
