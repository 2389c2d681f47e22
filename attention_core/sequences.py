"""Sequences X = (x₁ … xₙ): the ``Sequence`` every page shows, and seeded generated ones.

A ``Sequence`` holds ``values`` (float64 numpy ``[n, d]``) and ``labels`` (n
token labels).  Uploaded files become sequences in ``uploads``; typed
queries are read in ``text_parsing``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .errors import InputError
from .limits import MAX_DIM, MAX_TOKENS, MIN_DIM, MIN_TOKENS, whole_number

SEQUENCE_KINDS = ("gaussian", "clusters", "one_hot", "sinusoidal")


@dataclass(frozen=True)
class Sequence:
    """A sequence of n tokens in d dimensions. values ``[n, d]`` float64."""

    values: np.ndarray
    labels: tuple[str, ...] = field(default=())

    def __post_init__(self):
        values = np.asarray(self.values, dtype=np.float64)
        values.setflags(write=False)  # shared between reruns: nobody may edit it in place
        object.__setattr__(self, "values", values)
        if not self.labels:
            object.__setattr__(self, "labels", default_labels(values.shape[0]))
        else:
            object.__setattr__(self, "labels", tuple(str(s) for s in self.labels))

    @property
    def n(self) -> int:
        return int(self.values.shape[0])

    @property
    def d(self) -> int:
        return int(self.values.shape[1])


def default_labels(n: int) -> tuple[str, ...]:
    """x1 … xn, the labels of the formulas."""
    return tuple(f"x{i + 1}" for i in range(n))


# ----------------------------------------------------------------- generating


def generate_sequence(kind: str, n: int, d: int, seed: int = 0) -> Sequence:
    """A seeded sequence ``[n, d]``: the same (kind, n, d, seed) always gives the same numbers.

    - ``gaussian``: i.i.d. N(0, 1) entries.
    - ``clusters``: up to 4 well-separated groups (centres of length 3, noise
      0.35), tokens shuffled, so a query near one centre visibly picks a group.
    - ``one_hot``: xᵢ = e_(i mod d); the seed is not used.
    - ``sinusoidal``: the Transformer's positional encodings
      PE(i, 2j) = sin(i / 10000^(2j/d)), PE(i, 2j+1) = cos(…); the seed is not used.
    """
    if kind not in SEQUENCE_KINDS:
        raise InputError("sequence.unknown_kind", kind=kind, choices=", ".join(SEQUENCE_KINDS))
    n, d, seed = whole_number(n, "n"), whole_number(d, "d"), whole_number(seed, "seed")
    if not MIN_TOKENS <= n <= MAX_TOKENS:
        raise InputError("sequence.n_range", min=MIN_TOKENS, max=MAX_TOKENS, n=n)
    if not MIN_DIM <= d <= MAX_DIM:
        raise InputError("sequence.d_range", min=MIN_DIM, max=MAX_DIM, d=d)
    if seed < 0:
        raise InputError("seed.negative")
    rng = np.random.default_rng(seed)
    if kind == "gaussian":
        x = rng.standard_normal((n, d))
    elif kind == "clusters":
        x = _clusters(rng, n, d)
    elif kind == "one_hot":
        x = np.zeros((n, d))
        x[np.arange(n), np.arange(n) % d] = 1.0
    else:
        x = _sinusoidal(n, d)
    return Sequence(values=x)


def _clusters(rng: np.random.Generator, n: int, d: int) -> np.ndarray:
    k = min(4, n)
    if d >= k:
        # orthonormal directions: every pair of centres is 3·√2 apart
        basis, _ = np.linalg.qr(rng.standard_normal((d, k)))
        centres = 3.0 * basis.T
    else:
        # too few dimensions for orthogonal centres: spread them on a circle
        angles = 2 * np.pi * np.arange(k) / k + rng.uniform(0, 2 * np.pi)
        centres = np.zeros((k, d))
        centres[:, 0], centres[:, 1] = 3.0 * np.cos(angles), 3.0 * np.sin(angles)
    group = rng.permutation(np.arange(n) % k)
    return centres[group] + 0.35 * rng.standard_normal((n, d))


def _sinusoidal(n: int, d: int) -> np.ndarray:
    position = np.arange(n)[:, None]  # [n, 1]
    j = np.arange(0, d, 2)[None, :]  # [1, ⌈d/2⌉]
    angle = position / np.power(10000.0, j / d)
    x = np.zeros((n, d))
    x[:, 0::2] = np.sin(angle)
    x[:, 1::2] = np.cos(angle[:, : d // 2])
    return x
