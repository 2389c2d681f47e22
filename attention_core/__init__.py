"""attention_core: every number the explorer shows, computed with torch and numpy.

No Streamlit, no Plotly: importable and testable on its own.  Inputs may be
numpy arrays or torch tensors; results are torch tensors.
"""

from .attend import Attention, attend
from .attention_statistics import HEAD_STATISTICS, attention_rollout, head_statistics
from .blocks import block_sizes, block_starts, block_sums, pool

# ---- efficient attention and its measurement (the Complexity lesson)
from .complexity import (
    METHODS as COMPLEXITY_METHODS,
)
from .complexity import (
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
from .errors import InputError
from .layer_summary import LayerSummary, head_weights, query_row, second_sequence, summarise
from .limits import MAX_ABS_VALUE, MAX_DIM, MAX_TOKENS, check_values, whole_number
from .masks import MASKS, build_mask

# ---- end of the Complexity lesson's names
from .model_attention import (
    LoadedModel,
    ModelAttention,
    RecomputedAttention,
    load_model,
    model_attention,
    recompute_layer_attention,
)
from .multihead import MultiHeadAttention, MultiHeadParams, multi_head_attention, multi_head_self_attention
from .projection import Projection2D, fit_pca_2d, pca_2d
from .scoring import SCORE_METHODS, ScoreParams, scores

# the seq2seq lesson: toy tasks and a GRU encoder–decoder with attention
from .seq2seq import NO_ATTENTION, Prediction, Seq2Seq, Seq2SeqConfig, TrainProgress, TrainResult, train_seq2seq
from .seq2seq import SCORINGS as SEQ2SEQ_SCORINGS
from .sequences import SEQUENCE_KINDS, Sequence, generate_sequence
from .softmax import entropy, softmax
from .text_parsing import format_positions, format_vectors, parse_positions, parse_vectors
from .tokens import find_token, special_token_mask
from .toy_tasks import TASKS, Task, make_task
from .uploads import MAX_UPLOAD_BYTES, MAX_UPLOAD_MB, UPLOAD_EXTENSIONS, load_sequence

__all__ = [
    # the Complexity lesson
    "COMPLEXITY_METHODS",
    "Errors",
    "Job",
    "Measurement",
    "OnlineSoftmaxSteps",
    "block_weights",
    "chunked_attention",
    "errors_vs_exact",
    "fit_slope",
    "flops",
    "linear_attention",
    "linear_weights",
    "local_attention",
    "local_mask",
    "matrix_bytes",
    "measure",
    "online_softmax_steps",
    "orthogonal_features",
    "performer_attention",
    "performer_weights",
    "thread_scaling",
    "Attention",
    "HEAD_STATISTICS",
    "InputError",
    "LayerSummary",
    "LoadedModel",
    "MASKS",
    "MAX_ABS_VALUE",
    "MAX_DIM",
    "MAX_TOKENS",
    "MAX_UPLOAD_BYTES",
    "MAX_UPLOAD_MB",
    "ModelAttention",
    "MultiHeadAttention",
    "MultiHeadParams",
    "Projection2D",
    "RecomputedAttention",
    "SCORE_METHODS",
    "ScoreParams",
    "Sequence",
    "SEQUENCE_KINDS",
    "UPLOAD_EXTENSIONS",
    "attend",
    "attention_rollout",
    "block_sizes",
    "block_starts",
    "block_sums",
    "build_mask",
    "check_values",
    "entropy",
    "find_token",
    "fit_pca_2d",
    "format_positions",
    "format_vectors",
    "generate_sequence",
    "head_statistics",
    "head_weights",
    "load_model",
    "load_sequence",
    "model_attention",
    "multi_head_attention",
    "multi_head_self_attention",
    "parse_positions",
    "parse_vectors",
    "pca_2d",
    "pool",
    "query_row",
    "recompute_layer_attention",
    "scores",
    "second_sequence",
    "softmax",
    "special_token_mask",
    "summarise",
    "whole_number",
    # the seq2seq lesson
    "NO_ATTENTION",
    "Prediction",
    "SEQ2SEQ_SCORINGS",
    "Seq2Seq",
    "Seq2SeqConfig",
    "TASKS",
    "Task",
    "TrainProgress",
    "TrainResult",
    "make_task",
    "train_seq2seq",
]

# ---- image attention (issue 10): regions of an image as the sequence X
from . import scenes
from .image_model import ImagePrediction, LoadedImageModel, load_image_model, predict
from .images import (
    FEATURE_KINDS,
    SpatialAttention,
    load_image,
    most_attended,
    patchify,
    region_features,
    region_self_attention,
    spatial_attention,
    unpatchify,
)

__all__ += [
    "FEATURE_KINDS",
    "ImagePrediction",
    "LoadedImageModel",
    "SpatialAttention",
    "load_image",
    "load_image_model",
    "most_attended",
    "patchify",
    "predict",
    "region_features",
    "region_self_attention",
    "scenes",
    "spatial_attention",
    "unpatchify",
]

# ---- classroom tools (issue 13): steering the query, comparing two settings
from .comparison import Comparison, compare  # noqa: E402 (after the earlier blocks' __all__ +=)
from .steering import Steering, score_gradients, steer_step, weight_gradient  # noqa: E402

__all__ += ["Comparison", "Steering", "compare", "score_gradients", "steer_step", "weight_gradient"]
