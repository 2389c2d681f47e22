"""attention_core: every number the explorer shows, computed with torch and numpy.

No Streamlit, no Plotly: importable and testable on its own.  Inputs may be
numpy arrays or torch tensors; results are torch tensors.
"""

from .attend import Attention, attend
from .blocks import block_sizes, block_starts, block_sums, pool
from .errors import InputError
from .model_attention import (
    HEAD_STATISTICS,
    LoadedModel,
    ModelAttention,
    RecomputedAttention,
    attention_rollout,
    head_statistics,
    load_model,
    model_attention,
    recompute_layer_attention,
)
from .layer_summary import LayerSummary, head_weights, query_row, second_sequence, summarise
from .masks import MASKS, build_mask
from .multihead import MultiHeadAttention, MultiHeadParams, multi_head_attention, multi_head_self_attention
from .projection import Projection2D, fit_pca_2d, pca_2d
from .scoring import SCORE_METHODS, ScoreParams, scores
from .limits import MAX_ABS_VALUE, MAX_DIM, MAX_TOKENS, check_values, whole_number
from .sequences import SEQUENCE_KINDS, Sequence, generate_sequence
from .text_parsing import format_positions, format_vectors, parse_positions, parse_vectors
from .uploads import MAX_UPLOAD_BYTES, MAX_UPLOAD_MB, UPLOAD_EXTENSIONS, load_sequence
from .softmax import entropy, softmax

__all__ = [
    "LayerSummary",
    "MASKS",
    "block_sizes",
    "block_starts",
    "block_sums",
    "build_mask",
    "head_weights",
    "pool",
    "query_row",
    "second_sequence",
    "summarise",
    "HEAD_STATISTICS",
    "LoadedModel",
    "ModelAttention",
    "MultiHeadAttention",
    "MultiHeadParams",
    "RecomputedAttention",
    "attention_rollout",
    "head_statistics",
    "load_model",
    "model_attention",
    "multi_head_attention",
    "multi_head_self_attention",
    "recompute_layer_attention",
    "Attention",
    "InputError",
    "MAX_ABS_VALUE",
    "MAX_DIM",
    "MAX_TOKENS",
    "MAX_UPLOAD_BYTES",
    "MAX_UPLOAD_MB",
    "UPLOAD_EXTENSIONS",
    "whole_number",
    "SCORE_METHODS",
    "SEQUENCE_KINDS",
    "ScoreParams",
    "Sequence",
    "attend",
    "check_values",
    "entropy",
    "format_positions",
    "format_vectors",
    "generate_sequence",
    "load_sequence",
    "Projection2D",
    "fit_pca_2d",
    "pca_2d",
    "parse_positions",
    "parse_vectors",
    "scores",
    "softmax",
]
