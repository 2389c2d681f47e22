"""Steering and comparing: the closed-form ∂wⱼ/∂q against torch.autograd, and Δ against two attend() calls."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from attention_core.attend import attend
from attention_core.comparison import compare
from attention_core.errors import InputError
from attention_core.scoring import SCORE_METHODS, ScoreParams
from attention_core.softmax import entropy
from attention_core.steering import score_gradients, steer_step, weight_gradient


def problem(seed, n, d, scale=1.0):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, d, generator=g, dtype=torch.float64)
    q = scale * torch.randn(d, generator=g, dtype=torch.float64)
    return q, x


def autograd_gradient(q, x, j, method, temperature, mask, params):
    """∂wⱼ/∂q by backpropagation through attend() itself."""
    q = q.clone().requires_grad_(True)
    w = attend(q, x, method=method, temperature=temperature, mask=mask, params=params).weights
    w[j].backward()
    return q.grad


@pytest.mark.parametrize("method", SCORE_METHODS)
@pytest.mark.parametrize(
    "seed, n, d, temperature",
    [(0, 5, 3, 1.0), (1, 8, 4, 0.5), (2, 12, 6, 2.0), (3, 3, 2, 0.2), (4, 20, 16, 7.0), (5, 2, 1, 1.0)],
)
def test_gradient_equals_autograd(method, seed, n, d, temperature):
    q, x = problem(seed, n, d)
    params = ScoreParams.random(d, seed=seed, hidden=d + 2)
    for j in range(n):
        ours = weight_gradient(q, x, j, method=method, temperature=temperature, params=params).gradient
        torch.testing.assert_close(
            ours, autograd_gradient(q, x, j, method, temperature, None, params), atol=1e-5, rtol=0
        )


@pytest.mark.parametrize("method", SCORE_METHODS)
def test_gradient_with_masked_tokens_equals_autograd(method):
    q, x = problem(7, 9, 4)
    allowed = np.array([True, False, True, True, False, True, True, True, False])
    for j in np.flatnonzero(allowed):
        ours = weight_gradient(q, x, int(j), method=method, temperature=0.7, mask=allowed).gradient
        reference = autograd_gradient(q, x, int(j), method, 0.7, torch.as_tensor(allowed), None)
        torch.testing.assert_close(ours, reference, atol=1e-5, rtol=0)


@pytest.mark.parametrize("method", SCORE_METHODS)
def test_gradient_in_float32_equals_autograd(method):
    q, x = problem(11, 6, 5)
    q, x = q.float(), x.float()
    ours = weight_gradient(q, x, 2, method=method).gradient
    torch.testing.assert_close(ours, autograd_gradient(q, x, 2, method, 1.0, None, None), atol=1e-5, rtol=0)


def test_dot_gradient_is_weight_times_token_minus_output():
    q, x = problem(3, 7, 3)
    result = attend(q, x)
    w, o = result.weights, result.output
    for j in range(7):
        torch.testing.assert_close(weight_gradient(q, x, j).gradient, w[j] * (x[j] - o), atol=1e-12, rtol=0)
        torch.testing.assert_close(
            weight_gradient(q, x, j, temperature=0.5).gradient,
            attend(q, x, temperature=0.5).weights[j] * (x[j] - attend(q, x, temperature=0.5).output) / 0.5,
        )


@pytest.mark.parametrize("method", SCORE_METHODS)
def test_score_gradients_equal_autograd(method):
    q, x = problem(5, 6, 4)
    params = ScoreParams.random(4, seed=1)
    g = score_gradients(q, x, method=method, params=params)  # [n, d]
    for i in range(6):
        qq = q.clone().requires_grad_(True)
        attend(qq, x, method=method, params=params).scores[i].backward()
        torch.testing.assert_close(g[i], qq.grad, atol=1e-10, rtol=0)


@pytest.mark.parametrize("method", SCORE_METHODS)
@pytest.mark.parametrize("seed", range(6))
def test_a_small_step_along_the_gradient_raises_the_weight(method, seed):
    q, x = problem(seed, 8, 4)
    for j in range(8):
        s = weight_gradient(q, x, j, method=method, temperature=0.8)
        if s.norm < 1e-9:  # flat here (wⱼ ≈ 0 or 1): no way up to find
            continue
        distance = 1e-3
        moved = steer_step(q.numpy(), s.direction().numpy(), distance)
        after = float(attend(moved, x, method=method, temperature=0.8).weights[j])
        assert after > s.weight
        # and by what the first-order prediction says, up to second-order terms
        assert after - s.weight == pytest.approx(s.predicted_change(distance), rel=0.05, abs=1e-9)


def test_a_step_against_the_gradient_lowers_the_weight():
    q, x = problem(2, 6, 3)
    s = weight_gradient(q, x, 4)
    moved = steer_step(q.numpy(), -s.direction().numpy(), 1e-3)
    assert float(attend(moved, x).weights[4]) < s.weight


def test_only_allowed_token_has_zero_gradient():
    q, x = problem(1, 4, 3)
    allowed = np.array([False, False, True, False])
    s = weight_gradient(q, x, 2, mask=allowed)
    assert s.weight == 1.0 and s.norm == 0.0
    assert torch.equal(s.direction(), torch.zeros(3, dtype=torch.float64))  # no way up: no step


def test_cosine_gradient_ignores_the_length_of_q():
    q, x = problem(4, 5, 3)
    g = weight_gradient(q, x, 1, method="cosine").gradient
    assert abs(float(g @ q)) < 1e-12  # making q longer changes no cosine
    torch.testing.assert_close(weight_gradient(3 * q, x, 1, method="cosine").gradient, g / 3)


def test_edge_cases_give_input_errors():
    q, x = problem(0, 4, 3)
    with pytest.raises(InputError, match="no token 5"):
        weight_gradient(q, x, 4)
    with pytest.raises(InputError, match="no token 0"):
        weight_gradient(q, x, -1)
    with pytest.raises(InputError, match="whole number"):
        weight_gradient(q, x, 1.5)
    with pytest.raises(InputError, match="masked"):
        weight_gradient(q, x, 1, mask=np.array([True, False, True, True]))
    with pytest.raises(InputError, match="points nowhere"):
        weight_gradient(torch.zeros(3, dtype=torch.float64), x, 0, method="cosine")
    with pytest.raises(InputError, match="must match"):
        weight_gradient(torch.zeros(2), x, 0)
    with pytest.raises(InputError, match="one vector"):
        weight_gradient(torch.zeros(2, 3), x, 0)
    with pytest.raises(InputError, match="Unknown scoring"):
        weight_gradient(q, x, 0, method="cubic")
    with pytest.raises(InputError, match="temperature"):
        weight_gradient(q, x, 0, temperature=0)
    with pytest.raises(InputError, match="positive"):
        steer_step(q.numpy(), q.numpy(), -1.0)
    # a zero query is fine for every other method
    for method in ("dot", "scaled_dot", "general", "additive"):
        weight_gradient(torch.zeros(3, dtype=torch.float64), x, 0, method=method)


# ------------------------------------------------------------------ compare


@pytest.mark.parametrize(
    "b",
    [
        dict(temperature=0.3),
        dict(method="cosine"),
        dict(method="additive", params=ScoreParams.random(4, seed=3)),
        dict(mask=np.array([True, True, False, True, False, True])),
        dict(query=np.array([1.0, 0.0, -2.0, 0.5])),
    ],
)
def test_compare_deltas_equal_two_attend_calls(b):
    q, x = problem(9, 6, 4)
    a = dict(query=q.numpy(), method="dot", temperature=1.0)
    b = a | b
    result = compare(x.numpy(), a, b)
    one, two = attend(keys=x.numpy(), **a), attend(keys=x.numpy(), **b)
    np.testing.assert_allclose(result.delta_weights, (two.weights - one.weights).numpy(), atol=1e-15)
    np.testing.assert_allclose(result.delta_output, (two.output - one.output).numpy(), atol=1e-15)
    assert result.delta_entropy == pytest.approx(float(entropy(two.weights)) - float(entropy(one.weights)), abs=1e-12)
    assert abs(result.delta_weights.sum()) < 1e-12  # both sides are distributions


def test_compare_with_nothing_different_is_all_zero():
    q, x = problem(1, 5, 3)
    side = dict(query=q, method="scaled_dot", temperature=2.0)
    result = compare(x, side, dict(side))
    assert not result.delta_weights.any() and not result.delta_output.any() and result.delta_entropy == 0.0
