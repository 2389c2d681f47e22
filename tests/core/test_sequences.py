"""Sequences: generate_sequence, load_sequence (good files, a bad-file corpus, fuzzing) and the text parsers."""

from __future__ import annotations

import io
import json
import time
import warnings

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import attention_core.sequences as sequences_module
from attention_core import (
    MAX_DIM,
    MAX_TOKENS,
    MAX_UPLOAD_BYTES,
    SEQUENCE_KINDS,
    InputError,
    Sequence,
    attend,
    format_positions,
    format_vectors,
    generate_sequence,
    load_sequence,
    parse_positions,
    parse_vectors,
)

from .bad_files import bad_files, npy_bytes, npz_bytes

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
    np.testing.assert_array_equal(generate_sequence(kind, 9, 6, seed=0).values,
                                  generate_sequence(kind, 9, 6, seed=12345).values)


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


@pytest.mark.parametrize("kind, n, d, seed, fragment", [
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
])
def test_bad_generate_arguments_are_input_errors(kind, n, d, seed, fragment):
    with pytest.raises(InputError, match=fragment):
        generate_sequence(kind, n, d, seed=seed)


def test_whole_floats_and_numpy_integers_are_accepted():
    a = generate_sequence("gaussian", 10.0, np.int64(4), seed=np.int32(2))
    b = generate_sequence("gaussian", 10, 4, seed=2)
    np.testing.assert_array_equal(a.values, b.values)


# ============================================================ loading: good


def load(text: str | bytes, filename: str) -> Sequence:
    return load_sequence(text.encode() if isinstance(text, str) else text, filename)


def assert_loaded(seq: Sequence, values, labels=None):
    assert isinstance(seq, Sequence)
    assert seq.values.dtype == np.float64
    np.testing.assert_array_equal(seq.values, np.asarray(values, dtype=np.float64))
    n = len(values)
    assert seq.labels == (tuple(labels) if labels is not None else tuple(f"x{i}" for i in range(1, n + 1)))


TABLE = [[1.0, 2.0, 3.0], [4.0, -5.5, 6e-3]]


@pytest.mark.parametrize("text, filename", [
    ("1,2,3\n4,-5.5,6e-3\n", "a.csv"),
    ("1, 2, 3\n4, -5.5, 0.006\n", "a.csv"),
    ("1,2,3\r\n4,-5.5,6e-3\r\n", "a.csv"),
    ("1,2,3\n\n4,-5.5,6e-3\n\n", "a.csv"),
    ("# a comment\n1,2,3\n4,-5.5,6e-3", "a.csv"),
    ("x,y,z\n1,2,3\n4,-5.5,6e-3\n", "a.csv"),
    ('"x","y","z"\n1,2,3\n4,-5.5,6e-3\n', "a.csv"),
    ("1,2,3,\n4,-5.5,6e-3,\n", "a.csv"),
    ("x,y,z,\n1,2,3,\n4,-5.5,6e-3,\n", "a.csv"),
    ("1;2;3\n4;-5.5;6e-3\n", "a.csv"),
    ("x;y;z\n1;2;3\n4;-5.5;6e-3\n", "a.csv"),
    ("1\t2\t3\n4\t-5.5\t6e-3\n", "a.tsv"),
    ("x\ty\tz\n1\t2\t3\n4\t-5.5\t6e-3\n", "a.tsv"),
    ("1\t2\t3\n4\t-5.5\t6e-3\n", "a.txt"),
    ("1 2 3\n4   -5.5 6e-3\n", "a.txt"),
    ("  1 2 3  \n\t4 -5.5\t6e-3\n", "a.txt"),
    ("1,2,3\n4,-5.5,6e-3\n", "A.CSV"),
    ("1,2,3\n4,-5.5,6e-3\n", "my data.v2.csv"),
    ("+1,2,3\n4,-5.5,.006\n", "a.csv"),
])
def test_tables_without_labels(text, filename):
    assert_loaded(load(text, filename), TABLE)


