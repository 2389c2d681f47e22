"""Block averages (attention_core.blocks): checked against averaging each block by hand."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attention_core.blocks import block_sizes, block_starts, block_sums, pool


@pytest.mark.parametrize("n, side", [(1, 5), (5, 5), (10, 3), (300, 256), (2048, 256), (7, 1)])
def test_block_starts_cover_every_index_in_nearly_equal_blocks(n, side):
    starts = block_starts(n, side)
    sizes = block_sizes(starts, n)
    assert len(starts) == min(n, side)
    assert starts[0] == 0 and sizes.sum() == n and (sizes >= 1).all()
    assert sizes.max() - sizes.min() <= 1


def by_hand(z, rows, cols, n_rows, n_cols, reduce=np.nanmean):
    row_ends, col_ends = np.append(rows[1:], n_rows), np.append(cols[1:], n_cols)
    return np.array([[reduce(z[r0:r1, c0:c1]) for c0, c1 in zip(cols, col_ends)] for r0, r1 in zip(rows, row_ends)])


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 40), st.integers(1, 40), st.integers(1, 12), st.integers(1, 12), st.integers(0, 2**31))
def test_pool_is_the_mean_of_each_block(r, c, max_rows, max_cols, seed):
    z = np.random.default_rng(seed).normal(size=(r, c))
    pooled, rows, cols = pool(z, max_rows, max_cols)
    assert pooled.shape == (min(r, max_rows), min(c, max_cols))
    np.testing.assert_allclose(pooled, by_hand(z, rows, cols, r, c), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(block_sums(z, rows, cols), by_hand(z, rows, cols, r, c, np.sum), atol=1e-12)


def test_pool_max_keeps_a_lone_sharp_value():
    z = np.zeros((100, 1))
    z[37, 0] = 0.9
    pooled, _, _ = pool(z, 10, 1, how="max")
    assert pooled[3, 0] == 0.9 and pooled.sum() == 0.9


def test_a_matrix_that_fits_comes_back_unchanged():
    z = np.arange(12.0).reshape(3, 4)
    pooled, rows, cols = pool(z, 3, 4)
    np.testing.assert_array_equal(pooled, z)
    np.testing.assert_array_equal(rows, [0, 1, 2])
    np.testing.assert_array_equal(cols, [0, 1, 2, 3])


def test_nan_cells_are_empty_and_an_all_nan_block_stays_nan():
    z = np.array([[1.0, np.nan, np.nan, np.nan], [3.0, np.nan, np.nan, np.nan]])
    pooled, _, _ = pool(z, 1, 2)
    assert pooled[0, 0] == 2.0 and np.isnan(pooled[0, 1])


def test_pooling_a_pooled_matrix_with_its_sizes_is_the_block_average_of_the_original():
    rng = np.random.default_rng(0)
    full = rng.random((300, 200))
    full[rng.random(full.shape) < 0.3] = 0.0  # masked weights are 0
    first, rows, cols = pool(full, 256, 150)
    again, rows2, cols2 = pool(first, 60, 40, row_sizes=block_sizes(rows, 300), col_sizes=block_sizes(cols, 200))
    # the second pass groups whole first-pass blocks: compare with averaging those token ranges of the original
    token_rows, token_cols = rows[rows2], cols[cols2]
    np.testing.assert_allclose(again, by_hand(full, token_rows, token_cols, 300, 200), rtol=1e-12)
