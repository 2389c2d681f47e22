"""The Image page's guided lesson: questions from what the shipped CNN computed for the image, and the presets.

Pure functions (numpy and attention_core only): each view has its step maker,
a function of the numbers that view shows (the learned map and class
probabilities, the moved scene's map, the student's own query map), which
returns the questions with their answers.  Each question names the
quantities it asks about (``asks``): ``"map"`` (the learned attention map
and what is read off it), ``"probs"`` (the class probabilities and the
predicted class), ``"regions"`` (how many regions the CNN's grid has),
``"weights"`` (the student's own query map).  No question's words state
another question's answer.
"""

from __future__ import annotations

import numpy as np

from attention_core.image_model import points_at_target
from attention_core.images import most_attended
from ui.guide_steps import Step, Word, choose_options

# No step has a ``mark``: ui.guided.highlight outlines matrix cells, while these maps are drawn over the image
# in pixels; the overlay outlines the most attended regions itself once the map shows.

LESSON = "image"
QUARTERS = ("top_left", "top_right", "bottom_left", "bottom_right")
YES_NO = (Word("guide.image.yes"), Word("guide.image.no"))


def steps(weights: np.ndarray, probabilities: np.ndarray, classes, size: int, halvings: int) -> list[Step]:
    """The lesson for the learned view: weights ``[g, g]``, probabilities ``[classes]``.

    ``size``: the px a side the CNN shrinks the image to; ``halvings``: its
    stride-2 layers (so the grid has ``size / 2**halvings`` regions a side).
    """
    w, p = np.asarray(weights, dtype=np.float64), np.asarray(probabilities, dtype=np.float64)
    return [predicted_shape(p, list(classes)), quarter(w), regions(w, size, halvings)]


def predicted_shape(p: np.ndarray, classes: list[str], name: str = "shape") -> Step:
    """What shape does the model say the red object is?  (Its class of highest probability.)"""
    ranked = np.argsort(-p, kind="stable")
    best = int(ranked[0])
    options, answer = choose_options(best, [int(k) for k in ranked[1:] if p[best] - p[k] >= 0.01])
    return Step(
        LESSON,
        name,
        values={"name": Word(f"image.class.{classes[best]}"), "p": round(100 * float(p[best]))},
        options=tuple(Word(f"image.class.{classes[k]}") for k in options),
        answer=answer,
        asks=("probs",),
    )


def quarter_of(w: np.ndarray) -> str:
    """The quarter ("top_left", …) of the map's most attended region."""
    ((r, c),) = most_attended(w, 1)
    rows, cols = w.shape
    return ("top" if r < rows / 2 else "bottom") + "_" + ("left" if c < cols / 2 else "right")


def quarter(w: np.ndarray) -> Step:
    """Which quarter of the image holds the most attended region?"""
    ((r, c),) = most_attended(w, 1)
    return Step(
        LESSON,
        "quarter",
        values={"row": r + 1, "col": c + 1, "w": round(float(w[r, c]), 3)},
        options=tuple(Word(f"guide.image.quarter.{q}") for q in QUARTERS),
        answer=QUARTERS.index(quarter_of(w)),
        asks=("map",),
    )


def regions(w: np.ndarray, size: int, halvings: int) -> Step:
    """How many regions does the learned query attend over?  Worked out from the CNN's input size and strides."""
    g = w.shape[0]
    return Step(
        LESSON,
        "regions",
        values={"size": size, "halvings": halvings, "g": g, "count": w.size},
        answer=w.size,
        decimals=0,
        asks=("regions", "map"),  # the map's grid shows the regions, so it waits too
    )


def move_steps(weights: np.ndarray, probabilities: np.ndarray, classes, target_mask: np.ndarray) -> list[Step]:
    """The lesson for the moved scene (the "now" picture): does the map follow the object, and the shape named."""
    w, p = np.asarray(weights, dtype=np.float64), np.asarray(probabilities, dtype=np.float64)
    hit = points_at_target(w, target_mask)
    ((r, c),) = most_attended(w, 1)
    follows = Step(
        LESSON,
        "follows",
        values={"w": round(float(w[r, c]), 3), "on": Word("guide.image.on" if hit else "guide.image.off")},
        options=YES_NO,
        answer=0 if hit else 1,
        asks=("map",),
    )
    # no quarter question here: the reveal above shows the map, and the picture shows the object's quarter
    return [follows, predicted_shape(p, list(classes), "moved_shape")]


def own_steps(weights: np.ndarray, query: tuple[int, int]) -> list[Step]:
    """The lesson for the student's own query region: does it attend most to itself, and how many regions share?

    ``weights`` ``[rows, cols]`` of the query region ``query`` (row, col, 0-based).
    """
    w = np.asarray(weights, dtype=np.float64)
    r, c = query
    top = float(w.max())
    itself = bool(w[r, c] >= top - 1e-6)  # a tie with a look-alike region still counts as itself
    ((br, bc),) = most_attended(w, 1)
    best = (r, c) if itself else (br, bc)
    self_step = Step(
        LESSON,
        "itself",
        values={
            "row": r + 1,
            "col": c + 1,
            "self_w": round(float(w[r, c]), 3),
            "top": round(top, 3),
            "top_row": best[0] + 1,
            "top_col": best[1] + 1,
        },
        options=(Word("guide.image.itself.yes"), Word("guide.image.itself.no")),
        answer=0 if itself else 1,
        asks=("weights",),
    )
    half = top / 2
    count = int((w >= half).sum())
    share_step = Step(
        LESSON,
        "similar",
        values={
            "row": r + 1,
            "col": c + 1,
            "n": w.size,
            "count": count,
            "half": round(half, 3),
            "share": round(float(w[w >= half].sum()), 3),
        },
        answer=count,
        tolerance=max(1.0, round(0.25 * count)),  # a guess within a quarter of the count is a good one
        decimals=0,
        asks=("weights",),
    )
    return [self_step, share_step]


def presets() -> list[tuple[str, dict]]:
    """[(catalog key of the preset's name, its URL settings)]."""
    return [
        # each opens on the question that makes its point
        ("guide.image.preset.learned", {"view": "learned", "guide": "quarter"}),
        ("guide.image.preset.move", {"view": "move", "move": 1}),
        # a region inside the green circle: on colour + edges, its look-alikes are the green square's inside too
        ("guide.image.preset.own", {"view": "own", "row": 11, "col": 5, "guide": "similar"}),
    ]
