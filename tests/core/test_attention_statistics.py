"""Rollout and head statistics (attention_core.attention_statistics), and token finding (attention_core.tokens)."""

import numpy as np
import pytest
import torch

from attention_core.attention_statistics import HEAD_STATISTICS, attention_rollout, head_statistics
from attention_core.errors import InputError
from attention_core.tokens import find_token, special_token_mask


def random_attention(rng, layers, heads, n):
    a = rng.random((layers, heads, n, n)) + 1e-3
    return a / a.sum(axis=-1, keepdims=True)


# --- rollout -----------------------------------------------------------------


def test_rollout_equals_explicit_product():
    rng = np.random.default_rng(0)
    a = random_attention(rng, 2, 3, 4)
    eye = np.eye(4)
    a1 = a[0].mean(axis=0) + eye
    a1 /= a1.sum(axis=1, keepdims=True)
    a2 = a[1].mean(axis=0) + eye
    a2 /= a2.sum(axis=1, keepdims=True)
    expected = a2 @ a1  # top layer on the left
    np.testing.assert_allclose(attention_rollout(a), expected, atol=1e-12)
    np.testing.assert_allclose(attention_rollout(torch.from_numpy(a)), expected, atol=1e-12)
    assert not np.allclose(a1 @ a2, expected)  # the order is really tested


def test_rollout_of_identity_attention_is_identity():
    a = np.tile(np.eye(5), (3, 2, 1, 1))
    np.testing.assert_allclose(attention_rollout(a), np.eye(5), atol=1e-12)


def test_rollout_rejects_wrong_shape():
    with pytest.raises(InputError, match="layers, heads"):
        attention_rollout(np.ones((2, 3, 4)))


# --- head statistics ---------------------------------------------------------


def test_head_statistics_all_attention_on_cls():
    n = 5
    tokens = ["[CLS]", "a", "b", "c", "[SEP]"]
    a = np.zeros((2, 3, n, n))
    a[..., 0] = 1.0
    stats = head_statistics(a, tokens)
    assert tuple(stats) == HEAD_STATISTICS
    for value in stats.values():
        assert value.shape == (2, 3)
    np.testing.assert_allclose(stats["entropy"], 0.0, atol=1e-12)
    np.testing.assert_allclose(stats["to_cls"], 1.0)
    np.testing.assert_allclose(stats["to_sep"], 0.0)
    np.testing.assert_allclose(stats["to_self"], 1 / n)  # only row 0 is itself
    np.testing.assert_allclose(stats["to_previous"], 1 / (n - 1))  # only row 1 looks back at 0


def test_head_statistics_uniform_and_previous_token_heads():
    n = 4
    tokens = ["[CLS]", "x", "y", "[SEP]"]
    a = np.full((1, 2, n, n), 1 / n)
    a[0, 1] = np.eye(n, k=-1)
    a[0, 1, 0, 0] = 1.0  # row 0 has no previous token: it looks at itself
    stats = head_statistics(a, tokens)
    np.testing.assert_allclose(stats["entropy"][0], [2.0, 0.0], atol=1e-12)  # log₂ 4 = 2 bits
    np.testing.assert_allclose(stats["to_previous"][0], [1 / n, 1.0])
    np.testing.assert_allclose(stats["to_cls"][0], [1 / n, 0.5])  # rows 0 and 1 look at [CLS]
    np.testing.assert_allclose(stats["to_sep"][0], [1 / n, 0.0])  # nobody looks forward to [SEP]


def test_head_statistics_checks_token_count():
    with pytest.raises(InputError, match="tokens"):
        head_statistics(np.ones((1, 1, 3, 3)) / 3, ["[CLS]", "[SEP]"])


def test_head_statistics_with_the_models_own_special_tokens():
    a = np.zeros((1, 1, 3, 3))
    a[..., 0] = 1.0
    stats = head_statistics(a, ["<s>", "x", "</s>"], cls_token="<s>", sep_token="</s>")
    np.testing.assert_allclose(stats["to_cls"], 1.0)


# --- tokens ------------------------------------------------------------------


@pytest.mark.parametrize(
    "word, expected",
    [
        ("it", 2),
        ("IT", 2),
        ("  it ", 2),
        ("play", 4),
        ("ing", 5),
        ("[CLS]", 0),
        ("dog", None),
        ("", None),
    ],
)
def test_find_token(word, expected):
    tokens = ["[CLS]", "so", "it", "was", "play", "##ing", "it", "[SEP]"]
    assert find_token(tokens, word) == expected


def test_special_token_mask():
    tokens = ["[CLS]", "a", "[SEP]", "b", "[SEP]", "[PAD]"]
    np.testing.assert_array_equal(special_token_mask(tokens), [True, False, True, False, True, False])
    np.testing.assert_array_equal(special_token_mask(tokens, ("[PAD]",)), [False] * 5 + [True])
    assert special_token_mask([]).shape == (0,) and special_token_mask([]).dtype == bool


def test_tied_largest_names_every_value_equal_to_the_largest_at_the_decimals_shown():
    from attention_core.attention_statistics import tied_largest

    assert tied_largest([0.1, 0.5, 0.2]).tolist() == [1]
    assert tied_largest([0.081, 0.2, 0.084, 0.1, 0.2049], decimals=1).tolist() == [4, 1]  # 0.2 and 0.2049 → 0.2
    assert tied_largest([0.0812, 0.0841, 0.05]).tolist() == [1, 0]  # both print 0.08: the larger first
    assert tied_largest([0.0812, 0.0841, 0.05], decimals=3).tolist() == [1]
    assert tied_largest([]).tolist() == []
