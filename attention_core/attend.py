"""attend(): the three formulas of attention in one call.

a = score(q, X), w = softmax(a / T), o = Σ wᵢ vᵢ.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from .errors import InputError
from .scoring import ScoreParams, scores as score_fn
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

    ``values`` ``[..., n, d_v]`` defaults to ``keys`` (o = Σ wᵢ xᵢ); ``mask``
    is boolean ``[n]`` or broadcastable to the scores, True = may attend.
    """
    k = as_float_tensor(keys, "keys")
    a = score_fn(query, k, method=method, params=params)  # [n] or [..., m, n]; checks the keys' shape
    v = k if values is None else as_float_tensor(values, "values")
    if v.ndim < 2 or v.shape[-2] != k.shape[-2]:
        raise InputError(
            f"There are {k.shape[-2]} keys but {v.shape[-2] if v.ndim >= 2 else 0} values; "
            "every key needs exactly one value."
        )
    if mask is not None:
        mask = torch.as_tensor(mask, dtype=torch.bool)
        if mask.ndim > 0 and mask.shape[-1] != k.shape[-2]:  # a lone True/False fits any n
            raise InputError(
                f"The mask has {mask.shape[-1]} positions but there are {k.shape[-2]} tokens."
            )
    w = softmax(a, temperature=temperature, mask=mask)
    dtype = common_dtype(w, v)
    o = w.to(dtype) @ v.to(dtype)  # [n]@[n, d_v] → [d_v]; [..., m, n]@[..., n, d_v] → [..., m, d_v]
    return Attention(scores=a, weights=w, output=o)
