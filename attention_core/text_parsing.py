"""Numbers typed as text: queries ('1, 2; 3, 4') and token positions ('2, 5-7'), and back to text."""

from __future__ import annotations

import math

import numpy as np

from .errors import InputError, clip
from .limits import MAX_ABS_VALUE, MAX_TOKENS, is_number

# Characters a typed number needs, its separator and blanks included ("-0.12345678901234567e-05, "):
# the text of a query is refused beyond this many a number before it is split, because a box or a
# link may hold 50 MB, and splitting one line of 16 M numbers cost 1.7 GB.
CHARS_PER_NUMBER = 32
# Every position 1…4096 written out ("4096, ") fits in 25,000 characters.
MAX_POSITIONS_CHARS = 10 * MAX_TOKENS


def parse_vectors(text: str, d: int, max_rows: int = 64) -> np.ndarray:
    """Parse query text into ``[m, d]``: numbers split by commas or spaces,
    one query per line (or separated by ';').  InputError when a number is
    malformed or a row's length is not d, or when the text is longer than
    ``max_rows`` queries of d numbers can be (checked before it is split).
    """
    most = max_rows * d * CHARS_PER_NUMBER
    if len(text) > most:
        raise InputError("queries.too_long", count=len(text), most=most)
    rows = [r for r in text.replace(";", "\n").splitlines() if r.strip()]
    if not rows:
        raise InputError("queries.empty")
    if len(rows) > max_rows:
        raise InputError("queries.too_many", max=max_rows, count=len(rows))
    out = []
    for i, row in enumerate(rows, start=1):
        cells = [c for c in row.replace(",", " ").split()]
        try:
            numbers = [float(c) for c in cells]
        except ValueError:
            bad = next(c for c in cells if not is_number(c))
            raise InputError("queries.not_number", text=clip(bad, 20), query=i) from None
        if not all(math.isfinite(x) for x in numbers):
            raise InputError("queries.not_finite", query=i)
        if any(abs(x) > MAX_ABS_VALUE for x in numbers):
            raise InputError("queries.too_large", query=i, limit=MAX_ABS_VALUE)
        if len(numbers) != d:
            raise InputError("queries.length", query=i, count=len(numbers), d=d)
        out.append(numbers)
    return np.array(out, dtype=np.float64)


def format_vectors(q: np.ndarray, decimals: int = 3) -> str:
    """The inverse of ``parse_vectors``: ``[m, d]`` → one comma-separated line per query."""
    return "\n".join(", ".join(_fmt(x, decimals) for x in row) for row in np.atleast_2d(q))


def _fmt(x: float, decimals: int) -> str:
    text = f"{x:.{decimals}f}"
    if "." in text:  # never strip the zeros of a whole number like 100
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def parse_positions(text: str, n: int) -> list[int]:
    """'2, 5-7' (1-based, inclusive ranges) → sorted 0-based indices [1, 4, 5, 6].

    The text is refused beyond MAX_POSITIONS_CHARS before it is split, and
    the ranges are merged, not filled in one by one: a link's "1-999999"
    written 2,000 times took 85 s.
    """
    if len(text) > MAX_POSITIONS_CHARS:
        raise InputError("positions.too_long", count=len(text), most=MAX_POSITIONS_CHARS)
    ranges = []  # (lo, hi), 1-based, inclusive
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        lo_hi = [p.strip() for p in part.split("-")]
        # isdecimal, not isdigit: int() rejects digits such as '²'; and int()
        # refuses more than 4300 digits, which no position needs
        if len(lo_hi) > 2 or not all(p.isdecimal() and len(p) < 20 for p in lo_hi):
            raise InputError("positions.not_position", text=clip(part, 20))
        lo, hi = sorted((int(lo_hi[0]), int(lo_hi[-1])))
        if lo < 1 or hi > n:
            raise InputError("positions.outside", position=hi if hi > n else lo, n=n)
        ranges.append((lo, hi))
    out, covered = [], 0  # covered: the highest position already in out
    for lo, hi in sorted(ranges):
        out.extend(range(max(lo, covered + 1) - 1, hi))
        covered = max(covered, hi)
    return out


def format_positions(indices) -> str:
    """Sorted 0-based indices → compact 1-based text: [1, 4, 5, 6] → '2, 5-7'."""
    parts, idx = [], sorted({int(i) for i in indices})
    i = 0
    while i < len(idx):
        j = i
        while j + 1 < len(idx) and idx[j + 1] == idx[j] + 1:
            j += 1
        parts.append(str(idx[i] + 1) if i == j else f"{idx[i] + 1}-{idx[j] + 1}")
        i = j + 1
    return ", ".join(parts)
