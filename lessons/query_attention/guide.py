"""The Query page's guided lesson: questions made from the numbers the page computed, and the teacher presets.

Pure functions (numpy and attention_core only): ``steps`` takes the page's
scores, weights and output and returns the questions with their answers;
``tests/app/test_guides.py`` checks each answer against torch.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from attention_core.sequences import generate_sequence
from attention_core.softmax import entropy, softmax
from attention_core.text_parsing import format_vectors
from ui.guide_steps import Step, Word, choose_options, distinct_labels

LESSON = "query"
# The quantities a question asks about (``Step.asks``); the page hides every element showing one while it is open:
# "weights"    the selected query's weights in any form (values, order, colour, marker size, hover, downloads)
# "output"     its output o (components, position in 2-D, norm)
# "comparison" its weights under other settings (the Compare view)
NEAR = 0.01  # options closer than this to the answer (in weight or distance) would make two answers right
PLAIN_EXP_MAX = 30.0  # up to e^30 the softmax is written with plain e^(a/T); beyond, shifted by the largest score


def steps(
    x: np.ndarray,
    labels,
    a: np.ndarray,
    w: np.ndarray,
    o: np.ndarray,
    temperature: float,
    allowed: np.ndarray,
) -> list[Step]:
    """The lesson for one query: x ``[n, d]`` tokens, a, w ``[n]`` its scores and weights, o ``[d]`` its output.

    ``allowed`` ``[n]`` bool: the tokens the mask lets the query see.  No
    steps when fewer than two tokens are allowed (nothing to predict).
    """
    x, a, w, o = (np.asarray(v, dtype=np.float64) for v in (x, a, w, o))
    allowed = np.asarray(allowed, dtype=bool)
    if allowed.sum() < 2:
        return []
    names = distinct_labels(labels)
    return [
        top_weight(names, a, w, allowed),
        halve_temperature(names, a, w, temperature, allowed),
        softmax_by_hand(names, a, w, temperature, allowed),
        closest_to_output(names, x, w, o),
    ]


def _order(values: np.ndarray, keep: np.ndarray, descending: bool = True) -> np.ndarray:
    """Indices of ``keep``'s tokens sorted by ``values``."""
    idx = np.flatnonzero(keep)
    return idx[np.argsort(-values[idx] if descending else values[idx], kind="stable")]


def top_weight(names: list[str], a: np.ndarray, w: np.ndarray, allowed: np.ndarray) -> Step:
    """Which token gets the most weight?  Predicted from the scores (the weights chart waits)."""
    ranked = _order(w, allowed)
    top = int(ranked[0])
    others = [i for i in ranked[1:] if w[top] - w[i] >= NEAR]  # a near tie is no fair distractor
    options, answer = choose_options(top, others)
    return Step(
        LESSON,
        "top",
        values={"token": names[top], "a": round(float(a[top]), 2), "w": round(float(w[top]), 3)},
        options=tuple(names[i] for i in options),
        answer=answer,
        asks=("weights",),
        mark=top,
    )


def halve_temperature(names: list[str], a: np.ndarray, w: np.ndarray, temperature: float, allowed) -> Step:
    """If T halves, does the entropy of the weights go up, down or stay?  (Down, unless the scores tie.)"""
    half = temperature / 2
    w_half = softmax(a, temperature=half, mask=allowed).numpy()
    h, h_half = float(entropy(w)), float(entropy(w_half))
    if h_half < h - 1e-6:
        outcome = "down"
    elif h_half > h + 1e-6:
        outcome = "up"
    else:
        outcome = "same"
    top = int(_order(w, allowed)[0])
    return Step(
        LESSON,
        "temperature",
        values={
            "T": temperature,
            "half": half,
            "h": round(h, 2),
            "h_half": round(h_half, 2),
            "token": names[top],
            "w": round(float(w[top]), 3),
            "w_half": round(float(w_half[top]), 3),
            "reason": Word(f"guide.query.temperature.reason.{outcome}"),
        },
        options=(Word("guide.up"), Word("guide.down"), Word("guide.same")),
        answer=("up", "down", "same").index(outcome),
        asks=("comparison",),  # the weights at another temperature (Compare's B is T = 0.5 unless changed)
        mark=top if outcome == "down" else None,
    )


