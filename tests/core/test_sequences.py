"""Generated sequences: generate_sequence and the Sequence it returns."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from attention_core.attend import attend
from attention_core.errors import InputError
from attention_core.limits import MAX_DIM, MAX_TOKENS
from attention_core.sequences import SEQUENCE_KINDS, Sequence, generate_sequence

# ================================================================ generating


@pytest.mark.parametrize("kind", SEQUENCE_KINDS)
@pytest.mark.parametrize("n, d", [(2, 2), (2, 1024), (5, 3), (17, 8), (4096, 2), (300, 1024)])
def test_every_kind_has_the_asked_shape(kind, n, d):
    seq = generate_sequence(kind, n, d, seed=3)
    assert isinstance(seq, Sequence)
    assert seq.values.shape == (n, d) and (seq.n, seq.d) == (n, d)
    assert seq.values.dtype == np.float64
    assert np.isfinite(seq.values).all()
    assert seq.labels == tuple(f"x{i}" for i in range(1, n + 1))


def test_largest_sequence():
    seq = generate_sequence("gaussian", MAX_TOKENS, MAX_DIM, seed=0)
    assert seq.values.shape == (MAX_TOKENS, MAX_DIM)


@pytest.mark.parametrize("kind", SEQUENCE_KINDS)
def test_same_seed_gives_identical_values(kind):
    a = generate_sequence(kind, 30, 7, seed=11)
    b = generate_sequence(kind, 30, 7, seed=11)
    np.testing.assert_array_equal(a.values, b.values)
    assert a.labels == b.labels


@pytest.mark.parametrize("kind", ["gaussian", "clusters"])
def test_different_seeds_give_different_values(kind):
    values = [generate_sequence(kind, 30, 7, seed=s).values for s in range(5)]
    for i in range(5):
        for j in range(i):
            assert not np.allclose(values[i], values[j])


@pytest.mark.parametrize("kind", ["one_hot", "sinusoidal"])
def test_seed_free_kinds_ignore_the_seed(kind):
    np.testing.assert_array_equal(
        generate_sequence(kind, 9, 6, seed=0).values, generate_sequence(kind, 9, 6, seed=12345).values
    )


def test_values_are_read_only():
    seq = generate_sequence("gaussian", 4, 3)
    with pytest.raises(ValueError):
        seq.values[0, 0] = 1.0


def test_gaussian_looks_standard_normal():
    x = generate_sequence("gaussian", 2000, 50, seed=1).values
    assert abs(x.mean()) < 0.01
    assert x.std() == pytest.approx(1.0, abs=0.01)


# --------------------------------------------------------------- clusters


def kmeans(x: np.ndarray, k: int, iters: int = 50) -> np.ndarray:
    """Plain Lloyd's k-means with farthest-point starts: our own, not the generator's, idea of groups."""
    centres = [x[0]]
    for _ in range(k - 1):
        dist = np.min([((x - c) ** 2).sum(1) for c in centres], axis=0)
        centres.append(x[dist.argmax()])
    centres = np.array(centres)
    for _ in range(iters):
        group = ((x[:, None, :] - centres[None]) ** 2).sum(-1).argmin(1)
        centres = np.array([x[group == g].mean(0) for g in range(k)])
    return group


@pytest.mark.parametrize("n, d", [(8, 2), (40, 2), (9, 3), (200, 3), (12, 4), (100, 8), (250, 16), (64, 32)])
@pytest.mark.parametrize("seed", [0, 1, 7])
def test_clusters_are_separate_groups(n, d, seed):
    x = generate_sequence("clusters", n, d, seed=seed).values
    k = min(4, n)
    group = kmeans(x, k)
    # the groups are as even as n allows (tokens are dealt round-robin, then shuffled)
    sizes = np.bincount(group, minlength=k)
    assert sorted(sizes) == sorted([n // k + (g < n % k) for g in range(k)])
    # every token is closer to its own group's mean than to any other group's
    means = np.array([x[group == g].mean(0) for g in range(k)])
    dist = np.sqrt(((x[:, None, :] - means[None]) ** 2).sum(-1))
    own = dist[np.arange(n), group]
    other = np.where(np.eye(k, dtype=bool)[group], np.inf, dist).min(1)
    assert np.all(own < other)
    # and attention from a query at a token's position picks mostly that token's group
    for i in range(0, n, max(1, n // 10)):
        w = attend(x[i], x, method="dot").weights.numpy()
        assert w[group == group[i]].sum() > 0.9


def test_clusters_with_few_tokens():
    for n in (2, 3):
        x = generate_sequence("clusters", n, 5, seed=0).values
        dist = np.sqrt(((x[:, None] - x[None]) ** 2).sum(-1))
        assert dist[~np.eye(n, dtype=bool)].min() > 2  # every token is its own group


# ------------------------------------------------------------ other kinds


@pytest.mark.parametrize("n, d", [(2, 2), (10, 5), (33, 8), (5, 1024)])
def test_one_hot_rows_are_unit_vectors(n, d):
    x = generate_sequence("one_hot", n, d).values
    np.testing.assert_array_equal(np.linalg.norm(x, axis=1), np.ones(n))
    assert set(np.unique(x)) <= {0.0, 1.0}
    for i in range(n):
        assert x[i].argmax() == i % d


@pytest.mark.parametrize("n, d", [(2, 2), (10, 4), (50, 7), (128, 64), (4096, 3)])
def test_sinusoidal_matches_the_transformer_formula(n, d):
    """PE(pos, 2i) = sin(pos / 10000^(2i/d)), PE(pos, 2i+1) = cos(pos / 10000^(2i/d)), computed here in torch."""
    pos = torch.arange(n, dtype=torch.float64)[:, None]
    expected = torch.empty(n, d, dtype=torch.float64)
    for col in range(d):
        two_i = col - col % 2
        angle = pos[:, 0] / 10000 ** (two_i / d)
        expected[:, col] = torch.sin(angle) if col % 2 == 0 else torch.cos(angle)
    x = generate_sequence("sinusoidal", n, d).values
    np.testing.assert_allclose(x, expected.numpy(), rtol=0, atol=1e-9)
    assert np.all(x[0, 0::2] == 0) and np.all(x[0, 1::2] == 1)


# ----------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "kind, n, d, seed, fragment",
    [
        ("gaussian", 1, 4, 0, "between 2 and 4096"),
        ("gaussian", 0, 4, 0, "between 2 and 4096"),
        ("gaussian", -5, 4, 0, "between 2 and 4096"),
        ("clusters", 4097, 4, 0, "between 2 and 4096"),
        ("one_hot", 10, 1, 0, "between 2 and 1024"),
        ("sinusoidal", 10, 1025, 0, "between 2 and 1024"),
        ("gaussian", 10, 0, 0, "between 2 and 1024"),
        ("gaussian", 2.5, 4, 0, "whole number"),
        ("gaussian", "ten", 4, 0, "whole number"),
        ("gaussian", "10", 4, 0, "whole number"),
        ("gaussian", None, 4, 0, "whole number"),
        ("gaussian", float("nan"), 4, 0, "whole number"),
        ("gaussian", float("inf"), 4, 0, "whole number"),
        ("gaussian", 10, float("-inf"), 0, "whole number"),
        ("gaussian", 10, 4, -1, "seed"),
        ("gaussian", 10, 4, 0.5, "whole number"),
        ("uniform", 10, 4, 0, "Unknown sequence kind"),
        ("Gaussian", 10, 4, 0, "Unknown sequence kind"),
        ("", 10, 4, 0, "Unknown sequence kind"),
        (None, 10, 4, 0, "Unknown sequence kind"),
    ],
)
def test_bad_generate_arguments_are_input_errors(kind, n, d, seed, fragment):
    with pytest.raises(InputError, match=fragment):
        generate_sequence(kind, n, d, seed=seed)


def test_whole_floats_and_numpy_integers_are_accepted():
    a = generate_sequence("gaussian", 10.0, np.int64(4), seed=np.int32(2))
    b = generate_sequence("gaussian", 10, 4, seed=2)
    np.testing.assert_array_equal(a.values, b.values)
