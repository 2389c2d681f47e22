"""Seeded scenes of coloured shapes: "what shape is the red object?"

A scene is a few shapes on a background; exactly one is red (the target)
and its shape is the label; the others (distractors) have other colours and
any shape.  A scene is first drawn as a ``SceneSpec`` (plain numbers in
[0, 1] coordinates), then rendered at any size, so the page can show it at
256 px and the model can read it at 64 px.  The target's mask comes with
every render, for evaluation only: the model is never told where it is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

CLASSES = ("circle", "square", "triangle", "cross")
TARGET_COLOR = (0.86, 0.12, 0.12)  # red
DISTRACTOR_COLORS = {  # far from red in hue, so "the red one" is never ambiguous
    "green": (0.15, 0.62, 0.22),
    "blue": (0.15, 0.35, 0.85),
    "yellow": (0.93, 0.80, 0.15),
    "purple": (0.55, 0.25, 0.70),
    "cyan": (0.10, 0.70, 0.75),
}
BACKGROUNDS = ("plain", "noise", "stripes")
RADIUS = (0.08, 0.12)  # half the size of a shape, as a fraction of the image side
SUPERSAMPLE = 2  # render at 2× and average: smooth edges, as a downscaled photo has


@dataclass(frozen=True)
class Shape:
    kind: str  # one of CLASSES
    color: tuple[float, float, float]
    x: float  # centre, in [0, 1] of the width
    y: float  # centre, in [0, 1] of the height
    radius: float  # in [0, 1] of the side
    angle: float  # rotation in radians


@dataclass(frozen=True)
class SceneSpec:
    """shapes[0] is the target; ``label`` is its index in CLASSES."""

    shapes: tuple[Shape, ...]
    background: str
    background_color: tuple[float, float, float]
    seed: int  # of the background's texture

    @property
    def label(self) -> int:
        return CLASSES.index(self.shapes[0].kind)


@dataclass(frozen=True)
class Scene:
    """image ``uint8 [S, S, 3]``; target_mask ``bool [S, S]`` (True on the red object); label in CLASSES."""

    image: np.ndarray
    target_mask: np.ndarray
    label: int


def _free_spot(rng: np.random.Generator, radius: float, placed: list[Shape], tries: int = 200) -> tuple[float, float]:
    """A centre whose shape stays inside the image and clear of every shape placed so far."""
    for _ in range(tries):
        x, y = rng.uniform(radius + 0.02, 1 - radius - 0.02, size=2)
        if all(math.hypot(x - s.x, y - s.y) > radius + s.radius + 0.02 for s in placed):
            return float(x), float(y)
    return float(x), float(y)  # crowded: overlap rather than loop for ever


def _jitter(rng: np.random.Generator, color, amount: float = 0.06) -> tuple[float, float, float]:
    return tuple(float(np.clip(c + rng.uniform(-amount, amount), 0, 1)) for c in color)


def make_spec(
    seed: int, label: int | None = None, distractors: tuple[int, int] = (2, 4), background: str | None = None
) -> SceneSpec:
    """A random scene: a red target (of class ``label``, or random) and 2–4 distractors."""
    rng = np.random.default_rng(seed)
    kind = CLASSES[int(rng.integers(len(CLASSES))) if label is None else label]
    placed: list[Shape] = []
    target_radius = float(rng.uniform(*RADIUS))
    x, y = _free_spot(rng, target_radius, placed)
    placed.append(Shape(kind, _jitter(rng, TARGET_COLOR), x, y, target_radius, float(rng.uniform(0, 2 * math.pi))))
    names = list(DISTRACTOR_COLORS)
    for _ in range(int(rng.integers(distractors[0], distractors[1] + 1))):
        r = float(rng.uniform(*RADIUS))
        x, y = _free_spot(rng, r, placed)
        color = DISTRACTOR_COLORS[names[int(rng.integers(len(names)))]]
        placed.append(
            Shape(
                CLASSES[int(rng.integers(len(CLASSES)))],
                _jitter(rng, color),
                x,
                y,
                r,
                float(rng.uniform(0, 2 * math.pi)),
            )
        )
    bg = background if background is not None else BACKGROUNDS[int(rng.integers(len(BACKGROUNDS)))]
    grey = float(rng.uniform(0.80, 0.97))
    bg_color = _jitter(rng, (grey, grey, grey), 0.03)
    return SceneSpec(tuple(placed), bg, bg_color, int(rng.integers(2**31)))


def move_target(spec: SceneSpec, seed: int) -> SceneSpec:
    """The same scene with the red object somewhere else (a free spot drawn with ``seed``)."""
    rng = np.random.default_rng(seed)
    target, others = spec.shapes[0], list(spec.shapes[1:])
    old = (target.x, target.y)
    for _ in range(20):  # prefer a spot clearly away from where it was
        x, y = _free_spot(rng, target.radius, others)
        if math.hypot(x - old[0], y - old[1]) > 0.3:
            break
    return replace(spec, shapes=(replace(target, x=x, y=y), *others))


def _shape_mask(shape: Shape, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Which sample points (xs, ys in [0, 1]) fall inside ``shape``."""
    c, s = math.cos(shape.angle), math.sin(shape.angle)
    u = ((xs - shape.x) * c + (ys - shape.y) * s) / shape.radius  # rotated, in units of the radius
    v = (-(xs - shape.x) * s + (ys - shape.y) * c) / shape.radius
    if shape.kind == "circle":
        return u * u + v * v <= 1.0
    if shape.kind == "square":
        return (np.abs(u) <= 0.85) & (np.abs(v) <= 0.85)
    if shape.kind == "triangle":  # equilateral, inscribed in the unit circle
        return (v <= 0.5) & (v >= -1 + math.sqrt(3) * np.abs(u) * 1.0) & (np.abs(u) <= 0.87)
    if shape.kind == "cross":
        return ((np.abs(u) <= 0.95) & (np.abs(v) <= 0.3)) | ((np.abs(v) <= 0.95) & (np.abs(u) <= 0.3))
    raise ValueError(shape.kind)


