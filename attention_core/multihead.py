"""Multi-head attention: Q = XW_q, K = XW_k, V = XW_v, split into heads, attend, concatenate, W_o.

Self-attention is the case where queries, keys and values all come from the
same tokens X; cross-attention takes the queries from one sequence and the
keys and values from another.  Both run through ``multi_head_attention``.

Projections follow ``torch.nn.Linear``: Q = X W_qᵀ + b_q, so ``w_q`` is
``[d_model, d_in]`` (one row per output feature).  With the same weights the
results equal ``torch.nn.MultiheadAttention`` (eval mode, no dropout).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from .attend import attend
from .errors import InputError, Term
from .limits import whole_number
from .tensors import as_float_tensor, common_dtype


def _check_heads(d_model: int, num_heads: int) -> None:
    if num_heads < 1:
        raise InputError("heads.at_least_one", num_heads=num_heads)
    if d_model < 1:
        raise InputError("heads.d_model", d_model=d_model)
    if d_model % num_heads:
        raise InputError("heads.split", num_heads=num_heads, d_model=d_model)


@dataclass(frozen=True, eq=False)
class MultiHeadParams:
    """The learned weights of one multi-head attention layer.

    - ``w_q`` ``[d_model, d_in]``, ``w_k`` ``[d_model, d_k_in]``, ``w_v``
      ``[d_model, d_v_in]``: input projections, applied as X Wᵀ + b like
      ``torch.nn.Linear``.  Usually all three input widths are d_model (or
      the token width d); they may differ, as torch's ``kdim``/``vdim``.
    - ``w_o`` ``[d_model, d_model]``: the output projection of the concatenated heads.
    - ``b_q, b_k, b_v, b_o`` ``[d_model]``: biases; None means zeros.
    - ``num_heads`` h: d_model is split into h heads of d_head = d_model / h.

    Numpy arrays or torch tensors are accepted; they are stored as torch
    tensors of one common float dtype.  Bad shapes or a num_heads that does
    not divide d_model raise ``InputError``.
    """

    w_q: torch.Tensor
    w_k: torch.Tensor
    w_v: torch.Tensor
    w_o: torch.Tensor
    num_heads: int
    b_q: torch.Tensor | None = None
    b_k: torch.Tensor | None = None
    b_v: torch.Tensor | None = None
    b_o: torch.Tensor | None = None

    def __post_init__(self) -> None:
        h = whole_number(self.num_heads, "num_heads")
        mats = {n: as_float_tensor(getattr(self, n), n.upper()).detach() for n in ("w_q", "w_k", "w_v", "w_o")}
        for name, w in mats.items():
            if w.ndim != 2:
                raise InputError("weights.not_matrix", name=name.upper(), ndim=w.ndim)
        d_model = mats["w_q"].shape[0]
        _check_heads(d_model, h)
        for name in ("w_k", "w_v"):
            if mats[name].shape[0] != d_model:
                raise InputError("weights.rows", name=name.upper(), d_model=d_model, rows=mats[name].shape[0])
        for name in ("w_q", "w_k", "w_v"):
            if mats[name].shape[1] < 1:
                raise InputError("weights.no_columns", name=name.upper())
        if tuple(mats["w_o"].shape) != (d_model, d_model):
            rows, cols = tuple(mats["w_o"].shape)
            raise InputError("weights.w_o", d_model=d_model, rows=rows, cols=cols)
        biases = {}
        for name in ("b_q", "b_k", "b_v", "b_o"):
            b = getattr(self, name)
            if b is None:
                b = torch.zeros(d_model, dtype=mats["w_q"].dtype)
            b = as_float_tensor(b, name).detach()
            if tuple(b.shape) != (d_model,):
                raise InputError("weights.bias", name=name, d_model=d_model, shape=tuple(b.shape))
            biases[name] = b
        dtype = common_dtype(*mats.values(), *biases.values())
        for name, t in {**mats, **biases}.items():
            object.__setattr__(self, name, t.to(dtype))
        object.__setattr__(self, "num_heads", h)

    @property
    def d_model(self) -> int:
        """Width of Q, K, V and of the output: h · d_head."""
        return int(self.w_q.shape[0])

    @property
    def d_head(self) -> int:
        """Width of one head's q, k, v: d_model / h."""
        return self.d_model // self.num_heads

    @classmethod
    def random(cls, d_model: int, num_heads: int, seed: int = 0, d_in: int | None = None) -> "MultiHeadParams":
        """Seeded weights: the same (d_model, num_heads, seed, d_in) always gives the same numbers.

        ``d_in`` is the width d of the input tokens (default d_model).  When
        it differs from d_model, the page projects tokens of dimension d into
        d_model: ``w_q, w_k, w_v`` are ``[d_model, d_in]`` while ``w_o`` stays
        ``[d_model, d_model]``.  Entries are Xavier-normal,
        N(0, 2 / (fan_in + fan_out)), so q·k/√d_head stays of order one and
        the weights neither collapse nor saturate; biases are zero (as in a
        freshly built ``torch.nn.MultiheadAttention``), so Q = X W_qᵀ exactly.
        Stored as float64.
        """
        d_model = whole_number(d_model, "d_model")
        num_heads = whole_number(num_heads, "num_heads")
        seed = whole_number(seed, "the_seed")
        d_in = d_model if d_in is None else whole_number(d_in, "d_in")
        _check_heads(d_model, num_heads)
        if d_in < 1:
            raise InputError("heads.d_in", d_in=d_in)
        if seed < 0:
            raise InputError("seed.negative")
        rng = np.random.default_rng(seed)

        def xavier(fan_out: int, fan_in: int) -> np.ndarray:
            return rng.normal(0.0, math.sqrt(2.0 / (fan_in + fan_out)), (fan_out, fan_in))

        return cls(
            w_q=xavier(d_model, d_in),
            w_k=xavier(d_model, d_in),
            w_v=xavier(d_model, d_in),
            w_o=xavier(d_model, d_model),
            num_heads=num_heads,
        )

    @classmethod
    def from_torch(cls, module: torch.nn.MultiheadAttention) -> "MultiHeadParams":
        """Copy the weights of a ``torch.nn.MultiheadAttention`` (dtype kept).

        ``in_proj_weight`` is split into W_q, W_k, W_v (or ``q_proj_weight``,
        ``k_proj_weight``, ``v_proj_weight`` when kdim/vdim differ from
        embed_dim); missing biases (``bias=False``) become zeros.  Modules with
        ``add_bias_kv`` or ``add_zero_attn`` have extra keys this layer does
        not model and are refused.  Dropout is not applied here: compare with
        the module in eval mode or with dropout = 0.
        """
        if module.bias_k is not None or module.bias_v is not None or module.add_zero_attn:
            raise InputError("heads.torch_unsupported")

        def copy(t: torch.Tensor | None) -> torch.Tensor | None:
            return None if t is None else t.detach().clone()

        if module.in_proj_weight is not None:
            w_q, w_k, w_v = (copy(w) for w in module.in_proj_weight.chunk(3))
        else:
            w_q, w_k, w_v = copy(module.q_proj_weight), copy(module.k_proj_weight), copy(module.v_proj_weight)
        if module.in_proj_bias is not None:
            b_q, b_k, b_v = (copy(b) for b in module.in_proj_bias.chunk(3))
        else:
            b_q = b_k = b_v = None
        return cls(
            w_q=w_q,
            w_k=w_k,
            w_v=w_v,
            w_o=copy(module.out_proj.weight),
            num_heads=module.num_heads,
            b_q=b_q,
            b_k=b_k,
            b_v=b_v,
            b_o=copy(module.out_proj.bias),
        )


