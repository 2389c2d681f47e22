"""Attention without the n×n matrix: exact in blocks (online softmax), and three approximations.

Every function here uses the shapes and mask convention of ``attend()``:
query ``[..., m, d]``, keys ``[..., n, d]``, values ``[..., n, d_v]`` →
output ``[..., m, d_v]``; a mask is boolean, broadcastable to ``[..., m, n]``
(``[n]`` for padding), True = may attend; a query row with nothing to attend
gives zeros.  Scores are scaled like ``attend(method="scaled_dot")`` and
``torch.nn.functional.scaled_dot_product_attention``: a = qᵀk / √d.

- ``chunked_attention``: exact, keys in blocks with a running max and a
  running sum (the online softmax behind FlashAttention); extra memory
  O(m_block · n_block) instead of O(m · n).
- ``local_attention``: each query i sees the keys j with |i − j| ≤ window.
- ``linear_attention``: softmax(qᵀk) replaced by φ(q)ᵀφ(k), φ(x) = elu(x) + 1
  (Katharopoulos et al. 2020): O(n) time and memory, a different model.
- ``performer_attention``: positive orthogonal random features (FAVOR+,
  Choromanski et al. 2021) whose dot products estimate exp(qᵀk/√d).
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from .errors import InputError, Term
from .tensors import as_float_tensor, common_dtype

TILE_ELEMENTS = 2**18  # one score tile of 256 K float32 = 1 MiB: about one core's L2 cache
FEATURE_MAPS = {"elu": lambda x: F.elu(x) + 1.0}  # φ(x) > 0, so every implied weight is positive


def _qkv(query, keys, values) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """The three inputs as tensors of one float dtype, their shapes checked."""
    q, k, v = (as_float_tensor(x, name) for x, name in ((query, "query"), (keys, "keys"), (values, "values")))
    if q.ndim < 2 or k.ndim < 2 or v.ndim < 2:
        raise InputError("efficient.tables")
    if q.shape[-1] != k.shape[-1]:
        raise InputError("efficient.dims", q=q.shape[-1], k=k.shape[-1])
    if v.shape[-2] != k.shape[-2]:
        raise InputError("keys.values_count", keys=k.shape[-2], values=v.shape[-2])
    dtype = common_dtype(q, k, v)
    return q.to(dtype), k.to(dtype), v.to(dtype)


def _scale(d: int, scale: float | None) -> float:
    return 1.0 / math.sqrt(d) if scale is None else float(scale)


def _positive(value, name: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise InputError("number.positive_whole", name=Term(name)) from exc
    if number < 1:
        raise InputError("number.positive_whole_not", name=Term(name), value=value)
    return number


# ---------------------------------------------------------------- exact, in blocks


def chunked_attention(
    query,
    keys,
    values,
    block_size: int = 256,
    causal: bool = False,
    mask=None,
    return_lse: bool = False,
    query_block_size: int | None = None,
    scale: float | None = None,
):
    """Exact softmax(qᵀk/√d) v, one tile of ``query_block_size`` × ``block_size`` scores at a time.

    For each block of query rows, the key blocks are visited in order, keeping
    per row a running max m, a running sum ℓ = Σ e^{a−m} and an unnormalised
    output acc = Σ e^{a−m} v.  When a block raises the max, ℓ and acc are
    rescaled by e^{m_old − m_new}; at the end o = acc / ℓ.  Only the tile
    ``[..., m_block, block_size]`` is ever held, so the extra memory is
    O(m_block · block_size) (the output itself is ``[..., m, d_v]``).

    ``query_block_size`` defaults to TILE_ELEMENTS // block_size, so a tile
    stays in cache (smaller when that leaves a thread without a block).
    With several torch threads the query blocks are shared among that many
    threads, each running torch single-threaded.  ``causal``: query i sees keys j ≤ i (top-left aligned,
    as torch's ``is_causal``).  ``return_lse``: also return the log-sum-exp
    ``[..., m]`` of each row's allowed scores (−inf for a row with nothing to
    attend), from which the weights of any block follow: w = e^{a − lse}.
    """
    q, k, v = _qkv(query, keys, values)
    block_size = _positive(block_size, "block_size")
    m, d, n, d_v = q.shape[-2], q.shape[-1], k.shape[-2], v.shape[-1]
    batch = torch.broadcast_shapes(q.shape[:-2], k.shape[:-2], v.shape[:-2])
    if query_block_size:
        bq = _positive(query_block_size, "query_block_size")
    else:  # a tile of about TILE_ELEMENTS, and at least one query block per thread
        bq = max(1, min(TILE_ELEMENTS // block_size, -(-m // torch.get_num_threads())))
    allowed = None
    if mask is not None:
        allowed = torch.as_tensor(mask, dtype=torch.bool)
        try:
            allowed = torch.broadcast_to(allowed, (*batch, m, n))  # a view: no m × n copy
        except RuntimeError as exc:
            raise InputError("mask.blocks", shape=tuple(allowed.shape), m=m, n=n) from exc
    masked = allowed is not None or causal  # only then can a whole row (or tile row) be −inf

    q = q * _scale(d, scale)  # scale q [m, d], not every score tile
    kt = k.transpose(-1, -2)  # [..., d, n], a view
    output = torch.empty((*batch, m, d_v), dtype=q.dtype)
    lse = torch.empty((*batch, m), dtype=q.dtype) if return_lse else None

    def query_block(i0: int) -> None:
        i1 = min(i0 + bq, m)
        q_i = q[..., i0:i1, :]  # [..., bq, d]
        row_max = torch.full((*batch, i1 - i0, 1), -math.inf, dtype=q.dtype)  # m
        row_sum = torch.zeros((*batch, i1 - i0, 1), dtype=q.dtype)  # ℓ
        acc = torch.zeros((*batch, i1 - i0, d_v), dtype=q.dtype)  # Σ e^{a−m} v
        for j0 in range(
            0, min(n, i1) if causal else n, block_size
        ):  # causal: blocks right of the diagonal are all hidden
            j1 = min(j0 + block_size, n)
            s = q_i @ kt[..., j0:j1]  # [..., bq, bk] scores of this tile
            if causal and j1 - 1 > i0:  # the tile crosses the diagonal
                above = torch.arange(j0, j1) > torch.arange(i0, i1).unsqueeze(-1)  # [bq, bk]: j > i
                s.masked_fill_(above, -math.inf)
            if allowed is not None:
                s.masked_fill_(~allowed[..., i0:i1, j0:j1], -math.inf)
            new_max = torch.maximum(row_max, s.amax(dim=-1, keepdim=True))  # [..., bq, 1]
            if masked:  # a row with nothing allowed so far keeps −inf: subtract 0 there, not −inf (NaN)
                new_max = new_max.masked_fill(new_max == -math.inf, 0.0)
            s.sub_(new_max).exp_()  # e^{a − m_new}, in place: the tile is the only n-sized buffer
            rescale = (row_max - new_max).exp_()  # e^{m_old − m_new} ≤ 1
            row_sum.mul_(rescale).add_(s.sum(dim=-1, keepdim=True))
            acc.mul_(rescale).add_(s @ v[..., j0:j1, :])  # [..., bq, d_v]
            row_max = new_max
        # a row that saw nothing has ℓ = 0 and acc = 0: dividing by 1 there gives zeros, not NaN
        output[..., i0:i1, :] = acc / row_sum.masked_fill(row_sum == 0, 1.0)
        if lse is not None:
            lse[..., i0:i1] = (row_max + row_sum.log()).squeeze(-1)  # log 0 = −inf for an empty row

    starts = list(range(0, m, bq))
    threads = torch.get_num_threads()
    workers = min(threads, len(starts))
    if workers <= 1:
        for i0 in starts:
            query_block(i0)
    else:
        # One thread per core, each with its own query blocks and torch single-threaded inside: a tile's
        # half-dozen ops are too small to split, and splitting them puts a thread barrier in every op
        # (thousands per call), which stalls badly when other processes share the cores.
        def share(first: int) -> None:
            torch.set_num_threads(1)  # this thread's own setting (OpenMP and MKL keep it per thread)
            for i0 in starts[first::workers]:  # interleaved: causal rows further down cost more
                query_block(i0)

        try:
            with ThreadPoolExecutor(workers) as pool:
                list(pool.map(share, range(workers)))
        finally:
            torch.set_num_threads(threads)  # also the default that threads created later start from
    return (output, lse) if return_lse else output


def block_weights(query, keys, lse, start: int, stop: int, scale: float | None = None) -> torch.Tensor:
    """The exact weights of keys ``start:stop`` from ``chunked_attention``'s log-sum-exp: w = e^{a − lse}.

    query ``[..., m, d]``, keys ``[..., n, d]``, lse ``[..., m]`` → ``[..., m, stop − start]``
    (unmasked weights; a mask sets the hidden ones to 0).
    """
    q = as_float_tensor(query, "query")
    k = as_float_tensor(keys, "keys")
    lse = torch.as_tensor(lse)
    a = (q * _scale(q.shape[-1], scale)) @ k[..., start:stop, :].transpose(-1, -2)
    return torch.exp(a - lse.unsqueeze(-1)).nan_to_num(0.0)  # an empty row: −inf − −inf → 0


def chunked_weights(query, keys, block_size: int, scale: float | None = None) -> torch.Tensor:
    """The weights chunked attention implies, ``[..., m, n]``: one pass over the key blocks for each row's
    log-sum-exp, then every block's w = e^{a − lse} side by side.

    query ``[..., m, d]``, keys ``[..., n, d]``.  Equal to softmax(qᵀk/√d) up to rounding: the page shows
    the two side by side to say that chunking changes the memory, not the answer.
    """
    q = as_float_tensor(query, "query")
    k = as_float_tensor(keys, "keys")
    block_size = _positive(block_size, "block_size")
    n = k.shape[-2]
    _, lse = chunked_attention(q, k, k, block_size, return_lse=True, scale=scale)  # lse needs no values: v = k
    blocks = [block_weights(q, k, lse, j, min(j + block_size, n), scale) for j in range(0, n, block_size)]
    return torch.cat(blocks, dim=-1) if blocks else q.new_zeros((*lse.shape, 0))


@dataclass(frozen=True)
class OnlineSoftmaxSteps:
    """The online softmax of one row of scores ``[n]``, one block of keys at a time.

    ``running_max[b]`` and ``running_sum[b]`` are m and ℓ after block b;
    ``rescale[b]`` = e^{m_{b−1} − m_b}, the factor the old sum was multiplied
    by (0 at b = 0, when there was nothing yet).
    """

    scores: torch.Tensor  # [n]
    block_size: int
    running_max: torch.Tensor  # [B]
    running_sum: torch.Tensor  # [B]
    rescale: torch.Tensor  # [B]

    @property
    def num_blocks(self) -> int:
        return len(self.running_max)

    def seen(self, b: int) -> int:
        """How many keys blocks 0…b cover."""
        return min((b + 1) * self.block_size, len(self.scores))

    def weights_after(self, b: int) -> torch.Tensor:
        """e^{a_j − m_b} / ℓ_b for the keys seen by block b, 0 for the rest: ``[n]``; after the last block, softmax(a)."""
        end = self.seen(b)
        w = torch.zeros_like(self.scores)
        w[:end] = torch.exp(self.scores[:end] - self.running_max[b]) / self.running_sum[b]
        return w


def online_softmax_steps(scores, block_size: int) -> OnlineSoftmaxSteps:
    """Run the online softmax over ``scores`` ``[n]`` in blocks of ``block_size``, keeping every step."""
    a = as_float_tensor(scores, "scores").reshape(-1)
    block_size = _positive(block_size, "block_size")
    if a.numel() == 0:
        raise InputError("efficient.no_scores")
    maxima, sums, factors = [], [], []
    m, l = -math.inf, 0.0
    for j0 in range(0, len(a), block_size):
        block = a[j0 : j0 + block_size]
        new_m = max(m, float(block.max()))
        factor = math.exp(m - new_m)  # e^{−inf} = 0 on the first block
        l = l * factor + float(torch.exp(block - new_m).sum())
        m = new_m
        maxima.append(m)
        sums.append(l)
        factors.append(factor)
    as_t = lambda x: torch.tensor(x, dtype=a.dtype)  # noqa: E731
    return OnlineSoftmaxSteps(a, block_size, as_t(maxima), as_t(sums), as_t(factors))


def example_scores(n: int = 32, seed: int = 7) -> torch.Tensor:
    """A row of scores ``[n]`` to watch the online softmax on: seeded (every student sees the same row), with one
    larger score past the middle (at n/2 + 3), so a later block raises the running max and the sum is rescaled."""
    scores = torch.randn(n, generator=torch.Generator().manual_seed(int(seed))) * 1.5
    scores[n // 2 + 3] += 2.5
    return scores


# ---------------------------------------------------------------- approximations


def local_mask(m: int, n: int, window: int) -> torch.Tensor:
    """bool ``[m, n]``: query i may attend key j when |i − j| ≤ window."""
    i = torch.arange(m).unsqueeze(-1)
    j = torch.arange(n)
    return (i - j).abs() <= window


def local_attention(
    query, keys, values, window: int, block_size: int = 256, scale: float | None = None
) -> torch.Tensor:
    """Sliding-window attention: query i attends the keys j with |i − j| ≤ ``window``.

    query ``[..., m, d]`` (query i sits at position i), keys ``[..., n, d]``,
    values ``[..., n, d_v]`` → ``[..., m, d_v]``.  Each block of queries
    scores only the keys its window can reach: O(m · window) time and memory.
    With window ≥ n − 1 it is exact attention.
    """
    q, k, v = _qkv(query, keys, values)
    if int(window) < 0:
        raise InputError("efficient.window", window=window)
    window, block_size = int(window), _positive(block_size, "block_size")
    m, n = q.shape[-2], k.shape[-2]
    batch = torch.broadcast_shapes(q.shape[:-2], k.shape[:-2], v.shape[:-2])
    q = q * _scale(q.shape[-1], scale)
    output = torch.zeros((*batch, m, v.shape[-1]), dtype=q.dtype)
    for i0 in range(0, m, block_size):
        i1 = min(i0 + block_size, m)
        j0, j1 = max(0, i0 - window), min(n, i1 + window)  # the keys this block's windows reach
        if j0 >= j1:
            continue  # queries beyond every key's window: zeros
        s = q[..., i0:i1, :] @ k[..., j0:j1, :].transpose(-1, -2)  # [..., bq, j1 − j0]
        far = (torch.arange(i0, i1).unsqueeze(-1) - torch.arange(j0, j1)).abs() > window
        w = torch.softmax(s.masked_fill_(far, -math.inf), dim=-1).nan_to_num_(0.0)  # a row with no key: zeros
        output[..., i0:i1, :] = w @ v[..., j0:j1, :]
    return output


def _linear_from_features(phi_q: torch.Tensor, phi_k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """o_i = φ(q_i)ᵀ (Σ_j φ(k_j) v_jᵀ) / φ(q_i)ᵀ Σ_j φ(k_j): never the [m, n] matrix."""
    kv = phi_k.transpose(-1, -2) @ v  # [..., r, d_v]
    normaliser = phi_q @ phi_k.sum(dim=-2).unsqueeze(-1)  # [..., m, 1]
    return (phi_q @ kv) / normaliser  # [..., m, d_v]


def _feature_map(name: str):
    if name not in FEATURE_MAPS:
        raise InputError("efficient.unknown_feature_map", name=name, choices=", ".join(FEATURE_MAPS))
    return FEATURE_MAPS[name]


def linear_attention(query, keys, values, feature_map: str = "elu") -> torch.Tensor:
    """Linear attention (Katharopoulos et al. 2020): w_ij ∝ φ(q_i)ᵀφ(k_j), φ(x) = elu(x) + 1.

    query ``[..., m, d]``, keys ``[..., n, d]``, values ``[..., n, d_v]`` →
    ``[..., m, d_v]`` in O((m + n) · d · d_v): the sum over keys is taken once.
    φ is applied to the raw q and k, as in the paper (no 1/√d).
    """
    q, k, v = _qkv(query, keys, values)
    phi = _feature_map(feature_map)
    return _linear_from_features(phi(q), phi(k), v)


def linear_weights(query, keys, feature_map: str = "elu") -> torch.Tensor:
    """The weights linear attention implies, ``[..., m, n]``: φ(q_i)ᵀφ(k_j) / Σ_j φ(q_i)ᵀφ(k_j) (for small n only)."""
    q, k = as_float_tensor(query, "query"), as_float_tensor(keys, "keys")
    phi = _feature_map(feature_map)
    kernel = phi(q) @ phi(k).transpose(-1, -2)  # [..., m, n], all > 0
    return kernel / kernel.sum(dim=-1, keepdim=True)


def orthogonal_features(num_features: int, d: int, seed: int = 0, dtype=torch.float32) -> torch.Tensor:
    """ω ``[r, d]``: blocks of d orthogonal directions, each row scaled to the length of a N(0, I_d) draw.

    Orthogonal rows make the estimate of exp(xᵀy) less noisy than i.i.d.
    Gaussian rows (Choromanski et al. 2021); seeded, so a page is reproducible.
    """
    num_features = _positive(num_features, "num_features")
    generator = torch.Generator().manual_seed(int(seed))
    blocks = []
    for _ in range(-(-num_features // d)):
        gaussian = torch.randn(d, d, generator=generator, dtype=torch.float64)
        qr = torch.linalg.qr(gaussian)
        # signs of R's diagonal on Q's columns: without them Q is not uniformly random, and the estimate is biased
        blocks.append((qr.Q * qr.R.diagonal().sign()).T)  # d orthonormal rows
    directions = torch.cat(blocks)[:num_features]  # [r, d]
    lengths = torch.randn(num_features, d, generator=generator, dtype=torch.float64).norm(dim=-1, keepdim=True)
    return (directions * lengths).to(dtype)


def _softmax_features(x: torch.Tensor, omega: torch.Tensor, is_query: bool) -> torch.Tensor:
    """φ(x) = e^{ωx − ‖x‖²/2 − c} / √r, so that E[φ(x)ᵀφ(y)] ∝ e^{xᵀy} (positive random features).

    The constant c (per row for queries, one for all keys) keeps e^{…} ≤ 1;
    it cancels when each row is normalised.
    """
    projected = x @ omega.transpose(-1, -2) - (x * x).sum(dim=-1, keepdim=True) / 2  # [..., n, r]
    c = projected.amax(dim=-1, keepdim=True) if is_query else projected.amax(dim=(-1, -2), keepdim=True)
    return torch.exp(projected - c) / math.sqrt(omega.shape[0])


def _performer_features(q: torch.Tensor, k: torch.Tensor, num_features: int, seed: int):
    d = q.shape[-1]
    omega = orthogonal_features(num_features, d, seed, dtype=q.dtype)
    root = d**-0.25  # (q/d^¼)ᵀ(k/d^¼) = qᵀk/√d: the scaled dot product
    return _softmax_features(q * root, omega, True), _softmax_features(k * root, omega, False)


def performer_attention(query, keys, values, num_features: int = 256, seed: int = 0) -> torch.Tensor:
    """Random-feature attention (Performer, FAVOR+): softmax(qᵀk/√d) v estimated in O((m + n) · r · d).

    query ``[..., m, d]``, keys ``[..., n, d]``, values ``[..., n, d_v]`` → ``[..., m, d_v]``;
    ``num_features`` r positive orthogonal random features, drawn with ``seed``.
    The error falls roughly as 1/√r.
    """
    q, k, v = _qkv(query, keys, values)
    phi_q, phi_k = _performer_features(q, k, num_features, seed)
    return _linear_from_features(phi_q, phi_k, v)


def performer_weights(query, keys, num_features: int = 256, seed: int = 0) -> torch.Tensor:
    """The weights the Performer implies, ``[..., m, n]`` (for small n only)."""
    q, k = as_float_tensor(query, "query"), as_float_tensor(keys, "keys")
    phi_q, phi_k = _performer_features(q, k.to(q.dtype), num_features, seed)
    kernel = phi_q @ phi_k.transpose(-1, -2)
    return kernel / kernel.sum(dim=-1, keepdim=True)
