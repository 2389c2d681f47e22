"""Steering the query: which way q must move to raise one token's weight wⱼ.

With gᵢ = ∂aᵢ/∂q (how token i's score changes with q) and w = softmax(a / T):

    ∂wⱼ/∂q = wⱼ (gⱼ − Σᵢ wᵢ gᵢ) / T

q must move towards what makes token j's score grow *more than the average
score* grows.  For dot-product scoring gᵢ = xᵢ, so ∂wⱼ/∂q = wⱼ (xⱼ − o) / T:
from the output towards xⱼ.  Masked tokens have wᵢ = 0 and drop out of the sum.

Shapes: query ``[d]`` (one query), keys ``[n, d]``; gradient ``[d]``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from .attend import attend
from .errors import InputError
from .scoring import SCORE_METHODS, ScoreParams
from .tensors import as_float_tensor, common_dtype

ZERO_QUERY = 1e-12  # ‖q‖ below this: cosine scoring has no direction (the score clamps ‖q‖ here too)


@dataclass(frozen=True)
class Steering:
    """The gradient of token j's weight with respect to the query, and what it predicts.

    ``gradient`` ``[d]`` = ∂wⱼ/∂q; ``weights`` ``[n]`` at the current q; ``token`` j (0-based).
    """

    token: int
    gradient: torch.Tensor
    weights: torch.Tensor

    @property
    def weight(self) -> float:
        """wⱼ now."""
        return float(self.weights[self.token])

    @property
    def norm(self) -> float:
        """‖∂wⱼ/∂q‖: how fast wⱼ grows per unit step along the gradient."""
        return float(self.gradient.norm())

    def direction(self) -> torch.Tensor:
        """The unit vector ĝ ``[d]`` along the gradient (zeros when the gradient is 0: no way up)."""
        norm = self.gradient.norm()
        return self.gradient / norm if norm > 0 else torch.zeros_like(self.gradient)

    def predicted_change(self, distance: float) -> float:
        """Δwⱼ ≈ ∇wⱼ · (distance·ĝ) = distance·‖∇wⱼ‖, to first order in the step."""
        return distance * self.norm


def score_gradients(query, keys, method: str = "dot", params: ScoreParams | None = None) -> torch.Tensor:
    """gᵢ = ∂aᵢ/∂q for every token: query ``[d]``, keys ``[n, d]`` → ``[n, d]``.

    The scores are those of ``attention_core.scores`` (same methods, same
    default ``params``).  For cosine the query must not be 0.
    """
    q, x = _checked(query, keys)
    d = x.shape[-1]
    if method not in SCORE_METHODS:
        raise InputError("score.unknown_method", method=method, choices=", ".join(SCORE_METHODS))
    if method == "dot":
        return x.clone()  # aᵢ = qᵀxᵢ
    if method == "scaled_dot":
        return x / math.sqrt(d)  # aᵢ = qᵀxᵢ/√d
    if method == "cosine":
        q_norm = q.norm()
        if q_norm < ZERO_QUERY:
            raise InputError("steer.cosine_zero_query")
        q_hat = q / q_norm  # [d]
        x_hat = x / x.norm(dim=-1, keepdim=True).clamp_min(ZERO_QUERY)  # [n, d]; a zero token stays 0, as in scores()
        # aᵢ = q̂ᵀx̂ᵢ; moving q along q̂ only makes it longer, which changes no cosine: that part is removed
        return (x_hat - (x_hat @ q_hat)[:, None] * q_hat) / q_norm  # [n, d]
    p = params if params is not None else ScoreParams.random(d, seed=0)
    if method == "general":
        w = torch.as_tensor(p.w, dtype=x.dtype)  # [d, d]
        return x @ w.T  # aᵢ = qᵀW xᵢ → gᵢ = W xᵢ, [n, d]
    w1, w2, v = (torch.as_tensor(a, dtype=x.dtype) for a in (p.w1, p.w2, p.v))  # [h, d], [h, d], [h]
    hidden = torch.tanh(q @ w1.T + x @ w2.T)  # tanh(W₁q + W₂xᵢ), [n, h]
    return (v * (1 - hidden**2)) @ w1  # aᵢ = vᵀtanh(·) → gᵢ = W₁ᵀ(v ⊙ (1 − tanh²)), [n, d]


def weight_gradient(
    query,
    keys,
    token: int,
    method: str = "dot",
    temperature: float = 1.0,
    mask=None,
    params: ScoreParams | None = None,
) -> Steering:
    """∂wⱼ/∂q for token j = ``token`` (0-based): query ``[d]``, keys ``[n, d]``, mask ``[n]`` (True = may attend).

    The weights are ``attend``'s own, so the gradient belongs to exactly what the page shows.
    """
    q, x = _checked(query, keys)
    n = x.shape[0]
    if isinstance(token, bool) or not isinstance(token, (int, np.integer)):
        raise InputError("steer.token_not_whole")
    token = int(token)
    if not 0 <= token < n:
        raise InputError("steer.no_token", token=token + 1, n=n)
    w = attend(q, x, method=method, temperature=temperature, mask=mask, params=params).weights  # [n]
    if mask is not None and not bool(torch.as_tensor(mask, dtype=torch.bool).reshape(-1)[token]):
        raise InputError("steer.token_masked", token=token + 1)
    g = score_gradients(q, x, method=method, params=params).to(w.dtype)  # [n, d]
    mean_g = w @ g  # Σᵢ wᵢgᵢ, [d]; masked tokens have wᵢ = 0
    gradient = w[token] * (g[token] - mean_g) / float(temperature)  # [d]
    return Steering(token=token, gradient=gradient, weights=w)


def steer_step(query, direction, distance: float) -> np.ndarray:
    """q + distance·direction: the query ``[d]`` after a step (float64 numpy)."""
    q = np.asarray(query, dtype=np.float64)
    if not math.isfinite(distance) or distance < 0:
        raise InputError("steer.step_size")
    return q + distance * np.asarray(direction, dtype=np.float64)


def _checked(query, keys) -> tuple[torch.Tensor, torch.Tensor]:
    q = as_float_tensor(query, "query")
    x = as_float_tensor(keys, "keys")
    if x.ndim != 2:
        raise InputError("keys.table")
    if q.ndim != 1:
        raise InputError("steer.one_query")
    if q.shape[0] != x.shape[1]:
        raise InputError("steer.query_length", count=q.shape[0], d=x.shape[1])
    if x.shape[0] == 0:
        raise InputError("steer.no_tokens")
    dtype = common_dtype(q, x)
    return q.to(dtype), x.to(dtype)
