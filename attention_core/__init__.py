"""attention_core: every number the explorer shows, computed with torch and numpy.

No Streamlit, no Plotly: importable and testable on its own.  Inputs may be
numpy arrays or torch tensors; results are torch tensors.
"""

from .attend import Attention, attend
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

# ---- image attention (issue 10): regions of an image as the sequence X
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
from .image_model import ImagePrediction, LoadedImageModel, load_image_model, predict
from . import scenes

__all__ += [
    "FEATURE_KINDS", "ImagePrediction", "LoadedImageModel", "SpatialAttention", "load_image", "load_image_model",
    "most_attended", "patchify", "predict", "region_features", "region_self_attention", "scenes",
    "spatial_attention", "unpatchify",
]
