"""The Complexity lesson's numbers, computed in the core: its example row of scores, the weights each method
implies, and the jobs of a run."""

from __future__ import annotations

import pytest
import torch

from attention_core.complexity import LINEAR_COST, implied_weights, random_qkv, run_plan
from attention_core.efficient import example_scores, online_softmax_steps


def test_the_example_row_is_seeded_and_a_later_block_raises_the_max():
    scores = example_scores(32, seed=7)
    expected = torch.randn(32, generator=torch.Generator().manual_seed(7)) * 1.5
    expected[19] += 2.5
    torch.testing.assert_close(scores, expected)
    torch.testing.assert_close(example_scores(32, seed=7), scores)  # every student sees the same row
    steps = online_softmax_steps(scores, 8)
    assert float(steps.rescale[2]) < 1.0, "the block holding the larger score rescales the sum so far"


@pytest.mark.parametrize("method", ["exact", "chunked", "local", "linear", "performer"])
def test_implied_weights_are_rows_of_probabilities(method):
    q, k, _ = random_qkv(16, 8, seed=3)
    w = implied_weights(method, q, k, block_size=4, window=2, num_features=64)
    assert w.shape == (16, 16) and (w >= 0).all()
    torch.testing.assert_close(w.sum(-1), torch.ones(16), atol=1e-5, rtol=0)


def test_implied_weights_exact_chunked_and_local_against_torch():
    q, k, _ = random_qkv(16, 8, seed=3)
    exact = torch.softmax(q @ k.T / 8**0.5, dim=-1)
    torch.testing.assert_close(implied_weights("exact", q, k), exact)
    torch.testing.assert_close(implied_weights("chunked", q, k, block_size=5), exact, atol=1e-6, rtol=1e-5)
    band = (torch.arange(16)[:, None] - torch.arange(16)).abs() <= 2
    local = torch.softmax((q @ k.T / 8**0.5).masked_fill(~band, -torch.inf), dim=-1)
    torch.testing.assert_close(implied_weights("local", q, k, window=2), local)
    with pytest.raises(ValueError):
        implied_weights("sdpa", q, k)


def test_a_run_measures_the_linear_methods_further_smallest_n_first():
    jobs = run_plan(("exact", "linear"), (256, 512), 2048, d=64, threads=1, repeats=5)
    assert [(j.method, j.n) for j in jobs] == [
        ("exact", 256),
        ("linear", 256),
        ("exact", 512),
        ("linear", 512),
        ("linear", 1024),
        ("linear", 2048),
    ]
    assert all(j.d == 64 and j.threads == 1 and j.repeats == 5 for j in jobs)
    assert "linear" in LINEAR_COST and run_plan(("exact",), (512,), 4096) == [jobs[2].__class__("exact", 512)]


def test_loglog_lines_one_per_measured_method_sorted_by_n_with_the_slope_of_the_upper_sizes():
    from attention_core.complexity import Measurement, loglog_lines

    rows = [
        Measurement(method, n, 64, 256, 64, 256, 1, 1e-9 * n**p, 0, 0.0)
        for method, p in (("exact", 2.0), ("linear", 1.0))
        for n in (4096, 512, 1024, 2048)
    ]
    lines = loglog_lines(rows, ("linear", "local", "exact"), lambda m: m.seconds)
    assert [line.method for line in lines] == ["linear", "exact"]  # no line for a method without measurements
    assert list(lines[0].n) == [512, 1024, 2048, 4096]
    assert lines[0].slope.value == pytest.approx(1.0) and lines[1].slope.value == pytest.approx(2.0)
    assert list(lines[1].fitted) == [False, True, True, True]  # at least three sizes, the largest
    (zero,) = loglog_lines([rows[0]], ("exact",), lambda m: 0.0)
    assert zero.slope is None and zero.y[0] == 1e-12  # one size: no slope; 0 kept on a log axis


def test_error_sweep_is_errors_vs_exact_per_knob():
    from attention_core.complexity import error_sweep, errors_vs_exact

    q, k, v = random_qkv(16, 8, seed=1)
    sweep = error_sweep(q, k, v, windows=(1, 15), features=(8, 64))
    assert set(sweep) == {"local", "performer", "linear"}
    assert sweep["local"]["max_output"][1] < 1e-6 < sweep["local"]["max_output"][0]  # w = 15 covers all 16 keys
    assert sweep["performer"]["mean_weights"][0] == errors_vs_exact("performer", q, k, v, num_features=8).mean_weights
    assert sweep["linear"]["max_weights"].shape == (1,)
