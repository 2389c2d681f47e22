"""One cross-attention head recomputed by hand: q from the decoder, k from the encoder, then ``attend()``.

q = W_q x + b_q (x: output token k's layer-normed decoder state), k_j = W_k h_j (h_j: encoder frame j; Whisper's
K has no bias), w = softmax(qᵀk_j / √d) over the frames. The result must equal the model's own weights.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from ..attend import attend
from .model import LoadedWhisper
from .transcribe import PREFIX, Transcription


@dataclass(frozen=True)
class ByHand:
    """Output token ``token``'s query ``q [d_head]``, the keys ``[frames, d_head]``, scores and weights ``[frames]``,
    and the model's own weights for the same head ``model_weights [frames]``."""

    query: np.ndarray
    keys: np.ndarray
    scores: np.ndarray
    weights: np.ndarray
    model_weights: np.ndarray

    @property
    def largest_difference(self) -> float:
        """max |w_by hand − w_model| over the frames."""
        return float(np.abs(self.weights - self.model_weights).max())


def by_hand(loaded: LoadedWhisper, heard: Transcription, layer: int, head: int, token: int) -> ByHand:
    """Recompute head (``layer``, ``head``) for output token ``token`` (0-based) with the core's ``attend``."""
    attention = loaded.model.model.decoder.layers[layer].encoder_attn
    rows = slice(head * loaded.d_head, (head + 1) * loaded.d_head)
    x = torch.tensor(heard.cross_input[layer, PREFIX + token])  # [d_model]
    h = torch.tensor(heard.encoder_output)  # [frames, d_model]
    with torch.inference_mode():
        q = x @ attention.q_proj.weight[rows].T + attention.q_proj.bias[rows]  # [d_head]
        k = h @ attention.k_proj.weight[rows].T  # [frames, d_head]
        result = attend(q, k, method="scaled_dot")  # w = softmax(qᵀk/√d_head)
    return ByHand(
        query=q.numpy(),
        keys=k.numpy(),
        scores=result.scores.numpy(),
        weights=result.weights.numpy(),
        model_weights=heard.cross[layer, head, token],
    )