@pytest.mark.parametrize("text, filename", [
    ("cat,1,2,3\ndog,4,-5.5,6e-3\n", "a.csv"),
    ("token,x,y,z\ncat,1,2,3\ndog,4,-5.5,6e-3\n", "a.csv"),
    ("cat\t1\t2\t3\ndog\t4\t-5.5\t6e-3\n", "a.tsv"),
    ("cat 1 2 3\ndog 4 -5.5 6e-3\n", "a.txt"),
    ("cat;1;2;3\ndog;4;-5.5;6e-3\n", "a.csv"),
    ('"cat",1,2,3\n"dog",4,-5.5,6e-3\n', "a.csv"),
])
def test_tables_with_a_label_column(text, filename):
    assert_loaded(load(text, filename), TABLE, labels=["cat", "dog"])


@pytest.mark.parametrize("data", [
    b"\xef\xbb\xbf1,2,3\n4,-5.5,6e-3\n",
    b"\xef\xbb\xbfx,y,z\n1,2,3\n4,-5.5,6e-3\n",
    b"\xef\xbb\xbf1,2,3\r\n4,-5.5,6e-3\r\n",
])
def test_byte_order_mark(data):
    assert_loaded(load(data, "excel.csv"), TABLE)


def test_byte_order_mark_with_labels():
    assert_loaded(load(b"\xef\xbb\xbfcat,1,2,3\ndog,4,-5.5,6e-3\n", "a.csv"), TABLE, labels=["cat", "dog"])


def test_unicode_labels_and_long_labels_are_kept_printable():
    seq = load("猫,1,2\nchien,3,4\n" + "x" * 100 + "\x07,5,6\n", "a.csv")
    assert seq.labels[:2] == ("猫", "chien")
    assert len(seq.labels[2]) <= 40 and seq.labels[2].isprintable()


def test_one_row_loads_and_one_column_is_refused():
    assert_loaded(load("1,2,3\n", "a.csv"), [[1.0, 2.0, 3.0]])
    with pytest.raises(InputError, match="at least 2 dimensions"):
        load("value\n1\n2\n", "a.csv")


def test_largest_table_loads():
    text = "\n".join(",".join(["0.5"] * MAX_DIM) for _ in range(64))
    assert load(text, "a.csv").values.shape == (64, MAX_DIM)
    text = "h,g\n" + "1,2\n" * MAX_TOKENS
    assert load(text, "a.csv").values.shape == (MAX_TOKENS, 2)


@pytest.mark.parametrize("array", [
    np.array(TABLE, dtype=np.float32),
    np.array(TABLE, dtype=np.float64),
    np.array(TABLE, dtype=">f8"),
    np.asfortranarray(np.array(TABLE)),
    np.array([[1, 2, 3], [4, -5, 6]], dtype=np.int64),
    np.array([[1, 2, 3], [4, 5, 6]], dtype=np.uint8),
    np.array([[1, 2, 3], [4, -5, 6]], dtype=np.int32),
    np.array([[True, False], [False, True]]),
    np.array(TABLE, dtype=np.float16),
])
def test_npy(array):
    seq = load_sequence(npy_bytes(array), "x.npy")
    assert_loaded(seq, array.astype(np.float64))


def test_npy_float32_keeps_its_float32_values_exactly():
    array = np.random.default_rng(0).standard_normal((5, 3)).astype(np.float32)
    np.testing.assert_array_equal(load_sequence(npy_bytes(array), "x.NPY").values, array.astype(np.float64))


@pytest.mark.parametrize("obj, labels", [
    ([[1, 2, 3], [4, -5.5, 0.006]], None),
    ({"values": [[1, 2, 3], [4, -5.5, 0.006]]}, None),
    ({"values": [[1, 2, 3], [4, -5.5, 0.006]], "labels": ["cat", "dog"]}, ["cat", "dog"]),
    ({"tokens": ["cat", "dog"], "embeddings": [[1, 2, 3], [4, -5.5, 0.006]]}, ["cat", "dog"]),
    ({"data": [[1, 2, 3], [4, -5.5, 0.006]], "labels": [1, None]}, ["1", "None"]),
    ({"whatever": [[1, 2, 3], [4, -5.5, 0.006]], "note": "hi"}, None),
])
def test_json(obj, labels):
    assert_loaded(load(json.dumps(obj), "a.json"), TABLE, labels=labels)


