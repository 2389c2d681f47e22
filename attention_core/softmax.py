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
    temperature = float(temperature)
    if not math.isfinite(temperature) or temperature <= 0:
        raise InputError("The temperature must be a positive number.")
    finfo = torch.finfo(a.dtype)
    # clamp: ±inf scores (or a/T overflowing) become the largest finite number,
    # so the max-subtraction below never computes inf - inf.
    z = (a / temperature).clamp(finfo.min, finfo.max)
    if mask is None:
        allowed = torch.ones_like(z, dtype=torch.bool)
    else:
        allowed = torch.as_tensor(mask, dtype=torch.bool, device=z.device).expand_as(z)
    z_max = z.masked_fill(~allowed, finfo.min).amax(dim=dim, keepdim=True)
    # exp(z - max) ≤ 1 on allowed positions; masked ones are zeroed afterwards,
    # so whatever exp gives there (even inf) never reaches the sum.
    e = torch.exp(z - z_max).masked_fill(~allowed, 0.0)
    total = e.sum(dim=dim, keepdim=True)
    return e / total.clamp_min(finfo.tiny)


def entropy(weights, dim: int = -1, base: float = 2.0) -> torch.Tensor:
    """H(w) = −Σ wᵢ log wᵢ along ``dim`` (bits by default), with 0·log 0 = 0.

    weights ``[..., n]`` → ``[...]``.  Uniform over k positions gives log k.
    """
    w = as_float_tensor(weights, "weights")
    terms = torch.where(w > 0, w * torch.log(w.clamp_min(torch.finfo(w.dtype).tiny)), torch.zeros_like(w))
    return -terms.sum(dim=dim) / math.log(base)
