"""The Seq2seq page's guided lesson: questions from the alignment the model produced for the typed input.

Pure functions (numpy only): ``steps`` takes the input, the output and the
alignment weights ``[len(output), len(input)]`` and returns the questions
with their answers (they ask about ``"alignment"``); ``why_steps`` takes the
accuracy by length with and without attention (they ask about
``"accuracy"``).  ``tests/app/test_guides.py`` checks them.
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


BANDS = (0.1, 0.5, 0.9)  # accuracy bands offered as answers: below 10 %, 10–50 %, 50–90 %, 90 % or more
CLEAR_GAP = 0.05  # a gap under 5 points between the two models is "about the same"


def band(accuracy: float) -> int:
    """The band (0…3) an accuracy (a fraction) falls in."""
    return int(np.searchsorted(BANDS, accuracy, side="right"))


def band_options() -> tuple[Word, ...]:
    return tuple(Word(f"guide.s2s.band.{k}") for k in range(len(BANDS) + 1))


def why_steps(lengths, with_attention, without) -> list[Step]:
    """The lesson for the Why view: accuracy (fractions) by input length ``lengths``, with and without attention.

    How often each model is exactly right at the longest length, then where attention helps most.
    """
    lengths = [int(n) for n in lengths]
    att, base = np.asarray(with_attention, dtype=np.float64), np.asarray(without, dtype=np.float64)
    n = lengths[-1]
    percent = lambda a: round(100 * float(a), 1)  # noqa: E731
    at_longest = [
        Step(
            LESSON,
            name,
            values={"n": n, "acc": percent(acc[-1])},
            options=band_options(),
            answer=band(acc[-1]),
            asks=("accuracy",),
        )
        for name, acc in (("without", base), ("with", att))
    ]
    return at_longest + [gap_step(lengths, att, base)]


def gap_step(lengths: list[int], att: np.ndarray, base: np.ndarray) -> Step:
    """Where does attention help most: on the shorter half of the lengths, the longer half, or nowhere?"""
    gap = att - base
    k = int(np.argmax(gap))
    half = (len(lengths) + 1) // 2
    short, long = (lengths[0], lengths[half - 1]), (lengths[min(half, len(lengths) - 1)], lengths[-1])
    where = "nowhere" if gap[k] < CLEAR_GAP else "short" if k < half else "long"
    return Step(
        LESSON,
        "gap",
        values={
            "n": lengths[k],
            "gap": round(100 * float(gap[k]), 1),
            "reason": Word(f"guide.s2s.gap.reason.{where}"),
        },
        options=(
            Word("guide.s2s.gap.short", (("lo", short[0]), ("hi", short[1]))),
            Word("guide.s2s.gap.long", (("lo", long[0]), ("hi", long[1]))),
            Word("guide.s2s.gap.nowhere"),
        ),
        answer=("short", "long", "nowhere").index(where),
        asks=("accuracy",),
    )


def presets() -> list[tuple[str, dict]]:
    """[(catalog key of the preset's name, its URL settings)]."""
    return [
        # the point of these two is where the bright cells run: they open on that question
        ("guide.s2s.preset.reverse", {"task": "reverse", "view": "try", "text": "attention", "guide": "shape"}),
        ("guide.s2s.preset.copy", {"task": "copy", "view": "try", "text": "attention", "guide": "shape"}),
        ("guide.s2s.preset.why", {"task": "reverse", "view": "why"}),
    ]
