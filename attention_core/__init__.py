"""attention_core: every number the explorer shows, computed with torch and numpy.

No Streamlit, no Plotly: importable and testable on its own.  Inputs may be
numpy arrays or torch tensors; results are torch tensors.

The names below load on first use (PEP 562): ``from attention_core import
InputError`` does not import torch, so a page that needs no attention math
(the home page's first visit) does not wait ~1 s for it.
"""

from __future__ import annotations

import importlib
import sys
import types

# name → (submodule, its name there); (submodule, None): the submodule itself
_EXPORTS: dict[str, tuple[str, str | None]] = {
    "Attention": ("attend", "Attention"),
    "attend": ("attend", "attend"),
    "HEAD_STATISTICS": ("attention_statistics", "HEAD_STATISTICS"),
    "attention_rollout": ("attention_statistics", "attention_rollout"),
    "head_statistics": ("attention_statistics", "head_statistics"),
    "block_sizes": ("blocks", "block_sizes"),
    "block_starts": ("blocks", "block_starts"),
    "block_sums": ("blocks", "block_sums"),
    "pool": ("blocks", "pool"),
    "Comparison": ("comparison", "Comparison"),
    "compare": ("comparison", "compare"),
    "COMPLEXITY_METHODS": ("complexity", "METHODS"),
    "Errors": ("complexity", "Errors"),
    "Job": ("complexity", "Job"),
    "Measurement": ("complexity", "Measurement"),
    "errors_vs_exact": ("complexity", "errors_vs_exact"),
    "fit_slope": ("complexity", "fit_slope"),
    "fit_sizes": ("complexity", "fit_sizes"),
    "loglog_slope": ("complexity", "loglog_slope"),
    "flops": ("complexity", "flops"),
    "matrix_bytes": ("complexity", "matrix_bytes"),
    "measure": ("complexity", "measure"),
    "thread_scaling": ("complexity", "thread_scaling"),
    "OnlineSoftmaxSteps": ("efficient", "OnlineSoftmaxSteps"),
    "block_weights": ("efficient", "block_weights"),
    "chunked_attention": ("efficient", "chunked_attention"),
    "linear_attention": ("efficient", "linear_attention"),
    "linear_weights": ("efficient", "linear_weights"),
    "local_attention": ("efficient", "local_attention"),
    "local_mask": ("efficient", "local_mask"),
    "online_softmax_steps": ("efficient", "online_softmax_steps"),
    "orthogonal_features": ("efficient", "orthogonal_features"),
    "performer_attention": ("efficient", "performer_attention"),
    "performer_weights": ("efficient", "performer_weights"),
    "InputError": ("errors", "InputError"),
    "ImagePrediction": ("image_model", "ImagePrediction"),
    "LoadedImageModel": ("image_model", "LoadedImageModel"),
    "load_image_model": ("image_model", "load_image_model"),
    "predict": ("image_model", "predict"),
    "FEATURE_KINDS": ("images", "FEATURE_KINDS"),
    "SpatialAttention": ("images", "SpatialAttention"),
    "load_image": ("images", "load_image"),
    "most_attended": ("images", "most_attended"),
    "patchify": ("images", "patchify"),
    "region_features": ("images", "region_features"),
    "region_self_attention": ("images", "region_self_attention"),
    "spatial_attention": ("images", "spatial_attention"),
    "unpatchify": ("images", "unpatchify"),
    "LayerSummary": ("layer_summary", "LayerSummary"),
    "head_weights": ("layer_summary", "head_weights"),
    "query_row": ("layer_summary", "query_row"),
    "second_sequence": ("layer_summary", "second_sequence"),
    "summarise": ("layer_summary", "summarise"),
    "MAX_ABS_VALUE": ("limits", "MAX_ABS_VALUE"),
    "MAX_DIM": ("limits", "MAX_DIM"),
    "MAX_TOKENS": ("limits", "MAX_TOKENS"),
    "check_values": ("limits", "check_values"),
    "whole_number": ("limits", "whole_number"),
    "MASKS": ("masks", "MASKS"),
    "build_mask": ("masks", "build_mask"),
    "LoadedModel": ("model_attention", "LoadedModel"),
    "ModelAttention": ("model_attention", "ModelAttention"),
    "RecomputedAttention": ("model_attention", "RecomputedAttention"),
    "load_model": ("model_attention", "load_model"),
    "model_attention": ("model_attention", "model_attention"),
    "recompute_layer_attention": ("model_attention", "recompute_layer_attention"),
    "MultiHeadAttention": ("multihead", "MultiHeadAttention"),
    "MultiHeadParams": ("multihead", "MultiHeadParams"),
    "multi_head_attention": ("multihead", "multi_head_attention"),
    "multi_head_self_attention": ("multihead", "multi_head_self_attention"),
    "Projection2D": ("projection", "Projection2D"),
    "fit_pca_2d": ("projection", "fit_pca_2d"),
    "pca_2d": ("projection", "pca_2d"),
    "scenes": ("scenes", None),
    "SCORE_METHODS": ("scoring", "SCORE_METHODS"),
    "ScoreParams": ("scoring", "ScoreParams"),
    "scores": ("scoring", "scores"),
    "NO_ATTENTION": ("seq2seq", "NO_ATTENTION"),
    "Prediction": ("seq2seq", "Prediction"),
    "SEQ2SEQ_SCORINGS": ("seq2seq", "SCORINGS"),
    "Seq2Seq": ("seq2seq", "Seq2Seq"),
    "Seq2SeqConfig": ("seq2seq", "Seq2SeqConfig"),
    "TrainProgress": ("seq2seq", "TrainProgress"),
    "TrainResult": ("seq2seq", "TrainResult"),
    "train_seq2seq": ("seq2seq", "train_seq2seq"),
    "SEQUENCE_KINDS": ("sequences", "SEQUENCE_KINDS"),
    "Sequence": ("sequences", "Sequence"),
    "generate_sequence": ("sequences", "generate_sequence"),
    "entropy": ("softmax", "entropy"),
    "softmax": ("softmax", "softmax"),
    "Steering": ("steering", "Steering"),
    "score_gradients": ("steering", "score_gradients"),
    "steer_step": ("steering", "steer_step"),
    "weight_gradient": ("steering", "weight_gradient"),
    "format_positions": ("text_parsing", "format_positions"),
    "format_vectors": ("text_parsing", "format_vectors"),
    "parse_positions": ("text_parsing", "parse_positions"),
    "parse_vectors": ("text_parsing", "parse_vectors"),
    "find_token": ("tokens", "find_token"),
    "special_token_mask": ("tokens", "special_token_mask"),
    "TASKS": ("toy_tasks", "TASKS"),
    "Task": ("toy_tasks", "Task"),
    "make_task": ("toy_tasks", "make_task"),
    "MAX_UPLOAD_BYTES": ("uploads", "MAX_UPLOAD_BYTES"),
    "MAX_UPLOAD_MB": ("uploads", "MAX_UPLOAD_MB"),
    "UPLOAD_EXTENSIONS": ("uploads", "UPLOAD_EXTENSIONS"),
    "load_sequence": ("uploads", "load_sequence"),
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attr = _EXPORTS[name]
    loaded = importlib.import_module(f".{module}", __name__)
    value = loaded if attr is None else getattr(loaded, attr)
    globals()[name] = value  # the next lookup is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


class _Package(types.ModuleType):
    """Keeps ``attention_core.attend`` the function when the submodule ``attend.py`` loads.

    Importing a submodule sets it as an attribute of its package, and some
    submodules share a name with what they define (attend, softmax): the
    eager ``from .attend import attend`` used to rebind the name right after;
    lazily, the package must refuse the submodule in that name instead.
    """

    def __setattr__(self, name: str, value) -> None:
        if isinstance(value, types.ModuleType) and _EXPORTS.get(name, (None, None))[1] is not None:
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
