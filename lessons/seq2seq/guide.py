"""The Seq2seq page's guided lesson: questions from the alignment the model produced for the typed input.

Pure functions (numpy only): ``steps`` takes the input, the output and the
alignment weights ``[len(output), len(input)]`` and returns the questions
with their answers; ``tests/app/test_guides.py`` checks them.
"""

from __future__ import annotations

import numpy as np

from ui.guide_steps import Step, Word, choose_options

LESSON = "s2s"
NEAR = 0.01
SHAPES = ("diagonal", "anti", "column", "scattered")  # where the bright cells of the alignment run


def steps(text: str, output: str, weights: np.ndarray | None) -> list[Step]:
    """The lesson for one prediction; none without an alignment (the baseline) or with fewer than 2 letters."""
    if weights is None or len(output) < 2 or len(text) < 2:
        return []
    w = np.asarray(weights, dtype=np.float64)
    names = [f"{'␣' if c == ' ' else c} ({k + 1})" for k, c in enumerate(text)]  # a letter and its place: "t (3)"
    return [
        looks_at(w, names, output, 0, "first"),
        looks_at(w, names, output, len(output) - 1, "last"),
        alignment_shape(w),
    ]


def looks_at(w: np.ndarray, names: list[str], output: str, t: int, name: str) -> Step:
    """While writing output letter t, which input letter does the decoder look at most?"""
    ranked = np.argsort(-w[t], kind="stable")
    best = int(ranked[0])
    options, answer = choose_options(best, [j for j in ranked[1:] if w[t, best] - w[t, j] >= NEAR])
    return Step(
        LESSON,
        name,
        values={"out": output[t], "t": t + 1, "letter": names[best], "k": best + 1, "w": round(float(w[t, best]), 3)},
        options=tuple(names[j] for j in options),
        answer=answer,
        asks=("alignment",),
        mark=(t, best),
    )


def alignment_shape(w: np.ndarray) -> Step:
    """Where do the bright cells run: the diagonal, the anti-diagonal, one column, or scattered?"""
    looked = np.argmax(w, axis=1)  # the input position each output letter looked at most
    if np.unique(looked).size == 1:
        shape = "column"
    else:
        rho = float(np.corrcoef(np.arange(len(looked)), looked)[0, 1])
        shape = "diagonal" if rho > 0.8 else "anti" if rho < -0.8 else "scattered"
    return Step(
        LESSON,
        "shape",
        values={"reason": Word(f"guide.s2s.shape.reason.{shape}")},
        options=tuple(Word(f"guide.s2s.shape.{s}") for s in SHAPES),
        answer=SHAPES.index(shape),
        asks=("alignment",),
    )


def presets() -> list[tuple[str, dict]]:
    """[(catalog key of the preset's name, its URL settings)]."""
    return [
        ("guide.s2s.preset.reverse", {"task": "reverse", "view": "try", "text": "attention"}),
        ("guide.s2s.preset.copy", {"task": "copy", "view": "try", "text": "attention"}),
        ("guide.s2s.preset.why", {"task": "reverse", "view": "why"}),
    ]
