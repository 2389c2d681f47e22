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

# the seq2seq lesson: toy tasks and a GRU encoder–decoder with attention
from .seq2seq import NO_ATTENTION, Prediction, Seq2Seq, Seq2SeqConfig, TrainProgress, TrainResult, train_seq2seq
from .seq2seq import SCORINGS as SEQ2SEQ_SCORINGS
from .toy_tasks import TASKS, Task, make_task

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
