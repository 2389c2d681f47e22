"""The Complexity page's guided lesson: questions from the measurements on the page, and the teacher presets.

Pure functions (numpy and attention_core only): ``steps`` takes the
measurements the page shows (the shipped reference, or the class's own run)
and returns the questions with their answers.
"""

from __future__ import annotations

import numpy as np

from attention_core import fit_slope, matrix_bytes
from attention_core.complexity import Measurement
from ui.guide_steps import Step, Word

LESSON = "complexity"
FACTORS = (1, 2, 4, 8)  # "if n doubles, the cost is multiplied by about …": slopes 0, 1, 2, 3
FAST = ("linear", "local", "performer")  # the methods that beat n², asked about in this order


def _slope(results: list[Measurement], method: str, value) -> tuple[float, int] | None:
    """The fitted log–log slope of ``value`` against n for ``method``, and the largest n (None below two sizes)."""
    rows = sorted((m for m in results if m.method == method), key=lambda m: m.n)
    if len({m.n for m in rows}) < 2:
        return None
    n = np.array([m.n for m in rows], dtype=np.float64)
    y = np.array([max(float(value(m)), 1e-12) for m in rows])
    return float(fit_slope(n, y)[0]), int(n[-1])


def doubling(slope: float) -> int:
    """Index into FACTORS of the factor nearest 2^slope (nearest in log, so nearest slope)."""
    return int(np.argmin([abs(slope - np.log2(f)) for f in FACTORS]))


def steps(results: list[Measurement]) -> list[Step]:
    """The lesson for one set of measurements (any methods, any n)."""
    out = []
    exact_time = _slope(results, "exact", lambda m: m.seconds)
    if exact_time is not None:
        out.append(_doubles("time", "exact", *exact_time, asks=("time",)))
    exact_memory = _slope(results, "exact", lambda m: m.peak_bytes)
    if exact_memory is not None:
        out.append(_doubles("memory", "exact", *exact_memory, asks=("memory",)))
    fast = next((m for m in FAST if _slope(results, m, lambda r: r.seconds) is not None), None)
    if fast is not None:
        out.append(_doubles("fast", fast, *_slope(results, fast, lambda m: m.seconds), asks=("time",)))
    if results:
        n = max(m.n for m in results)
        mb = matrix_bytes(n) / 1e6
        out.append(
            Step(
                LESSON,
                "matrix",
                values={"n": n, "mb": round(mb, 1)},
                answer=round(mb, 1),
                tolerance=max(0.05 * mb, 0.1),
                decimals=1,
            )
        )
    return out


def _doubles(name: str, method: str, slope: float, n: int, asks: tuple) -> Step:
    """If n doubles, the cost (time or memory) of ``method`` is multiplied by about…?"""
    return Step(
        LESSON,
        name,
        values={
            "method": Word(f"complexity.method.{method}"),
            "slope": round(slope, 2),
            "factor": round(2**slope, 1),
        },
        options=tuple(Word("guide.complexity.times", (("k", f),)) for f in FACTORS),
        answer=doubling(slope),
        asks=asks,
    )


def presets() -> list[tuple[str, dict]]:
    """[(catalog key of the preset's name, its URL settings)]."""
    return [
        ("guide.complexity.preset.time", {"view": "time", "methods": "exact,linear"}),
        ("guide.complexity.preset.memory", {"view": "memory", "methods": "exact,chunked"}),
        ("guide.complexity.preset.steps", {"view": "steps"}),
    ]