def test_json_with_bom_and_whitespace():
    assert_loaded(load(b"\xef\xbb\xbf\n  [[1, 2, 3],\n [4, -5.5, 6e-3]]  \n", "a.json"), TABLE)


def test_loaded_values_are_read_only_and_attendable():
    seq = load("1,2\n3,4\n", "a.csv")
    with pytest.raises(ValueError):
        seq.values[0, 0] = 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. torch's "non-writable array" warning
        out = attend(seq.values[0], seq.values)
    assert out.weights.shape == (2,)


# ============================================================= loading: bad

BAD = bad_files()


@pytest.mark.parametrize("case", BAD, ids=[c.id for c in BAD])
def test_bad_file_is_refused_with_a_helpful_message(case):
    started = time.perf_counter()
    with pytest.raises(InputError) as info:
        load_sequence(case.data, case.filename)
    assert time.perf_counter() - started < 3, "refusing a file must not take long"
    message = str(info.value)
    assert case.fragment in message
    assert message.endswith("."), message
    assert 10 < len(message) < 250
    assert "Traceback" not in message and "allow_pickle" not in message


def test_over_the_size_cap(monkeypatch):
    monkeypatch.setattr(sequences_module, "MAX_UPLOAD_BYTES", 64)
    assert_loaded(load_sequence(b"1,2\n" * 16, "a.csv"), [[1.0, 2.0]] * 16)  # exactly 64 bytes
    for name, data in [("a.csv", b"1,2\n" * 17), ("a.npy", npy_bytes(np.eye(3))), ("a.json", b"[[1]]" + b" " * 60)]:
        with pytest.raises(InputError, match="the limit is"):
            load_sequence(data, name)


def test_over_the_real_size_cap_is_refused_before_parsing():
    data = b"1," * (MAX_UPLOAD_BYTES // 2) + b"1\n"
    assert len(data) > MAX_UPLOAD_BYTES
    started = time.perf_counter()
    with pytest.raises(InputError, match="MB"):
        load_sequence(data, "big.csv")
    assert time.perf_counter() - started < 0.5


def test_bad_files_never_unpickle(monkeypatch):
    import pickle

    def refuse(*args, **kwargs):
        raise AssertionError("pickle.load was called")

    monkeypatch.setattr(pickle, "load", refuse)
    monkeypatch.setattr(pickle, "loads", refuse)
    for case in BAD:
        if case.filename.endswith(".npy"):
            with pytest.raises(InputError):
                load_sequence(case.data, case.filename)


# ---------------------------------------------------------------- fuzzing

EXTENSIONS = ["a.csv", "a.tsv", "a.txt", "a.npy", "a.json"]


def assert_sequence_or_input_error(data: bytes, filename: str) -> None:
    """The whole contract for untrusted bytes: a finite Sequence, or InputError — nothing else."""
    try:
        seq = load_sequence(data, filename)
    except InputError as exc:
        assert str(exc)
        return
    assert isinstance(seq, Sequence)
    assert seq.values.ndim == 2 and seq.values.dtype == np.float64
    assert 1 <= seq.n <= MAX_TOKENS and 1 <= seq.d <= MAX_DIM
    assert np.isfinite(seq.values).all()
    assert len(seq.labels) == seq.n and all(isinstance(s, str) for s in seq.labels)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400), st.sampled_from(EXTENSIONS))
@example(b"\x93NUMPY\x01\x00v\x00", "a.npy")
@example(b'"unclosed\n1,2', "a.csv")
def test_fuzz_arbitrary_bytes(data, filename):
    assert_sequence_or_input_error(data, filename)


TEXTY = st.text(alphabet=st.sampled_from(list("0123456789.,;\t -+eE\n\r\"#'xnaif_²٣\x00\x0c")), max_size=200)


@settings(max_examples=300, deadline=None)
@given(TEXTY, st.sampled_from(["a.csv", "a.tsv", "a.txt", "a.json"]))
def test_fuzz_number_like_text(text, filename):
    assert_sequence_or_input_error(text.encode(), filename)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(
        st.sampled_from(["values", "labels", "tokens", "data", "x", "other"]), inner, max_size=3),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(JSON)
