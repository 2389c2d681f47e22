"""Numbers read from a model's attention weights: attention rollout and head statistics.

Inputs are the stacked weights ``[layers, heads, n, n]`` of ``ModelAttention``
(numpy or torch); nothing here runs a model.
"""

from __future__ import annotations

import numpy as np
import torch

from .errors import InputError
from .softmax import entropy
from .tensors import as_float_tensor
from .tokens import special_token_mask

HEAD_STATISTICS = ("entropy", "to_cls", "to_sep", "to_previous", "to_self")


def _as_attention_stack(attentions) -> np.ndarray:
    a = as_float_tensor(attentions, "attentions").detach().cpu().to(torch.float64).numpy()
    if a.ndim != 4 or a.shape[-1] != a.shape[-2]:
        raise InputError("statistics.shape", shape=tuple(a.shape))
    return a


def attention_rollout(attentions) -> np.ndarray:
    """Attention rollout (Abnar & Zuidema 2020): how much each top-layer token draws on each input token.

    attentions ``[layers, heads, n, n]`` (numpy or torch) → float64 ``[n, n]``.
    Per layer l: average the heads, add the identity for the residual
    connection and renormalise the rows, Ã_l = (Ā_l + I) / rowsum.
    Then multiply from the top down, rollout = Ã_L ··· Ã_2 Ã_1: row i of the
    result is how token i at the last layer is made of the input tokens.
    Every row sums to 1; with no layers the rollout is the identity.
    """
    a = _as_attention_stack(attentions)
    n = a.shape[-1]
    identity = np.eye(n)
    rollout = identity
    for a_layer in a:  # [heads, n, n], bottom layer first
        a_tilde = a_layer.mean(axis=0) + identity  # the residual path keeps part of each token itself
        a_tilde = a_tilde / a_tilde.sum(axis=-1, keepdims=True)
        rollout = a_tilde @ rollout  # Ã_l · (Ã_{l−1} ··· Ã_1)
    return rollout


def head_statistics(attentions, tokens, cls_token: str = "[CLS]", sep_token: str = "[SEP]") -> dict[str, np.ndarray]:
    """Numbers that reveal head types, each ``[layers, heads]`` (float64).

    attentions ``[layers, heads, n, n]``; tokens: the n token strings.
    Keys (in ``HEAD_STATISTICS`` order), each averaged over the n query rows:

    - ``entropy``: H(w) of a row in bits (0 = looks at one token, log₂ n = uniform);
    - ``to_cls`` / ``to_sep``: weight on ``cls_token`` / ``sep_token`` positions;
    - ``to_previous``: weight on token i−1 (rows 1…n−1; 0 when n = 1);
    - ``to_self``: weight on token i itself.
    """
    a = _as_attention_stack(attentions)
    tokens = list(tokens)
    n = a.shape[-1]
    if len(tokens) != n:
        raise InputError("statistics.token_count", tokens=len(tokens), n=n)
    is_cls = special_token_mask(tokens, (cls_token,))
    is_sep = special_token_mask(tokens, (sep_token,))
    rows = np.arange(n)
    if n > 1:
        to_previous = a[..., rows[1:], rows[:-1]].mean(axis=-1)
    else:
        to_previous = np.zeros(a.shape[:2])
    return {
        "entropy": entropy(torch.from_numpy(a)).mean(dim=-1).numpy(),
        "to_cls": a[..., is_cls].sum(axis=-1).mean(axis=-1),
        "to_sep": a[..., is_sep].sum(axis=-1).mean(axis=-1),
        "to_previous": to_previous,
        "to_self": a[..., rows, rows].mean(axis=-1),
    }


def tied_largest(values, decimals: int = 2) -> np.ndarray:
    """Indices of the largest of ``values`` ``[n]`` and of every value that ties with it when rounded to ``decimals``.

    A sentence that names "the largest weight" names all of these: printed
    with 2 decimals, 0.084 and 0.081 read the same, so neither is larger on
    screen.  Largest first, then in order (int64 ``[k]``, k ≥ 1; empty for no values).
    """
    v = np.asarray(values, dtype=np.float64).ravel()
    if v.size == 0:
        return np.zeros(0, dtype=np.int64)
    shown = np.round(v, decimals)
    tied = np.flatnonzero(shown == shown.max())
    return tied[np.argsort(-v[tied], kind="stable")].astype(np.int64)
