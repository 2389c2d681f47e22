"""Scoring functions a(q, k): how well each key matches the query.

Shapes: query ``[d]`` or ``[..., m, d]``, keys ``[..., n, d]``; scores ``[n]``
for a single query, else ``[..., m, n]``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from .errors import InputError
from .limits import MEMORY_BUDGET_BYTES, check_memory
from .tensors import as_float_tensor, common_dtype

SCORE_METHODS = ("dot", "scaled_dot", "cosine", "general", "additive")
# The additive score's hidden tensor tanh(W₁q + W₂k) is [..., m, n, h]: 16 queries over
# 4096 keys of 1024 dimensions is 512 MB in float64.  It is built a block of keys at a
# time in one reused buffer of at most this many bytes (10 MB), well inside the budget.
ADDITIVE_BLOCK_BYTES = MEMORY_BUDGET_BYTES // 20


@dataclass(frozen=True)
class ScoreParams:
    """Learned parameters of the two parametric scores, here seeded at random.

    - ``w`` ``[d, d]`` for ``general`` (Luong): a = qᵀ W k.
    - ``w1`` ``[h, d]``, ``w2`` ``[h, d]``, ``v`` ``[h]`` for ``additive``
      (Bahdanau): a = vᵀ tanh(W₁q + W₂k).

    Stored as float64 numpy arrays so a page can show them and a test can
    rebuild the score by hand.
    """

    w: np.ndarray
    w1: np.ndarray
    w2: np.ndarray
    v: np.ndarray

    @classmethod
    def random(cls, d: int, seed: int = 0, hidden: int | None = None) -> "ScoreParams":
        """Seeded parameters for keys of dimension ``d``; ``hidden`` defaults to d.

        Entries are N(0, 1/d) so that qᵀWk has the same typical size as
        qᵀk/√d: students can switch methods without the weights collapsing.
        """
        h = d if hidden is None else hidden
        rng = np.random.default_rng(seed)
        std = 1.0 / math.sqrt(d)
        return cls(
            w=rng.normal(0.0, std, (d, d)),
            w1=rng.normal(0.0, std, (h, d)),
            w2=rng.normal(0.0, std, (h, d)),
            v=rng.normal(0.0, 1.0, (h,)),
        )


def scores(query, keys, method: str = "dot", params: ScoreParams | None = None) -> torch.Tensor:
    """Score every key against every query.

    query ``[d]`` or ``[..., m, d]``; keys ``[..., n, d]`` → ``[n]`` or ``[..., m, n]``.
    ``params`` is used by ``general`` and ``additive``; when None, seeded
    defaults ``ScoreParams.random(d, seed=0)`` are used.
    """
    q = as_float_tensor(query, "query")
    k = as_float_tensor(keys, "keys")
    dtype = common_dtype(q, k)
    q, k = q.to(dtype), k.to(dtype)
    if k.ndim < 2:
        raise InputError("keys.table")
    if q.ndim == 0:
        raise InputError("score.query_scalar")
    single = q.ndim == 1
    if single:
        q = q.unsqueeze(0)  # [1, d]
    d = k.shape[-1]
    if q.shape[-1] != d:
        raise InputError("score.query_length", count=q.shape[-1], d=d)
    if method not in SCORE_METHODS:
        raise InputError("score.unknown_method", method=method, choices=", ".join(SCORE_METHODS))

    if method == "dot":
        a = q @ k.transpose(-1, -2)  # [..., m, n]
    elif method == "scaled_dot":
        a = (q / math.sqrt(d)) @ k.transpose(-1, -2)  # scale q [m, d], not the [m, n] scores
    elif method == "cosine":
        # eps keeps a zero vector at score 0 instead of NaN
        qn = q / q.norm(dim=-1, keepdim=True).clamp_min(1e-12)
        kn = k / k.norm(dim=-1, keepdim=True).clamp_min(1e-12)
        a = qn @ kn.transpose(-1, -2)
    else:
        p = params if params is not None else ScoreParams.random(d, seed=0)
        if method == "general":
            w = torch.as_tensor(p.w, dtype=dtype)
            if w.shape != (d, d):
                raise InputError("score.general_shape", d=d, shape=tuple(w.shape))
            a = (q @ w) @ k.transpose(-1, -2)  # qᵀ W k
        else:
            w1 = torch.as_tensor(p.w1, dtype=dtype)
            w2 = torch.as_tensor(p.w2, dtype=dtype)
            v = torch.as_tensor(p.v, dtype=dtype)
            if w1.shape[-1] != d or w2.shape[-1] != d:
                raise InputError("score.additive_shape", d=d)
            q1 = q @ w1.T  # [..., m, h]
            k2 = k @ w2.T  # [..., n, h]
            a = _additive(q1, k2, v)
    return a.squeeze(-2) if single else a


def _additive(q1: torch.Tensor, k2: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """a = vᵀ tanh(q1 + k2) for every (query, key) pair: q1 ``[..., m, h]``, k2 ``[..., n, h]`` → ``[..., m, n]``.

    Every pair gets its own hidden vector, ``[..., m, n, h]`` in one piece.
    Here it is built for a block of keys at a time (at most
    ADDITIVE_BLOCK_BYTES) in one reused buffer, so the memory stays bounded
    while every score is the same sum as in one piece.  One buffer, not one
    a block: freeing and allocating same-sized blocks fragments the C heap,
    and the process kept ~1 MB more for every block.
    """
    q1 = q1.unsqueeze(-2)  # [..., m, 1, h]
    k2 = k2.unsqueeze(-3)  # [..., 1, n, h]
    if torch.is_grad_enabled() and (q1.requires_grad or k2.requires_grad or v.requires_grad):
        # training (the seq2seq model): backward needs every block anyway, and in-place writes break autograd
        hidden_shape = torch.broadcast_shapes(q1.shape, k2.shape)  # [..., m, n, h]
        check_memory(2 * hidden_shape.numel() * q1.element_size(), "additive_gradients")
        return torch.tanh(q1 + k2) @ v  # [..., m, n, h] @ [h] → [..., m, n]
    n = k2.shape[-2]
    per_key = torch.broadcast_shapes(q1.shape, k2[..., :1, :].shape)  # [..., m, 1, h]
    block = max(1, min(n, ADDITIVE_BLOCK_BYTES // max(1, per_key.numel() * q1.element_size())))
    hidden = q1.new_empty(per_key[:-2] + (block, per_key[-1]))  # [..., m, block, h]
    a = q1.new_empty(per_key[:-2] + (n,))  # [..., m, n]
    for start in range(0, n, block):
        k_block = k2[..., start : start + block, :]  # [..., 1, b, h]
        h = hidden[..., : k_block.shape[-2], :]  # [..., m, b, h]
        torch.add(q1, k_block, out=h).tanh_()
        a[..., start : start + k_block.shape[-2]] = h @ v  # [..., m, b]
    return a