def test_fuzz_json(obj):
    assert_sequence_or_input_error(json.dumps(obj).encode(), "a.json")


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from([
        npy_bytes(np.arange(6.0).reshape(2, 3)),
        npy_bytes(np.arange(6, dtype=np.int16).reshape(3, 2)),
        npy_bytes(np.array([[1, "a"]], dtype=object), allow_pickle=True),
        npz_bytes(x=np.eye(2)),
    ]),
    st.lists(st.tuples(st.integers(0, 300), st.integers(0, 255)), max_size=4),
    st.integers(0, 300),
)
def test_fuzz_mutated_npy(data, flips, cut):
    data = bytearray(data)
    for position, byte in flips:
        if position < len(data):
            data[position] = byte
    assert_sequence_or_input_error(bytes(data[: max(cut, 0) or None]), "a.npy")


# ======================================================= text parsers


@pytest.mark.parametrize("text, d, expected", [
    ("1, 2, 3", 3, [[1, 2, 3]]),
    ("1 2 3", 3, [[1, 2, 3]]),
    ("1,2,3\n4,5,6", 3, [[1, 2, 3], [4, 5, 6]]),
    ("1,2,3; 4,5,6", 3, [[1, 2, 3], [4, 5, 6]]),
    ("  -1.5e2 , +0.25 \n\n", 2, [[-150, 0.25]]),
    ("1,,2", 2, [[1, 2]]),
])
def test_parse_vectors(text, d, expected):
    got = parse_vectors(text, d)
    assert got.dtype == np.float64
    np.testing.assert_array_equal(got, np.array(expected, dtype=np.float64))


@pytest.mark.parametrize("text, d, fragment", [
    ("", 3, "at least one query"),
    ("  \n ; ", 3, "at least one query"),
    ("1, 2", 3, "has 2 numbers"),
    ("1, 2, 3, 4", 3, "d = 3"),
    ("1, 2, 3\n1, 2", 3, "Query 2 has 2 numbers"),
    ("1, two, 3", 3, "'two' in query 1 is not a number"),
    ("1, nan, 3", 3, "NaN or infinity"),
    ("1, 2, inf", 3, "NaN or infinity"),
    ("1, 2, 1e999", 3, "NaN or infinity"),
    ("1;2;3", 1, "At most 2 queries"),
])
def test_parse_vectors_errors(text, d, fragment):
    max_rows = 2 if fragment.startswith("At most") else 64
    with pytest.raises(InputError, match=fragment):
        parse_vectors(text, d, max_rows=max_rows)


@settings(max_examples=200, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 6)), elements=st.floats(-1e6, 1e6)),
       st.integers(0, 6))
def test_format_then_parse_vectors_round_trips(q, decimals):
    text = format_vectors(q, decimals=decimals)
    back = parse_vectors(text, q.shape[1])
    assert back.shape == q.shape
    np.testing.assert_allclose(back, q, rtol=1e-12, atol=0.5 * 10.0**-decimals * (1 + 1e-9))
    # and the text is a fixed point
    assert format_vectors(back, decimals=decimals) == text


def test_format_vectors_examples():
    assert format_vectors(np.array([[1.0, -0.5, 100.0], [0.0, -0.0001, 2.25]])) == "1, -0.5, 100\n0, 0, 2.25"
    assert format_vectors(np.array([100.0, 20.0, -3.0]), decimals=0) == "100, 20, -3"
    assert format_vectors(np.array([1.23456]), decimals=2) == "1.23"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.integers(1, 50))
def test_fuzz_parse_vectors(text, d):
    try:
        q = parse_vectors(text, d)
    except InputError:
        return
    assert q.shape[1] == d and np.isfinite(q).all()


@pytest.mark.parametrize("text, n, expected", [
    ("2, 5-7", 10, [1, 4, 5, 6]),
    ("7-5, 2", 10, [1, 4, 5, 6]),
    ("1;3 ; 3", 5, [0, 2]),
    ("", 5, []),
    (" , ,", 5, []),
    ("1-5", 5, [0, 1, 2, 3, 4]),
    ("4 - 4", 5, [3]),
])
def test_parse_positions(text, n, expected):
    assert parse_positions(text, n) == expected