def _background(spec: SceneSpec, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    base = np.broadcast_to(np.asarray(spec.background_color, dtype=np.float32), (*xs.shape, 3)).copy()
    if spec.background == "noise":
        rng = np.random.default_rng(spec.seed)
        base += rng.normal(0, 0.04, size=xs.shape)[..., None].astype(np.float32)
    elif spec.background == "stripes":
        rng = np.random.default_rng(spec.seed)
        angle, period = rng.uniform(0, math.pi), rng.uniform(0.06, 0.12)
        wave = np.sin(2 * math.pi * (xs * math.cos(angle) + ys * math.sin(angle)) / period)
        base += (0.06 * wave)[..., None].astype(np.float32)
    return base


def _average_blocks(a: np.ndarray) -> np.ndarray:
    """The mean of each SUPERSAMPLE × SUPERSAMPLE block (strided sums: 5× faster than reshape + mean)."""
    k = SUPERSAMPLE
    return sum(a[i::k, j::k] for i in range(k) for j in range(k)) / (k * k)


def render(spec: SceneSpec, size: int = 64) -> Scene:
    """Draw ``spec`` at ``size × size`` pixels (2× supersampled, then averaged)."""
    s = size * SUPERSAMPLE
    centres = (np.arange(s, dtype=np.float32) + 0.5) / s
    xs, ys = np.meshgrid(centres, centres)
    canvas = _background(spec, xs, ys)
    target = np.zeros((s, s), dtype=bool)
    for index, shape in enumerate(reversed(spec.shapes)):  # the target is drawn last: on top
        # only the shape's bounding box is tested: 20× fewer points than the whole canvas
        lo = lambda c: max(0, int((c - shape.radius) * s) - 1)  # noqa: E731
        hi = lambda c: min(s, int((c + shape.radius) * s) + 2)  # noqa: E731
        box = (slice(lo(shape.y), hi(shape.y)), slice(lo(shape.x), hi(shape.x)))
        inside = _shape_mask(shape, xs[box], ys[box])
        canvas[box][inside] = shape.color
        if index == len(spec.shapes) - 1:
            target[box] = inside
    image = _average_blocks(canvas)
    mask = _average_blocks(target.astype(np.float32)) >= 0.5
    out = np.clip(image * 255 + 0.5, 0, 255).astype(np.uint8)
    return Scene(image=out, target_mask=mask, label=spec.label)


def make_scene(seed: int, size: int = 64, **options) -> Scene:
    """``render(make_spec(seed, **options), size)``."""
    return render(make_spec(seed, **options), size)


def make_dataset(n: int, seed: int, size: int = 64) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """n scenes with balanced labels: images ``uint8 [n, S, S, 3]``, labels ``int64 [n]``, masks ``bool [n, S, S]``.

    Scene i is ``make_scene(seed · 1_000_003 + i)``, so two data sets with
    different seeds share no scene.
    """
    images = np.empty((n, size, size, 3), dtype=np.uint8)
    masks = np.empty((n, size, size), dtype=bool)
    labels = np.empty(n, dtype=np.int64)
    for i in range(n):
        scene = make_scene(seed * 1_000_003 + i, size, label=i % len(CLASSES))
        images[i], masks[i], labels[i] = scene.image, scene.target_mask, scene.label
    return images, labels, masks


# Bundled samples for the page: {name: (seed, options)}.  Rendered by the same generator.
SAMPLES = {
    "red-circle": (11, dict(label=0, background="plain")),
    "red-square": (12, dict(label=1, background="noise")),
    "red-triangle": (13, dict(label=2, background="plain")),
    "red-cross": (14, dict(label=3, background="stripes")),
    "crowded": (15, dict(distractors=(5, 6), background="noise")),
    "striped": (16, dict(background="stripes", distractors=(3, 4))),
}


def sample_spec(name: str) -> SceneSpec:
    seed, options = SAMPLES[name]
    return make_spec(seed, **options)
