"""The Self-attention page's guided lesson: questions from the layer's own weights, and the teacher presets.

Pure functions (numpy and attention_core only): ``steps`` takes the numbers the page computed
(every head's n×n weights and scores, the mask) and returns the questions
with their answers; ``tests/app/test_guides.py`` checks them against torch.
"""

from __future__ import annotations

import numpy as np

from attention_core.softmax import mean_entropy
from ui.guide_steps import Step, Word, choose_options, distinct_labels

LESSON = "sa"
NEAR = 0.01  # options closer than this to the answer (in weight or bits) would make two answers right
ROW1 = ("one_hot", "uniform", "last", "depends")  # what row 1 of the causal weights could be


def steps(
    weights: np.ndarray,
    scores: np.ndarray,
    allowed: np.ndarray,
    row_labels,
    key_labels,
    mask: str,
    cross: bool,
    d_model: int,
    temperature: float = 1.0,
) -> list[Step]:
    """The lesson for one layer: weights, scores ``[h, n_q, n_k]`` (exact, not block-averaged), allowed ``[n_q, n_k]``.

    ``mask``: the mask kind in force; ``temperature``: T (a question of its own when T ≠ 1).  The questions are about head 1 and the
    last row, not the head and cell the page has picked: a student exploring
    after a reveal (clicking cells, switching heads) keeps the exercise.
    """
    weights, scores = np.asarray(weights, dtype=np.float64), np.asarray(scores, dtype=np.float64)
    allowed = np.asarray(allowed, dtype=bool)
    h, head = weights.shape[0], 0
    out = []
    if not cross and mask in ("none", "causal"):
        out.append(causal_row_one(weights, head, mask == "causal"))
    row = _question_row(allowed)
    if row is not None:
        rows, keys = distinct_labels(row_labels), distinct_labels(key_labels)
        out.append(top_key(weights, scores, allowed, rows, keys, head, row))
        if temperature != 1:
            out.append(temperature_step(weights, scores, allowed, rows, keys, head, row, temperature))
    out.append(head_size(d_model, h))
    if h >= 2:
        spread = most_spread_head(weights, allowed)
        if spread is not None:
            out.append(spread)
    return out


def causal_row_one(weights: np.ndarray, head: int, causal: bool) -> Step:
    """After the causal mask, what is row 1 of the weights?  Token 1 sees only itself: [1, 0, 0, …]."""
    n = weights.shape[-1]
    # with the mask on, read the page's row; without it, row 1 under the mask is a softmax over one key
    row = weights[head, 0] if causal else np.eye(n)[0]
    if np.isclose(row[0], 1.0) and np.allclose(row[1:], 0.0):
        answer = "one_hot"
    elif np.allclose(row, 1.0 / n):
        answer = "uniform"
    elif np.isclose(row[-1], 1.0):
        answer = "last"
    else:
        answer = "depends"
    return Step(
        LESSON,
        "row1" if causal else "row1_if",
        values={"head": head + 1, "w": round(float(row[0]), 3), "n": n},
        options=tuple(Word(f"guide.sa.row1.{name}") for name in ROW1),
        answer=ROW1.index(answer),
        asks=("weights",) if causal else (),
        mark=(0, 0) if causal else None,
    )


def _question_row(allowed: np.ndarray) -> int | None:
    """The last row that may attend to two keys or more (under the causal mask it sees every key)."""
    rows = np.flatnonzero(allowed.sum(axis=1) >= 2)
    return int(rows[-1]) if rows.size else None


def top_key(weights, scores, allowed, row_names, key_names, head: int, row: int) -> Step:
    """Which key does token ``row`` attend to most in ``head``?  Predicted from the scores matrix."""
    w = weights[head, row]
    keep = allowed[row]
    ranked = np.flatnonzero(keep)[np.argsort(-w[keep], kind="stable")]
    best = int(ranked[0])
    options, answer = choose_options(best, [j for j in ranked[1:] if w[best] - w[j] >= NEAR])
    return Step(
        LESSON,
        "top_key",
        values={
            "token": row_names[row],
            "head": head + 1,
            "key": key_names[best],
            "w": round(float(w[best]), 3),
            "s": round(float(scores[head, row, best]), 2),
        },
        options=tuple(key_names[j] for j in options),
        answer=answer,
        asks=("weights",),
        mark=(row, best),
    )


