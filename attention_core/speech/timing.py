"""Word timing the way openai/whisper's ``timing.py`` does it, one small step per function.

alignment heads' cross-attention → standardise each frame across tokens → median filter along time →
average the heads → dynamic time warping (DTW) finds the cheapest monotonic path through −matrix →
where the path steps to the next token is when that token starts.
Each step can be switched off, so a student sees what it adds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .tokens import Unit

FRAME_SECONDS = 0.02


def head_weights(cross: np.ndarray, heads) -> np.ndarray:
    """The chosen heads' weights: cross ``[layers, heads, tokens, frames]``, heads [(layer, head)] → ``[h, t, f]``."""
    return np.stack([cross[layer, head] for layer, head in heads])


def standardise(weights: np.ndarray) -> np.ndarray:
    """Each frame's column z-scored across the tokens: ``[h, t, f]`` → same shape.

    A frame every token attends to (silence at the end soaks up weight) stops standing out;
    what remains is which token a frame belongs to more than the others.
    """
    mean = weights.mean(axis=-2, keepdims=True)
    std = weights.std(axis=-2, keepdims=True)
    return (weights - mean) / np.maximum(std, 1e-12)


def median_filter(weights: np.ndarray, width: int) -> np.ndarray:
    """Median of ``width`` neighbouring frames (odd width; reflected at the ends) along the last axis.

    Removes single-frame spikes so the path follows the broad ridge; width 1 changes nothing.
    """
    if width <= 1:
        return weights
    if width % 2 == 0:
        raise ValueError("The median filter's width must be odd.")
    half = width // 2
    if weights.shape[-1] <= half:  # too short to reflect: nothing to smooth
        return weights
    padded = np.pad(weights, [(0, 0)] * (weights.ndim - 1) + [(half, half)], mode="reflect")
    windows = np.lib.stride_tricks.sliding_window_view(padded, width, axis=-1)  # [..., f, width]
    return np.median(windows, axis=-1)


def dtw(cost: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The cheapest path from (0, 0) to (t−1, f−1) through ``cost [t, f]`` moving down, right or diagonally.

    Returns (token_index, frame_index), equal-length int arrays along the path; both never decrease.
    Ties go right first, as in openai/whisper's ``dtw_cpu``.
    """
    t, f = cost.shape
    total = np.full((t + 1, f + 1), np.inf)
    total[0, 0] = 0.0
    came_from = np.zeros((t + 1, f + 1), dtype=np.int8)  # 0 diagonal, 1 from above (next token), 2 from left
    for j in range(1, f + 1):
        for i in range(1, t + 1):
            options = (total[i - 1, j - 1], total[i - 1, j], total[i, j - 1])
            if options[0] < options[1] and options[0] < options[2]:
                step = 0
            elif options[1] < options[0] and options[1] < options[2]:
                step = 1
            else:
                step = 2
            total[i, j] = cost[i - 1, j - 1] + options[step]
            came_from[i, j] = step
    came_from[0, :], came_from[:, 0] = 2, 1
    i, j, path = t, f, []
    while i > 0 or j > 0:
        path.append((i - 1, j - 1))
        step = came_from[i, j]
        i, j = (i - 1, j - 1) if step == 0 else (i - 1, j) if step == 1 else (i, j - 1)
    tokens, frames = np.array(path[::-1]).T
    return tokens, frames


@dataclass(frozen=True)
class Alignment:
    """The token × frame matrix the path runs through, the path, and each token's and word's times.

    ``matrix [t, f]`` (t = text tokens + EOT); ``path_tokens``, ``path_frames``: the DTW path;
    ``token_starts [t]`` seconds where the path first reaches each token; ``word_times``: (start, end) seconds.
    """

    matrix: np.ndarray
    path_tokens: np.ndarray
    path_frames: np.ndarray
    token_starts: np.ndarray
    word_times: tuple[tuple[float, float], ...]
    seconds: float = 0.0  # where the path ends: the clip's frames × 20 ms

    def span(self, tokens) -> tuple[float, float]:
        """(start, end) seconds of a run of tokens (a unit or a word): the path's first step onto the first
        token to its first step onto the token after the last."""
        end = tokens[-1] + 1
        return float(self.token_starts[tokens[0]]), float(
            self.token_starts[end] if end < len(self.token_starts) else self.seconds
        )


def align(
    cross: np.ndarray,
    heads,
    words: tuple[Unit, ...],
    frames_in_clip: int,
    normalise: bool = True,
    filter_width: int = 7,
) -> Alignment:
    """Word times from the cross-attention ``[layers, heads, t, frames]`` of the given heads (openai's recipe).

    ``frames_in_clip``: the frames that hold the clip's audio (the path ends there, not in padding).
    """
    weights = head_weights(cross, heads)[..., :frames_in_clip]  # [h, t, f]
    if normalise:
        weights = standardise(weights)
    weights = median_filter(weights, filter_width)
    matrix = weights.mean(axis=0)  # [t, f]
    path_tokens, path_frames = dtw(-matrix)
    jumps = np.diff(path_tokens, prepend=-1) > 0  # the path reaches a new token
    token_starts = path_frames[jumps] * FRAME_SECONDS  # [t]
    token_ends = np.append(token_starts[1:], frames_in_clip * FRAME_SECONDS)
    word_times = tuple(
        (float(token_starts[word.tokens[0]]), float(token_ends[word.tokens[-1]])) for word in words if word.tokens
    )
    seconds = frames_in_clip * FRAME_SECONDS
    return Alignment(matrix.astype(np.float32), path_tokens, path_frames, token_starts, word_times, seconds)


def unit_weights(weights: np.ndarray, units: tuple[Unit, ...]) -> np.ndarray:
    """Token rows ``[t, f]`` → one row per unit ``[u, f]``: the mean of its tokens' rows (a character's pieces)."""
    return np.stack([weights[list(unit.tokens)].mean(axis=0) for unit in units]) if units else weights[:0]


def stretch(weights: np.ndarray, fraction: float = 0.5) -> tuple[int, int]:
    """The frames a token looks at: the run around the largest weight where w ≥ ``fraction`` × max.

    Returns (first frame, last frame + 1) of ``weights [f]``.
    """
    peak = int(np.argmax(weights))
    strong = weights >= fraction * weights[peak]
    start, end = peak, peak + 1
    while start > 0 and strong[start - 1]:
        start -= 1
    while end < len(weights) and strong[end]:
        end += 1
    return start, end


def peak_frames(weights: np.ndarray) -> np.ndarray:
    """The frame each row attends to most: ``[u, f]`` → ``[u]`` int."""
    return np.argmax(weights, axis=-1)


def follows_time(weights: np.ndarray) -> float:
    """How well a head's peaks follow the words through time: Spearman's rank correlation of word order
    and peak frame (1: every next word peaks later; 0: no order; ``weights [u, f]``, u ≥ 2)."""
    peaks = peak_frames(weights).astype(np.float64)
    order = np.arange(len(peaks), dtype=np.float64)
    ranks = np.argsort(np.argsort(peaks, kind="stable"), kind="stable").astype(np.float64)
    if ranks.std() == 0:
        return 0.0
    return float(np.corrcoef(order, ranks)[0, 1])
