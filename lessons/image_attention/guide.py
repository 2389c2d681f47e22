"""The Image page's guided lesson: questions from what the shipped CNN computed for the image, and the presets.

Pure functions (numpy and attention_core only): ``steps`` takes the learned
attention map, the class probabilities and (for a generated scene) where the
red object is, and returns the questions with their answers.
"""

from __future__ import annotations

import numpy as np

from attention_core import most_attended
from attention_core.image_model import points_at_target
from ui.guide_steps import Step, Word, choose_options

LESSON = "image"
QUARTERS = ("top_left", "top_right", "bottom_left", "bottom_right")


def steps(weights: np.ndarray, probabilities: np.ndarray, classes, target_mask: np.ndarray | None) -> list[Step]:
    """The lesson for the learned view: weights ``[g, g]``, probabilities ``[classes]``, target_mask ``[H, W]`` or None."""
    w, p = np.asarray(weights, dtype=np.float64), np.asarray(probabilities, dtype=np.float64)
    out = [predicted_shape(p, list(classes))]
    if target_mask is not None:
        out.append(on_the_object(w, target_mask))
    out.append(quarter(w))
    g = w.shape[0]
    out.append(Step(LESSON, "regions", values={"g": g, "count": w.size}, answer=w.size, decimals=0))
    return out


def predicted_shape(p: np.ndarray, classes: list[str]) -> Step:
    """What shape does the model say the red object is?  (Its class of highest probability.)"""
    ranked = np.argsort(-p, kind="stable")
    best = int(ranked[0])
    options, answer = choose_options(best, [int(k) for k in ranked[1:] if p[best] - p[k] >= 0.01])
    return Step(
        LESSON,
        "shape",
        values={"name": Word(f"image.class.{classes[best]}"), "p": round(100 * float(p[best]))},
        options=tuple(Word(f"image.class.{classes[k]}") for k in options),
        answer=answer,
        asks=("probs",),
    )


def on_the_object(w: np.ndarray, target_mask: np.ndarray) -> Step:
    """Does the learned query's most attended region lie on the red object?  (The pointing game.)"""
    hit = points_at_target(w, target_mask)
    ((r, c),) = most_attended(w, 1)
    return Step(
        LESSON,
        "object",
        values={"row": r + 1, "col": c + 1, "w": round(float(w[r, c]), 3)},
        options=(Word("guide.image.object.yes"), Word("guide.image.object.no")),
        answer=0 if hit else 1,
        asks=("map",),
    )


def quarter(w: np.ndarray) -> Step:
    """Which quarter of the image holds the most attended region?"""
    ((r, c),) = most_attended(w, 1)
    rows, cols = w.shape
    name = ("top" if r < rows / 2 else "bottom") + "_" + ("left" if c < cols / 2 else "right")
    return Step(
        LESSON,
        "quarter",
        values={"row": r + 1, "col": c + 1, "w": round(float(w[r, c]), 3)},
        options=tuple(Word(f"guide.image.quarter.{q}") for q in QUARTERS),
        answer=QUARTERS.index(name),
        asks=("map",),
    )


def presets() -> list[tuple[str, dict]]:
    """[(catalog key of the preset's name, its URL settings)]."""
    return [
        ("guide.image.preset.learned", {"view": "learned"}),
        ("guide.image.preset.move", {"view": "move", "move": 1}),
        ("guide.image.preset.own", {"view": "own"}),
    ]
