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
    allowed = None
    if mask is not None:
        allowed = torch.as_tensor(mask, dtype=torch.bool, device=work.device)
        try:
            torch.broadcast_to(allowed, work.shape)
        except RuntimeError as exc:
            raise InputError(
                f"The mask has shape {tuple(allowed.shape)}, which does not fit scores of shape {tuple(work.shape)}."
            ) from exc
        if bool(allowed.all()):
            allowed = None  # nothing hidden: the plain path below is faster
    # clamp: ±inf scores become the largest finite numbers, so a − max is defined.  Only when
    # there are any: aminmax reads the scores once, a clamp would copy all n×n of them.
    lo, hi = torch.aminmax(work) if work.numel() else (work.new_zeros(()), work.new_zeros(()))
    z = work if bool(lo >= finfo.min) and bool(hi <= finfo.max) else work.clamp(finfo.min, finfo.max)
    if allowed is not None:
        z = z.masked_fill(~allowed, float("-inf"))  # exp(−inf) = 0: exactly no weight
    if temperature != 1.0:
        # (a − max) / T, not a/T: dividing first would overflow huge scores to
        # inf and lose their order.  For T > 1 the halves keep a − max finite
        # (it only shrinks afterwards); for T < 1 an overflow to −inf is the
        # right answer anyway (its weight is 0).
        z_max = z.amax(dim=dim, keepdim=True)
        if temperature > 1.0:
            z = (z / 2 - z_max / 2) / temperature * 2
        else:
            z = (z - z_max) / temperature
    w = torch.softmax(z, dim=dim)  # torch subtracts the row max itself
    if allowed is not None:
        # a row with nothing to attend comes out NaN (−inf − −inf): make it zeros
        empty = ~torch.broadcast_to(allowed, w.shape).any(dim=dim, keepdim=True)
        if bool(empty.any()):
            w = w.masked_fill(empty, 0.0)
    return w.to(a.dtype)


def entropy(weights, dim: int = -1, base: float = 2.0) -> torch.Tensor:
    """H(w) = −Σ wᵢ log wᵢ along ``dim`` (bits by default), with 0·log 0 = 0.

    weights ``[..., n]`` → ``[...]``.  Uniform over k positions gives log k.
    """
    w = as_float_tensor(weights, "weights")
    terms = torch.where(w > 0, w * torch.log(w.clamp_min(torch.finfo(w.dtype).tiny)), torch.zeros_like(w))
    return -terms.sum(dim=dim) / math.log(base)
