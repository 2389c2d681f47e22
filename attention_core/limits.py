"""What the explorer accepts as input: sizes, magnitudes and whole numbers, each checked in one place.

Every door for user numbers (generated sequences, uploads, cell edits,
typed queries, layer settings) uses these checks, so a page never sees a
value the rest of the core cannot handle.
"""

from __future__ import annotations

import math

import numpy as np

from .errors import InputError, Term

MIN_TOKENS, MAX_TOKENS = 2, 4096  # tokens n of a sequence
MIN_DIM, MAX_DIM = 2, 1024  # dimensions d of a token
# The largest |x| the app accepts anywhere (uploads, cell edits, typed queries).
# Why a bound: a dot product of two such vectors in 1024 dimensions is at most
# 1024·10¹² ≈ 10¹⁵, far inside float32 (3·10³⁸), so every scoring method, the
# PCA picture and the printed arithmetic stay finite on every page.
MAX_ABS_VALUE = 1e6
# The memory one rerun of a page may add on top of what the app already holds.
# Forty students share one server: a setting that would need more is computed
# in pieces (additive scores, key by key) or refused with this cap in its message.
MEMORY_BUDGET_MB = 200
MEMORY_BUDGET_BYTES = MEMORY_BUDGET_MB * 1_000_000


def whole_number(value, name: str) -> int:
    """``value`` as an int when it is a whole number: 3, np.int64(3) and 3.0 are 3.

    Refused with ``InputError``: 3.5, NaN, ±inf, True/False (a checkbox is not
    a count), strings such as "3" (parse text first), None.
    """
    if isinstance(value, (bool, np.bool_)):
        raise InputError("number.not_whole", name=Term(name))
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)) and math.isfinite(value) and float(value).is_integer():
        return int(value)
    raise InputError("number.not_whole", name=Term(name))


def check_memory(needed_bytes: int, what: str) -> None:
    """InputError when ``what`` would need more than the per-rerun budget; call it before allocating."""
    if needed_bytes > MEMORY_BUDGET_BYTES:
        raise InputError("memory.over_budget", what=Term(what), mb=needed_bytes / 1e6, limit=MEMORY_BUDGET_MB)


def check_values(values: np.ndarray) -> np.ndarray:
    """``values [n, d]`` as float64 when every entry is finite and |x| ≤ MAX_ABS_VALUE; else InputError.

    The message names the first offending cell (1-based) and the bound.
    """
    values = np.asarray(values, dtype=np.float64)
    bad = ~np.isfinite(values)
    if bad.any():
        r, c = np.argwhere(bad)[0]
        raise InputError("values.not_finite", row=int(r) + 1, col=int(c) + 1, value=float(values[r, c]))
    big = np.abs(values) > MAX_ABS_VALUE
    if big.any():
        r, c = np.argwhere(big)[0]
        raise InputError(
            "values.too_large", row=int(r) + 1, col=int(c) + 1, value=float(values[r, c]), limit=MAX_ABS_VALUE
        )
    return values


def is_number(text: str) -> bool:
    """Whether ``float(text)`` reads ``text`` (as Python does: ' 1e3 ', 'nan' and 'inf' included)."""
    try:
        float(text)
    except ValueError:
        return False
    return True
