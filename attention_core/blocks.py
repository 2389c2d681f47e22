"""Block averages: a large matrix shown as at most ``side × side`` cells.

An n×n attention matrix at n = 2048 has 4 M cells, more than a screen has
pixels; each drawn cell is then the average of a block of nearly equal size.
Every block-averaged picture in the explorer goes through this module.
"""

from __future__ import annotations

import numpy as np


def block_starts(n: int, side: int) -> np.ndarray:
    """0-based first index of each of min(n, side) nearly equal blocks of 0…n−1: ``[min(n, side)]`` int."""
    return np.linspace(0, n, min(n, side) + 1).astype(int)[:-1]


def block_sizes(starts: np.ndarray, n: int) -> np.ndarray:
    """How many of the n indices each block covers: ``[len(starts)]`` (sums to n)."""
    return np.diff(np.append(starts, n))


def block_sums(z: np.ndarray, row_starts: np.ndarray, col_starts: np.ndarray) -> np.ndarray:
    """Σ of each block over the last two axes: z ``[..., r, c]`` → ``[..., len(row_starts), len(col_starts)]``."""
    return np.add.reduceat(np.add.reduceat(z, row_starts, axis=-2), col_starts, axis=-1)


def pool(
    z: np.ndarray,
    max_rows: int,
    max_cols: int,
    how: str = "mean",
    row_sizes: np.ndarray | None = None,
    col_sizes: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Block-average (or block-max, ``how="max"``) z ``[r, c]`` down to at most ``max_rows × max_cols``.

    Returns (pooled ``[r', c']``, row_starts ``[r']``, col_starts ``[c']``):
    the starts are the 0-based first row/column of each block, so an axis can
    say which tokens a cell covers.  z comes back unchanged when it already fits.

    - Cells that are not finite (NaN: nothing to average, e.g. a masked score)
      count as empty; a block of only empty cells is NaN.
    - ``row_sizes`` ``[r]`` / ``col_sizes`` ``[c]``: how many tokens each row /
      column of z already stands for, when z is itself a block average; the
      mean is weighted by them, so the result is the exact block average of
      the original matrix.  Default: one token each.
    - Max keeps a lone sharp weight visible where a mean would wash it out.
    """
    z = np.asarray(z, dtype=np.float64)
    rows, cols = block_starts(z.shape[0], max_rows), block_starts(z.shape[1], max_cols)
    if len(rows) == z.shape[0] and len(cols) == z.shape[1]:
        return z, rows, cols
    if how == "max":
        return np.maximum.reduceat(np.maximum.reduceat(z, rows, axis=0), cols, axis=1), rows, cols
    row_sizes = np.ones(z.shape[0]) if row_sizes is None else np.asarray(row_sizes, dtype=np.float64)
    col_sizes = np.ones(z.shape[1]) if col_sizes is None else np.asarray(col_sizes, dtype=np.float64)
    finite = np.isfinite(z)
    weight = np.outer(row_sizes, col_sizes) * finite  # [r, c]: tokens behind each cell, 0 if empty
    summed = block_sums(np.where(finite, z, 0.0) * weight, rows, cols)  # [r', c']
    count = block_sums(weight, rows, cols)  # [r', c']
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, summed / np.maximum(count, 1e-300), np.nan), rows, cols