def _softmax(scores_row: np.ndarray, keep: np.ndarray, temperature: float) -> np.ndarray:
    """softmax(s / T) over the allowed keys (0 elsewhere): a row's weights at another temperature."""
    z = np.where(keep, scores_row / temperature, -np.inf)
    e = np.exp(z - z[keep].max())
    return e / e.sum()


def temperature_step(weights, scores, allowed, row_names, key_names, head: int, row: int, temperature: float) -> Step:
    """At T = 1, token ``row``'s favourite key gets w₁; at the page's T, does it get more, less or the same?

    The favourite is the key with the largest score (the softmax keeps the order
    at every T); w₁ is computed from the row's scores, the answer is the page's weight.
    """
    keep = allowed[row]
    w_one = _softmax(scores[head, row], keep, 1.0)
    best = int(np.flatnonzero(keep)[np.argmax(scores[head, row][keep])])
    w_t = float(weights[head, row, best])
    delta = w_t - float(w_one[best])
    outcome = "up" if delta > 0.005 else "down" if delta < -0.005 else "same"
    return Step(
        LESSON,
        "temperature",
        values={
            "token": row_names[row],
            "head": head + 1,
            "key": key_names[best],
            "T": temperature,
            "w1": round(float(w_one[best]), 3),
            "w": round(w_t, 3),
        },
        options=(Word("guide.up"), Word("guide.down"), Word("guide.same")),
        answer=("up", "down", "same").index(outcome),
        asks=("weights",),
        mark=(row, best),
    )


def head_size(d_model: int, h: int) -> Step:
    """How many dimensions does each head's query have?  d_head = d_model / h."""
    return Step(
        LESSON,
        "d_head",
        values={"d_model": d_model, "h": h, "d_head": d_model // h},
        answer=d_model // h,
        asks=("d_head",),
        decimals=0,
    )


def most_spread_head(weights: np.ndarray, allowed: np.ndarray) -> Step | None:
    """Which head spreads its attention most (the highest mean entropy)?  None when the heads tie."""
    h_mean = mean_entropy(weights, allowed).numpy()  # [h], bits
    ranked = np.argsort(-h_mean, kind="stable")
    best, sharp = int(ranked[0]), int(ranked[-1])
    others = [k for k in ranked[1:] if h_mean[best] - h_mean[k] >= NEAR]
    if not others:
        return None
    options, answer = choose_options(best, others)
    return Step(
        LESSON,
        "spread",
        values={
            "head": best + 1,
            "h_max": round(float(h_mean[best]), 2),
            "sharp": sharp + 1,
            "h_min": round(float(h_mean[sharp]), 2),
        },
        options=tuple(Word("guide.sa.head", (("k", k + 1),)) for k in options),
        answer=answer,
        asks=("entropy",),
    )


# ---- presets for teachers
DATA = {"kind": "clusters", "n": 8, "d": 4, "seed": 0}
BASE = DATA | {"attn": "self", "d_model": 8, "heads": 2, "wseed": 0, "mask": "none", "temperature": 1.0, "view": "head"}


def presets() -> list[tuple[str, dict]]:
    """[(catalog key of the preset's name, its URL settings)]; ``guide`` names the question that makes its point."""
    return [
        ("guide.sa.preset.causal", BASE | {"mask": "causal", "i": 1, "guide": "row1"}),
        # four heads: which spreads its attention most (mean entropies 2.42, 2.03, 2.39, 2.71 bits: head 4)
        ("guide.sa.preset.heads", BASE | {"heads": 4, "view": "all", "guide": "spread"}),
        # T = 0.2: the favourite key of x8 takes more weight than at T = 1 (the rows' largest weights run
        # from 0.21 to 0.92 here, so the preset does not claim that every row goes to one key)
        ("guide.sa.preset.sharp", BASE | {"temperature": 0.2, "guide": "temperature"}),
        ("guide.sa.preset.cross", BASE | {"attn": "cross", "m": 6, "guide": "top_key"}),
    ]
