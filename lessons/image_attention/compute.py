"""The Image page's numbers from the core: the shipped CNN's learned query, and the student's own query over regions.

``attention(...)`` is the page's one call; it returns the frozen ``ImageAttention``
every view draws from.  The caches hold pure results, shared by every session
(the model is loaded once per server and only read).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from attention_core.image_model import ImagePrediction, LoadedImageModel, load_image_model, predict
from attention_core.images import most_attended, region_features, spatial_attention
from lessons.image_attention.controls import SAMPLE_SIZE


@st.cache_resource(show_spinner=False)
def image_model() -> LoadedImageModel:
    """The shipped model, loaded once per server and shared read-only by every session."""
    return load_image_model()


@st.cache_data(max_entries=64, max_size="16MB", show_spinner=False)
def prediction(image: np.ndarray) -> ImagePrediction:
    return predict(image_model(), image)


@st.cache_data(max_entries=64, max_size="16MB", show_spinner=False)
def features(image: np.ndarray, kind: str, patch: int) -> tuple[np.ndarray, tuple[int, int]]:
    """X ``[n, d]`` and the grid: the model's own region features for "cnn", else computed from the pixels."""
    if kind == "cnn":
        g = image_model().model.grid
        return prediction(image).features, (g, g)
    return region_features(image, patch, kind)


@st.cache_data(max_entries=256, max_size="16MB", show_spinner=False)
def _own_map(image: np.ndarray, kind: str, patch: int, qi: int, method: str, temperature: float):
    """(scores, weights) ``[rows, cols]`` and output ``[d]`` of region qi's query: a rerun that changed nothing reuses them."""
    x, grid = features(image, kind, patch)
    result = spatial_attention(x[qi], x, grid, method=method, temperature=temperature)
    return result.scores.numpy(), result.weights.numpy(), result.output.numpy()


def grid_side(kind: str, patch: int) -> int:
    """Regions a side of a sample's grid: the CNN's, or the sample's size over the region size."""
    return image_model().model.grid if kind == "cnn" else SAMPLE_SIZE // patch


def grid(image: np.ndarray, settings: dict) -> tuple[int, int]:
    """(rows, cols) of the own query's regions with these settings."""
    return features(image, settings["features"], int(settings["patch"]))[1]


def favourite(image: np.ndarray, grid: tuple[int, int]) -> tuple[int, int]:
    """The region (0-based) the model attends to most, on a ``rows × cols`` grid: where the own query starts."""
    ((mr, mc),) = most_attended(prediction(image).weights, 1)
    g = image_model().model.grid
    return int((mr + 0.5) * grid[0] / g), int((mc + 0.5) * grid[1] / g)


@dataclass(frozen=True)
class OwnQuery:
    """The student's query: region (r, c) of a rows × cols grid, X ``[n, d]`` row by row, and its map."""

    x: np.ndarray  # [n, d]
    rows: int
    cols: int
    r: int
    c: int
    scores: np.ndarray  # [rows, cols]
    weights: np.ndarray  # [rows, cols]
    output: np.ndarray  # [d]

    @property
    def index(self) -> int:
        return self.r * self.cols + self.c


@dataclass(frozen=True)
class ImageAttention:
    """What the views draw: the CNN's learned query over the image (and over the scene before the last move, on
    the move view), and the student's own query (on the own view)."""

    prediction: ImagePrediction
    before: ImagePrediction | None = None
    own: OwnQuery | None = None


def attention(image: np.ndarray, settings: dict, region=None, before: np.ndarray | None = None) -> ImageAttention:
    """The page's numbers: ``predict`` on ``image`` (and on ``before``), and region ``(r, c)``'s query as q over X."""
    own = None
    if region is not None:
        kind, patch = settings["features"], int(settings["patch"])
        x, (rows, cols) = features(image, kind, patch)
        r, c = region
        scores, weights, output = _own_map(
            image, kind, patch, r * cols + c, settings["method"], float(settings["temperature"])
        )
        own = OwnQuery(x, rows, cols, r, c, scores, weights, output)
    return ImageAttention(prediction(image), None if before is None else prediction(before), own)
