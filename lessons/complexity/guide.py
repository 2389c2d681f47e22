"""The Complexity page's guided lesson: questions from the numbers on the page, and the teacher presets.

Pure functions (numpy and attention_core only, no torch): ``steps`` takes the
measurements the page shows (the shipped reference, or the class's own run)
and the online softmax of the steps view, and returns the questions with
their answers.  Each question names the quantities it asks about (``asks``):
"time", "memory", "matrix" (the n × n matrix's size), "running" (the running
max, sum and rescale factor of the online softmax); the page hides whatever
shows one of them until the reveal.
"""

from __future__ import annotations

import numpy as np

from attention_core.complexity import Measurement, largest_common_n, loglog_lines, matrix_bytes
from attention_core.efficient import OnlineSoftmaxSteps, example_scores
from ui.guide_steps import Step, Word

LESSON = "complexity"
FACTORS = (1, 2, 4, 8)  # "if n doubles, the cost is multiplied by about …": slopes 0, 1, 2, 3
FAST = ("linear", "local", "performer")  # the methods that beat n², asked about in this order
ONLINE_N = 32  # the steps view's row of scores: small enough to see every score


def online_scores():
    """The steps view's row of scores ``[ONLINE_N]`` (seeded: every student sees the same row)."""
    return example_scores(ONLINE_N, seed=7)


def _slope(results: list[Measurement], method: str, value) -> float | None:
    """The log–log slope of ``value`` against n for ``method``, fitted where the work dominates (as the page's chart)."""
    lines = loglog_lines(results, (method,), value)
    return lines[0].slope.value if lines and lines[0].slope else None


def doubling(slope: float) -> int:
    """Index into FACTORS of the factor nearest 2^slope (nearest in log, so nearest slope)."""
    return int(np.argmin([abs(slope - np.log2(f)) for f in FACTORS]))


def steps(results: list[Measurement], online: OnlineSoftmaxSteps | None = None) -> list[Step]:
    """The lesson for one set of measurements (any methods, any n) and the steps view's online softmax."""
    out = []
    seconds = lambda m: m.seconds  # noqa: E731
    exact_time = _slope(results, "exact", seconds)
    if exact_time is not None:
        out.append(_doubles("time", "exact", exact_time, asks=("time",)))
    exact_memory = _slope(results, "exact", lambda m: m.peak_bytes)
    if exact_memory is not None:
        out.append(_doubles("memory", "exact", exact_memory, asks=("memory",)))
    fast = next((m for m in FAST if _slope(results, m, seconds) is not None), None)
    if fast is not None:
        # the why compares with exact attention's measured factor (or, without exact attention, with n²'s 4×)
        exact_factor = round(2**exact_time, 1) if exact_time is not None else 4
        out.append(_doubles("fast", fast, _slope(results, fast, seconds), asks=("time",), exact_factor=exact_factor))
    n = largest_common_n(results)
    if n is not None:
        mb = matrix_bytes(n) / 1e6
        out.append(
            Step(
                LESSON,
                "matrix",
                values={"n": n, "mb": round(mb, 1)},
                answer=round(mb, 1),
                tolerance=max(0.05 * mb, 0.1),
                decimals=1,
                asks=("matrix",),
            )
        )
    if online is not None and (step := online_step(online)) is not None:
        out.append(step)
    return out


def _doubles(name: str, method: str, slope: float, asks: tuple, **extra) -> Step:
    """If n doubles, the cost (time or memory) of ``method`` is multiplied by about…?"""
    return Step(
        LESSON,
        name,
        values={
            "method": Word(f"complexity.method.{method}"),
            "slope": round(slope, 2),
            "factor": round(2**slope, 1),
        }
        | extra,
        options=tuple(Word("guide.complexity.times", (("k", f),)) for f in FACTORS),
        answer=doubling(slope),
        asks=asks,
    )


def online_step(online: OnlineSoftmaxSteps) -> Step | None:
    """Which block raises the running max the most (so the sum so far is rescaled the most)?

    None when fewer than two blocks could (the first block has nothing to
    rescale) or when no block raises the max.
    """
    m = online.running_max.double().numpy()
    rises = np.diff(m)  # rises[i]: how much block i + 2 (counting from 1) raised m
    if len(rises) < 2 or rises.max() <= 0:
        return None
    b = int(np.argmax(rises)) + 1  # the block's index from 0
    return Step(
        LESSON,
        "online",
        values={
            "block": b + 1,
            "blocks": online.num_blocks,
            # m at 3 decimals, as the page's metric prints it: e^(m_old − m_new) from the printed m gives the factor
            "m_old": f"{m[b - 1]:.3f}",
            "m_new": f"{m[b]:.3f}",
            "factor": round(float(online.rescale[b]), 3),
        },
        options=tuple(Word("guide.complexity.block", (("k", k),)) for k in range(2, online.num_blocks + 1)),
        answer=b - 1,
        asks=("running",),
    )


def presets() -> list[tuple[str, dict]]:
    """[(catalog key of the preset's name, its URL settings)]; each opens on the question that makes its point."""
    return [
        ("guide.complexity.preset.time", {"view": "time", "methods": "exact,linear", "guide": "time"}),
        ("guide.complexity.preset.memory", {"view": "memory", "methods": "exact,chunked", "guide": "memory"}),
        ("guide.complexity.preset.steps", {"view": "steps", "guide": "online"}),
    ]