@dataclass(frozen=True, eq=False)
class MultiHeadAttention:
    """The result of one multi-head attention step, every intermediate kept for display.

    With m queries, n keys, h heads and d_head = d_model / h:

    - ``q`` ``[..., h, m, d_head]``, ``k`` and ``v`` ``[..., h, n, d_head]``:
      Q = X_q W_qᵀ + b_q (likewise K, V) split column-wise, head j owning
      columns j·d_head … (j+1)·d_head − 1.
    - ``scores`` ``[..., h, m, n]``: the scaled scores q kᵀ / √d_head,
      *before* the temperature and before any mask.
    - ``weights`` ``[..., h, m, n]``: softmax(scores / T) over the allowed
      keys; a query with no allowed key gets all-zero weights.
    - ``head_outputs`` ``[..., h, m, d_head]``: weights @ v, one per head.
    - ``concat`` ``[..., m, d_model]``: the heads side by side.
    - ``output`` ``[..., m, d_model]``: concat W_oᵀ + b_o.
    """

    q: torch.Tensor
    k: torch.Tensor
    v: torch.Tensor
    scores: torch.Tensor
    weights: torch.Tensor
    head_outputs: torch.Tensor
    concat: torch.Tensor
    output: torch.Tensor


def _tokens(x, name: str, w: torch.Tensor, w_name: str) -> torch.Tensor:
    t = as_float_tensor(x, name)
    if t.ndim < 2:
        raise InputError("tokens.table", name=Term(name))
    if t.shape[-2] < 1:
        raise InputError("tokens.empty", name=Term(name))
    if t.shape[-1] != w.shape[1]:
        raise InputError("tokens.dims", count=t.shape[-1], w_name=w_name, expected=w.shape[1])
    return t


