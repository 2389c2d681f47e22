"""One multi-head attention layer summarised for drawing: the Self-attention page's numbers.

All attention is computed by ``multi_head_attention``; this module only
decides *which* calls to make and keeps what a page draws.  An n×n matrix
per head at n = 2048 is 4 M numbers a head, so the layer is run over blocks
of query rows and each head's scores and weights are block-averaged on the
way (to at most ``SIDE`` cells a side): memory stays bounded and the result
is small enough to cache.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .blocks import block_sizes, block_starts, block_sums
from .limits import MEMORY_BUDGET_BYTES
from .multihead import MultiHeadAttention, MultiHeadParams, multi_head_attention
from .sequences import generate_sequence
from .softmax import entropy, live_mean

SIDE = 256  # a summarised matrix has at most this many rows and columns (exact below)
# numbers per chunk of [h, rows, n_k] scores computed at once: the chunk's float32 and float64 copies
# and block sums are ~150 bytes a number at peak, so the largest layer (n = 2048, 16 heads) stays well
# within the per-rerun memory budget (+100–135 MB measured in a child process; 2,000,000 gave +268 MB)
CELL_BUDGET = MEMORY_BUDGET_BYTES // 300


def second_sequence(kind: str, m: int, d: int, seed: int) -> tuple[np.ndarray, tuple[str, ...]]:
    """The keys/values side of cross-attention: a seeded sequence Y ``[m, d]`` labelled y1…ym."""
    y = generate_sequence(kind, m, d, seed)
    return y.values, tuple(f"y{j + 1}" for j in range(m))


@dataclass(frozen=True)
class LayerSummary:
    """What a page draws of one multi-head attention layer (h heads, n_q queries, n_k keys).

    - ``q`` ``[h, n_q, d_head]``, ``k``, ``v`` ``[h, n_k, d_head]``: exact.
    - ``weights`` ``[h, r, c]``: block averages of each head's weights
      (masked cells count as 0); ``scores`` ``[h, r, c]``: block averages of
      the allowed scores q·k/√d_head (NaN where every cell is masked);
      ``allowed`` ``[r, c]``: the fraction of each block that may attend.
      r = n_q and c = n_k (exact) when n ≤ ``SIDE``.
    - ``row_starts`` ``[r]``, ``col_starts`` ``[c]``: first token of each block.
    - ``entropy`` ``[h, n_q]``: H of each query's weights, in bits; ``mean_entropy`` ``[h]``: H̄ of each
      head over the queries that may attend (``softmax.mean_entropy`` of the exact weights).
    - ``concat``, ``output`` ``[n_q, d_model]``: the heads side by side, and after W_O.
    """

    q: np.ndarray
    k: np.ndarray
    v: np.ndarray
    weights: np.ndarray
    scores: np.ndarray
    allowed: np.ndarray
    row_starts: np.ndarray
    col_starts: np.ndarray
    entropy: np.ndarray
    mean_entropy: np.ndarray
    concat: np.ndarray
    output: np.ndarray

    @property
    def exact(self) -> bool:
        return self.weights.shape[1:] == (self.q.shape[1], self.k.shape[1])


def _row_chunks(row_starts: np.ndarray, n_q: int, rows_per_chunk: int):
    """Consecutive groups of whole blocks, each about ``rows_per_chunk`` rows: (first block, end block)."""
    ends = np.append(row_starts[1:], n_q)
    first = 0
    for b in range(len(row_starts)):
        if ends[b] - row_starts[first] >= rows_per_chunk or b == len(row_starts) - 1:
            yield first, b + 1
            first = b + 1


def summarise(
    x_q: np.ndarray,
    x_kv: np.ndarray,
    d_model: int,
    num_heads: int,
    seed: int,
    allowed: np.ndarray,
    temperature: float,
    side: int = SIDE,
) -> LayerSummary:
    """Run the layer (seeded weights, ``MultiHeadParams.random``) and summarise it, block of rows by block.

    x_q ``[n_q, d]``, x_kv ``[n_k, d]``, allowed ``[n_q, n_k]`` bool.  Each
    chunk of query rows is one ``multi_head_attention`` call over all keys;
    its ``[h, rows, n_k]`` weights and scores are block-summed at once, so the
    full ``[h, n_q, n_k]`` never exists.
    """
    params = MultiHeadParams.random(d_model, num_heads, seed=seed, d_in=x_q.shape[1])
    n_q, n_k, h = x_q.shape[0], x_kv.shape[0], num_heads
    row_starts, col_starts = block_starts(n_q, side), block_starts(n_k, side)
    exact = len(row_starts) == n_q and len(col_starts) == n_k
    r, c = len(row_starts), len(col_starts)
    weights = np.zeros((h, r, c))
    scores = np.full((h, r, c), np.nan)
    allowed_frac = np.zeros((r, c))
    ent = np.zeros((h, n_q))
    q = np.zeros((h, n_q, params.d_head))
    concat = np.zeros((n_q, d_model))
    output = np.zeros((n_q, d_model))
    k = v = None
    rows_per_chunk = max(1, CELL_BUDGET // (h * n_k))
    for b0, b1 in _row_chunks(row_starts, n_q, rows_per_chunk):
        r0, r1 = int(row_starts[b0]), int(row_starts[b1]) if b1 < r else n_q
        ok = allowed[r0:r1]  # [rows, n_k]
        res = multi_head_attention(x_q[r0:r1], x_kv, params, mask=ok, temperature=temperature)
        w = res.weights.numpy()  # (h, rows, n_k)
        s = res.scores.numpy()  # (h, rows, n_k), before the mask
        ent[:, r0:r1] = entropy(res.weights).numpy()
        q[:, r0:r1] = res.q.numpy()
        concat[r0:r1] = res.concat.numpy()
        output[r0:r1] = res.output.numpy()
        if k is None:
            k, v = res.k.numpy(), res.v.numpy()
        if exact:
            weights[:, r0:r1] = w
            scores[:, r0:r1] = np.where(ok, s, np.nan)
            allowed_frac[r0:r1] = ok
            continue
        local = row_starts[b0:b1] - r0  # this chunk's blocks, counted from its first row
        sizes = np.outer(block_sizes(row_starts, n_q)[b0:b1], block_sizes(col_starts, n_k))  # [blocks, c]
        count_ok = block_sums(ok.astype(np.float64), local, col_starts)  # [blocks, c]
        weights[:, b0:b1] = block_sums(w, local, col_starts) / sizes  # masked weights are 0 already
        s_ok = block_sums(np.where(ok, s, 0.0), local, col_starts)  # (h, blocks, c)
        with np.errstate(invalid="ignore", divide="ignore"):
            scores[:, b0:b1] = np.where(count_ok > 0, s_ok / np.maximum(count_ok, 1), np.nan)
        allowed_frac[b0:b1] = count_ok / sizes
    return LayerSummary(
        q=q,
        k=k,
        v=v,
        weights=weights,
        scores=scores,
        allowed=allowed_frac,
        row_starts=row_starts,
        col_starts=col_starts,
        entropy=ent,
        mean_entropy=live_mean(ent, allowed).numpy(),
        concat=concat,
        output=output,
    )


def query_row(
    x_q: np.ndarray,
    x_kv: np.ndarray,
    d_model: int,
    num_heads: int,
    seed: int,
    allowed_row: np.ndarray,
    temperature: float,
    i: int,
) -> MultiHeadAttention:
    """One query's exact numbers in every head: the layer run for query i alone.

    Returns the core's ``MultiHeadAttention`` with m = 1: scores and weights
    ``[h, 1, n_k]``, head_outputs ``[h, 1, d_head]``.
    """
    params = MultiHeadParams.random(d_model, num_heads, seed=seed, d_in=x_q.shape[1])
    return multi_head_attention(x_q[i : i + 1], x_kv, params, mask=allowed_row[None, :], temperature=temperature)


def head_weights(d_model: int, num_heads: int, seed: int, d_in: int, head: int) -> tuple[np.ndarray, ...]:
    """W_Q, W_K, W_V of one head as ``[d_in, d_head]`` each (so Q⁽ʰ⁾ = X W_Q⁽ʰ⁾)."""
    params = MultiHeadParams.random(d_model, num_heads, seed=seed, d_in=d_in)
    rows = slice(head * params.d_head, (head + 1) * params.d_head)
    return tuple(w[rows].T.numpy() for w in (params.w_q, params.w_k, params.w_v))