@pytest.mark.parametrize("text, n, fragment", [
    ("0", 5, "Position 0 is outside 1…5"),
    ("6", 5, "Position 6 is outside 1…5"),
    ("2-9", 5, "Position 9"),
    ("a", 5, "'a' is not a position"),
    ("1-2-3", 5, "is not a position"),
    ("-3", 5, "is not a position"),
    ("2-", 5, "is not a position"),
    ("1.5", 5, "is not a position"),
    ("²", 5, "is not a position"),
    ("9" * 5000, 5, "is not a position"),
    ("1-" + "9" * 5000, 5, "is not a position"),
])
def test_parse_positions_errors(text, n, fragment):
    with pytest.raises(InputError, match=fragment):
        parse_positions(text, n)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 60).flatmap(lambda n: st.tuples(st.just(n), st.lists(st.integers(0, n - 1), max_size=40))))
def test_format_then_parse_positions_round_trips(n_indices):
    n, indices = n_indices
    text = format_positions(indices)
    assert parse_positions(text, n) == sorted(set(indices))
    assert format_positions(parse_positions(text, n)) == text


def test_format_positions_examples():
    assert format_positions([1, 4, 5, 6]) == "2, 5-7"
    assert format_positions([6, 4, 5, 1, 5]) == "2, 5-7"
    assert format_positions([]) == ""
    assert format_positions(np.array([0, 1])) == "1-2"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40) | st.text(alphabet="0123456789-,; ²٣", max_size=40), st.integers(1, 100))
def test_fuzz_parse_positions(text, n):
    try:
        got = parse_positions(text, n)
    except InputError:
        return
    assert got == sorted(set(got)) and all(0 <= i < n for i in got)


def test_first_row_with_a_typo_is_not_taken_for_a_header():
    from attention_core import InputError, load_sequence

    with pytest.raises(InputError, match="mixes numbers and text"):
        load_sequence(b"1.5,2x,3\n4,5,6\n", "typo.csv")
    # a real header is still recognised
    assert load_sequence(b"a,b,c\n4,5,6\n", "h.csv").values.tolist() == [[4.0, 5.0, 6.0]]


def test_semicolon_csv_with_decimal_commas():
    from attention_core import load_sequence

    seq = load_sequence("tok;a;b\nthe;1,5;-2,25\ncat;3;4,0\n".encode(), "eu.csv")
    assert seq.values.tolist() == [[1.5, -2.25], [3.0, 4.0]]
    assert seq.labels == ("the", "cat")


# ---- one magnitude bound, one upload cap, at least two dimensions (issue 7, item 5 and 20)


def test_values_beyond_the_bound_are_refused_with_the_bound_in_the_message():
    from attention_core import MAX_ABS_VALUE

    with pytest.raises(InputError, match=r"Row 1, column 1 .*1e\+06"):
        load_sequence(b"1e200,-1e200\n2e200,1e200\n-1e200,3e200", "big.csv")
    buffer = io.BytesIO()
    np.save(buffer, np.full((3, 3), 1.79e308), allow_pickle=False)
    with pytest.raises(InputError, match="between"):
        load_sequence(buffer.getvalue(), "huge.npy")
    ok = load_sequence(f"{MAX_ABS_VALUE},1\n2,{-MAX_ABS_VALUE}".encode(), "edge.csv")
    assert ok.values.max() == MAX_ABS_VALUE


def test_check_values_names_the_cell():
    from attention_core import check_values

    with pytest.raises(InputError, match="Row 2, column 3"):
        check_values(np.array([[0, 0, 0], [0, 0, 5e6]]))
    with pytest.raises(InputError, match="finite"):
        check_values(np.array([[0, np.nan]]))


def test_a_single_column_file_is_refused():
    with pytest.raises(InputError, match="at least 2 dimensions"):
        load_sequence(b"1\n2\n3", "one.csv")


def test_upload_cap_counts_megabytes_as_streamlit_does():
    from attention_core import MAX_UPLOAD_MB

    assert MAX_UPLOAD_BYTES == MAX_UPLOAD_MB * 10**6


def test_typed_queries_obey_the_bound():
    with pytest.raises(InputError, match="beyond"):
        parse_vectors("1e200, 1", 2)