def _allowed(mask, causal: bool, m: int, n: int, batch_shape: torch.Size) -> torch.Tensor | None:
    """Boolean mask broadcastable to the scores ``[..., h, m, n]``, True = may attend; None = all."""
    allowed = None
    if mask is not None:
        t = mask if isinstance(mask, torch.Tensor) else torch.as_tensor(np.asarray(mask))
        if t.is_floating_point() or t.is_complex():
            raise InputError("mask.bool")
        t = t.to(torch.bool)
        if t.ndim == 0:
            raise InputError("mask.scalar")
        if t.shape[-1] != n:
            raise InputError("mask.keys", count=t.shape[-1], n=n)
        if t.ndim == 1 or (len(batch_shape) > 0 and t.shape[:-1] == batch_shape):
            # key padding: the same keys hidden from every head and every query
            allowed = t[..., None, None, :]  # (..., 1, 1, n)
        else:
            if t.shape[-2] != m:
                raise InputError("mask.rows", rows=t.shape[-2], m=m)
            allowed = t.unsqueeze(-3)  # (..., 1, m, n): the same for every head
    if causal:
        # query i may attend to keys 0 … i (top-left aligned, as torch's is_causal)
        c = torch.ones(m, n, dtype=torch.bool).tril()  # (m, n)
        allowed = c if allowed is None else allowed & c
    return allowed


