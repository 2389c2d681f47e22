"""Softmax with temperature and mask, stable at any magnitude; and entropy."""

from __future__ import annotations

import math

import torch

from .errors import InputError
from .tensors import as_float_tensor


def softmax(scores, temperature: float = 1.0, mask=None, dim: int = -1) -> torch.Tensor:
    """w = softmax(a / T) along ``dim``, over the positions where ``mask`` is True.

    scores ``[..., n]``; mask boolean, broadcastable to scores, True = may
    attend.  A row where nothing may be attended gives all-zero weights (never
    NaN); scores as large as the dtype allows stay finite.
    """
    a = as_float_tensor(scores, "scores")
    try:
        temperature = float(temperature)
    except (TypeError, ValueError) as exc:
        raise InputError("The temperature must be a positive number.") from exc
    if not math.isfinite(temperature) or temperature <= 0:
        raise InputError("The temperature must be a positive number.")
    # A temperature outside the dtype's normal range would become 0 or inf
    # inside the division (0/0 = NaN): then compute in float64.
    finfo = torch.finfo(a.dtype)
    work = a if finfo.tiny <= temperature <= finfo.max else a.to(torch.float64)
    finfo = torch.finfo(work.dtype)
    if work.shape[dim] == 0:  # nothing to attend to: no weights (amax would fail)
        return torch.zeros_like(a)
    if mask is None:
        allowed = torch.ones_like(work, dtype=torch.bool)
    else:
        allowed = torch.as_tensor(mask, dtype=torch.bool, device=work.device)
        try:
            allowed = allowed.expand_as(work)
        except RuntimeError as exc:
            raise InputError(
                f"The mask has shape {tuple(allowed.shape)}, which does not fit scores of shape {tuple(work.shape)}."
            ) from exc
    # clamp: ±inf scores become the largest finite numbers, so a − max is defined.
    z = work.clamp(finfo.min, finfo.max)
    z_max = z.masked_fill(~allowed, finfo.min).amax(dim=dim, keepdim=True)
    # (a − max) / T, not a/T − max/T: dividing first would overflow huge scores
    # to the same number and lose their order.  Halves keep a − max finite.
    z = (z / 2 - z_max / 2) / temperature * 2
    # exp(z) ≤ 1 on allowed positions; masked ones are zeroed afterwards,
    # so whatever exp gives there (even inf) never reaches the sum.
    e = torch.exp(z).masked_fill(~allowed, 0.0)
    total = e.sum(dim=dim, keepdim=True)
    return (e / total.clamp_min(finfo.tiny)).to(a.dtype)


def entropy(weights, dim: int = -1, base: float = 2.0) -> torch.Tensor:
    """H(w) = −Σ wᵢ log wᵢ along ``dim`` (bits by default), with 0·log 0 = 0.

    weights ``[..., n]`` → ``[...]``.  Uniform over k positions gives log k.
    """
    w = as_float_tensor(weights, "weights")
    terms = torch.where(w > 0, w * torch.log(w.clamp_min(torch.finfo(w.dtype).tiny)), torch.zeros_like(w))
    return -terms.sum(dim=dim) / math.log(base)
