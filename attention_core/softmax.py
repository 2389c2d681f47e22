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
    temperature = _checked_temperature(temperature)
    if a.shape[dim] == 0:  # nothing to attend to: no weights (amax would fail)
        return torch.zeros_like(a)
    allowed = _allowed(mask, a)  # None: nothing hidden
    finfo = torch.finfo(a.dtype)
    # clamp: ±inf scores become the largest finite numbers, so a − max is defined.  Only when
    # there are any: aminmax reads the scores once, a clamp would copy all n×n of them.
    lo, hi = torch.aminmax(a) if a.numel() else (a.new_zeros(()), a.new_zeros(()))
    z = a if bool(lo >= finfo.min) and bool(hi <= finfo.max) else a.clamp(finfo.min, finfo.max)
    if allowed is not None:
        z = z.masked_fill(~allowed, float("-inf"))  # exp(−inf) = 0: exactly no weight
    w = torch.softmax(divide_by_temperature(z, temperature, dim), dim=dim)  # torch subtracts the row max itself
    if allowed is not None:
        # a row with nothing to attend comes out NaN (−inf − −inf): make it zeros
        empty = ~torch.broadcast_to(allowed, w.shape).any(dim=dim, keepdim=True)
        if bool(empty.any()):
            w = w.masked_fill(empty, 0.0)
    return w.to(a.dtype)


def divide_by_temperature(a: torch.Tensor, temperature: float, dim: int = -1) -> torch.Tensor:
    """a / T up to a constant along ``dim`` (which softmax ignores): (a − max a) / T.

    a ``[..., n]`` → same shape.  Subtracting the max first, not a/T: dividing
    first would overflow huge scores to inf and lose their order.  For T > 1
    the halves keep a − max finite (it only shrinks afterwards); for T < 1 an
    overflow to −inf is the right answer anyway (its weight is 0).  A T
    outside the dtype's normal range would become 0 or inf inside the
    division (0/0 = NaN): then the result is float64.
    """
    if temperature == 1.0:
        return a
    finfo = torch.finfo(a.dtype)
    if not finfo.tiny <= temperature <= finfo.max:
        a = a.to(torch.float64)
    a_max = a.amax(dim=dim, keepdim=True)
    if temperature > 1.0:
        return (a / 2 - a_max / 2) / temperature * 2
    return (a - a_max) / temperature


def _checked_temperature(temperature) -> float:
    try:
        temperature = float(temperature)
    except (TypeError, ValueError) as exc:
        raise InputError("temperature.positive") from exc
    if not math.isfinite(temperature) or temperature <= 0:
        raise InputError("temperature.positive")
    return temperature


def _allowed(mask, a: torch.Tensor) -> torch.Tensor | None:
    """The mask as bool, checked to broadcast to the scores ``a``; None when it hides nothing."""
    if mask is None:
        return None
    allowed = torch.as_tensor(mask, dtype=torch.bool, device=a.device)
    try:
        torch.broadcast_to(allowed, a.shape)
    except RuntimeError as exc:
        if allowed.ndim and a.ndim and allowed.shape[-1] not in (1, a.shape[-1]):
            raise InputError("mask.positions", count=allowed.shape[-1], n=a.shape[-1]) from exc
        raise InputError("mask.shape", shape=tuple(allowed.shape), scores=tuple(a.shape)) from exc
    return None if bool(allowed.all()) else allowed  # nothing hidden: the plain path is faster


def entropy(weights, dim: int = -1, base: float = 2.0) -> torch.Tensor:
    """H(w) = −Σ wᵢ log wᵢ along ``dim`` (bits by default), with 0·log 0 = 0.

    weights ``[..., n]`` → ``[...]``.  Uniform over k positions gives log k.
    Never negative and never −0: one visible token (−1·log 1 = −0) or a weight
    rounded just above 1 would otherwise print as "−0.00 bits".
    """
    w = as_float_tensor(weights, "weights")
    terms = torch.where(w > 0, w * torch.log(w.clamp_min(torch.finfo(w.dtype).tiny)), torch.zeros_like(w))
    h = -terms.sum(dim=dim) / math.log(base)
    return h.clamp_min(0.0) + 0.0  # + 0.0 turns −0.0 into 0.0


def mean_entropy(weights, allowed, base: float = 2.0) -> torch.Tensor:
    """H̄: the entropy of each query's weights, averaged over the queries that may attend to some key.

    weights ``[..., m, n]``, allowed ``[m, n]`` (True = may attend) → ``[...]``
    (one H̄ a head).  A query that may attend to no key has all-zero weights
    and is left out; when no query may attend, H̄ = 0.
    """
    return live_mean(entropy(weights, base=base), allowed)


def live_mean(per_query, allowed) -> torch.Tensor:
    """The mean of a per-query number ``[..., m]`` over the queries that may attend to some key → ``[...]``.

    ``allowed`` ``[m, n]`` (True = may attend); 0 when no query may.  ``mean_entropy`` is
    ``live_mean(entropy(weights), allowed)``; a caller that has each query's entropy (computed
    chunk by chunk) averages it here the same way.
    """
    per_query = torch.as_tensor(per_query)
    live = torch.as_tensor(allowed, dtype=torch.bool).any(dim=-1)  # [m]
    if not bool(live.any()):
        return torch.zeros(per_query.shape[:-1], dtype=per_query.dtype)
    return per_query[..., live].mean(dim=-1)
