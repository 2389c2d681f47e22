"""attention_core: every number the explorer shows, computed with torch and numpy.

No Streamlit, no Plotly: importable and testable on its own.  Inputs may be
numpy arrays or torch tensors; results are torch tensors.
"""

from .attend import Attention, attend
from .errors import InputError
# ---- efficient attention and its measurement (the Complexity lesson)
from .complexity import (
    METHODS as COMPLEXITY_METHODS,
    Errors,
    Job,
    Measurement,
    errors_vs_exact,
    fit_slope,
    flops,
    matrix_bytes,
    measure,
    thread_scaling,
)
from .efficient import (
    OnlineSoftmaxSteps,
    block_weights,
    chunked_attention,
    linear_attention,
    linear_weights,
    local_attention,
    local_mask,
    online_softmax_steps,
    orthogonal_features,
    performer_attention,
    performer_weights,
)
# ---- end of the Complexity lesson's names
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
from .multihead import MultiHeadAttention, MultiHeadParams, multi_head_attention, multi_head_self_attention
from .projection import Projection2D, fit_pca_2d, pca_2d
from .scoring import SCORE_METHODS, ScoreParams, scores
from .sequences import (
    MAX_ABS_VALUE,
    MAX_DIM,
    MAX_TOKENS,
    MAX_UPLOAD_BYTES,
    MAX_UPLOAD_MB,
    SEQUENCE_KINDS,
    Sequence,
    check_values,
    format_positions,
    format_vectors,
    generate_sequence,
    load_sequence,
    parse_positions,
    parse_vectors,
)
from .softmax import entropy, softmax

__all__ = [
    # the Complexity lesson
    "COMPLEXITY_METHODS", "Errors", "Job", "Measurement", "OnlineSoftmaxSteps", "block_weights",
    "chunked_attention", "errors_vs_exact", "fit_slope", "flops", "linear_attention", "linear_weights",
    "local_attention", "local_mask", "matrix_bytes", "measure", "online_softmax_steps", "orthogonal_features",
    "performer_attention", "performer_weights", "thread_scaling",
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