def multi_head_attention(
    x_q,
    x_kv,
    params: MultiHeadParams,
    causal: bool = False,
    mask=None,
    temperature: float = 1.0,
    x_v=None,
) -> MultiHeadAttention:
    """Queries from ``x_q`` ``[..., m, d]`` attend over keys and values from ``x_kv`` ``[..., n, d]``.

    ``x_v`` ``[..., n, d_v]`` gives the values separately (default ``x_kv``),
    for layers whose W_k and W_v take different input widths.  Batch
    dimensions ``...`` broadcast.  Computed in the widest float dtype of the
    inputs and the params (float64 stays float64).

    Per head j:  scores = q kᵀ / √d_head,  weights = softmax(scores / T),
    head_j = weights v;  output = concat(head_1 … head_h) W_oᵀ + b_o.

    ``mask`` is boolean, True = may attend, shared by all heads:

    - a key-padding mask: ``[n]``, or ``[..., n]`` with exactly the batch
      shape of the inputs: hides keys from every query;
    - otherwise an attention mask ``[m, n]`` or ``[..., m, n]``: row i says
      which keys query i may see.  (With a batch of size m, a ``[m, n]`` mask
      is read as key padding; pass it as ``[1, m, n]`` to mean per-query.)

    ``causal=True`` lets query i see keys 0 … i only, and is combined with
    ``mask`` by AND.  A query left with no key gets zero weights (never NaN),
    so its output row is just b_o.
    """
    if not isinstance(params, MultiHeadParams):
        raise TypeError("params must be a MultiHeadParams")
    xq = _tokens(x_q, "tokens", params.w_q, "W_q")  # (..., m, d)
    xk = _tokens(x_kv, "tokens", params.w_k, "W_k")  # (..., n, d)
    xv = _tokens(x_kv if x_v is None else x_v, "values", params.w_v, "W_v")  # (..., n, d_v)
    if xv.shape[-2] != xk.shape[-2]:
        raise InputError("keys.values_count", keys=xk.shape[-2], values=xv.shape[-2])
    try:
        batch_shape = torch.broadcast_shapes(xq.shape[:-2], xk.shape[:-2], xv.shape[:-2])
    except RuntimeError as exc:
        raise InputError("tokens.batches") from exc
    dtype = common_dtype(xq, xk, xv, params.w_q)
    xq, xk, xv = xq.to(dtype), xk.to(dtype), xv.to(dtype)
    w_q, w_k, w_v, w_o = (w.to(dtype) for w in (params.w_q, params.w_k, params.w_v, params.w_o))
    b_q, b_k, b_v, b_o = (b.to(dtype) for b in (params.b_q, params.b_k, params.b_v, params.b_o))
    h = params.num_heads
    m, n = xq.shape[-2], xk.shape[-2]

    allowed = _allowed(mask, causal, m, n, batch_shape)  # broadcastable to (..., h, m, n)
    if allowed is not None:
        try:
            fits = torch.broadcast_shapes(allowed.shape, (*batch_shape, h, m, n)) == (*batch_shape, h, m, n)
        except RuntimeError:
            fits = False
        if not fits:
            raise InputError("mask.batch", m=m, n=n, shape=tuple(batch_shape))

    # 1) project, and split d_model = h · d_head: head j owns columns j·d_head … (j+1)·d_head − 1
    q = _split_heads(xq @ w_q.T + b_q, h)  # (..., m, d_model) → (..., h, m, d_head)
    k = _split_heads(xk @ w_k.T + b_k, h)  # (..., h, n, d_head)
    v = _split_heads(xv @ w_v.T + b_v, h)  # (..., h, n, d_head)
    # 2) attend: every head at once, w = softmax(q kᵀ / √d_head / T) over the allowed keys
    att = attend(q, k, v, method="scaled_dot", temperature=temperature, mask=allowed)
    # 3) concatenate the heads and project
    concat = att.output.transpose(-3, -2).flatten(-2)  # (..., h, m, d_head) → (..., m, d_model)
    output = concat @ w_o.T + b_o  # (..., m, d_model)
    return MultiHeadAttention(
        q=q,
        k=k,
        v=v,
        scores=att.scores,  # (..., h, m, n)
        weights=att.weights,  # (..., h, m, n)
        head_outputs=att.output,  # (..., h, m, d_head)
        concat=concat,
        output=output,
    )


def _split_heads(x: torch.Tensor, h: int) -> torch.Tensor:
    """(..., t, d_model) → (..., h, t, d_head): the columns of head j side by side become one matrix."""
    return x.unflatten(-1, (h, -1)).transpose(-3, -2)


def multi_head_self_attention(
    x, params: MultiHeadParams, causal: bool = False, mask=None, temperature: float = 1.0
) -> MultiHeadAttention:
    """Self-attention: every token of ``x`` ``[..., n, d]`` attends over all of ``x``.

    Exactly ``multi_head_attention(x, x, params, ...)``; see there for the
    mask and the result.  Weights are ``[..., h, n, n]``.
    """
    return multi_head_attention(x, x, params, causal=causal, mask=mask, temperature=temperature)
