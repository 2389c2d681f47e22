"""pca_2d against a PCA computed here with torch.linalg.svd."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from attention_core.errors import InputError
from attention_core.projection import fit_pca_2d, pca_2d
from attention_core.sequences import generate_sequence


def svd_pca(keys: np.ndarray):
    """Mean and the first two right singular vectors of the centred keys: [d], [d, 2]."""
    x = torch.tensor(np.array(keys, dtype=np.float64))
    mean = x.mean(0)
    _, s, vh = torch.linalg.svd(x - mean, full_matrices=False)
    return mean, vh[:2].T, s


def assert_same_up_to_sign(got: np.ndarray, expected: np.ndarray, atol: float):
    """Column by column, got = ±expected, with one sign per column shared by every row."""
    flat_got, flat_exp = got.reshape(-1, 2), expected.reshape(-1, 2)
    for j in range(2):
        sign = (
            1.0
            if np.abs(flat_got[:, j] - flat_exp[:, j]).max() <= np.abs(flat_got[:, j] + flat_exp[:, j]).max()
            else -1.0
        )
        np.testing.assert_allclose(flat_got[:, j], sign * flat_exp[:, j], rtol=0, atol=atol)


def data_with_gaps(n, d, seed):
    """Points whose top singular values are well apart, so the components are well defined."""
    rng = np.random.default_rng(seed)
    scales = 2.0 ** -np.arange(d)
    rotation, _ = np.linalg.qr(rng.standard_normal((d, d)))
    return rng.standard_normal((n, d)) * scales @ rotation.T + rng.standard_normal(d)


CASES = [
    ("gaps", data_with_gaps(40, 6, 0)),
    ("gaps-wide", data_with_gaps(10, 50, 1)),
    ("gaussian-50x16", generate_sequence("gaussian", 50, 16, seed=1).values),
    ("gaussian-200x64", generate_sequence("gaussian", 200, 64, seed=1).values),
    ("clusters-3", generate_sequence("clusters", 60, 8, seed=2).values[:3]),
    ("sinusoidal", generate_sequence("sinusoidal", 30, 8).values),
]


@pytest.mark.parametrize("name, keys", CASES, ids=[c[0] for c in CASES])
def test_agrees_with_svd_pca(name, keys):
    mean, v, s = svd_pca(keys)
    if len(s) > 2:
        assert s[1] - s[2] > 1e-3 * s[0]  # the components must be well defined for the test to mean anything
    g = np.random.default_rng(5)
    query, many = g.standard_normal(keys.shape[1]), g.standard_normal((3, 4, keys.shape[1]))
    got_keys, got_query, got_many = pca_2d(keys, query, many)
    assert got_keys.shape == (keys.shape[0], 2) and got_query.shape == (2,) and got_many.shape == (3, 4, 2)
    assert got_keys.dtype == got_query.dtype == np.float64
    project = lambda p: ((torch.tensor(np.array(p)) - mean) @ v).numpy()  # noqa: E731
    scale = 1e-9 * (1 + np.abs(keys).max())
    # one sign per component, shared by keys and the other points
    both = lambda *a: np.concatenate([x.reshape(-1, 2) for x in a])  # noqa: E731
    assert_same_up_to_sign(
        both(got_keys, got_query, got_many), both(project(keys), project(query), project(many)), scale
    )


def test_variance_is_captured_in_order():
    keys = data_with_gaps(100, 5, 3)
    (p,) = pca_2d(keys)
    var = p.var(0)
    _, _, s = svd_pca(keys)
    np.testing.assert_allclose(var * len(keys), (s[:2] ** 2).numpy(), rtol=1e-9)
    assert var[0] >= var[1]


def test_signs_make_the_largest_loading_positive():
    keys = data_with_gaps(30, 6, 4)
    mean = keys.mean(0)
    _, loadings = pca_2d(keys, mean + np.eye(6))  # row i: where unit step along axis i lands = loadings
    for j in range(2):
        assert loadings[np.abs(loadings[:, j]).argmax(), j] > 0
    # flipping every key flips nothing in the picture's orientation rule
    _, loadings_flipped = pca_2d(-keys, -mean + np.eye(6))
    for j in range(2):
        assert loadings_flipped[np.abs(loadings_flipped[:, j]).argmax(), j] > 0


@pytest.mark.parametrize("kind", ["gaussian", "clusters", "one_hot", "sinusoidal"])
def test_deterministic_across_calls(kind):
    keys = generate_sequence(kind, 64, 12, seed=3).values
    first = pca_2d(keys, keys[0])
    for _ in range(3):
        again = pca_2d(keys.copy(), keys[0].copy())
        for a, b in zip(first, again):
            np.testing.assert_array_equal(a, b)


def test_d_equals_one():
    keys = np.array([[1.0], [2.0], [4.0], [-3.0]])
    p, q = pca_2d(keys, np.array([10.0]))
    assert p.shape == (4, 2)
    np.testing.assert_allclose(p[:, 0], keys[:, 0] - keys.mean(), atol=1e-12)  # one axis, positive direction
    assert np.all(p[:, 1] == 0)
    np.testing.assert_allclose(q, [10.0 - keys.mean(), 0.0], atol=1e-12)


@pytest.mark.parametrize("d", [1, 2, 3, 50])
def test_n_equals_two(d):
    rng = np.random.default_rng(d)
    keys = rng.standard_normal((2, d))
    (p,) = pca_2d(keys)
    half = np.linalg.norm(keys[0] - keys[1]) / 2
    np.testing.assert_allclose(np.abs(p[:, 0]), [half, half], rtol=1e-9)
    assert p[0, 0] == pytest.approx(-p[1, 0])
    np.testing.assert_allclose(p[:, 1], 0, atol=1e-9)
    assert np.isfinite(p).all()


@pytest.mark.parametrize("keys", [np.ones((1, 3)), np.ones((5, 4)), np.zeros((3, 2))])
def test_a_single_point_or_identical_points_give_zeros_not_nan(keys):
    p, q = pca_2d(keys, np.full(keys.shape[1], 2.0))
    assert np.isfinite(p).all() and np.isfinite(q).all()
    np.testing.assert_allclose(p, 0, atol=1e-12)


def test_accepts_torch_float32_lists_and_read_only_arrays():
    keys = data_with_gaps(20, 4, 6)
    (expected,) = pca_2d(keys)
    frozen = keys.copy()
    frozen.setflags(write=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for variant in (torch.as_tensor(keys), keys.tolist(), frozen):
            (got,) = pca_2d(variant)
            np.testing.assert_allclose(got, expected, atol=1e-12)
    (got32,) = pca_2d(keys.astype(np.float32))
    assert got32.dtype == np.float64
    assert_same_up_to_sign(got32, expected, atol=1e-5)


def test_keys_are_not_modified():
    keys = data_with_gaps(20, 4, 7)
    before = keys.copy()
    pca_2d(keys, keys[0])
    np.testing.assert_array_equal(keys, before)


@settings(max_examples=25, deadline=None)
@given(st.integers(2, 40), st.integers(1, 20), st.integers(0, 10**6))
def test_projection_preserves_the_top_two_variances(n, d, seed):
    keys = np.random.default_rng(seed).standard_normal((n, d)) * np.linspace(3, 1, d)
    (p,) = pca_2d(keys)
    _, _, s = svd_pca(keys)
    top = np.zeros(2)
    top[: min(2, len(s))] = (s[:2] ** 2).numpy()
    np.testing.assert_allclose((p**2).sum(0), top, rtol=1e-8, atol=1e-9)
    # the two axes are uncorrelated
    centred = p - p.mean(0)
    assert abs(centred[:, 0] @ centred[:, 1]) <= 1e-8 * (1 + top[0])


@pytest.mark.parametrize("size", [1e-300, 1e-6, 1.0, 1e6, 1e150, 1e300])
def test_any_finite_magnitude_gives_the_same_picture_scaled(size):
    """Scaling the keys scales the picture: the axes never overflow, underflow or fail to converge."""
    keys = data_with_gaps(12, 5, 8)
    keys = keys / np.abs(keys).max()  # |x| ≤ 1, so ×size stays finite
    (expected,) = pca_2d(keys)
    (got,) = pca_2d(keys * size)
    assert np.isfinite(got).all()
    assert_same_up_to_sign(got / size, expected, atol=1e-9)


@pytest.mark.parametrize("value", [1.79e308, -1.79e308, 1e6])
def test_identical_huge_keys_project_to_zero(value):
    """A 3×3 upload of 1.79e308 once raised torch's LinAlgError on the Query page."""
    keys = np.full((3, 3), value)
    p, q = pca_2d(keys, keys[0])
    np.testing.assert_array_equal(p, 0.0)
    np.testing.assert_array_equal(q, 0.0)


def test_huge_spread_keeps_finite_axes():
    keys = np.array([[1e200, -1e200], [2e200, 1e200], [-1e200, 3e200]])
    projection = fit_pca_2d(keys)
    assert torch.isfinite(projection.axes).all() and torch.isfinite(projection.mean).all()
    np.testing.assert_allclose((projection.axes.T @ projection.axes).numpy(), np.eye(2), atol=1e-12)


def test_non_finite_keys_are_refused_in_a_sentence():
    with pytest.raises(InputError):
        fit_pca_2d(np.array([[1.0, np.inf], [0.0, 1.0]]))