def softmax_by_hand(names: list[str], a: np.ndarray, w: np.ndarray, temperature: float, allowed) -> Step:
    """w_j = e^(a_j/T) / Σᵢ e^(aᵢ/T) with the page's numbers, for the runner-up token j (a number, ±0.01)."""
    ranked = _order(w, allowed)
    j = int(ranked[1])
    z = a[allowed] / temperature
    shift = float(z.max()) if z.max() > PLAIN_EXP_MAX else 0.0  # e^(a/T) would overflow the display
    total = float(np.exp(z - shift).sum())
    return Step(
        LESSON,
        "softmax_shifted" if shift else "softmax",
        values={
            "token": names[j],
            "a": round(float(a[j]), 3),
            "T": temperature,
            "z": round(float(a[j] / temperature - shift), 3),
            "shift": round(shift, 3),
            "total": float(f"{total:.4g}"),
            "w": round(float(w[j]), 3),
        },
        answer=round(float(w[j]), 3),
        tolerance=0.01,
        asks=("weights",),
        mark=j,
    )


def closest_to_output(names: list[str], x: np.ndarray, w: np.ndarray, o: np.ndarray) -> Step:
    """Which token is the output o = Σ wᵢxᵢ closest to (Euclidean distance)?"""
    dist = np.linalg.norm(x - o, axis=1)
    ranked = np.argsort(dist, kind="stable")
    near = int(ranked[0])
    others = [i for i in ranked[1:] if dist[i] - dist[near] >= NEAR]
    options, answer = choose_options(near, others)
    top = int(np.argmax(w))
    return Step(
        LESSON,
        "closest",
        values={
            "token": names[near],
            "dist": round(float(dist[near]), 2),
            "top": names[top],
            "w": round(float(w[top]), 3),
            "reason": Word("guide.query.closest.reason." + ("top" if near == top else "other")),
        },
        options=tuple(names[i] for i in options),
        answer=answer,
        asks=("output",),
        mark=near,
    )


# ---- presets for teachers: settings that make one point, each a link
DATA = {"kind": "clusters", "n": 8, "d": 4, "seed": 0}
DEFAULT_Q = "-0.32,-0.49,1.68,1.97"  # the page's default query for DATA (controls.default_query(4, 0))


@lru_cache(maxsize=1)
def _tokens() -> np.ndarray:
    return generate_sequence(DATA["kind"], DATA["n"], DATA["d"], DATA["seed"]).values


def _q(vector) -> str:
    return format_vectors(np.round(np.atleast_2d(vector), 2)).replace(", ", ",")


def presets() -> list[tuple[str, dict]]:
    """[(catalog key of the preset's name, its URL settings)]: every setting a point depends on is given."""
    x = _tokens()
    # every setting the point depends on is in the link (a preset followed mid-session replaces what was set)
    base = DATA | {"mask": "", "scale": 1.0}
    plain = base | {"method": "dot", "temperature": 1.0}
    return [
        # q = x3, yet x6 wins: a dot product also rewards length (cosine gives x3 the most); asks which token wins
        ("guide.query.preset.copy", plain | {"q": _q(x[2])}),
        # x4 and x5 are neighbours: a query between them splits its attention; asks the runner-up's weight
        (
            "guide.query.preset.split",
            base | {"method": "cosine", "temperature": 0.1, "q": _q((x[3] + x[4]) / 2), "guide": "softmax"},
        ),
        # the temperature presets open on the question about T
        ("guide.query.preset.sharp", plain | {"temperature": 0.2, "q": DEFAULT_Q, "guide": "temperature"}),
        ("guide.query.preset.flat", plain | {"temperature": 5.0, "q": DEFAULT_Q, "guide": "temperature"}),
        # the default query's favourite, x5, masked: the weight moves to its neighbour x4; asks which token wins now
        ("guide.query.preset.mask", plain | {"mask": "5", "q": DEFAULT_Q}),
    ]
