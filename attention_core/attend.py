"""attend(): the three formulas of attention in one call.

a = score(q, X), w = softmax(a / T), o = Σ wᵢ vᵢ.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from .errors import InputError
from .scoring import ScoreParams
from .scoring import scores as score_fn
from .softmax import softmax
from .tensors import as_float_tensor, common_dtype


@dataclass(frozen=True)
class Attention:
    """The result of one attention step.

    scores, weights ``[n]`` or ``[..., m, n]``; output ``[d_v]`` or ``[..., m, d_v]``.
    """

    scores: torch.Tensor
    weights: torch.Tensor
    output: torch.Tensor


def attend(
    query,
    keys,
    values=None,
    method: str = "dot",
    temperature: float = 1.0,
    mask=None,
    params: ScoreParams | None = None,
) -> Attention:
    """One query (``[d]``) or many (``[..., m, d]``) attend over keys ``[..., n, d]``.

    A single query ``[d]`` over batched keys ``[B, n, d]`` gives weights ``[B, n]`` and output ``[B, d_v]``.

    ``values`` ``[..., n, d_v]`` defaults to ``keys`` (o = Σ wᵢ xᵢ); ``mask``
    is boolean ``[n]`` or broadcastable to the scores, True = may attend.
    """
    k = as_float_tensor(keys, "keys")
    a = score_fn(query, k, method=method, params=params)  # [n] or [..., m, n]; checks the keys' shape
    v = k if values is None else as_float_tensor(values, "values")
    if v.ndim < 2 or v.shape[-2] != k.shape[-2]:
        raise InputError("keys.values_count", keys=k.shape[-2], values=v.shape[-2] if v.ndim >= 2 else 0)
    w = softmax(a, temperature=temperature, mask=mask)  # checks that the mask fits the scores
    dtype = common_dtype(w, v)
    if a.ndim == k.ndim - 1:  # one query per batch: a is [..., n], not [..., m, n]
        # as a row [..., 1, n] @ [..., n, d_v], or matmul would broadcast [B, n] @ [B, n, d_v] to [B, B, d_v]
        o = (w.to(dtype).unsqueeze(-2) @ v.to(dtype)).squeeze(-2)  # [..., d_v]
    else:
        o = w.to(dtype) @ v.to(dtype)  # [..., m, n] @ [..., n, d_v] → [..., m, d_v]
    return Attention(scores=a, weights=w, output=o)
