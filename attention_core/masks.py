"""Attention masks: which keys each query may see.  True = may attend."""

from __future__ import annotations

import numpy as np

MASKS = ("none", "causal", "padding", "custom")


def build_mask(kind: str, n_q: int, n_k: int, pad: int = 0, hidden=(), cross: bool = False) -> np.ndarray:
    """allowed ``[n_q, n_k]`` bool, True = query i may attend to key j.

    - ``none``: everything allowed.
    - ``causal``: query i sees keys 1…i (self-attention only; in
      cross-attention there is no "future", so nothing is hidden).
    - ``padding``: the last ``pad`` keys are hidden from every query.
    - ``custom``: the 0-based (i, j) pairs in ``hidden`` are hidden.
    """
    allowed = np.ones((n_q, n_k), dtype=bool)
    if kind == "causal" and not cross:
        allowed = np.tril(allowed)
    elif kind == "padding" and pad > 0:
        allowed[:, max(n_k - pad, 0) :] = False
    elif kind == "custom":
        for i, j in hidden:
            if i < n_q and j < n_k:
                allowed[i, j] = False
    return allowed
